package dev.aigw.otel.internal;

import dev.aigw.api.CallInfo;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Target;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.util.Currency;
import java.util.List;
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
  private final BoundedCache<ModelKey, ModelView> models = new BoundedCache<>();
  private final BoundedCache<TargetKey, TargetView> targets = new BoundedCache<>();
  private final BoundedCache<MetricKey, MetricAttributes> metricAttributes = new BoundedCache<>();
  final boolean captureContent;
  final boolean costByTenant;

  /**
   * What a call to {@code model} looks like before routing, derived once per gateway, operation
   * and model: the model as the conventions name it, whether it is a single {@code
   * provider/model} target, the provider of its first target, and the span name.
   */
  record ModelView(String requestModel, boolean direct, @Nullable ProviderInfo firstProvider, String spanName) {}

  private record ModelKey(CallInfo.Topology topology, CallInfo.Operation operation, String model) {}

  ModelView model(CallInfo call, String operation) {
    String model = call.request().model();
    return models.get(new ModelKey(call.topology(), call.operation(), model), key -> {
      List<Target> candidates = call.topology().targets(model);
      boolean direct = candidates.size() == 1 && candidates.get(0).toString().equals(model);
      String requestModel = direct ? candidates.get(0).model() : model;
      ProviderInfo first = candidates.isEmpty() ? null : provider(call.topology(), candidates.get(0).provider());
      return new ModelView(requestModel, direct, first, operation + " " + requestModel);
    });
  }

  /** A target as attempts describe it, derived once per gateway and target. */
  record TargetView(String name, String attemptSpanName, @Nullable ProviderInfo provider) {}

  private record TargetKey(CallInfo.Topology topology, Target target) {}

  TargetView target(CallInfo call, Target target) {
    return targets.get(new TargetKey(call.topology(), target), key -> {
      String name = target.toString();
      return new TargetView(name, names.attemptSpanPrefix + name, provider(call.topology(), target.provider()));
    });
  }

  private @Nullable ProviderInfo provider(CallInfo.Topology topology, String id) {
    return topology.provider(id).map(p -> ProviderInfo.of(p, names)).orElse(null);
  }

  /** The attributes of a call's metrics, without and with each token type. */
  record MetricAttributes(Attributes base, Attributes input, Attributes output) {}

  private record MetricKey(
      String operation, String requestModel, @Nullable ProviderInfo provider, @Nullable String responseModel,
      @Nullable String errorType) {}

  /** The metric attributes of a call of this shape, built once (the SDK then sees the same instance too). */
  MetricAttributes metricAttributes(
      String operation, String requestModel, @Nullable ProviderInfo provider, @Nullable String responseModel,
      @Nullable String errorType) {
    return metricAttributes.get(new MetricKey(operation, requestModel, provider, responseModel, errorType), key -> {
      AttributesBuilder a = Attributes.builder().put(names.operationName, operation).put(names.requestModel, requestModel);
      if (provider != null) {
        a.putAll(provider.attributes());
      }
      if (responseModel != null) {
        a.put(names.responseModel, responseModel);
      }
      if (errorType != null) {
        a.put(names.errorType, errorType);
      }
      Attributes base = a.build();
      return new MetricAttributes(base, base.toBuilder().put(names.tokenType, names.tokenInput).build(),
          base.toBuilder().put(names.tokenType, names.tokenOutput).build());
    });
  }

  private record CostKey(String operation, String model, Currency currency, @Nullable ProviderInfo provider, @Nullable String tenant) {}

  private final BoundedCache<CostKey, Attributes> costAttributes = new BoundedCache<>();

  /** The attributes of the cost metric for a call of this shape. */
  Attributes costAttributes(String operation, String model, Currency currency, @Nullable ProviderInfo provider, @Nullable String tenant) {
    return costAttributes.get(new CostKey(operation, model, currency, provider, tenant), key -> {
      AttributesBuilder a = Attributes.builder().put(names.operationName, operation).put(names.responseModel, model)
          .put(names.currency, currency.getCurrencyCode());
      if (provider != null) {
        a.put(names.providerName, provider.name());
      }
      if (tenant != null) {
        a.put(names.tenant, tenant);
      }
      return a.build();
    });
  }

  private record LookupKey(String status, String operation, String requestModel) {}

  private final BoundedCache<LookupKey, Attributes> lookupAttributes = new BoundedCache<>();

  /** The attributes of a cache lookup. */
  Attributes cacheLookupAttributes(String status, String operation, String requestModel) {
    return lookupAttributes.get(new LookupKey(status, operation, requestModel), key ->
        Attributes.of(names.cacheStatus, status, names.operationName, operation, names.requestModel, requestModel));
  }

  private final java.util.Map<FinishReason, List<String>> finishReasons = new java.util.EnumMap<>(FinishReason.class);

  /** {@code gen_ai.response.finish_reasons} for an answer that stopped for {@code reason}. */
  List<String> finishReasons(FinishReason reason) {
    return finishReasons.get(reason);
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
    for (FinishReason reason : FinishReason.values()) {
      finishReasons.put(reason, List.of(MessagesJson.finishReason(reason)));
    }
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
