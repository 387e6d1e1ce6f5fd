package dev.aigw.bench;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Message;
import dev.aigw.providers.pool.InferencePool;
import dev.aigw.providers.pool.Picker;
import dev.aigw.providers.pool.Pickers;
import dev.aigw.testkit.sim.SimulatedInferenceServer;
import dev.aigw.testkit.sim.SimulatedRequestRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs one workload against simulated vLLM replicas ({@link SimulatedInferenceServer}) through an
 * {@link InferencePool} with each picker, and prints time to first token (p50/p90/p99, simulated
 * ms, as the servers measured it from each request's arrival), throughput (output tokens per
 * simulated second while the load was offered), the prefix-cache hit rate and each replica's
 * share of requests.
 *
 * <ul>
 *   <li>{@code shared}: many tenants, each with a long system prompt of its own, asking short
 *       questions: prefix-aware routing keeps each tenant's prefix cached on few replicas, where
 *       round-robin makes every replica hold every prefix and the caches thrash.
 *   <li>{@code unique}: every prompt is new, so nothing is shared and only load matters.
 * </ul>
 *
 * <p>Arrivals are Poisson at a rate near what round-robin can sustain. Every configuration gets
 * fresh servers with the same seed. Run it from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * java -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.PoolHarness
 * java -Dreplicas=8 -Dseconds=120 -Drate.shared=40 -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.PoolHarness
 * </pre>
 *
 * <p>{@code -Dout=FILE} writes the rows as JSON too.
 */
public final class PoolHarness {
  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  private static final String[] WORDS = ("the of and to in is you that it he was for on are as with his they at be this have from "
      + "or one had by word but not what all were we when your can said there use an each which she do how their if will up "
      + "other about out many then them these so some her would make like him into time has look two more write go see number "
      + "no way could people my than first water been call who oil its now find long down day did get come made may part").split(" ");

  private final int replicas = Integer.getInteger("replicas", 6);
  private final double scale = Double.parseDouble(System.getProperty("scale", "3"));
  private final int seconds = Integer.getInteger("seconds", 60);
  private final int warmupSeconds = Integer.getInteger("warmup", 15);
  private final int tenants = Integer.getInteger("tenants", 48);
  private final int systemChars = Integer.getInteger("systemChars", 6000);
  private final int questionChars = Integer.getInteger("questionChars", 300);
  private final int outputTokens = Integer.getInteger("outputTokens", 64);
  private final int kvBlocks = Integer.getInteger("kvBlocks", 4096);
  private final int streamInterval = Integer.getInteger("streamInterval", 4);

  private PoolHarness() {}

  /** Runs the workloads named by {@code -Dworkloads} (default {@code shared,unique}) with every picker of {@code -Dpickers}. */
  public static void main(String[] args) throws Exception {
    PoolHarness h = new PoolHarness();
    String workloads = System.getProperty("workloads", "shared,unique");
    String pickers = System.getProperty("pickers", "round-robin,least-request,metrics-aware,prefix+load");
    System.out.printf(Locale.ROOT, "%d replicas, time scale %.0f, %d simulated s per run (first %d s not measured), %d tenants,"
            + " system prompt %d chars, question %d chars, %d output tokens, %d KV blocks of 16 tokens per replica%n%n",
        h.replicas, h.scale, h.seconds, h.warmupSeconds, h.tenants, h.systemChars, h.questionChars, h.outputTokens, h.kvBlocks);
    System.out.println("| workload | picker | rate (req/s) | TTFT p50 (ms) | p90 | p99 | throughput (out tok/s) | measured requests | prefix hit rate | requests per replica | scheduler lag (ms) |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|");
    List<Row> rows = new ArrayList<>();
    for (String workload : workloads.split(",")) {
      double rate = Double.parseDouble(System.getProperty("rate." + workload, workload.equals("shared") ? "30" : "12"));
      for (String picker : pickers.split(",")) {
        Row row = h.run(workload, picker, rate);
        rows.add(row);
        System.out.println(row.markdown());
      }
    }
    Map<String, Object> settings = new java.util.LinkedHashMap<>();
    settings.put("replicas", h.replicas);
    settings.put("scale", h.scale);
    settings.put("seconds", h.seconds);
    settings.put("warmup", h.warmupSeconds);
    settings.put("tenants", h.tenants);
    settings.put("systemChars", h.systemChars);
    settings.put("questionChars", h.questionChars);
    settings.put("outputTokens", h.outputTokens);
    settings.put("kvBlocks", h.kvBlocks);
    settings.put("streamInterval", h.streamInterval);
    JsonOut.write(Map.of("harness", "PoolHarness", "settings", settings, "rows", rows));
    System.exit(0);
  }

  private static Picker picker(String name) {
    return switch (name) {
      case "round-robin" -> Pickers.roundRobin();
      case "random" -> Pickers.random(7);
      case "least-request" -> Pickers.leastRequest(7);
      case "metrics-aware" -> Pickers.metricsAware();
      case "prefix+load" -> Pickers.prefixAffinity();
      default -> throw new IllegalArgumentException("unknown picker " + name);
    };
  }

