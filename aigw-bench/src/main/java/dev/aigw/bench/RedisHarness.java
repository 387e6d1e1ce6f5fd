package dev.aigw.bench;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.budget.BudgetStore;
import dev.aigw.core.budget.InMemoryBudgetStore;
import dev.aigw.core.cache.CacheStore;
import dev.aigw.core.cache.InMemoryCacheStore;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.catalog.ModelCatalog;
import dev.aigw.core.catalog.ModelInfo;
import dev.aigw.core.pricing.Prices;
import dev.aigw.redis.FailurePolicy;
import dev.aigw.redis.RedisBudgetStore;
import dev.aigw.redis.RedisCacheStore;
import dev.aigw.redis.RedisConnection;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whole gateway calls with budgets on Redis, on loopback: calls per second, latency and Redis
 * round trips (script calls, each one the call waits for) per call, for the in-memory store (the
 * baseline, measured in the same run), a Redis store on one shared pipelined connection, and a
 * Redis store on a pool of connections used one command at a time (no pipelining). The provider
 * answers at once, so the figures are the gateway's and Redis's alone.
 *
 * <p>Every call reserves and reconciles two counters, a tenant's daily tokens (1,000 tenants)
 * and a global monthly cost, as {@code BudgetGatewayBenchmark}'s {@code tokensAndCost} does. It
 * starts its own {@code redis-server} from the PATH on a free loopback port (or uses {@code
 * -Dredis.uri=redis://...}). Run it from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * java -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.RedisHarness
 * java -Dthreads=1,8,64 -Dseconds=10 -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.RedisHarness
 * java -Dcache=true -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.RedisHarness
 * </pre>
 *
 * <p>{@code -Dout=FILE} writes the rows as JSON too; {@code -Dredis.timeoutMs=N} sets the
 * connections' command timeout (the library's 100 ms by default).
 *
 * <p>With {@code -Dcache=true} the gateway has a response cache too (in memory, or {@code
 * RedisCacheStore} on the same connection), and every call asks a new question: a lookup that
 * misses both levels and a store, per call.
 */
public final class RedisHarness {
  private static final long HUGE = Long.MAX_VALUE / 4;
  private static final int TENANTS = 1_000;

  private final int seconds = Integer.getInteger("seconds", 5);
  private final int warmup = Integer.getInteger("warmup", 2);
  private final int[] threadCounts = Arrays.stream(System.getProperty("threads", "1,16,64").split(","))
      .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
  /** With the response cache too, every call a new question: a lookup and a store per call. */
  private final boolean cache = Boolean.getBoolean("cache");

  private RedisHarness() {}

  public static void main(String[] args) throws Exception {
    new RedisHarness().run();
  }

  private void run() throws Exception {
    String uri = System.getProperty("redis.uri");
    Process server = null;
    int port;
    if (uri == null) {
      port = freePort();
      server = startRedis(port);
      uri = "redis://127.0.0.1:" + port;
    } else {
      port = java.net.URI.create(uri).getPort();
    }
    try {
      System.out.printf(Locale.ROOT, "%-22s %7s %12s %8s %9s %9s %13s%n",
          "store", "threads", "calls/s", "x memory", "p50 us", "p99 us", "trips/call");
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int threads : threadCounts) {
        Result memory = measure("in-memory", threads, null, port);
        rows.add(print(memory, memory));
        rows.add(print(measure("redis, pipelined", threads, connection(uri).build(), port), memory));
        rows.add(print(measure("redis, pool, 1 each", threads,
            connection(uri).pipelining(false).poolSize(threads).build(), port), memory));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("harness", "RedisHarness");
      out.put("cache", cache);
      out.put("seconds", seconds);
      out.put("warmup", warmup);
      out.put("redisVersion", redisVersion(port));
      out.put("rows", rows);
      JsonOut.write(out);
    } finally {
      if (server != null) {
        server.destroyForcibly();
      }
    }
  }

  /**
   * A connection builder; {@code -Dredis.timeoutMs=N} raises the command timeout (100 ms by
   * default) so that one call stalled by a busy machine does not fail the run: the stores fail
   * closed, and the harness stops at the first failed call.
   */
  private static RedisConnection.Builder connection(String uri) {
    RedisConnection.Builder b = RedisConnection.builder(uri);
    String timeout = System.getProperty("redis.timeoutMs");
    if (timeout != null && !timeout.isBlank()) {
      b.commandTimeout(java.time.Duration.ofMillis(Long.parseLong(timeout.trim())));
    }
    return b;
  }

  private record Result(String name, int threads, long calls, double seconds, long p50, long p99, double commandsPerCall) {}

  /** Prints one row and returns it for {@code -Dout}. */
  private static Map<String, Object> print(Result r, Result baseline) {
    double rate = r.calls / r.seconds;
    double ratio = rate / (baseline.calls / baseline.seconds);
    System.out.printf(Locale.ROOT, "%-22s %7d %,12.0f %8.2f %9.1f %9.1f %13.2f%n", r.name, r.threads, rate,
        ratio, r.p50 / 1_000.0, r.p99 / 1_000.0, r.commandsPerCall);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("store", r.name);
    row.put("threads", r.threads);
    row.put("calls", r.calls);
    row.put("callsPerSecond", rate);
    row.put("xMemory", ratio);
    row.put("p50Us", r.p50 / 1_000.0);
    row.put("p99Us", r.p99 / 1_000.0);
    row.put("roundTripsPerCall", r.commandsPerCall);
    return row;
  }

  /** Measures gateway calls with budgets in Redis over {@code redis}, or in memory when it is null. */
  private Result measure(String name, int threads, RedisConnection redis, int port) throws Exception {
    BudgetStore store = redis == null
        ? new InMemoryBudgetStore()
        : RedisBudgetStore.builder(redis).failurePolicy(FailurePolicy.FAIL_CLOSED).build();
    CacheStore cacheStore = redis == null ? InMemoryCacheStore.builder().build() : RedisCacheStore.builder(redis).build();
    ModelCatalog catalog = ModelCatalog.builder()
        .model(ModelInfo.builder(ConstantProvider.ID, "model-a").contextWindow(128_000)
            .prices(Prices.perMillionTokens("1", "2")).build())
        .build();
    AiGateway.Builder builder = AiGateway.builder().provider(new ConstantProvider()).catalog(catalog).budgetStore(store)
        .budget(Budget.perTenant().tokensPerDay(HUGE))
        .budget(Budget.global().costPerMonth(dev.aigw.api.Cost.usd("1000000000")));
    if (cache) {
      builder.cache(ResponseCache.builder().store(cacheStore).build());
    }
    try (AiGateway gateway = builder.build()) {
      ChatRequest request = ChatRequest.builder().model(ConstantProvider.ID + "/model-a")
          .user("Summarise the quarterly report for the board and list the three largest risks.").maxOutputTokens(256).build();
      CallContext[] contexts = new CallContext[TENANTS];
      for (int i = 0; i < TENANTS; i++) {
        contexts[i] = CallContext.tenant("t" + i);
      }
      run(gateway, request, contexts, threads, warmup, null, cache);
      long commandsBefore = redis == null ? 0 : commands(port);
      long[][] samples = new long[threads][];
      long start = System.nanoTime();
      long calls = run(gateway, request, contexts, threads, seconds, samples, cache);
      double elapsed = (System.nanoTime() - start) / 1e9;
      long commands = redis == null ? 0 : commands(port) - commandsBefore;
      long[] all = Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
      return new Result(name, threads, calls, elapsed, all[all.length / 2], all[(int) (all.length * 0.99)],
          (double) commands / calls);
    } finally {
      store.close();
      cacheStore.close();
      if (redis != null) {
        redis.close();
      }
    }
  }

  /** Calls from {@code threads} threads for {@code seconds}; keeps each call's latency when {@code samples} is given. */
  private static long run(AiGateway gateway, ChatRequest request, CallContext[] contexts, int threads, int seconds,
      long[][] samples, boolean newQuestions) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    long[] counts = new long[threads];
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int me = t;
      Thread worker = new Thread(() -> {
        long[] mine = new long[1 << 16];
        int n = 0;
        long calls = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.get()) {
          long t0 = System.nanoTime();
          try {
            ChatRequest r = newQuestions
                ? request.toBuilder().messages(List.of(dev.aigw.api.Message.user("Question " + random.nextLong()))).build()
                : request;
            gateway.chat(r, contexts[random.nextInt(TENANTS)]);
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            stop.set(true);
            break;
          }
          long took = System.nanoTime() - t0;
          if (n == mine.length) {
            mine = Arrays.copyOf(mine, n * 2);
          }
          mine[n++] = took;
          calls++;
        }
        counts[me] = calls;
        if (samples != null) {
          samples[me] = Arrays.copyOf(mine, n);
        }
      }, "harness-" + t);
      workers.add(worker);
      worker.start();
    }
    TimeUnit.SECONDS.sleep(seconds);
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a call failed", failure.get());
    }
    return Arrays.stream(counts).sum();
  }

  /**
   * Round trips Redis has answered: the calls of the script commands ({@code EVALSHA}, {@code
   * EVAL}) and of the plain commands a store sends ({@code GET}, {@code SET}, {@code HGETALL}) at
   * the top level. {@code total_commands_processed} would also count the commands scripts run
   * inside Redis, which cost no round trip; so the plain commands are counted only when the
   * scripts run none of them, as in this harness's budget path (scripts only).
   */
  private static long commands(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      socket.getOutputStream().write("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n".getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      char[] body = new char[Integer.parseInt(in.readLine().substring(1))];
      for (int read = 0; read < body.length; ) {
        read += in.read(body, read, body.length - read);
      }
      long calls = 0;
      for (String line : new String(body).split("\r\n")) {
        if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
          int from = line.indexOf("calls=") + 6;
          calls += Long.parseLong(line.substring(from, line.indexOf(',', from)));
        }
      }
      return calls;
    }
  }

  /** The server's {@code redis_version}, or "unknown". */
  private static String redisVersion(int port) {
    try {
      for (String line : info(port, "server").split("\r\n")) {
        if (line.startsWith("redis_version:")) {
          return line.substring("redis_version:".length());
        }
      }
    } catch (IOException | RuntimeException e) {
      // reported as unknown
    }
    return "unknown";
  }

  /** The text of {@code INFO section}. */
  private static String info(int port, String section) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      byte[] name = section.getBytes(StandardCharsets.US_ASCII);
      socket.getOutputStream().write(("*2\r\n$4\r\nINFO\r\n$" + name.length + "\r\n" + section + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      char[] body = new char[Integer.parseInt(in.readLine().substring(1))];
      for (int read = 0; read < body.length; ) {
        int n = in.read(body, read, body.length - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      return new String(body);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Process startRedis(int port) throws IOException, InterruptedException {
    Path binary = null;
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, "redis-server");
      if (Files.isExecutable(candidate)) {
        binary = candidate;
      }
    }
    if (binary == null) {
      throw new IllegalStateException("redis-server is not on the PATH (apt-get install redis-server), or pass -Dredis.uri=");
    }
    Path dir = Files.createTempDirectory("aigw-redis-bench");
    Process p = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", "")
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.contains("Ready to accept connections")) {
      // wait for the server
    }
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // keep the pipe from filling
        }
      } catch (IOException ignored) {
        // the server ended
      }
    });
    drain.setDaemon(true);
    drain.start();
    return p;
  }
}
