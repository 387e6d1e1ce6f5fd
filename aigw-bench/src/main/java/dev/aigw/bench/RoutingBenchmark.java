package dev.aigw.bench;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.Cost;
import dev.aigw.core.AiGateway;
import dev.aigw.core.catalog.ModelCatalog;
import dev.aigw.core.catalog.ModelInfo;
import dev.aigw.core.pricing.Prices;
import dev.aigw.core.routing.Route;
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
 * The cost of a routing decision: one blocking call through the gateway to an in-process {@link
 * ConstantProvider}, per route policy. {@code direct} (a {@code "provider/model"} call, one
 * candidate) is the baseline measured in the same run; a policy's routing cost is its score minus
 * the baseline's. Every target is priced in the catalog, so each call is also priced.
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * java -jar aigw-bench/target/benchmarks.jar RoutingBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class RoutingBenchmark {

  /** The route policy the call takes. */
  @Param({"direct", "fallback3", "weighted", "leastBusy", "lowestLatency", "cheapestCapable", "conditional"})
  String policy;

  private AiGateway gateway;
  private ChatRequest request;
  private CallContext context;

  @Setup(Level.Trial)
  public void setUp() {
    String a = ConstantProvider.ID + "/model-a";
    String b = ConstantProvider.ID + "/model-b";
    String c = ConstantProvider.ID + "/model-c";
    ModelCatalog.Builder catalog = ModelCatalog.builder();
    String[][] models = {{"model-a", "0.15", "0.60"}, {"model-b", "2.50", "10"}, {"model-c", "1", "4"}};
    for (String[] m : models) {
      catalog.model(ModelInfo.builder(ConstantProvider.ID, m[0]).contextWindow(128_000).maxOutputTokens(16_000)
          .prices(Prices.perMillionTokens(m[1], m[2])).build());
    }
    Route route = switch (policy) {
      case "direct", "fallback3" -> Route.fallback(a, b, c);
      case "weighted" -> Route.weighted().arm(80, a).arm(15, b).arm(5, c).build();
      case "leastBusy" -> Route.leastBusy(a, b, c);
      case "lowestLatency" -> Route.lowestLatency(a, b, c);
      case "cheapestCapable" -> Route.cheapestCapable(b, c, a).withMaxCostPerCall(Cost.usd("0.01"));
      case "conditional" -> Route.conditional().whenTenant("other", Route.target(b)).whenTag("beta", Route.target(c))
          .otherwise(Route.fallback(a, b)).build();
      default -> throw new IllegalArgumentException(policy);
    };
    gateway = AiGateway.builder().provider(new ConstantProvider()).catalog(catalog.build()).route("chat", route).build();
    request = ChatRequest.builder().model(policy.equals("direct") ? a : "chat")
        .user("What is the capital of France?").maxOutputTokens(256).build();
    context = CallContext.tenant("acme");
    ChatResponse check = gateway.chat(request, context);
    if (check.metadata().cost().isEmpty() || check.metadata().attempts().size() != 1) {
      throw new IllegalStateException("the call was not priced or took more than one attempt: " + check.metadata());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
  }

  /** One blocking call, routed by {@link #policy}. */
  @Benchmark
  public ChatResponse chat() {
    return gateway.chat(request, context);
  }
}
