package dev.aigw.otel.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.BudgetAction;
import dev.aigw.api.BudgetUsage;
import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.Cost;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.GuardrailFinding;
import dev.aigw.api.ModelResponse;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.api.Target;
import dev.aigw.api.TimeSource;
import dev.aigw.api.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One call's telemetry: its CLIENT span (started at {@code callStart}, ended with the call), a
 * child span per attempt, span events for the gateway's decisions, and the call's metrics at its
 * end. Timestamps are the call's start plus offsets measured on one clock, so a span's duration
 * is the gateway's own measure.
 *
 * <p>Events arrive one at a time; only {@link #attemptScope} runs on attempt threads, reading
 * the attempt spans from a concurrent map.
 */
public final class CallTelemetry implements GatewayListener {
  private static final int MAX_STATUS = 256;

  private final Instruments in;
  private final GenAiNames n;
  private final CallInfo call;
  private final Context parent;
  private final TimeSource clock;
  /** The call's first attempt, and the others (retries, fallbacks, hedges) once there are any. */
  private volatile @Nullable Attempt firstAttempt;
  private volatile @Nullable Map<Integer, Attempt> moreAttempts;
  private @Nullable Span span;
  private final long startNanos;
  private @Nullable ProviderInfo provider;
  private String requestModel = "";
  private String operation = "";
  private boolean direct;
  private double timeToFirstChunk = -1;
  private int attemptCount;
  private @Nullable Attempt streamingAttempt;

  private record Attempt(int number, Span span, Context context, long startNanos) {}

  /**
   * @param instruments the shared tracer and instruments
   * @param call the call
   * @param parent the context current on the caller's thread when the call started
   * @param clock measures the offsets of timestamps and durations
   */
  public CallTelemetry(Instruments instruments, CallInfo call, Context parent, TimeSource clock) {
    this.in = instruments;
    this.n = instruments.names;
    this.call = call;
    this.parent = parent;
    this.clock = clock;
    this.startNanos = clock.nanoTime(); // created as the call opens, when call.startedAt() was read
  }

  private Instant now() {
    return call.startedAt().plusNanos(clock.nanoTime() - startNanos);
  }

  private Span span() {
    Span s = span;
    return s != null ? s : Span.getInvalid();
  }

  private @Nullable Attempt attempt(int number) {
    Attempt first = firstAttempt;
    if (first != null && first.number() == number) {
      return first;
    }
    Map<Integer, Attempt> more = moreAttempts;
    return more == null ? null : more.get(number);
  }

  // ---------------------------------------------------------------------------------------------
  // Start

  @Override
  public void callStart(CallInfo ignored) {
    operation = call.operation() == CallInfo.Operation.CHAT ? n.operationChat : n.operationEmbeddings;
    Instruments.ModelView model = in.model(call, operation);
    requestModel = model.requestModel();
    direct = model.direct();
    provider = model.firstProvider();
    SpanBuilder builder = in.tracer.spanBuilder(model.spanName())
        .setSpanKind(SpanKind.CLIENT)
        .setParent(parent)
        .setStartTimestamp(call.startedAt())
        .setAttribute(n.operationName, operation)
        .setAttribute(n.requestModel, requestModel);
    if (provider != null) {
      builder.setAllAttributes(provider.attributes());
    }
    if (!model.direct()) {
      builder.setAttribute(n.route, call.request().model());
    }
    call.context().tenant().ifPresent(t -> builder.setAttribute(n.tenant, t));
    call.context().conversation().ifPresent(c -> builder.setAttribute(n.conversationId, c));
    if (call.request() instanceof ChatRequest chat) {
      requestParameters(builder, chat);
      chat.prompt().ifPresent(p -> builder.setAttribute(n.promptName, p.name()).setAttribute(n.promptVersion, p.version()));
    }
    span = builder.startSpan();
  }

  private void requestParameters(SpanBuilder builder, ChatRequest chat) {
    chat.maxOutputTokens().ifPresent(v -> builder.setAttribute(n.requestMaxTokens, (long) v));
    chat.temperature().ifPresent(v -> builder.setAttribute(n.requestTemperature, v));
    chat.topP().ifPresent(v -> builder.setAttribute(n.requestTopP, v));
    if (!chat.stop().isEmpty()) {
      builder.setAttribute(n.requestStopSequences, chat.stop());
    }
    chat.seed().ifPresent(v -> builder.setAttribute(n.requestSeed, v));
    if (call.streaming()) {
      builder.setAttribute(n.requestStream, true);
    }
    ResponseFormat.Type format = chat.responseFormat().type();
    if (format != ResponseFormat.Type.TEXT) {
      builder.setAttribute(n.outputType, n.outputJson);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Decisions

  @Override
  public void cacheHit(CallInfo ignored, CacheStatus status, Duration age) {
    String s = status == CacheStatus.SEMANTIC_HIT ? "semantic_hit" : "hit";
    span().setAttribute(n.cacheStatus, s);
    span().addEvent(n.eventCacheHit, Attributes.of(n.cacheStatus, s, n.cacheAge, seconds(age)), now());
    in.cacheLookups.add(1, in.cacheLookupAttributes(s, operation, requestModel));
  }

  @Override
  public void cacheMiss(CallInfo ignored) {
    span().setAttribute(n.cacheStatus, "miss");
    span().addEvent(n.eventCacheMiss, now());
    in.cacheLookups.add(1, in.cacheLookupAttributes("miss", operation, requestModel));
  }

  @Override
  public void cacheStore(CallInfo ignored, long bytes) {
    span().addEvent(n.eventCacheStore, Attributes.of(n.cacheBytes, bytes), now());
  }

  @Override
  public void route(CallInfo ignored, String model, List<Target> candidates) {
    if (direct && model.equals(call.request().model())) {
      return; // a "provider/model" call: nothing was decided
    }
    List<String> names = new ArrayList<>(candidates.size());
    for (Target t : candidates) {
      names.add(in.target(call, t).name());
    }
    span().setAttribute(n.routeCandidates, names);
    if (!model.equals(call.request().model())) {
      // a budget downgraded the call to another route
      span().setAttribute(n.route, model);
      span().addEvent(n.eventRoute, Attributes.of(n.route, model, n.routeCandidates, names), now());
    }
  }

  @Override
  public void attemptStart(CallInfo ignored, Target target, int attempt) {
    attemptCount++;
    Instruments.TargetView view = in.target(call, target);
    SpanBuilder builder = in.tracer.spanBuilder(view.attemptSpanName())
        .setSpanKind(SpanKind.INTERNAL)
        .setParent(parent.with(span()))
        .setStartTimestamp(now())
        .setAttribute(n.target, view.name())
        .setAttribute(n.requestModel, target.model())
        .setAttribute(n.attemptNumber, (long) attempt);
    if (view.provider() != null) {
      builder.setAllAttributes(view.provider().attributes());
    }
    Span s = builder.startSpan();
    Attempt a = new Attempt(attempt, s, parent.with(s), clock.nanoTime());
    if (firstAttempt == null) {
      firstAttempt = a;
    } else {
      Map<Integer, Attempt> more = moreAttempts;
      if (more == null) {
        more = new ConcurrentHashMap<>(4);
        moreAttempts = more;
      }
      more.put(attempt, a);
    }
  }

  @Override
  public Scope attemptScope(CallInfo ignored, Target target, int attempt) {
    Attempt a = attempt(attempt);
    Context context = a != null ? a.context() : parent.with(span());
    return context.makeCurrent()::close;
  }

  @Override
  public void attemptEnd(CallInfo ignored, Target target, int attempt, Duration latency) {
    Attempt a = attempt(attempt);
    if (a != null) {
      a.span().setAttribute(n.attemptOutcome, "success");
      if (call.streaming()) {
        streamingAttempt = a; // its response is the stream: the span lasts until the stream ends
      } else {
        a.span().end(endOf(a, latency));
      }
    }
    provider = in.target(call, target).provider();
  }

  @Override
  public void attemptFailed(CallInfo ignored, Target target, int attempt, Duration latency, AiGatewayException error) {
    Attempt a = attempt(attempt);
    if (a != null) {
      a.span().setAttribute(n.attemptOutcome, "failure");
      a.span().setAttribute(n.errorType, error.getClass().getName());
      a.span().setStatus(StatusCode.ERROR, status(error));
      a.span().end(endOf(a, latency));
    }
  }

  private Instant endOf(Attempt a, Duration latency) {
    return call.startedAt().plusNanos(a.startNanos() - startNanos).plus(latency);
  }

  @Override
  public void retry(CallInfo ignored, Target target, int attempt, Duration delay, AiGatewayException cause) {
    span().addEvent(n.eventRetry, Attributes.builder()
        .put(n.target, in.target(call, target).name()).put(n.attemptNumber, attempt).put(n.retryDelay, seconds(delay))
        .put(n.errorType, cause.getClass().getName()).build(), now());
  }

  @Override
  public void fallback(CallInfo ignored, Target from, Target to, AiGatewayException cause) {
    Attributes a = Attributes.of(n.fallbackFrom, from.toString(), n.fallbackTo, to.toString(), n.errorType, cause.getClass().getName());
    span().addEvent(n.eventFallback, a, now());
    in.fallbacks.add(1, a.toBuilder().put(n.requestModel, requestModel).build());
  }

  @Override
  public void hedge(CallInfo ignored, Target from, Target to) {
    span().addEvent(n.eventHedge, Attributes.of(n.fallbackFrom, from.toString(), n.fallbackTo, to.toString()), now());
  }

  @Override
  public void guardrail(CallInfo ignored, String guardrail, boolean input, GuardrailAction action, List<GuardrailFinding> findings) {
    Set<String> types = new LinkedHashSet<>();
    for (GuardrailFinding f : findings) {
      types.add(f.type());
    }
    String direction = input ? "input" : "output";
    String act = action.name().toLowerCase(Locale.ROOT);
    span().addEvent(n.eventGuardrail, Attributes.builder()
        .put(n.guardrailName, guardrail).put(n.guardrailDirection, direction).put(n.guardrailAction, act)
        .put(n.guardrailTypes, List.copyOf(types)).build(), now());
    in.guardrailActions.add(1, Attributes.of(n.guardrailName, guardrail, n.guardrailDirection, direction, n.guardrailAction, act));
  }

  @Override
  public void budgetReserved(CallInfo ignored, BudgetUsage usage, BigDecimal reserved) {
    span().addEvent(n.eventBudgetReserved, budget(usage).put(n.budgetAmount, reserved.doubleValue())
        .put(n.budgetUsed, usage.used().doubleValue()).build(), now());
  }

  @Override
  public void budgetExceeded(CallInfo ignored, BudgetUsage usage, BigDecimal requested, BudgetAction action) {
    String act = action.name().toLowerCase(Locale.ROOT);
    span().addEvent(n.eventBudgetExceeded, budget(usage).put(n.budgetAmount, requested.doubleValue())
        .put(n.budgetUsed, usage.used().doubleValue()).put(n.budgetAction, act).build(), now());
    in.budgetExceeded.add(1, Attributes.of(n.budgetName, usage.budget(), n.budgetMeasure, usage.measure(),
        n.budgetWindow, usage.window(), n.budgetAction, act));
  }

  @Override
  public void budgetThreshold(CallInfo ignored, BudgetUsage usage, double threshold) {
    span().addEvent(n.eventBudgetThreshold, budget(usage).put(n.budgetThreshold, threshold)
        .put(n.budgetUsed, usage.used().doubleValue()).build(), now());
  }

  @Override
  public void budgetReconciled(CallInfo ignored, BudgetUsage usage, BigDecimal reserved, BigDecimal actual) {
    span().addEvent(n.eventBudgetReconciled, budget(usage).put(n.budgetAmount, reserved.doubleValue())
        .put(n.budgetActual, actual.doubleValue()).put(n.budgetUsed, usage.used().doubleValue()).build(), now());
  }

  @Override
  public void storeUnavailable(CallInfo ignored, StoreUnavailableException error) {
    span().addEvent(n.eventStoreUnavailable, Attributes.of(n.storeKind, error.store(), n.storeFailedClosed, error.failedClosed()), now());
  }

  /** A budget limit's identity: name, scope (never its key: user ids and custom keys stay out), measure, window, limit. */
  private AttributesBuilder budget(BudgetUsage usage) {
    return Attributes.builder().put(n.budgetName, usage.budget()).put(n.budgetScope, usage.scope())
        .put(n.budgetMeasure, usage.measure()).put(n.budgetWindow, usage.window()).put(n.budgetLimit, usage.limit().doubleValue());
  }

  @Override
  public void firstChunk(CallInfo ignored, Duration ttfc) {
    timeToFirstChunk = seconds(ttfc);
    span().setAttribute(n.responseTimeToFirstChunk, timeToFirstChunk);
  }

  @Override
  public void content(CallInfo ignored, ChatRequest request, Optional<ChatResponse> response) {
    if (!in.captureContent) {
      return;
    }
    String system = MessagesJson.systemInstructions(request);
    if (!system.isEmpty()) {
      span().setAttribute(n.systemInstructions, system);
    }
    span().setAttribute(n.inputMessages, MessagesJson.inputMessages(request));
    response.ifPresent(r -> span().setAttribute(n.outputMessages, MessagesJson.outputMessages(r)));
  }

  // ---------------------------------------------------------------------------------------------
  // End

  @Override
  public void callEnd(CallInfo ignored, ModelResponse response) {
    var metadata = response.metadata();
    Target served = metadata.target().orElse(null);
    if (served != null) {
      provider = in.target(call, served).provider();
    }
    boolean fromProvider = metadata.cacheStatus() != CacheStatus.HIT && metadata.cacheStatus() != CacheStatus.SEMANTIC_HIT;
    Usage usage = fromProvider ? response.usage().orElse(null) : null;
    Span s = span();
    if (s.isRecording()) {
      describeResponse(s, response, served, usage);
    }
    Instruments.MetricAttributes metricAttributes = in.metricAttributes(operation, requestModel, provider, response.model(), null);
    if (usage != null) {
      in.tokens.record(usage.inputTokens(), metricAttributes.input());
      if (call.operation() == CallInfo.Operation.CHAT) {
        in.tokens.record(usage.outputTokens(), metricAttributes.output());
      }
    }
    Cost cost = metadata.cost().orElse(null);
    if (cost != null && fromProvider) {
      String tenant = in.costByTenant ? call.context().tenant().orElse(null) : null;
      in.cost.add(cost.amount().doubleValue(), in.costAttributes(operation, response.model(), cost.currency(), provider, tenant));
    }
    end(metricAttributes.base());
  }

  private void describeResponse(Span s, ModelResponse response, @Nullable Target served, @Nullable Usage usage) {
    if (served != null) {
      s.setAttribute(n.target, in.target(call, served).name());
    }
    describeProvider(s);
    s.setAttribute(n.responseModel, response.model());
    if (response instanceof ChatResponse chat) {
      if (!chat.id().isEmpty()) {
        s.setAttribute(n.responseId, chat.id());
      }
      s.setAttribute(n.responseFinishReasons, in.finishReasons(chat.finishReason()));
    } else if (response instanceof EmbeddingResponse embeddings && !embeddings.embeddings().isEmpty()) {
      s.setAttribute(n.embeddingsDimensionCount, (long) embeddings.embeddings().get(0).vector().length);
    }
    if (attemptCount > 0) {
      s.setAttribute(n.attempts, (long) attemptCount);
    }
    if (usage != null) {
      s.setAttribute(n.usageInputTokens, usage.inputTokens());
      if (call.operation() == CallInfo.Operation.CHAT) {
        s.setAttribute(n.usageOutputTokens, usage.outputTokens());
      }
      if (usage.cachedInputTokens() > 0) {
        s.setAttribute(n.usageCacheReadInputTokens, usage.cachedInputTokens());
      }
      if (usage.cacheWriteTokens() > 0) {
        s.setAttribute(n.usageCacheCreationInputTokens, usage.cacheWriteTokens());
      }
      if (usage.reasoningTokens() > 0) {
        s.setAttribute(n.usageReasoningOutputTokens, usage.reasoningTokens());
      }
    }
    ResponseMetadata metadata = response.metadata();
    metadata.cost().ifPresent(c -> {
      s.setAttribute(n.cost, c.amount().doubleValue());
      s.setAttribute(n.currency, c.currency().getCurrencyCode());
    });
    metadata.savedCost().ifPresent(c -> s.setAttribute(n.savedCost, c.amount().doubleValue()));
  }

  @Override
  public void callFailed(CallInfo ignored, AiGatewayException error) {
    Span s = span();
    String type = error.getClass().getName();
    if (s.isRecording()) {
      describeProvider(s);
      s.setAttribute(n.errorType, type);
      s.setStatus(StatusCode.ERROR, status(error));
      if (attemptCount > 0) {
        s.setAttribute(n.attempts, (long) attemptCount);
      }
    }
    end(in.metricAttributes(operation, requestModel, provider, null, type).base());
  }

  private void describeProvider(Span s) {
    ProviderInfo p = provider;
    if (p != null) {
      s.setAllAttributes(p.attributes());
    }
  }

  private void end(Attributes metricAttributes) {
    long elapsed = clock.nanoTime() - startNanos;
    in.duration.record(elapsed / 1e9, metricAttributes);
    if (timeToFirstChunk >= 0) {
      in.timeToFirstChunk.record(timeToFirstChunk, metricAttributes);
    }
    Instant end = call.startedAt().plusNanos(elapsed);
    if (streamingAttempt != null) {
      streamingAttempt.span().end(end);
    }
    // attempts nobody reported an end for: hedges that lost, or a call cancelled mid-attempt
    endIfOpen(firstAttempt, end);
    Map<Integer, Attempt> more = moreAttempts;
    if (more != null) {
      for (Attempt a : more.values()) {
        endIfOpen(a, end);
      }
    }
    span().end(end);
  }

  private void endIfOpen(@Nullable Attempt a, Instant end) {
    if (a != null && a.span().isRecording()) {
      a.span().setAttribute(n.attemptOutcome, "cancelled");
      a.span().end(end);
    }
  }

  private static String status(AiGatewayException error) {
    String message = error.getMessage();
    if (message == null) {
      return error.getClass().getSimpleName();
    }
    return message.length() <= MAX_STATUS ? message : message.substring(0, MAX_STATUS) + "…";
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
