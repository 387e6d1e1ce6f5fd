package dev.aigw.bench;

import dev.aigw.api.BudgetUsage;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.Cost;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.catalog.ModelCatalog;
import dev.aigw.core.catalog.ModelInfo;
import dev.aigw.core.pricing.Prices;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What budgets add to a whole gateway call: one blocking {@code gateway.chat(request, context)}
 * to the in-process {@link ConstantProvider} (a prebuilt answer with reported usage of 12 input
 * and 8 output tokens), with no budget (the baseline, measured in the same run), a rate limit, or
 * a token and a cost budget. Every limit is far too large to be reached, so every call is
 * admitted: this is the cost of reserving and reconciling, not of denying. A denied call would
 * throw {@code BudgetExceededException} and end the run with an error, so a finished run measured
 * only admitted calls.
 *
 * <p>JMH cannot make the thread count a parameter; run once per count to see contention on the
 * budget store:
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * for t in 1 4 16 64; do java -jar aigw-bench/target/benchmarks.jar BudgetGatewayBenchmark -t $t; done
 * </pre>
 *
 * <p>The gateway uses the system clock, as in production: the token and cost windows roll over
 * only at UTC day and month boundaries, the rate limit's rolling minute rolls by the second.
 *
 * <p>The provider is {@code ConstantProvider} rather than the testkit's {@code FakeChatProvider}:
 * the fake records every request under a lock, and the records it keeps make every young
 * collection copy them (measured without budgets: 3.5 µs per call and up to a third of the time
 * in GC, against 0.56 µs with this provider), which would drown what budgets cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class BudgetGatewayBenchmark {
  /** A limit no run can reach, with room left so that adding a reservation cannot overflow. */
  private static final long HUGE = Long.MAX_VALUE / 2;
  /** About {@code HUGE} nano-dollars, the most a cost limit can hold with that room. */
  private static final Cost HUGE_COST = Cost.usd("4000000000");
  /** The number of tenants {@code spread} draws from; a power of two. */
  private static final int TENANTS = 1_024;

  /**
   * The budgets of the gateway:
   *
   * <ul>
   *   <li>{@code none}: no budget, the baseline;
   *   <li>{@code rate}: {@code Budget.perTenant().requestsPerMinute(HUGE)}, one request counter
   *       per tenant in a rolling minute (no token counting, no pricing);
   *   <li>{@code tokensAndCost}: {@code Budget.perTenant().tokensPerDay(HUGE)} and {@code
   *       Budget.global().costPerMonth(HUGE)}, two counters per call; the prompt is tokenized to
   *       estimate the reservation, which is priced by the catalog and then reconciled to the
   *       reply's reported usage and cost.
   * </ul>
   */
  @Param({"none", "rate", "tokensAndCost"})
  String scenario;

  /**
   * Which tenant a call is for: {@code hot}, always the same one (every thread on the same
   * counters); {@code spread}, one of 1,024 drawn at random per call.
   */
  @Param({"hot", "spread"})
  String keys;

  private AiGateway gateway;
  private ChatRequest shortRequest;
  private ChatRequest longRequest;
  private CallContext[] contexts;
  /** 0 for {@code hot}, {@code TENANTS - 1} for {@code spread}: both draw a random number. */
  private int tenantMask;

  @Setup(Level.Trial)
  public void setUp() {
    ModelCatalog catalog = ModelCatalog.builder()
        .model(ModelInfo.builder(ConstantProvider.ID, "model-a").contextWindow(128_000)
            .prices(Prices.perMillionTokens("1", "2")).build())
        .build();
    AiGateway.Builder builder = AiGateway.builder().provider(new ConstantProvider()).catalog(catalog);
    switch (scenario) {
      case "none" -> { }
      case "rate" -> builder.budget(Budget.perTenant().requestsPerMinute(HUGE));
      case "tokensAndCost" -> builder
          .budget(Budget.perTenant().tokensPerDay(HUGE))
          .budget(Budget.global().costPerMonth(HUGE_COST));
      default -> throw new IllegalArgumentException(scenario);
    }
    gateway = builder.build();
    shortRequest = request(200);
    longRequest = request(2_000);
    contexts = new CallContext[TENANTS];
    for (int i = 0; i < TENANTS; i++) {
      contexts[i] = CallContext.tenant("t" + i);
    }
    tenantMask = switch (keys) {
      case "hot" -> 0;
      case "spread" -> TENANTS - 1;
      default -> throw new IllegalArgumentException(keys);
    };
    check();
  }

  /** A request for the constant provider's model with a user prompt of {@code chars} ASCII characters. */
  private static ChatRequest request(int chars) {
    String sentence = "Summarise the quarterly report for the board and list the three largest risks. ";
    String prompt = sentence.repeat(chars / sentence.length() + 1).substring(0, chars);
    return ChatRequest.builder().model(ConstantProvider.ID + "/model-a").user(prompt).maxOutputTokens(256).build();
  }

  /**
   * Fails the trial if a call does not take the path meant: answered, priced and, with budgets,
   * charged exactly what the provider reported.
   */
  private void check() {
    CallContext context = CallContext.tenant("check");
    ChatResponse response = gateway.chat(shortRequest, context);
    Cost cost = response.metadata().cost().orElseThrow(() -> new IllegalStateException("the call was not priced"));
    Usage usage = response.usage().orElseThrow(() -> new IllegalStateException("no usage reported"));
    if (!response.text().equals("The capital of France is Paris.") || usage.totalTokens() != 20) {
      throw new IllegalStateException("unexpected response: " + response);
    }
    switch (scenario) {
      case "rate" -> expectUsed(gateway.budgetUsage("tenant", "check"), BigDecimal.ONE);
      case "tokensAndCost" -> {
        expectUsed(gateway.budgetUsage("tenant", "check"), BigDecimal.valueOf(usage.totalTokens()));
        expectUsed(gateway.budgetUsage("global"), cost.amount());
      }
      default -> { }
    }
  }

  private static void expectUsed(List<BudgetUsage> usage, BigDecimal used) {
    if (usage.size() != 1 || usage.get(0).used().compareTo(used) != 0) {
      throw new IllegalStateException("expected " + used + " used after one call, got " + usage);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
  }

  private CallContext context() {
    return contexts[ThreadLocalRandom.current().nextInt() & tenantMask];
  }

  /** One blocking call with a 200-character prompt and 256 max output tokens. */
  @Benchmark
  public ChatResponse chat() {
    return gateway.chat(shortRequest, context());
  }

  /** As {@link #chat()} with a 2,000-character prompt: token counting grows with the prompt. */
  @Benchmark
  public ChatResponse chatLongPrompt() {
    return gateway.chat(longRequest, context());
  }
}
