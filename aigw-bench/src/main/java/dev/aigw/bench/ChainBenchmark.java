package dev.aigw.bench;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.core.AiGateway;
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
 * The cost of one call through {@link AiGateway}: the application interceptor chain, the router,
 * one attempt and the gateway's bookkeeping, over an in-process {@link ConstantProvider} that
 * returns prebuilt answers, so that what is measured is the gateway.
 *
 * <p>Build and run from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * java -jar aigw-bench/target/benchmarks.jar ChainBenchmark -prof gc
 * </pre>
 *
 * <p>The defaults below (1 fork, 3 × 1 s warm-up, 5 × 1 s measurement) can be overridden on the
 * command line, for example {@code -f 3 -wi 5 -i 10}, and one chain length chosen with {@code -p
 * interceptors=10}.
 *
 * <ul>
 *   <li>{@link #chat()} and {@link #stream()} go through the gateway with {@code interceptors}
 *       no-op application interceptors, to the route {@code "chat" -> const/model-a}.
 *   <li>{@link #providerDirect()} and {@link #providerDirectStream()} call the constant provider
 *       without the gateway: baselines measured in the same run, so gateway figures can be given
 *       as differences and ratios that do not depend on the machine. They do not use {@code
 *       interceptors} and so are repeated once per value; the spread of those repeats is a fair
 *       estimate of run-to-run noise.
 * </ul>
 *
 * <p>Per-interceptor cost is {@code (score at 10 - score at 0) / 10}, for time and for {@code
 * gc.alloc.rate.norm} (bytes per call); see {@code aigw-bench/README.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class ChainBenchmark {

  /** The number of no-op application interceptors in the chain. */
  @Param({"0", "5", "10"})
  int interceptors;

  private AiGateway gateway;
  private ConstantProvider provider;
  private ChatRequest request;
  private ChatRequest providerRequest;
  private CallContext context;

  @Setup(Level.Trial)
  public void setUp() {
    provider = new ConstantProvider();
    AiGateway.Builder builder = AiGateway.builder()
        .provider(provider)
        .route("chat", Route.fallback(ConstantProvider.ID + "/model-a"));
    for (int i = 0; i < interceptors; i++) {
      builder.interceptor(new NoopInterceptor());
    }
    gateway = builder.build();
    request = ChatRequest.of("chat", "What is the capital of France?");
    // What the provider receives from the gateway: the same request addressed to its own model.
    providerRequest = request.toBuilder().model("model-a").build();
    context = CallContext.empty();
    check();
  }

  /** Fails the trial early if a call does not take the path the benchmark means to measure. */
  private void check() {
    ChatResponse response = chat();
    if (!response.text().equals("The capital of France is Paris.")
        || !response.metadata().target().map(t -> t.provider().equals(ConstantProvider.ID)).orElse(false)) {
      throw new IllegalStateException("unexpected response through the gateway: " + response);
    }
    int expected = "The capital of France is Paris.".length();
    if (stream() != expected || providerDirectStream() != expected) {
      throw new IllegalStateException("a stream did not deliver every chunk");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
  }

  /** One blocking call through the gateway. */
  @Benchmark
  public ChatResponse chat() {
    return gateway.chat(request, context);
  }

  /** One streaming call through the gateway, consuming every chunk and closing the stream. */
  @Benchmark
  public int stream() {
    int chars = 0;
    try (ChatStream stream = gateway.stream(request, context)) {
      for (ChatChunk chunk : stream) {
        chars += chunk.text().length();
      }
    }
    return chars;
  }

  /** Baseline: the constant provider's blocking call, without the gateway. */
  @Benchmark
  public ChatResponse providerDirect() {
    return provider.chat(providerRequest, context);
  }

  /** Baseline: the constant provider's stream, consumed and closed as {@link #stream()} does, without the gateway. */
  @Benchmark
  public int providerDirectStream() {
    int chars = 0;
    try (ChatStream stream = provider.stream(providerRequest, context)) {
      for (ChatChunk chunk : stream) {
        chars += chunk.text().length();
      }
    }
    return chars;
  }
}
