package dev.aigw.otel.internal;

import dev.aigw.api.CallInfo;
import dev.aigw.api.Provider;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** The tracer and the metric instruments, created once per telemetry and shared by its calls. */
public final class Instruments {
  final GenAiNames names;
  final Tracer tracer;
  final DoubleHistogram duration;
  final LongHistogram tokens;
  final DoubleHistogram timeToFirstChunk;
  final DoubleCounter cost;
  final LongCounter cacheLookups;
  final LongCounter fallbacks;
  final LongCounter guardrailActions;
  final LongCounter budgetExceeded;
  /** Providers described once; cleared if a long-lived telemetry outlives very many gateways. */
  private final Map<Provider, ProviderInfo> providers = new ConcurrentHashMap<>();
  final boolean captureContent;
  final boolean costByTenant;

  /** The provider {@code id} of the gateway running {@code call}, or null when it has none. */
  @Nullable ProviderInfo provider(CallInfo call, String id) {
    Provider provider = call.topology().provider(id).orElse(null);
    if (provider == null) {
      return null;
    }
    ProviderInfo info = providers.get(provider);
    if (info == null) {
      if (providers.size() >= 1024) {
        providers.clear();
      }
      info = ProviderInfo.of(provider, names);
      providers.put(provider, info);
    }
    return info;
  }

  /**
   * @param openTelemetry where spans and metrics go
   * @param names the conventions' names
   * @param version the library version reported as the instrumentation scope's version, or null when unknown
   * @param captureContent whether message content is recorded
   * @param costByTenant whether the cost metric carries the tenant
   */
  public Instruments(
      OpenTelemetry openTelemetry, GenAiNames names, @Nullable String version, boolean captureContent, boolean costByTenant) {
    this.names = names;
    this.captureContent = captureContent;
    this.costByTenant = costByTenant;
    var tracerBuilder = openTelemetry.tracerBuilder(names.instrumentationName).setSchemaUrl(names.version.schemaUrl);
    var meterBuilder = openTelemetry.meterBuilder(names.instrumentationName).setSchemaUrl(names.version.schemaUrl);
    if (version != null) {
      tracerBuilder.setInstrumentationVersion(version);
      meterBuilder.setInstrumentationVersion(version);
    }
    this.tracer = tracerBuilder.build();
    Meter meter = meterBuilder.build();
    this.duration = meter.histogramBuilder(names.operationDuration)
        .setDescription("GenAI operation duration.").setUnit("s")
        .setExplicitBucketBoundariesAdvice(names.durationBuckets).build();
    this.tokens = meter.histogramBuilder(names.tokenUsage).ofLongs()
        .setDescription("Number of input and output tokens used.").setUnit("{token}")
        .setExplicitBucketBoundariesAdvice(names.tokenBuckets).build();
    this.timeToFirstChunk = meter.histogramBuilder(names.timeToFirstChunk)
        .setDescription("Time to receive the first chunk, from when the client issues the generation request"
            + " to when the first chunk is received in the response stream.")
        .setUnit("s").setExplicitBucketBoundariesAdvice(names.timeToFirstChunkBuckets).build();
    this.cost = meter.counterBuilder(names.costMetric).ofDoubles()
        .setDescription("Money spent on provider calls, priced by the gateway's catalog; aigw.cost.currency names the currency.")
        .setUnit("{currency_unit}").build();
    this.cacheLookups = meter.counterBuilder(names.cacheLookupsMetric)
        .setDescription("Response cache lookups, by aigw.cache.status (hit, semantic_hit, miss).").setUnit("{lookup}").build();
    this.fallbacks = meter.counterBuilder(names.fallbacksMetric)
        .setDescription("Moves from one target of a route to the next after a failure.").setUnit("{fallback}").build();
    this.guardrailActions = meter.counterBuilder(names.guardrailActionsMetric)
        .setDescription("Guardrail decisions that found something, by guardrail, direction and action.").setUnit("{action}").build();
    this.budgetExceeded = meter.counterBuilder(names.budgetExceededMetric)
        .setDescription("Calls that would pass a budget limit, by budget, measure, window and the action taken.")
        .setUnit("{call}").build();
  }
}
