package dev.aigw.examples;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.core.AiGateway;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.guardrail.PiiGuardrail;
import dev.aigw.core.routing.Route;
import dev.aigw.otel.GenAiTelemetry;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sends a gateway's traces and GenAI metrics to an OpenTelemetry collector over OTLP/HTTP: the
 * OpenTelemetry SDK wired by hand, {@link GenAiTelemetry} registered on a gateway over simulated
 * providers (no keys), and five calls — blocking, a cache hit, one whose e-mail address a
 * guardrail masks, one that falls back, and a stream — under one application span, so that they
 * form one trace.
 *
 * <p><b>Run it:</b>
 *
 * <pre>{@code
 * ./mvnw -q -pl aigw-examples -am -Dmaven.test.skip -Dexample=TelemetryExample package
 * }</pre>
 *
 * <p>It needs no collector. Without one, the exporters log that they could not connect ({@code
 * SEVERE: Failed to export 11 spans ... Connection refused}, with stack traces), drop the data,
 * and the example still exits: each export gives up after {@value #EXPORT_TIMEOUT_SECONDS} s.
 *
 * <p><b>See the telemetry.</b> Start something that receives OTLP/HTTP on port 4318, then run the
 * example again. Jaeger shows the trace at http://localhost:16686 (service {@value
 * #DEFAULT_SERVICE_NAME}; the example prints the trace id):
 *
 * <pre>{@code
 * docker run --rm -p 16686:16686 -p 4318:4318 jaegertracing/jaeger
 * }</pre>
 *
 * <p>For the metrics as well ({@code gen_ai.client.operation.duration}, {@code
 * gen_ai.client.token.usage}, {@code aigw.cost}, ...), the OpenTelemetry Collector's default
 * configuration receives OTLP and prints everything that arrives in its log:
 *
 * <pre>{@code
 * docker run --rm -p 4318:4318 otel/opentelemetry-collector
 * }</pre>
 *
 * <p><b>Configuration.</b> The endpoint is the standard {@code OTEL_EXPORTER_OTLP_ENDPOINT}, the
 * collector's base URL ({@value #DEFAULT_ENDPOINT} by default); spans go to its {@code
 * /v1/traces} and metrics to its {@code /v1/metrics}, as the OTLP exporter specification says.
 * {@code OTEL_SERVICE_NAME} overrides the service name. The example reads only these two
 * variables: an application that wants them all ({@code OTEL_EXPORTER_OTLP_HEADERS}, sampling,
 * ...) would build the SDK with OpenTelemetry's autoconfigure module instead.
 *
 * <p>OTLP/HTTP rather than gRPC needs no gRPC transport. The OTLP exporter sends with its default
 * OkHttp sender, on the same OkHttp 5 ({@code okhttp-jvm}) that aigw's providers use.
 */
public final class TelemetryExample {
  /** Where OTLP/HTTP goes when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is not set: {@value}. */
  public static final String DEFAULT_ENDPOINT = "http://localhost:4318";
  /** The service name when {@code OTEL_SERVICE_NAME} is not set: {@value}. */
  public static final String DEFAULT_SERVICE_NAME = "aigw-telemetry-example";

  /** How long one export may take, retries included: short, so that a missing collector does not hold up the exit. */
  private static final int EXPORT_TIMEOUT_SECONDS = 2;
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(EXPORT_TIMEOUT_SECONDS);
  /** How long shutting the SDK down (the final flush of spans and metrics) may take in all. */
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  private TelemetryExample() {}

  /** Runs the example; no arguments. */
  public static void main(String[] args) {
    run(System.out, env("OTEL_EXPORTER_OTLP_ENDPOINT", DEFAULT_ENDPOINT), env("OTEL_SERVICE_NAME", DEFAULT_SERVICE_NAME));
  }

  /**
   * Runs the example against the collector at {@code endpoint} (its base URL), printing to {@code
   * out}; returns the trace id of the calls' trace. Everything is exported (or given up) when it
   * returns.
   */
  public static String run(PrintStream out, String endpoint, String serviceName) {
    out.println("aigw telemetry example: OTLP/HTTP to " + endpoint + ", service.name=" + serviceName);

    OpenTelemetrySdk sdk = openTelemetry(endpoint, serviceName);
    try {
      return run(sdk, out);
    } finally {
      // Flushes the batched spans and the last metrics, then stops the exporters.
      // Export failures (no collector listening, say) are logged by the exporters, not reported here.
      CompletableResultCode shutdown = sdk.shutdown().join(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      out.println(shutdown.isSuccess()
          ? "OpenTelemetry SDK shut down"
          : "OpenTelemetry SDK did not shut down within " + SHUTDOWN_TIMEOUT.toSeconds() + " s");
    }
  }

  /**
   * The SDK: a resource naming the service; spans batched to OTLP/HTTP; metrics read every ten
   * seconds (and once more at shutdown) and sent to OTLP/HTTP.
   */
  static OpenTelemetrySdk openTelemetry(String endpoint, String serviceName) {
    String base = endpoint.endsWith("/") ? endpoint : endpoint + "/";
    Resource resource = Resource.getDefault().toBuilder().put("service.name", serviceName).build();

    OtlpHttpSpanExporter spans = OtlpHttpSpanExporter.builder()
        .setEndpoint(base + "v1/traces")
        .setTimeout(EXPORT_TIMEOUT)
        .setConnectTimeout(EXPORT_TIMEOUT)
        .build();
    OtlpHttpMetricExporter metrics = OtlpHttpMetricExporter.builder()
        .setEndpoint(base + "v1/metrics")
        .setTimeout(EXPORT_TIMEOUT)
        .setConnectTimeout(EXPORT_TIMEOUT)
        .build();

    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(BatchSpanProcessor.builder(spans).build())
            .build())
        .setMeterProvider(SdkMeterProvider.builder()
            .setResource(resource)
            .registerMetricReader(PeriodicMetricReader.builder(metrics).setInterval(Duration.ofSeconds(10)).build())
            .build())
        .build();
  }

