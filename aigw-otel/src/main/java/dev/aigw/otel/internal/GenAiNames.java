package dev.aigw.otel.internal;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.SchemaUrls;
import io.opentelemetry.semconv.ServerAttributes;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Every name the telemetry emits, in one place: the OpenTelemetry GenAI semantic conventions'
 * attributes, metrics and bucket boundaries (v1.41.0, {@code shared/data/otel-genai}), and
 * aigw's own {@code aigw.*} names. A move to newer GenAI conventions is a change here only: add
 * a {@link Version} and give the renamed keys their new names when that version is chosen.
 *
 * <p>The GenAI names are not in the stable {@code opentelemetry-semconv} artifact (they are in
 * development), so they are spelled here; the stable ones ({@code server.*}, {@code error.type})
 * come from it.
 */
public final class GenAiNames {
  /**
   * The GenAI conventions to emit. {@code OTEL_SEMCONV_STABILITY_OPT_IN} (or the system property
   * {@code otel.semconv-stability.opt-in}) containing {@code gen_ai_latest_experimental} selects
   * the newest this version of aigw knows; otherwise v1.41.0.
   */
  public enum Version {
    /** Semantic conventions v1.41.0, the default. */
    V1_41(SchemaUrls.V1_41_0),
    /**
     * The newest experimental GenAI conventions aigw knows: the GenAI registry 1.42.0-dev, whose
     * names for everything aigw emits are those of v1.41.0 (only the schema URL differs).
     */
    LATEST_EXPERIMENTAL("https://opentelemetry.io/schemas/gen-ai-dev/1.42.0-dev");

    /** The schema URL given to the tracer and meter. */
    public final String schemaUrl;

    Version(String schemaUrl) {
      this.schemaUrl = schemaUrl;
    }

    /** The version an {@code OTEL_SEMCONV_STABILITY_OPT_IN} value asks for (null or blank: the default). */
    public static Version fromOptIn(@Nullable String optIn) {
      if (optIn != null) {
        for (String token : optIn.split(",")) {
          if (token.trim().toLowerCase(Locale.ROOT).equals("gen_ai_latest_experimental")) {
            return LATEST_EXPERIMENTAL;
          }
        }
      }
      return V1_41;
    }

    /** The version this process asks for, by system property first, then environment. */
    public static Version fromEnvironment() {
      String property = System.getProperty("otel.semconv-stability.opt-in");
      return fromOptIn(property != null ? property : System.getenv("OTEL_SEMCONV_STABILITY_OPT_IN"));
    }
  }

  // ---- gen_ai.* attributes (registry.yaml) -------------------------------------------------------
  public final AttributeKey<String> operationName = stringKey("gen_ai.operation.name");
  public final AttributeKey<String> providerName = stringKey("gen_ai.provider.name");
  public final AttributeKey<String> requestModel = stringKey("gen_ai.request.model");
  public final AttributeKey<Long> requestMaxTokens = longKey("gen_ai.request.max_tokens");
  public final AttributeKey<Double> requestTemperature = doubleKey("gen_ai.request.temperature");
  public final AttributeKey<Double> requestTopP = doubleKey("gen_ai.request.top_p");
  public final AttributeKey<List<String>> requestStopSequences = stringArrayKey("gen_ai.request.stop_sequences");
  public final AttributeKey<Long> requestSeed = longKey("gen_ai.request.seed");
  public final AttributeKey<Boolean> requestStream = booleanKey("gen_ai.request.stream");
  public final AttributeKey<String> outputType = stringKey("gen_ai.output.type");
  public final AttributeKey<String> responseId = stringKey("gen_ai.response.id");
  public final AttributeKey<String> responseModel = stringKey("gen_ai.response.model");
  public final AttributeKey<List<String>> responseFinishReasons = stringArrayKey("gen_ai.response.finish_reasons");
  public final AttributeKey<Double> responseTimeToFirstChunk = doubleKey("gen_ai.response.time_to_first_chunk");
  public final AttributeKey<Long> usageInputTokens = longKey("gen_ai.usage.input_tokens");
  public final AttributeKey<Long> usageOutputTokens = longKey("gen_ai.usage.output_tokens");
  public final AttributeKey<Long> usageCacheReadInputTokens = longKey("gen_ai.usage.cache_read.input_tokens");
  public final AttributeKey<Long> usageCacheCreationInputTokens = longKey("gen_ai.usage.cache_creation.input_tokens");
  public final AttributeKey<Long> usageReasoningOutputTokens = longKey("gen_ai.usage.reasoning.output_tokens");
  public final AttributeKey<Long> embeddingsDimensionCount = longKey("gen_ai.embeddings.dimension.count");
  public final AttributeKey<String> tokenType = stringKey("gen_ai.token.type");
  public final AttributeKey<String> inputMessages = stringKey("gen_ai.input.messages");
  public final AttributeKey<String> outputMessages = stringKey("gen_ai.output.messages");
  public final AttributeKey<String> systemInstructions = stringKey("gen_ai.system_instructions");

  /** {@code gen_ai.operation.name} values. */
  public final String operationChat = "chat";
  public final String operationEmbeddings = "embeddings";
  /** {@code gen_ai.token.type} values. */
  public final String tokenInput = "input";
  public final String tokenOutput = "output";
  /** {@code gen_ai.output.type} values. */
  public final String outputText = "text";
  public final String outputJson = "json";

  // ---- stable attributes (opentelemetry-semconv) -------------------------------------------------
  public final AttributeKey<String> serverAddress = ServerAttributes.SERVER_ADDRESS;
  public final AttributeKey<Long> serverPort = ServerAttributes.SERVER_PORT;
  public final AttributeKey<String> errorType = ErrorAttributes.ERROR_TYPE;

