package dev.aigw.testkit.sim.internal;

import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One inference request inside the engine. The HTTP thread that created it waits for its progress
 * ({@link #emitted()}, {@link #state()}); the engine thread advances it and wakes that thread.
 * Engine-side fields are guarded by the engine's lock; the progress fields are volatile.
 */
public final class SimRequest {
  /** Where a request is in its life. */
  public enum State { QUEUED, RUNNING, FINISHED, ABORTED }

  /** The endpoint a request came from. */
  public enum Kind { CHAT, COMPLETION, EMBEDDING }

  final String id;
  final String model;
  final @Nullable String lora;
  final Kind kind;
  final boolean stream;
  final int promptTokens;
  final long[] blockHashes;
  final int outputTokens;
  final String finishReason;
  private final int wakeEvery;
  private final Thread waiter;

  // engine-side, under the engine lock
  long seq;
  long arrivedAt;
  long readyAt;
  long admittedAt = -1;
  long firstTokenAt = -1;
  long finishedAt = -1;
  long lastTokenAt = -1;
  int cachedTokens;
  int prefillRemaining;
  int stepChunk;
  KvBlockPool.@Nullable Allocation allocation;

  // progress, read by the waiting thread
  private volatile int emitted;
  private volatile State state = State.QUEUED;
  private volatile boolean abortRequested;

  /**
   * @param id the response id
   * @param model the model the request names (base model or adapter)
   * @param lora the adapter, or null for the base model
   * @param kind the endpoint
   * @param stream whether the answer is streamed
   * @param promptTokens prompt tokens, at least 1
   * @param blockHashes the prompt's full blocks' chained hashes; empty when not cacheable
   * @param outputTokens tokens to generate (0 for embeddings)
   * @param finishReason the finish reason reported at the end
   * @param wakeEvery wake the waiting thread at the first token and then every this many tokens
   *     (the stream interval); {@link Integer#MAX_VALUE} wakes it only when the request ends
   */
  public SimRequest(String id, String model, @Nullable String lora, Kind kind, boolean stream, int promptTokens,
      long[] blockHashes, int outputTokens, String finishReason, int wakeEvery) {
    this.id = id;
    this.model = model;
    this.lora = lora;
    this.kind = kind;
    this.stream = stream;
    this.promptTokens = promptTokens;
    this.blockHashes = blockHashes;
    this.outputTokens = outputTokens;
    this.finishReason = finishReason;
    this.wakeEvery = wakeEvery;
    this.waiter = Thread.currentThread();
  }

  public String id() {
    return id;
  }

  public int promptTokens() {
    return promptTokens;
  }

  public int outputTokens() {
    return outputTokens;
  }

  public String finishReason() {
    return finishReason;
  }

  /** Prompt tokens served from the prefix cache; final once the request runs. */
  public int cachedTokens() {
    return cachedTokens;
  }

  /** Output tokens generated so far. */
  public int emitted() {
    return emitted;
  }

  public State state() {
    return state;
  }

  /** Asks the engine to drop the request (the client went away); it frees its blocks at its next step. */
  public void abort() {
    abortRequested = true;
  }

  boolean abortRequested() {
    return abortRequested;
  }

  void emitOne() {
    int n = emitted + 1;
    emitted = n;
    if (n == 1 && wakeEvery != Integer.MAX_VALUE || n % wakeEvery == 0) {
      LockSupport.unpark(waiter);
    }
  }

  void moveTo(State next) {
    state = next;
    LockSupport.unpark(waiter);
  }

  long seq() {
    return seq;
  }

  long readyAt() {
    return readyAt;
  }
}
