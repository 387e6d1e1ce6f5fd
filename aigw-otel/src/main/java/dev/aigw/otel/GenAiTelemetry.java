package dev.aigw.otel;

import dev.aigw.api.CallInfo;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.TimeSource;
import dev.aigw.otel.internal.CallTelemetry;
import dev.aigw.otel.internal.GenAiNames;
import dev.aigw.otel.internal.Instruments;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry for a gateway: a span per call and the GenAI client metrics, following the
 * OpenTelemetry GenAI semantic conventions v1.41.0, with the gateway's decisions as {@code
 * aigw.*} attributes, span events and metrics. Register it with the gateway's builder:
 *
 * <pre>{@code
 * AiGateway gateway = AiGateway.builder()
 *     .provider(openAi)
 *     .listenerFactory(GenAiTelemetry.create(openTelemetry))
 *     .build();
 * }</pre>
 *
 * <p><b>Spans.</b> Each call gets one CLIENT span named {@code "{operation} {model}"} ({@code
 * chat fast}, {@code embeddings text-embedding-3-small}), a child of the context current on the
 * calling thread when the call started. Each attempt against a provider gets an INTERNAL child
 * span {@code "attempt {provider}/{model}"}, which is the current span on the thread that calls
 * the provider, so the spans of an instrumented HTTP client (the OpenTelemetry Java agent's
 * OkHttp instrumentation, say) nest under the attempt and carry the trace to the server.
 *
 * <p><b>Content.</b> Message content ({@code gen_ai.input.messages}, {@code
 * gen_ai.output.messages}, {@code gen_ai.system_instructions}) is recorded only when capture is
 * on: {@link Builder#captureContent(boolean)}, or by default the system property {@value
 * #CAPTURE_PROPERTY} or the environment variable {@value #CAPTURE_ENV} set to {@code true}. It is
 * the content as the model saw it: values that input guardrails masked appear as their
 * placeholders, and a request that guardrails blocked is never recorded.
 *
 * <p><b>Conventions version.</b> {@code OTEL_SEMCONV_STABILITY_OPT_IN} containing {@code
 * gen_ai_latest_experimental} selects the newest GenAI conventions this release knows.
 *
 * <p>Thread-safe; one instance may serve several gateways.
 */
public final class GenAiTelemetry implements GatewayListener.Factory {
  /** The system property that turns content capture on by default: {@value}. */
  public static final String CAPTURE_PROPERTY = "otel.instrumentation.genai.capture-message-content";
  /** The environment variable that turns content capture on by default: {@value}. */
  public static final String CAPTURE_ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

  private final Instruments instruments;
  private final TimeSource clock;
  private final boolean captureContent;
  private final boolean costByTenant;
  private final GenAiNames.Version version;

  private GenAiTelemetry(Builder b) {
    this.clock = b.clock;
    this.captureContent = b.captureContent != null ? b.captureContent : captureFromEnvironment();
    this.costByTenant = b.costByTenant;
    this.version = b.version != null ? b.version : GenAiNames.Version.fromEnvironment();
    this.instruments = new Instruments(b.openTelemetry, new GenAiNames(version), version(), captureContent, costByTenant);
  }

  /**
   * {@return telemetry to {@code openTelemetry} with the defaults (content capture as the
   * environment says)}
   *
   * @param openTelemetry the OpenTelemetry instance to report to
   */
  public static GenAiTelemetry create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /**
   * {@return a builder for telemetry to {@code openTelemetry}}
   *
   * @param openTelemetry the OpenTelemetry instance to report to
   */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /** The listener of one call; the gateway calls this on the caller's thread as the call starts. */
  @Override
  public GatewayListener create(CallInfo call) {
    return new CallTelemetry(instruments, call, Context.current(), clock);
  }

  /** {@return whether message content is recorded} */
  public boolean capturesContent() {
    return captureContent;
  }

  @Override
  public String toString() {
    return "GenAiTelemetry[conventions=" + version + ", captureContent=" + captureContent + ", costByTenant=" + costByTenant + "]";
  }

  private static boolean captureFromEnvironment() {
    String value = System.getProperty(CAPTURE_PROPERTY);
    if (value == null) {
      value = System.getenv(CAPTURE_ENV);
    }
    return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
  }

  /** The jar's version from its manifest; null when running from classes (no version is reported). */
  private static @Nullable String version() {
    return GenAiTelemetry.class.getPackage().getImplementationVersion();
  }

  /** Builds {@link GenAiTelemetry}. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private TimeSource clock = TimeSource.system();
    private @Nullable Boolean captureContent;
    private boolean costByTenant;
    private GenAiNames.@Nullable Version version;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    /**
     * Whether to record message content on spans; overrides {@value
     * GenAiTelemetry#CAPTURE_PROPERTY} and {@value GenAiTelemetry#CAPTURE_ENV}. Off by default:
     * prompts and answers often hold personal data.
     *
     * @param capture {@code true} to record content
     * @return this builder
     */
    public Builder captureContent(boolean capture) {
      this.captureContent = capture;
      return this;
    }

    /**
     * Whether the {@code aigw.cost} metric carries the tenant ({@code aigw.tenant}). Off by
     * default: every tenant is a new time series, so turn it on only for a bounded set of
     * tenants. Spans carry the tenant either way.
     *
     * @param byTenant {@code true} to add the tenant to the cost metric
     * @return this builder
     */
    public Builder costByTenant(boolean byTenant) {
      this.costByTenant = byTenant;
      return this;
    }

    /**
     * The clock for span timestamps and durations: offsets from each call's start are measured
     * on it. Give it the gateway's clock when the gateway runs on a test clock. Defaults to the
     * system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(TimeSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Emits the newest experimental GenAI conventions this release knows instead of v1.41.0, as
     * {@code OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental} does; overrides it.
     *
     * @param latest {@code true} for the newest experimental conventions
     * @return this builder
     */
    public Builder latestExperimentalConventions(boolean latest) {
      this.version = latest ? GenAiNames.Version.LATEST_EXPERIMENTAL : GenAiNames.Version.V1_41;
      return this;
    }

    /**
     * Builds the telemetry.
     *
     * @return the new {@code GenAiTelemetry}
     */
    public GenAiTelemetry build() {
      return new GenAiTelemetry(this);
    }
  }
}