  /** Makes the calls through a gateway that reports to {@code sdk}; returns their trace id. */
  static String run(OpenTelemetrySdk sdk, PrintStream out) {
    // openai is rate limited for a minute: longer than the router waits to retry, so the route falls back at once.
    FakeChatProvider openAi = FakeChatProvider.builder()
        .id("openai")
        .latency(Duration.ofMillis(30))
        .replyWhen(r -> r.lastUserText().contains("haiku"), FakeReply.rateLimited(Duration.ofMinutes(1)))
        .reply(FakeReply.text("Paris."))
        .build();
    FakeChatProvider anthropic = FakeChatProvider.builder()
        .id("anthropic")
        .latency(Duration.ofMillis(50))
        .timeToFirstChunk(Duration.ofMillis(20))
        .chunkInterval(Duration.ofMillis(5))
        .chunkSize(8)
        .reply(FakeReply.text("First model is busy / the second one answers you / the user never knows."))
        .build();

    GenAiTelemetry telemetry = GenAiTelemetry.builder(sdk)
        // Records prompts and answers on the spans. Off by default, since they often hold personal
        // data; on here, where they are made up, to show what a backend receives.
        .captureContent(true)
        .build();

    try (AiGateway gateway = AiGateway.builder()
        .provider(openAi)
        .provider(anthropic)
        .route("chat", Route.fallback("openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"))
        .cache(ResponseCache.builder().build())
        .guardrail(PiiGuardrail.defaults())
        .listenerFactory(telemetry)
        .build()) {
      // An application span around the calls: each call's span is a child of the span current on
      // the calling thread, so the five calls form one trace.
      Tracer tracer = sdk.getTracer("dev.aigw.examples");
      Span root = tracer.spanBuilder("telemetry example").startSpan();
      Scope scope = root.makeCurrent();
      try {
        calls(gateway, out);
      } finally {
        scope.close();
        root.end();
      }
      out.println("trace id: " + root.getSpanContext().getTraceId());
      return root.getSpanContext().getTraceId();
    }
  }

  private static void calls(AiGateway gateway, PrintStream out) {
    CallContext acme = CallContext.builder().tenant("acme").timeout(Duration.ofSeconds(10)).build();

    ChatResponse answer = gateway.chat(ChatRequest.of("chat", "What is the capital of France?"), acme);
    print(out, "blocking", answer);

    // the same request again: answered from the cache, no provider called (event aigw.cache.hit)
    ChatResponse again = gateway.chat(ChatRequest.of("chat", "What is the capital of France?"), acme);
    print(out, "cached", again);

    // the provider, and the span's gen_ai.input.messages, see <EMAIL_1> (event aigw.guardrail)
    ChatResponse masked = gateway.chat(
        ChatRequest.of("chat", "What is the capital of France? Reply to jane.doe@example.com"), acme);
    print(out, "masked", masked);

    // openai is rate limited: a failed attempt span, event aigw.fallback, then anthropic's attempt
    ChatResponse fellBack = gateway.chat(ChatRequest.of("chat", "Write a haiku about fallbacks."), acme);
    print(out, "fallback", fellBack);

    out.print("  streaming: ");
    try (ChatStream stream = gateway.stream(
        ChatRequest.of("anthropic/claude-3-5-haiku-latest", "Another haiku, streamed?"), acme)) {
      for (ChatChunk chunk : stream) {
        out.print(chunk.text());
      }
      out.println(" [" + stream.metadata().target().map(Object::toString).orElse("-") + "]");
    }
  }

  private static void print(PrintStream out, String kind, ChatResponse answer) {
    out.printf("  %-10s %s [%s, %d attempt(s), cache %s]%n", kind + ":", answer.text(),
        answer.metadata().target().map(Object::toString).orElse("-"), answer.metadata().attempts().size(),
        answer.metadata().cacheStatus());
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
