package dev.aigw.bench;

import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.core.AiGateway;
import dev.aigw.core.cache.CacheKeys;
import dev.aigw.core.cache.ResponseCache;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * An exact cache hit through the whole gateway (interceptor chain, key, store lookup, metadata)
 * for a request of {@code size} characters, against the cost of the key alone and a call that
 * bypasses the cache to the in-process {@link ConstantProvider}, all in the same run.
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * java -jar aigw-bench/target/benchmarks.jar CacheHitBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class CacheHitBenchmark {

  /** Characters of user text in the request. */
  @Param({"200", "2000"})
  int size;

  private AiGateway gateway;
  private ChatRequest request;
  private CallContext context;
  private CallContext bypass;

  @Setup(Level.Trial)
  public void setUp() {
    gateway = AiGateway.builder().provider(new ConstantProvider())
        .cache(ResponseCache.builder().build()).build();
    StringBuilder text = new StringBuilder();
    while (text.length() < size) {
      text.append("Summarise the quarterly report and list three risks. ");
    }
    request = ChatRequest.builder().model(ConstantProvider.ID + "/model-a").system("You are a careful analyst.")
        .user(text.substring(0, size)).build();
    context = CallContext.tenant("acme");
    bypass = CallContext.builder().tenant("acme").cachePolicy(dev.aigw.api.CachePolicy.BYPASS).build();
    gateway.chat(request, context);
    if (gateway.chat(request, context).metadata().cacheStatus() != CacheStatus.HIT) {
      throw new IllegalStateException("the second call did not hit the cache");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
  }

  /** A blocking exact hit. */
  @Benchmark
  public ChatResponse hit() {
    return gateway.chat(request, context);
  }

  /** A streaming exact hit, replayed to the end. */
  @Benchmark
  public void streamHit(Blackhole bh) {
    try (ChatStream stream = gateway.stream(request, context)) {
      for (ChatChunk chunk : stream) {
        bh.consume(chunk);
      }
    }
  }

  /** The key alone: canonical encoding and SHA-256. */
  @Benchmark
  public Object keyOnly() {
    return CacheKeys.of("tenant:acme", request);
  }

  /** Baseline: the same call bypassing the cache, to the constant provider. */
  @Benchmark
  public ChatResponse bypass() {
    return gateway.chat(request, bypass);
  }
}
