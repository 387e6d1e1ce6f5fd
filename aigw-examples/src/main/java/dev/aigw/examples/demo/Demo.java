package dev.aigw.examples.demo;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.BudgetUsage;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Cost;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.Target;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.catalog.ModelCatalog;
import dev.aigw.core.catalog.ModelInfo;
import dev.aigw.core.guardrail.PiiGuardrail;
import dev.aigw.core.guardrail.PromptInjectionGuardrail;
import dev.aigw.core.pricing.Prices;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.Route;
import dev.aigw.examples.demo.Scoreboard.Status;
import dev.aigw.examples.demo.Workload.Job;
import dev.aigw.examples.demo.Workload.Kind;
import dev.aigw.providers.anthropic.AnthropicProvider;
import dev.aigw.providers.openai.OpenAiProvider;
import dev.aigw.providers.pool.InferencePool;
import dev.aigw.providers.pool.Pickers;
import dev.aigw.testkit.sim.SimulatedInferenceServer;
import dev.aigw.testkit.sim.SimulatedServerStats;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The demo behind the README's first command: one gateway with every policy on, in front of a
 * simulated self-hosted pool and two simulated clouds, serving a few hundred calls of four
 * tenants, with a summary of what each policy did. No keys, no network: everything listens on
 * loopback in this JVM.
 *
 * <ul>
 *   <li><b>Self-hosted pool</b> {@code pool}: four vLLM-like replicas ({@link
 *       SimulatedInferenceServer}: batching, a prefix cache, {@code /metrics}) behind an {@link
 *       InferencePool} that picks replicas by load and prompt-prefix affinity.
 *   <li><b>Clouds</b>: {@code openai}, a server speaking OpenAI's API that answers 25 % of
 *       requests with 503, and {@code anthropic}, one speaking Anthropic's Messages API. The
 *       gateway reaches all three through the real HTTP clients ({@link OpenAiProvider}, {@link
 *       AnthropicProvider}).
 *   <li><b>Routes</b>: {@code chat} falls back from {@code openai/gpt-4o-mini} to {@code
 *       anthropic/claude-3-5-haiku-latest}, {@code support} the other way round; {@code assist} is
 *       cost-aware ({@link Route#cheapestCapable}) over the pool (priced from a GPU-hour price) and
 *       both clouds.
 *   <li><b>Policies</b>: PII masking with restore and prompt-injection blocking, an exact response
 *       cache, a daily token and cost budget per tenant, a per-user rate limit, and a trial budget
 *       that runs out for the tenant {@code initech} about halfway.
 * </ul>
 *
 * <p>Flags (arguments, or system properties with Maven's {@code -D}):
 *
 * <ul>
 *   <li>{@code --calls=N} / {@code -Daigw.demo.calls=N}: the workload size (default {@value
 *       #DEFAULT_CALLS}).
 *   <li>{@code --spans} / {@code -Daigw.demo.spans}: also print OpenTelemetry spans, one trace of
 *       each distinct shape (a fallback, a cache hit, a blocked call, ...).
 *   <li>{@code --real} / {@code -Daigw.demo.real}: call the real OpenAI and Anthropic APIs for
 *       whichever of {@code OPENAI_API_KEY} and {@code ANTHROPIC_API_KEY} is set (this spends
 *       money: a few US cents for the default workload). Without the flag the keys are ignored.
 * </ul>
 *
 * <pre>{@code
 * ./mvnw -q -pl aigw-examples -am -Pdemo -Dmaven.test.skip package
 * ./mvnw -q -pl aigw-examples -am -Pdemo -Dmaven.test.skip -Daigw.demo.calls=1000 -Daigw.demo.spans package
 * }</pre>
 */
public final class Demo {
  /** The workload size without {@code --calls}. */
  public static final int DEFAULT_CALLS = 300;

  static final String POOL_MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  static final String OPENAI = "openai/gpt-4o-mini";
  static final String ANTHROPIC = "anthropic/claude-3-5-haiku-latest";
  static final String POOL = "pool/" + POOL_MODEL;
  private static final int REPLICAS = 4;
  private static final int WORKERS = 8;
  /** The simulated pool and OpenAI server run this many times faster than real time. */
  private static final double TIME_SCALE = 10;

  private Demo() {}

  /**
   * What to run.
   *
   * @param calls the number of calls in the workload
   * @param spans whether to print spans after the summary
   * @param real whether to use real cloud providers for the API keys that are set
   * @param seed the workload's seed
   */
  public record Options(int calls, boolean spans, boolean real, long seed) {
    /** @throws IllegalArgumentException when {@code calls} is not positive */
    public Options {
      if (calls < 1) {
        throw new IllegalArgumentException("calls must be at least 1, was " + calls);
      }
    }

    /** The defaults: {@value #DEFAULT_CALLS} calls, no spans, simulated clouds. */
    public static Options defaults() {
      return new Options(DEFAULT_CALLS, false, false, 2026);
    }

    /** Options from {@code --calls=N}, {@code --spans} and {@code --real}, else the {@code aigw.demo.*} system properties. */
    public static Options parse(String... args) {
      int calls = Integer.getInteger("aigw.demo.calls", DEFAULT_CALLS);
      boolean spans = flag("aigw.demo.spans");
      boolean real = flag("aigw.demo.real");
      for (String arg : args) {
        if (arg.startsWith("--calls=")) {
          try {
            calls = Integer.parseInt(arg.substring("--calls=".length()));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--calls takes a whole number, got '" + arg + "'", e);
          }
        } else if (arg.equals("--spans")) {
          spans = true;
        } else if (arg.equals("--real")) {
          real = true;
        } else {
          throw new IllegalArgumentException("unknown argument '" + arg + "'; the demo takes --calls=N, --spans and --real");
        }
      }
      return new Options(calls, spans, real, 2026);
    }

    /** A property set without a value ({@code -Daigw.demo.spans}) counts as true. */
    private static boolean flag(String property) {
      String value = System.getProperty(property);
      return value != null && (value.isEmpty() || Boolean.parseBoolean(value));
    }
  }

  /**
   * What the demo measured, as printed in its summary.
   *
   * @param tenants per tenant, by name
   * @param targets per target the gateway tried, by {@code provider/model}
   * @param replicas per pool replica, in order
   * @param guardrailActions guardrail actions by {@code "guardrail direction action"}, for example
   *     {@code "pii input MASK"}
   * @param restoredAnswers answers in which masked personal data came back to the caller
   * @param trialBudgetLeft what was left of initech's trial budget at the end, in tokens
   * @param elapsed how long the workload took
   */
  public record Report(
      Map<String, TenantSummary> tenants, Map<String, TargetSummary> targets, List<SimulatedServerStats> replicas,
      Map<String, Long> guardrailActions, long restoredAnswers, BigDecimal trialBudgetLeft, Duration elapsed) {}

  /**
   * One tenant's calls.
   *
   * @param calls calls made
   * @param ok calls answered, from a provider or the cache
   * @param cacheHits calls answered from the cache
   * @param blocked calls a guardrail blocked
   * @param overBudget calls a budget rejected
   * @param failed calls that failed otherwise
   * @param inputTokens input tokens providers reported
   * @param outputTokens output tokens providers reported
   * @param cost money spent
   * @param saved money the cache saved
   */
  public record TenantSummary(int calls, int ok, int cacheHits, int blocked, int overBudget, int failed,
      long inputTokens, long outputTokens, BigDecimal cost, BigDecimal saved) {}

  /**
   * One target's attempts.
   *
   * @param attempts attempts the gateway made against it
   * @param answered calls it answered
   * @param failures attempts that failed
   * @param fallbacks calls that moved on from it to the next candidate
   * @param latencyMillis the answering attempts' latencies, sorted
   * @param ttftMillis the answered streams' times to first token (whole call), sorted
   */
  public record TargetSummary(long attempts, long answered, long failures, long fallbacks, List<Long> latencyMillis,
      List<Long> ttftMillis) {}

  /** Runs the demo with the flags in {@code args} (see the class comment) and prints to standard output. */
  public static void main(String[] args) {
    run(System.out, Options.parse(args));
  }

  /** Runs the demo, printing to {@code out}. */
  public static Report run(PrintStream out, Options options) {
    if (!options.spans()) {
      return runWith(out, options, null);
    }
    try (ConsoleSpans console = ConsoleSpans.start(out)) {
      return runWith(out, options, console);
    }
  }

  private static Report runWith(PrintStream out, Options options, @Nullable ConsoleSpans spans) {
    List<Job> jobs = Workload.generate(options.calls(), options.seed());
    List<SimulatedInferenceServer> replicas = new ArrayList<>();
    try (SimulatedInferenceServer openAiSim = SimulatedInferenceServer.builder().name("openai").model("gpt-4o-mini")
            .timeScale(TIME_SCALE).requestOverhead(Duration.ofMillis(250)).interTokenLatency(Duration.ofMillis(12))
            .errorRate(0.25, 503).seed(options.seed()).start();
        AnthropicSimulator anthropicSim = AnthropicSimulator.start(Duration.ofMillis(45), Duration.ofMillis(3))) {
      for (int i = 0; i < REPLICAS; i++) {
        replicas.add(SimulatedInferenceServer.builder().name("replica-" + (i + 1)).model(POOL_MODEL).timeScale(TIME_SCALE)
            .kvCacheBlocks(1024).maxModelLen(8192).seed(42 + i).start());
      }
      Clouds clouds = Clouds.choose(options.real(), openAiSim, anthropicSim);
      try (InferencePool pool = InferencePool.builder().id("pool").providerName("vllm")
          .replicas(replicas.stream().map(SimulatedInferenceServer::baseUrl).toArray(String[]::new))
          .models(POOL_MODEL)
          .picker(Pickers.prefixAffinity())
          .metrics("/metrics", Duration.ofMillis(100), Duration.ofSeconds(1))
          .build()) {
        return serve(out, options, jobs, pool, clouds, replicas, spans);
      }
    } finally {
      replicas.forEach(SimulatedInferenceServer::close);
    }
  }

  /** The two cloud providers: simulated, or real where asked for and a key is set. */
  private record Clouds(ChatProvider openAi, ChatProvider anthropic, String description) {
    static Clouds choose(boolean real, SimulatedInferenceServer openAiSim, AnthropicSimulator anthropicSim) {
      boolean realOpenAi = real && hasKey("OPENAI_API_KEY");
      boolean realAnthropic = real && hasKey("ANTHROPIC_API_KEY");
      ChatProvider openAi = realOpenAi ? OpenAiProvider.fromEnv()
          : OpenAiProvider.compatible(openAiSim.openAiBaseUrl()).id("openai").providerName("openai").build();
      ChatProvider anthropic = realAnthropic ? AnthropicProvider.fromEnv()
          : AnthropicProvider.builder().baseUrl(anthropicSim.baseUrl()).apiKey("simulated").build();
      String description = "clouds: openai " + (realOpenAi ? "REAL (OPENAI_API_KEY)" : "simulated, 25 % of requests fail with 503 (no retries: straight to the fallback)")
          + ", anthropic " + (realAnthropic ? "REAL (ANTHROPIC_API_KEY)" : "simulated");
      if (!real && (hasKey("OPENAI_API_KEY") || hasKey("ANTHROPIC_API_KEY"))) {
        description += "  (API keys found but ignored: add -Daigw.demo.real to call the real APIs)";
      }
      return new Clouds(openAi, anthropic, description);
    }

    private static boolean hasKey(String env) {
      String value = System.getenv(env);
      return value != null && !value.isBlank();
    }
  }

  private static Report serve(PrintStream out, Options options, List<Job> jobs, InferencePool pool, Clouds clouds,
      List<SimulatedInferenceServer> replicas, @Nullable ConsoleSpans spans) {
    long trialTokens = Workload.trialTokens(jobs);
    Scoreboard board = new Scoreboard();
    AiGateway.Builder builder = AiGateway.builder()
        .provider(pool)
        .provider(clouds.openAi())
        .provider(clouds.anthropic())
        .catalog(ModelCatalog.defaults().toBuilder()
            // a self-hosted model costs what its GPUs cost: $1.20 an hour at 10k input, 1.5k output tokens/s
            .model(ModelInfo.builder("pool", POOL_MODEL).contextWindow(8192).maxOutputTokens(2048)
                .prices(Prices.fromGpuHour(Cost.usd("1.20"), 10_000, 1_500)).build())
            .build())
        .route("chat", Route.fallback(OPENAI, ANTHROPIC))
        .route("support", Route.fallback(ANTHROPIC, OPENAI))
        .route("assist", Route.cheapestCapable(POOL, OPENAI, ANTHROPIC))
        // no retries on openai: a 503 moves on to the next candidate at once
        .resilience("openai", Resilience.custom().maxAttempts(1).build())
        .guardrail(PiiGuardrail.defaults())
        .guardrail(PromptInjectionGuardrail.defaults())
        .cache(ResponseCache.builder().ttl(Duration.ofHours(1)).build())
        .budget(Budget.perTenant().named("tenant-daily").tokensPerDay(2_000_000).costPerDay(Cost.usd("20")))
        .budget(Budget.perUser().named("user-rate").requestsPerMinute(600))
        .budget(Budget.perKey("initech-trial", (request, context) -> context.tenant().filter("initech"::equals).orElse(null))
            .tokensPerDay(trialTokens))
        .listener(board);
    if (spans != null) {
      builder.listenerFactory(spans.telemetry());
    }

    out.printf(Locale.ROOT, "aigw demo: %d calls from %d tenants, %d at a time%n", jobs.size(), Workload.TENANTS.size(), WORKERS);
    out.printf(Locale.ROOT, "  pool: %d simulated vLLM replicas of %s, prefix-affinity picking (time %.0fx faster than real)%n",
        REPLICAS, POOL_MODEL, TIME_SCALE);
    out.println("  " + clouds.description());
    out.println("  routes: chat = " + OPENAI + " -> " + ANTHROPIC + "; support = the reverse;"
        + " assist = the cheapest capable of pool, openai, anthropic");
    out.println("  policies: PII masking, prompt-injection blocking, exact cache, per-tenant and per-user budgets,"
        + " initech trial of " + trialTokens + " tokens");
    out.println();

    long start = System.nanoTime();
    BigDecimal trialLeft;
    try (AiGateway gateway = builder.build()) {
      Runner runner = new Runner(gateway, board, jobs.size(), out);
      ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
        Thread t = new Thread(r, "demo-worker");
        t.setDaemon(true);
        return t;
      });
      AtomicInteger next = new AtomicInteger();
      for (int w = 0; w < WORKERS; w++) {
        workers.execute(() -> {
          for (int i = next.getAndIncrement(); i < jobs.size(); i = next.getAndIncrement()) {
            runner.run(jobs.get(i));
          }
        });
      }
      workers.shutdown();
      awaitTermination(workers);
      trialLeft = gateway.budgetUsage("initech-trial", "initech").stream()
          .map(BudgetUsage::remaining).findFirst().orElse(BigDecimal.valueOf(trialTokens));
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      Report report = new Report(board.tenantSummaries(), board.targetSummaries(),
          replicas.stream().map(SimulatedInferenceServer::stats).toList(), board.guardrailActions(), board.restoredAnswers(),
          trialLeft, elapsed);
      out.println();
      printSummary(out, report, board, gateway, trialTokens);
      return report;
    }
  }

  private static void awaitTermination(ExecutorService workers) {
    try {
      if (!workers.awaitTermination(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the demo's workload did not finish within 5 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the workload ran", e);
    }
  }

  /** Sends jobs through the gateway, records them, and prints progress and the first time each policy acts. */
  private static final class Runner {
    private final AiGateway gateway;
    private final Scoreboard board;
    private final int total;
    private final PrintStream out;
    private final AtomicInteger done = new AtomicInteger();
    private final Map<Status, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger fallbacks = new AtomicInteger();
    private final Set<String> shown = ConcurrentHashMap.newKeySet();
    private final long start = System.nanoTime();

    Runner(AiGateway gateway, Scoreboard board, int total, PrintStream out) {
      this.gateway = gateway;
      this.board = board;
      this.total = total;
      this.out = out;
    }

    void run(Job job) {
      ResponseMetadata meta = null;
      Usage usage = null;
      AiGatewayException error = null;
      StringBuilder answer = new StringBuilder();
      try {
        if (job.stream()) {
          try (ChatStream stream = gateway.stream(job.request(), job.context())) {
            for (ChatChunk chunk : stream) {
              answer.append(chunk.text());
              usage = chunk.usage().orElse(usage);
            }
            meta = stream.metadata();
          }
        } else {
          ChatResponse response = gateway.chat(job.request(), job.context());
          answer.append(response.text());
          usage = response.usage().orElse(null);
          meta = response.metadata();
        }
      } catch (AiGatewayException e) {
        error = e;
      }
      Status status = board.record(job.tenant(), meta, usage, error, answer.toString(), job.kind() == Kind.SUPPORT);
      counts.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      boolean fellBack = meta != null && fellBack(meta);
      if (fellBack) {
        fallbacks.incrementAndGet();
      }
      highlight(job, status, meta, error, answer.toString(), fellBack);
      progress(done.incrementAndGet());
    }

    private static boolean fellBack(ResponseMetadata meta) {
      return meta.attempts().stream().anyMatch(a -> !meta.target().map(a.target()::equals).orElse(true));
    }

    /** Prints the first call of each kind of event, so the reader sees each policy act once. */
    private void highlight(Job job, Status status, @Nullable ResponseMetadata meta, @Nullable AiGatewayException error,
        String answer, boolean fellBack) {
      String prefix = String.format(Locale.ROOT, "  #%-4d %-8s ", job.number(), job.tenant());
      if (fellBack && shown.add("fallback")) {
        Target first = meta.attempts().get(0).target();
        String why = meta.attempts().get(0).errorType().map(t -> t.substring(t.lastIndexOf('.') + 1)).orElse("failure");
        print(prefix + "fallback: " + first + " failed (" + why + "), " + meta.target().orElseThrow()
            + " answered after " + meta.attempts().size() + " attempts");
      }
      if (status == Status.CACHE_HIT && shown.add("cache")) {
        print(prefix + "cache hit: \"" + job.request().lastUserText() + "\" answered without a provider call, saved "
            + meta.savedCost().map(Demo::money).orElse("-"));
      }
      if (status == Status.OK && job.kind() == Kind.ASSISTANT && meta.target().map(t -> t.toString().equals(POOL)).orElse(false)
          && shown.add("cost")) {
        print(prefix + "cost-aware: route 'assist' chose the self-hosted pool, the cheapest capable target ("
            + meta.cost().map(Demo::money).orElse("-") + " for this call)");
      }
      if (status == Status.OK && job.kind() == Kind.SUPPORT && !meta.guardrailFindings().isEmpty() && shown.add("pii")) {
        String types = meta.guardrailFindings().stream().map(f -> f.type()).distinct().collect(Collectors.joining(", "));
        print(prefix + "PII: masked " + types + " before the provider; the caller got the values back: \""
            + shorten(answer, 90) + "\"");
      }
      if (status == Status.BLOCKED && shown.add("blocked")) {
        print(prefix + "blocked before any provider call: " + error.getMessage());
      }
      if (status == Status.OVER_BUDGET && shown.add("budget")) {
        print(prefix + "budget: " + error.getMessage());
      }
    }

    private void progress(int n) {
      int step = Math.max(1, total / 10);
      if (n % step != 0 && n != total) {
        return;
      }
      print(String.format(Locale.ROOT, "  [%4d/%d] %3d%%  ok %d · cache hits %d · fallbacks %d · blocked %d · over budget %d · failed %d  (%.1f s)",
          n, total, n * 100 / total, count(Status.OK) + count(Status.CACHE_HIT), count(Status.CACHE_HIT), fallbacks.get(),
          count(Status.BLOCKED), count(Status.OVER_BUDGET), count(Status.FAILED), (System.nanoTime() - start) / 1e9));
    }

    private int count(Status status) {
      AtomicInteger c = counts.get(status);
      return c == null ? 0 : c.get();
    }

    private synchronized void print(String line) {
      out.println(line);
    }
  }

  private static void printSummary(PrintStream out, Report report, Scoreboard board, AiGateway gateway, long trialTokens) {
    out.printf(Locale.ROOT, "done: %d calls in %.1f s%n%n", report.tenants().values().stream().mapToInt(TenantSummary::calls).sum(),
        report.elapsed().toMillis() / 1000.0);

    Table tenants = new Table("tenant", "calls", "ok", "cache hits", "blocked", "over budget", "failed", "tokens in/out",
        "cost", "saved by cache", "budget left");
    report.tenants().forEach((name, t) -> tenants.row(name, t.calls(), t.ok(), t.cacheHits(), t.blocked(), t.overBudget(),
        t.failed(), t.inputTokens() + "/" + t.outputTokens(), money(t.cost()), money(t.saved()),
        budgetLeft(gateway, name, trialTokens)));
    tenants.print(out, "per tenant");

    Table targets = new Table("target", "attempts", "answered", "failed", "fell back", "p50 latency", "p99 latency",
        "p50 ttft", "p99 ttft");
    report.targets().forEach((name, t) -> targets.row(name, t.attempts(), t.answered(), t.failures(), t.fallbacks(),
        ms(percentile(t.latencyMillis(), 0.5)), ms(percentile(t.latencyMillis(), 0.99)),
        ms(percentile(t.ttftMillis(), 0.5)), ms(percentile(t.ttftMillis(), 0.99))));
    targets.print(out, "per target (latency: the answering attempt; time to first token: the whole call as the caller"
        + " saw it, retries and fallbacks included, streams only)");

    Table replicas = new Table("replica", "requests", "failed", "prompt tokens", "prefix-cache hit rate");
    for (int i = 0; i < report.replicas().size(); i++) {
      SimulatedServerStats s = report.replicas().get(i);
      replicas.row("replica-" + (i + 1), s.requestsServed(), s.requestsFailed(), s.promptTokens(),
          String.format(Locale.ROOT, "%.0f %%", 100 * s.prefixCacheHitRate()));
    }
    replicas.print(out, "per pool replica (prefix affinity keeps each system prompt's KV cache on few replicas)");

    Table guardrails = new Table("guardrail", "direction", "action", "calls");
    report.guardrailActions().forEach((key, n) -> {
      String[] parts = key.split(" ");
      guardrails.row(parts[0], parts[1], parts[2], n);
    });
    guardrails.print(out, "guardrails");
    out.println("  findings: " + board.findingTypes().entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    out.println("  answers with masked personal data restored for the caller: " + report.restoredAnswers()
        + " (the providers saw only placeholders such as <EMAIL_1>)");
    out.println();
    out.println("next: -Daigw.demo.spans prints the OpenTelemetry traces, -Daigw.demo.calls=N sizes the workload;"
        + " docs/ explains each policy, aigw-examples holds small examples of each");
  }

  private static String budgetLeft(AiGateway gateway, String tenant, long trialTokens) {
    Map<String, BudgetUsage> byMeasure = new LinkedHashMap<>();
    for (BudgetUsage u : gateway.budgetUsage("tenant-daily", tenant)) {
      byMeasure.put(u.measure(), u);
    }
    List<String> parts = new ArrayList<>();
    BudgetUsage tokens = byMeasure.get("total_tokens");
    if (tokens != null) {
      parts.add(String.format(Locale.ROOT, "%.1f %% of daily tokens", 100 - 100 * tokens.fraction()));
    }
    if (tenant.equals("initech")) {
      for (BudgetUsage u : gateway.budgetUsage("initech-trial", tenant)) {
        parts.add("trial " + u.remaining().toPlainString() + " of " + trialTokens + " tokens");
      }
    }
    return String.join("; ", parts);
  }

  /** The {@code p}-th percentile (0 to 1) of sorted {@code values}, or -1 when there are none. */
  private static long percentile(List<Long> sorted, double p) {
    return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  static String money(Cost cost) {
    return money(cost.amount());
  }

  static String money(BigDecimal amount) {
    return "$" + amount.setScale(6, RoundingMode.HALF_UP).toPlainString();
  }

  private static String ms(long millis) {
    return millis < 0 ? "-" : millis + " ms";
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** A plain-text table with right-aligned numbers, printed under a title. */
  private static final class Table {
    private static final Pattern NUMBER = Pattern.compile("\\$?[\\d.,/]+( ms| %)?");
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
      this.header = Arrays.asList(header);
    }

    void row(Object... cells) {
      rows.add(Arrays.stream(cells).map(String::valueOf).toList());
    }

    void print(PrintStream out, String title) {
      int[] widths = new int[header.size()];
      for (List<String> row : concat()) {
        for (int i = 0; i < row.size(); i++) {
          widths[i] = Math.max(widths[i], row.get(i).length());
        }
      }
      out.println(title);
      Function<List<String>, String> line = row -> {
        StringBuilder s = new StringBuilder(" ");
        for (int i = 0; i < row.size(); i++) {
          String cell = row.get(i);
          boolean number = i > 0 && NUMBER.matcher(cell).matches();
          s.append("  ").append(number ? " ".repeat(widths[i] - cell.length()) + cell : cell + " ".repeat(widths[i] - cell.length()));
        }
        return s.toString().stripTrailing();
      };
      out.println(line.apply(header));
      for (List<String> row : rows) {
        out.println(line.apply(row));
      }
      out.println();
    }

    private List<List<String>> concat() {
      List<List<String>> all = new ArrayList<>(rows);
      all.add(header);
      return all;
    }
  }
}