  // ---- gen_ai.* metrics (metrics.yaml) and their advised bucket boundaries ------------------------
  public final String operationDuration = "gen_ai.client.operation.duration";
  public final String tokenUsage = "gen_ai.client.token.usage";
  public final String timeToFirstChunk = "gen_ai.client.operation.time_to_first_chunk";
  /** Boundaries the conventions give for {@code gen_ai.client.operation.duration}, in seconds. */
  public final List<Double> durationBuckets =
      List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
  /** Boundaries the conventions give for {@code gen_ai.client.token.usage}. */
  public final List<Long> tokenBuckets = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L,
      1048576L, 4194304L, 16777216L, 67108864L);
  /**
   * Boundaries for time to first chunk, in seconds. The v1.41.0 YAML gives none for the client
   * metric; these are the ones the conventions give for the server's time to first token, the
   * same quantity seen from the other side.
   */
  public final List<Double> timeToFirstChunkBuckets =
      List.of(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  // ---- aigw.* names --------------------------------------------------------------------------------
  public final String instrumentationName = "dev.aigw";
  public final AttributeKey<String> tenant = stringKey("aigw.tenant");
  public final AttributeKey<String> conversationId = stringKey("gen_ai.conversation.id");
  public final AttributeKey<String> promptName = stringKey("gen_ai.prompt.name");
  /** The conventions name the prompt ({@code gen_ai.prompt.name}) but have no attribute for its version. */
  public final AttributeKey<String> promptVersion = stringKey("aigw.prompt.version");
  public final AttributeKey<String> route = stringKey("aigw.route");
  public final AttributeKey<List<String>> routeCandidates = stringArrayKey("aigw.route.candidates");
  public final AttributeKey<String> target = stringKey("aigw.target");
  public final AttributeKey<Long> attempts = longKey("aigw.attempts");
  public final AttributeKey<Long> attemptNumber = longKey("aigw.attempt.number");
  public final AttributeKey<String> attemptOutcome = stringKey("aigw.attempt.outcome");
  public final AttributeKey<String> cacheStatus = stringKey("aigw.cache.status");
  public final AttributeKey<Double> cacheAge = doubleKey("aigw.cache.age");
  public final AttributeKey<Long> cacheBytes = longKey("aigw.cache.bytes");
  public final AttributeKey<Double> cost = doubleKey("aigw.cost");
  public final AttributeKey<Double> savedCost = doubleKey("aigw.cache.saved_cost");
  public final AttributeKey<String> currency = stringKey("aigw.cost.currency");
  public final AttributeKey<String> fallbackFrom = stringKey("aigw.fallback.from");
  public final AttributeKey<String> fallbackTo = stringKey("aigw.fallback.to");
  public final AttributeKey<Double> retryDelay = doubleKey("aigw.retry.delay");
  public final AttributeKey<String> guardrailName = stringKey("aigw.guardrail.name");
  public final AttributeKey<String> guardrailDirection = stringKey("aigw.guardrail.direction");
  public final AttributeKey<String> guardrailAction = stringKey("aigw.guardrail.action");
  public final AttributeKey<List<String>> guardrailTypes = stringArrayKey("aigw.guardrail.types");
  public final AttributeKey<String> budgetName = stringKey("aigw.budget.name");
  public final AttributeKey<String> budgetScope = stringKey("aigw.budget.scope");
  public final AttributeKey<String> budgetMeasure = stringKey("aigw.budget.measure");
  public final AttributeKey<String> budgetWindow = stringKey("aigw.budget.window");
  public final AttributeKey<String> budgetAction = stringKey("aigw.budget.action");
  public final AttributeKey<String> storeKind = stringKey("aigw.store");
  public final AttributeKey<Boolean> storeFailedClosed = booleanKey("aigw.store.failed_closed");
  public final AttributeKey<Double> budgetAmount = doubleKey("aigw.budget.amount");
  public final AttributeKey<Double> budgetActual = doubleKey("aigw.budget.actual");
  public final AttributeKey<Double> budgetUsed = doubleKey("aigw.budget.used");
  public final AttributeKey<Double> budgetLimit = doubleKey("aigw.budget.limit");
  public final AttributeKey<Double> budgetThreshold = doubleKey("aigw.budget.threshold");

  /** Span names of attempts, prefixed to the target. */
  public final String attemptSpanPrefix = "attempt ";

  /** Span event names. */
  public final String eventCacheHit = "aigw.cache.hit";
  public final String eventCacheMiss = "aigw.cache.miss";
  public final String eventCacheStore = "aigw.cache.store";
  public final String eventRoute = "aigw.route";
  public final String eventRetry = "aigw.retry";
  public final String eventFallback = "aigw.fallback";
  public final String eventHedge = "aigw.hedge";
  public final String eventGuardrail = "aigw.guardrail";
  public final String eventBudgetReserved = "aigw.budget.reserved";
  public final String eventBudgetExceeded = "aigw.budget.exceeded";
  public final String eventBudgetThreshold = "aigw.budget.threshold";
  public final String eventBudgetReconciled = "aigw.budget.reconciled";
  public final String eventStoreUnavailable = "aigw.store.unavailable";

  /** aigw metrics. */
  public final String costMetric = "aigw.cost";
  public final String cacheLookupsMetric = "aigw.cache.lookups";
  public final String fallbacksMetric = "aigw.fallbacks";
  public final String guardrailActionsMetric = "aigw.guardrail.actions";
  public final String budgetExceededMetric = "aigw.budget.exceeded";

  /** The version these names follow. */
  public final Version version;

  /** The names of {@code version}. */
  public GenAiNames(Version version) {
    this.version = version;
  }
}
