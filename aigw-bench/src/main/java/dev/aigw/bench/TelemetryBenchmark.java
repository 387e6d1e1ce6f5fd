package dev.aigw.bench;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GatewayListener;
import dev.aigw.core.AiGateway;
import dev.aigw.core.routing.Route;
import dev.aigw.otel.GenAiTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * What {@code aigw-otel}'s {@link GenAiTelemetry} adds to one call through {@link AiGateway}: the
 * same call as {@link ChainBenchmark} with no interceptors (route {@code "chat" ->
 * const/model-a}, served by the in-process {@link ConstantProvider}), with no listener (the
 * baseline, measured in the same run), with telemetry to {@link OpenTelemetry#noop()}, or with
 * telemetry to an OpenTelemetry SDK set up as a service would set it up, whose exporters discard
 * what they receive.
 *
 * <p>Build and run from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * java -jar aigw-bench/target/benchmarks.jar TelemetryBenchmark -prof gc
 * </pre>
 *
 * <p>{@code -prof gc} adds the bytes allocated per call ({@code gc.alloc.rate.norm}), the figure
 * to compare between states. One state can be chosen with {@code -p telemetry=sdk}.
 *
 * <p>The SDK ({@code sdk}, {@code sdk-content}):
 *
 * <ul>
 *   <li>traces: {@link SdkTracerProvider} with the default sampler (parent-based, always on: every
 *       call is recorded) and a {@link BatchSpanProcessor} with its defaults (batches of 512, 5 s
 *       delay) except for a queue of 65,536 spans instead of 2,048 (see {@link #SPAN_QUEUE}), over
 *       a {@link SpanExporter} that drops every batch. The processor's worker thread runs on the
 *       other core; what the calling thread pays is building, ending and enqueueing the spans
 *       (two per call: the call's CLIENT span and its attempt's INTERNAL span). If the worker
 *       falls behind anyway, the processor drops spans at the queue; the trial's teardown prints
 *       how many spans were exported and dropped.
 *   <li>metrics: {@link SdkMeterProvider} with a {@link PeriodicMetricReader} (cumulative
 *       temporality, 60 s interval) over a {@link MetricExporter} that drops what it is given, so
 *       what is measured is recording into the SDK's aggregations on the calling thread. The batch
 *       processor reports its queue metrics to it, as the SDK's autoconfiguration arranges.
 *   <li>{@code sdk-content} is {@code sdk} with {@code captureContent(true)}: the request's and the
 *       answer's messages written as JSON span attributes.
 * </ul>
 *
 * <p>{@code noop} and {@code sdk} set {@code captureContent(false)} explicitly, so that the
 * environment ({@value GenAiTelemetry#CAPTURE_PROPERTY}, {@value GenAiTelemetry#CAPTURE_ENV})
 * cannot change what they measure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class TelemetryBenchmark {
  private static final String ANSWER = "The capital of France is Paris.";
  private static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
  /**
   * The batch span processor's queue: its default (2,048) holds about 2 ms of this benchmark's
   * spans, so on 2 cores the processor drops spans whenever its worker thread is descheduled,
   * which a service making thousands (not hundreds of thousands) of calls a second never sees.
   */
  private static final int SPAN_QUEUE = 65_536;
  /** A listener that ignores every event: what the gateway's listener machinery costs by itself. */
  private static final GatewayListener EMPTY = new GatewayListener() {};

  /**
   * The gateway's telemetry:
   *
   * <ul>
   *   <li>{@code none}: no listener, the baseline;
   *   <li>{@code empty}: a listener that ignores every event, registered as {@code
   *       listenerFactory(call -> EMPTY)}: the gateway's own cost of having a listener (event
   *       dispatch, the content event, assembling a streamed answer for {@code callEnd}), which
   *       {@code GenAiTelemetry} pays too; {@code noop} minus {@code empty} is then the cost of
   *       {@code GenAiTelemetry} itself;
   *   <li>{@code noop}: {@code GenAiTelemetry} to {@link OpenTelemetry#noop()}, the cost of the
   *       listener itself (and of the gateway's listener dispatch) when nothing is recorded;
   *   <li>{@code sdk}: {@code GenAiTelemetry} to the SDK described above, content capture off
   *       (the default);
   *   <li>{@code sdk-content}: as {@code sdk} with message content captured.
   * </ul>
   */
  @Param({"none", "empty", "noop", "sdk", "sdk-content"})
  String telemetry;

  private AiGateway gateway;
  private ChatRequest request;
  private CallContext context;
  private OpenTelemetrySdk sdk;
  private DiscardingSpanExporter spans;
  private DiscardingMetricExporter metrics;

  @Setup(Level.Trial)
  public void setUp() {
    AiGateway.Builder builder = AiGateway.builder()
        .provider(new ConstantProvider())
        .route("chat", Route.fallback(ConstantProvider.ID + "/model-a"));
    switch (telemetry) {
      case "none" -> { }
      case "empty" -> builder.listenerFactory(call -> EMPTY);
      case "noop" -> builder.listenerFactory(GenAiTelemetry.builder(OpenTelemetry.noop()).captureContent(false).build());
      case "sdk" -> builder.listenerFactory(GenAiTelemetry.builder(sdk()).captureContent(false).build());
      case "sdk-content" -> builder.listenerFactory(GenAiTelemetry.builder(sdk()).captureContent(true).build());
      default -> throw new IllegalArgumentException(telemetry);
    }
    gateway = builder.build();
    request = ChatRequest.of("chat", "What is the capital of France?");
    context = CallContext.empty();
    check();
  }

  /** An SDK as a service would configure it, over exporters that discard. */
  private OpenTelemetrySdk sdk() {
    spans = new DiscardingSpanExporter();
    metrics = new DiscardingMetricExporter();
    SdkMeterProvider meterProvider = SdkMeterProvider.builder()
        .registerMetricReader(PeriodicMetricReader.builder(metrics).setInterval(Duration.ofSeconds(60)).build())
        .build();
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(spans).setMaxQueueSize(SPAN_QUEUE).setMeterProvider(meterProvider).build())
        .build();
    sdk = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).setMeterProvider(meterProvider).build();
    return sdk;
  }

  /**
   * Fails the trial early if a call does not take the path the benchmark means to measure: the
   * answer comes from the constant provider, a stream delivers every chunk and, with the SDK,
   * each call exports its two spans (with the input messages only when content is captured).
   */
  private void check() {
    if (spans != null) {
      spans.keep = true;
    }
    ChatResponse response = chat();
    if (!response.text().equals(ANSWER)
        || !response.metadata().target().map(t -> t.provider().equals(ConstantProvider.ID)).orElse(false)) {
      throw new IllegalStateException("unexpected response through the gateway: " + response);
    }
    if (stream() != ANSWER.length()) {
      throw new IllegalStateException("a stream did not deliver every chunk");
    }
    if (spans != null) {
      sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
      List<SpanData> kept = spans.kept;
      spans.keep = false;
      spans.kept = new ArrayList<>();
      boolean content = telemetry.equals("sdk-content");
      // "{operation} {request model}", the request model being the route alias the caller asked for
      long calls = kept.stream().filter(s -> s.getName().equals("chat chat")).count();
      long attempts = kept.stream().filter(s -> s.getName().equals("attempt const/model-a")).count();
      boolean captured = kept.stream().filter(s -> s.getName().equals("chat chat"))
          .allMatch(s -> s.getAttributes().get(INPUT_MESSAGES) != null);
      if (kept.size() != 4 || calls != 2 || attempts != 2 || captured != content) {
        throw new IllegalStateException("expected a call span and an attempt span per call"
            + (content ? " with content" : " without content") + ", got " + kept);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
    if (sdk != null) {
      sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
      sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS);
      System.out.printf("%n[%s] spans exported: %,d; dropped by the batch processor's full queue: %,d%n",
          telemetry, spans.exported.sum(), metrics.droppedSpans);
      sdk.close();
    }
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

  /** Drops every batch; counts the spans, and keeps them while {@link #keep} is set (the setup's check). */
  static final class DiscardingSpanExporter implements SpanExporter {
    final LongAdder exported = new LongAdder();
    volatile boolean keep;
    volatile List<SpanData> kept = new ArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      exported.add(batch.size());
      if (keep) {
        kept.addAll(batch);
      }
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /**
   * Drops every export, cumulative temporality (as OTLP's default); reads only the batch span
   * processor's own {@code processedSpans{dropped=true}} counter, for the teardown's report.
   */
  static final class DiscardingMetricExporter implements MetricExporter {
    private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
    volatile long droppedSpans;

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> batch) {
      for (MetricData metric : batch) {
        if (metric.getName().equals("processedSpans")) {
          long dropped = 0;
          for (LongPointData point : metric.getLongSumData().getPoints()) {
            if (Boolean.TRUE.equals(point.getAttributes().get(DROPPED))) {
              dropped += point.getValue();
            }
          }
          droppedSpans = dropped;
        }
      }
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
