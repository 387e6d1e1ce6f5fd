package dev.aigw.testkit.sim.internal;

import dev.aigw.testkit.sim.SimulatedRequestRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A discrete-step model of a vLLM engine with continuous batching and chunked prefill, run by one
 * thread against a scaled clock.
 *
 * <h2>Life of a request</h2>
 *
 * <ol>
 *   <li>It arrives ({@link #submit}) and spends the API-server overhead before it reaches the
 *       engine queue; it is not counted as waiting meanwhile.
 *   <li>It waits in a FIFO queue. At each step boundary the engine admits waiting requests in
 *       order while the running batch has fewer than {@code maxBatchSize} requests and the KV
 *       cache can reserve the request's blocks; a request that does not fit blocks those behind it
 *       (a LoRA request whose adapter cannot join the batch is skipped instead, as vLLM does).
 *       Admission looks the prompt's blocks up in the prefix cache.
 *   <li>Running, it is prefilled: each step has a budget of {@code maxBatchedTokens} tokens; every
 *       decoding request takes one, and prefilling requests take chunks of the rest, oldest
 *       first. The step in which its last uncached prompt token is computed also produces its
 *       first output token.
 *   <li>Then each step produces one more token, until it has its output length.
 * </ol>
 *
 * <h2>Step time</h2>
 *
 * {@code interTokenLatency × (1 + batchSlowdown × scheduled / maxBatchSize) + prefillTokens ×
 * prefillTimePerToken}, where {@code scheduled} counts the requests that take part in the step.
 * So decoding slows as the batch grows, and every prefill slows every request in the batch (as
 * prefill does on a real GPU).
 *
 * <h2>Time</h2>
 *
 * Simulated time is the wall clock since the engine started times the time scale. The engine keeps
 * its own step clock: while requests run it adds each step's duration and sleeps until the wall
 * clock reaches the step's end (so timing errors do not accumulate); when idle it catches up with
 * the wall clock. When the host cannot keep up (steps end later than planned), the engine runs
 * behind; {@link EngineSnapshot#maxLagNanos()} says by how much.
 */
public final class Engine implements AutoCloseable {
  private final SimConfig config;
  private final double scale;
  private final long originNanos;
  private final KvBlockPool pool;
  private final EngineMetrics metrics = new EngineMetrics();
  private final Consumer<SimulatedRequestRecord> recorder;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final PriorityQueue<SimRequest> arriving =
      new PriorityQueue<>(Comparator.comparingLong(SimRequest::readyAt).thenComparingLong(SimRequest::seq));
  private final ArrayDeque<SimRequest> waiting = new ArrayDeque<>();
  private final List<SimRequest> running = new ArrayList<>();
  private final Thread thread;
  private long engineTime;
  private long stallUntil;
  private long maxLag;
  private long lagSum;
  private long steps;
  private long seq;
  private boolean stopped;

  /**
   * Starts the engine thread.
   *
   * @param recorder receives every finished or aborted request's record, on the engine thread or
   *     the thread that stops the engine
   */
  public Engine(SimConfig config, Consumer<SimulatedRequestRecord> recorder) {
    this.config = config;
    this.scale = config.timeScale();
    this.recorder = recorder;
    this.pool = new KvBlockPool(config.kvCacheBlocks());
    this.originNanos = System.nanoTime();
    this.thread = new Thread(this::run, "sim-" + config.name() + "-engine");
    thread.setDaemon(true);
    thread.start();
  }

  /** Simulated nanoseconds since the engine started, from the wall clock. */
  public long simNow() {
    return (long) ((System.nanoTime() - originNanos) * scale);
  }

  /** The wall-clock {@link System#nanoTime()} at which simulated time reaches {@code simNanos}. */
  private long wallAt(long simNanos) {
    return originNanos + (long) Math.ceil(simNanos / scale);
  }

  /** Queues a request; it reaches the engine queue after the API-server overhead plus {@code extraDelayNanos}. */
  public void submit(SimRequest r, long extraDelayNanos) {
    lock.lock();
    try {
      r.seq = seq++;
      r.arrivedAt = simNow();
      r.readyAt = r.arrivedAt + config.requestOverheadNanos() + extraDelayNanos;
      if (stopped) {
        r.moveTo(SimRequest.State.ABORTED);
        return;
      }
      arriving.add(r);
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Pauses the engine (no step starts) for {@code simNanos} of simulated time from now. */
  public void stall(long simNanos) {
    lock.lock();
    try {
      stallUntil = Math.max(stallUntil, Math.max(engineTime, simNow()) + simNanos);
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Drops every unreferenced block from the prefix cache. */
  public void resetPrefixCache() {
    lock.lock();
    try {
      pool.resetCache();
    } finally {
      lock.unlock();
    }
  }

  /** The state now. */
  public EngineSnapshot snapshot() {
    lock.lock();
    try {
      return snapshotLocked();
    } finally {
      lock.unlock();
    }
  }

  /** The {@code /metrics} page. */
  public String prometheusText() {
    lock.lock();
    try {
      return PrometheusText.render(config, metrics, snapshotLocked(), System.currentTimeMillis() / 1000.0);
    } finally {
      lock.unlock();
    }
  }

  private EngineSnapshot snapshotLocked() {
    long now = simNow();
    int ready = 0;
    Set<String> waitingLoras = new LinkedHashSet<>();
    for (SimRequest r : waiting) {
      if (r.lora != null) {
        waitingLoras.add(r.lora);
      }
    }
    for (SimRequest r : arriving) {
      if (r.readyAt <= now) {
        ready++;
        if (r.lora != null) {
          waitingLoras.add(r.lora);
        }
      }
    }
    Set<String> runningLoras = new LinkedHashSet<>();
    for (SimRequest r : running) {
      if (r.lora != null) {
        runningLoras.add(r.lora);
      }
    }
    return new EngineSnapshot(waiting.size() + ready, running.size(), pool.usage(),
        metrics.finishedStop + metrics.finishedLength, metrics.aborted, metrics.promptTokens,
        metrics.generationTokens, metrics.prefixQueries, metrics.prefixHits, pool.cachedBlocks(),
        Math.max(now, engineTime), maxLag, steps == 0 ? 0 : lagSum / steps, List.copyOf(runningLoras), List.copyOf(waitingLoras));
  }

  /** Stops the engine thread and aborts every request it holds. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (stopped) {
        return;
      }
      stopped = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      List<SimRequest> all = new ArrayList<>(running);
      all.addAll(waiting);
      all.addAll(arriving);
      running.clear();
      waiting.clear();
      arriving.clear();
      for (SimRequest r : all) {
        abortLocked(r);
      }
    } finally {
      lock.unlock();
    }
  }

  // ---- the engine thread ----

  private void run() {
    lock.lock();
    try {
      while (!stopped) {
        if (running.isEmpty()) {
          engineTime = Math.max(engineTime, simNow());
        }
        if (engineTime < stallUntil) {
          sleepUntil(stallUntil);
          engineTime = Math.max(engineTime, stallUntil);
          continue;
        }
        dropAborted();
        promoteArrivals();
        admit();
        if (running.isEmpty()) {
          SimRequest next = arriving.peek();
          if (next == null) {
            wake.await();
          } else {
            long wait = wallAt(next.readyAt) - System.nanoTime();
            if (wait > 0) {
              wake.awaitNanos(wait);
            }
          }
          continue;
        }
        long duration = planStep();
        long end = engineTime + duration;
        sleepUntil(end);
        if (stopped) {
          break;
        }
        engineTime = end;
        long lag = Math.max(0, simNow() - end);
        maxLag = Math.max(maxLag, lag);
        lagSum += lag;
        steps++;
        applyStep(duration);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Waits (releasing the lock) until the wall clock reaches simulated time {@code sim}, or the engine stops. */
  private void sleepUntil(long sim) throws InterruptedException {
    long deadline = wallAt(sim);
    while (!stopped) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wake.awaitNanos(left);
    }
  }

  private void dropAborted() {
    for (Iterator<SimRequest> it = running.iterator(); it.hasNext(); ) {
      SimRequest r = it.next();
      if (r.abortRequested()) {
        it.remove();
        abortLocked(r);
      }
    }
    for (Iterator<SimRequest> it = waiting.iterator(); it.hasNext(); ) {
      SimRequest r = it.next();
      if (r.abortRequested()) {
        it.remove();
        abortLocked(r);
      }
    }
    if (!arriving.isEmpty()) {
      List<SimRequest> gone = new ArrayList<>();
      for (SimRequest r : arriving) {
        if (r.abortRequested()) {
          gone.add(r);
        }
      }
      for (SimRequest r : gone) {
        arriving.remove(r);
        abortLocked(r);
      }
    }
  }

  private void promoteArrivals() {
    while (!arriving.isEmpty() && arriving.peek().readyAt <= engineTime) {
      waiting.addLast(arriving.poll());
    }
  }

  private void admit() {
    Set<String> loras = new LinkedHashSet<>();
    for (SimRequest r : running) {
      if (r.lora != null) {
        loras.add(r.lora);
      }
    }
    int bs = config.blockSize();
    for (Iterator<SimRequest> it = waiting.iterator(); it.hasNext() && running.size() < config.maxBatchSize(); ) {
      SimRequest r = it.next();
      if (r.lora != null && !loras.contains(r.lora) && loras.size() >= config.maxLoras()) {
        continue;
      }
      int matched = pool.match(r.blockHashes);
      if (matched * bs >= r.promptTokens) {
        matched = (r.promptTokens - 1) / bs; // the last prompt token is always computed
      }
      int totalBlocks = Math.max(1, (r.promptTokens + r.outputTokens + bs - 1) / bs);
      if (!pool.fits(r.blockHashes, matched, totalBlocks)) {
        break;
      }
      r.allocation = pool.allocate(r.blockHashes, matched, totalBlocks);
      r.cachedTokens = matched * bs;
      r.prefillRemaining = r.promptTokens - r.cachedTokens;
      r.admittedAt = engineTime;
      metrics.prefixQueries += r.promptTokens;
      metrics.prefixHits += r.cachedTokens;
      metrics.promptTokens += r.promptTokens;
      metrics.queue.observe(seconds(Math.max(0, r.admittedAt - r.readyAt)));
      it.remove();
      running.add(r);
      if (r.lora != null) {
        loras.add(r.lora);
      }
      r.moveTo(SimRequest.State.RUNNING);
    }
  }

  /** Assigns this step's work to the running requests; returns the step's simulated duration. */
  private long planStep() {
    int budget = config.maxBatchedTokens();
    int scheduled = 0;
    long prefillTokens = 0;
    for (SimRequest r : running) {
      r.stepChunk = 0;
      if (r.prefillRemaining == 0) {
        budget--;
        scheduled++;
      }
    }
    for (SimRequest r : running) {
      if (r.prefillRemaining > 0 && budget > 0) {
        int chunk = Math.min(r.prefillRemaining, budget);
        r.stepChunk = chunk;
        budget -= chunk;
        prefillTokens += chunk;
        scheduled++;
      }
    }
    double batch = 1 + config.batchSlowdown() * scheduled / config.maxBatchSize();
    return (long) (config.interTokenLatencyNanos() * batch) + prefillTokens * config.prefillNanosPerToken();
  }

  private void applyStep(long duration) {
    int bs = config.blockSize();
    double itl = seconds(duration);
    List<SimRequest> done = new ArrayList<>();
    for (SimRequest r : running) {
      if (r.abortRequested()) {
        continue;
      }
      if (r.prefillRemaining == 0) {
        emit(r);
        metrics.itl.observe(itl);
      } else if (r.stepChunk > 0) {
        r.prefillRemaining -= r.stepChunk;
        int computed = r.promptTokens - r.prefillRemaining;
        pool.computed(r.allocation, computed / bs);
        if (r.prefillRemaining == 0) {
          r.firstTokenAt = engineTime;
          metrics.ttft.observe(seconds(r.firstTokenAt - r.arrivedAt));
          if (r.outputTokens > 0) {
            emit(r);
          }
        }
      }
      if (r.prefillRemaining == 0 && r.emitted() >= r.outputTokens) {
        done.add(r);
      }
    }
    for (SimRequest r : done) {
      running.remove(r);
      finish(r);
    }
  }

  private void emit(SimRequest r) {
    r.lastTokenAt = engineTime;
    metrics.generationTokens++;
    r.emitOne();
  }

  private void finish(SimRequest r) {
    r.finishedAt = engineTime;
    pool.release(r.allocation);
    if ("length".equals(r.finishReason)) {
      metrics.finishedLength++;
    } else {
      metrics.finishedStop++;
    }
    metrics.e2e.observe(seconds(r.finishedAt - r.arrivedAt));
    record(r, r.finishReason, r.emitted());
    r.moveTo(SimRequest.State.FINISHED);
  }

  private void abortLocked(SimRequest r) {
    if (r.allocation != null) {
      pool.release(r.allocation);
    }
    metrics.aborted++;
    r.finishedAt = Math.max(engineTime, r.arrivedAt);
    record(r, "abort", r.emitted());
    r.moveTo(SimRequest.State.ABORTED);
  }

  private void record(SimRequest r, String reason, int tokens) {
    long admitted = r.admittedAt >= 0 ? r.admittedAt : r.finishedAt;
    SimulatedRequestRecord rec = new SimulatedRequestRecord(r.id, r.model, endpoint(r.kind), r.stream,
        r.promptTokens, r.cachedTokens, tokens, reason,
        Duration.ofNanos(r.arrivedAt),
        Duration.ofNanos(Math.max(0, admitted - r.readyAt)),
        Duration.ofNanos(r.firstTokenAt >= 0 ? r.firstTokenAt - r.arrivedAt : 0),
        Duration.ofNanos(Math.max(0, r.finishedAt - r.arrivedAt)));
    try {
      recorder.accept(rec);
    } catch (RuntimeException ignored) {
      // a recorder's failure must not stop the engine
    }
  }

  private static String endpoint(SimRequest.Kind kind) {
    return switch (kind) {
      case CHAT -> "chat";
      case COMPLETION -> "completion";
      case EMBEDDING -> "embedding";
    };
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