  /**
   * One workload with one picker: TTFT percentiles in simulated ms, throughput in output tokens
   * per simulated second, the prefix-cache hit rate, requests per replica and the worst mean
   * scheduler lag (ms).
   */
  record Row(String workload, String picker, double rate, double ttftP50, double ttftP90, double ttftP99, double throughput,
      int measured, int failed, double prefixHitRate, long[] perReplica, long schedulerLagMs) {
    String markdown() {
      return String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %d%s | %.2f | %s | %d |",
          workload, picker, rate, ttftP50, ttftP90, ttftP99, throughput, measured,
          failed == 0 ? "" : " (" + failed + " failed)", prefixHitRate, Arrays.toString(perReplica), schedulerLagMs);
    }
  }

  private Row run(String workload, String pickerName, double rate) throws Exception {
    List<SimulatedInferenceServer> servers = new ArrayList<>();
    String[] urls = new String[replicas];
    for (int i = 0; i < replicas; i++) {
      SimulatedInferenceServer s = SimulatedInferenceServer.builder().model(MODEL).timeScale(scale).kvCacheBlocks(kvBlocks)
          .streamInterval(streamInterval).seed(42 + i).start();
      servers.add(s);
      urls[i] = s.baseUrl();
    }
    Duration wallSecond = Duration.ofNanos((long) (1e9 / scale));
    ExecutorService clients = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "harness-client");
      t.setDaemon(true);
      return t;
    });
    AtomicInteger failed = new AtomicInteger();
    try (InferencePool pool = InferencePool.builder().id("pool").replicas(urls).models(MODEL).picker(picker(pickerName))
        .healthCheck("/health", Duration.ZERO)
        .metrics("/metrics", wallSecond.dividedBy(4), wallSecond.multipliedBy(2))
        .build()) {
      SplittableRandom random = new SplittableRandom(2026);
      Supplier<ChatRequest> requests = workload.equals("shared") ? shared(random) : unique(random);
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9 / scale);
      long next = start;
      while (next < end) {
        ChatRequest request = requests.get();
        long at = next;
        LockSupport.parkNanos(at - System.nanoTime());
        clients.execute(() -> {
          try (ChatStream stream = pool.stream(request, CallContext.empty())) {
            for (ChatChunk ignored : stream) {
              // consume
            }
          } catch (RuntimeException e) {
            failed.incrementAndGet();
          }
        });
        double gapSimulated = -Math.log(1 - random.nextDouble()) / rate;
        next += (long) (gapSimulated * 1e9 / scale);
      }
      long generated = 0;
      for (SimulatedInferenceServer s : servers) {
        generated += s.stats().generationTokens();
      }
      double throughput = generated / (double) seconds;
      clients.shutdown();
      clients.awaitTermination((long) (120_000 / scale) + 60_000, TimeUnit.MILLISECONDS);

      List<Double> ttft = new ArrayList<>();
      long[] perReplica = new long[replicas];
      long cachedTokens = 0;
      long promptTokens = 0;
      int completed = 0;
      for (int i = 0; i < replicas; i++) {
        for (SimulatedRequestRecord r : servers.get(i).records()) {
          perReplica[i]++;
          if (r.arrivedAt().compareTo(Duration.ofSeconds(warmupSeconds)) < 0 || !r.completed()) {
            continue;
          }
          completed++;
          ttft.add(r.timeToFirstToken().toNanos() / 1e6);
          cachedTokens += r.cachedTokens();
          promptTokens += r.promptTokens();
        }
      }
      double[] sorted = ttft.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      long lag = 0;
      for (SimulatedInferenceServer s : servers) {
        lag = Math.max(lag, s.stats().meanSchedulerLag().toMillis());
      }
      return new Row(workload, pickerName, rate, pct(sorted, 0.5), pct(sorted, 0.9), pct(sorted, 0.99), throughput, completed,
          failed.get(), promptTokens == 0 ? 0 : (double) cachedTokens / promptTokens, perReplica, lag);
    } finally {
      clients.shutdownNow();
      for (SimulatedInferenceServer s : servers) {
        s.close();
      }
    }
  }

  private static double pct(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  /** Tenants with long system prompts of their own, asking short questions. */
  private Supplier<ChatRequest> shared(SplittableRandom random) {
    String[] systems = new String[tenants];
    for (int t = 0; t < tenants; t++) {
      systems[t] = "You are the assistant of tenant " + t + ". " + text(new SplittableRandom(t * 7919L), systemChars);
    }
    return () -> request(systems[random.nextInt(tenants)], text(random, questionChars));
  }

  /** Every prompt new: a long system prompt and question nobody else sends. */
  private Supplier<ChatRequest> unique(SplittableRandom random) {
    return () -> request("You are an assistant. " + text(random, systemChars), text(random, questionChars));
  }

  private ChatRequest request(String system, String question) {
    return ChatRequest.builder().model(MODEL).messages(List.of(Message.system(system), Message.user(question)))
        .maxOutputTokens(outputTokens).extra(Map.of("ignore_eos", true)).build();
  }

  private static String text(SplittableRandom random, int chars) {
    StringBuilder out = new StringBuilder(chars + 16);
    while (out.length() < chars) {
      out.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    return out.substring(0, chars);
  }
}
