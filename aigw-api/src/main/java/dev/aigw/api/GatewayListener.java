package dev.aigw.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Receives events about calls, as OkHttp's {@code EventListener} does: observation kept apart
 * from interception. Every method has an empty default, so a listener overrides only what it
 * needs.
 *
 * <p>Events of one call arrive in order, one at a time (hedged attempts run concurrently, but
 * their events are reported from the thread that waits for them): {@code callStart}, then
 * {@code guardrail} for what input guardrails found, then {@code cacheHit} or {@code cacheMiss} when a response cache is configured (a hit ends the
 * call), then, when budgets apply, {@code budgetExceeded} for each budget the call would pass
 * (ending the call when that budget rejects it) and {@code budgetReserved} for each budget that
 * admitted it (with {@code budgetThreshold} when its usage crosses an alert level), then {@code
 * route} with the candidates, then per attempt {@code attemptStart} and {@code
 * attemptEnd} or {@code attemptFailed} (followed by {@code retry} when the same target is tried
 * again, or {@code fallback} when the router moves on; {@code hedge} when a second attempt
 * starts beside a slow one), then for streams {@code firstChunk},
 * then {@code usage} when the provider reported it, {@code cacheStore} when the answer was
 * cached, {@code budgetReconciled} for each budget when the call's usage is settled, {@code
 * content} for chat calls that passed the input guardrails, and finally exactly one of {@code
 * callEnd} and {@code callFailed} (except that a stream closed before its
 * end reports {@code callFailed} first and {@code budgetReconciled} just after).
 *
 * <p>{@link #attemptScope} is not an event: the router opens it on the thread that calls the
 * provider, so a tracing listener can make its span current there.
 *
 * <p>A listener must not block and must be thread-safe when shared. An exception thrown by a
 * listener is logged and swallowed: it never changes or breaks a call. For per-call state,
 * register a {@link Factory} instead of one shared listener.
 */
public interface GatewayListener {
  /**
   * The call started.
   *
   * @param call the call
   */
  default void callStart(CallInfo call) {}

  /**
   * The response cache answered: {@code status} is {@link CacheStatus#HIT} or {@link
   * CacheStatus#SEMANTIC_HIT}, {@code age} the entry's age. No provider is called.
   *
   * @param call the call
   * @param status {@link CacheStatus#HIT} or {@link CacheStatus#SEMANTIC_HIT}
   * @param age the age of the entry that answered
   */
  default void cacheHit(CallInfo call, CacheStatus status, Duration age) {}

  /**
   * The response cache was consulted and had no answer; the call goes on to the provider.
   *
   * @param call the call
   */
  default void cacheMiss(CallInfo call) {}

  /**
   * The response cache stored the call's complete answer ({@code bytes}: its estimated size).
   *
   * @param call the call
   * @param bytes the stored entry's estimated size
   */
  default void cacheStore(CallInfo call, long bytes) {}

  /**
   * The router resolved {@code model} (a route alias or {@code "provider/model"}) to {@code
   * candidates}, in the order it will try them, after hints and context-window checks. Not sent
   * when an interceptor answered before the router (a cache hit).
   *
   * @param call the call
   * @param model the requested route alias or {@code "provider/model"}
   * @param candidates the targets the router will try, in order
   */
  default void route(CallInfo call, String model, List<Target> candidates) {}

  /**
   * An attempt against {@code target} started; {@code attempt} counts from 1.
   *
   * @param call the call
   * @param target the target called
   * @param attempt the attempt's number in the call, from 1
   */
  default void attemptStart(CallInfo call, Target target, int attempt) {}

  /**
   * The attempt succeeded (for streams: its first chunk arrived) after {@code latency}.
   *
   * @param call the call
   * @param target the target called
   * @param attempt the attempt's number in the call, from 1
   * @param latency from the attempt's start to its answer (for streams: its first chunk)
   */
  default void attemptEnd(CallInfo call, Target target, int attempt, Duration latency) {}

  /**
   * The attempt failed after {@code latency}.
   *
   * @param call the call
   * @param target the target called
   * @param attempt the attempt's number in the call, from 1
   * @param latency from the attempt's start to its failure
   * @param error why it failed
   */
  default void attemptFailed(CallInfo call, Target target, int attempt, Duration latency, AiGatewayException error) {}

  /**
   * The router will try {@code target} again after {@code delay} (backoff, or the provider's
   * retry delay) because attempt number {@code attempt} failed with {@code cause}.
   *
   * @param call the call
   * @param target the target tried again
   * @param attempt the number of the attempt that failed, from 1
   * @param delay how long the router waits before the next attempt
   * @param cause why the attempt failed
   */
  default void retry(CallInfo call, Target target, int attempt, Duration delay, AiGatewayException cause) {}

  /**
   * The router moves on from {@code from} to {@code to} because of {@code cause}.
   *
   * @param call the call
   * @param from the target that failed
   * @param to the next target
   * @param cause why the router moved on
   */
  default void fallback(CallInfo call, Target from, Target to, AiGatewayException cause) {}

  /**
   * The router hedges: {@code from} has not answered within the route's hedging delay, so the
   * same request goes to {@code to} as well; the first answer wins and the other is cancelled.
   *
   * @param call the call
   * @param from the slow target
   * @param to the target the request also goes to
   */
  default void hedge(CallInfo call, Target from, Target to) {}

  /**
   * A guardrail found something in the request ({@code input}) or the answer and acted: {@code
   * action} is the strongest action of its {@code findings} (types and positions, never the
   * text). Sent only when it found something; a {@link GuardrailAction#BLOCK} then ends the call
   * with a {@link GuardrailViolationException}.
   *
   * @param call the call
   * @param guardrail the guardrail's name
   * @param input {@code true} for the request, {@code false} for the answer
   * @param action the strongest action of the findings
   * @param findings what it found: types and positions, never the text
   */
  default void guardrail(CallInfo call, String guardrail, boolean input, GuardrailAction action, List<GuardrailFinding> findings) {}

  /**
   * The call was admitted by one budget limit: {@code reserved} (its estimate) is held against
   * it until the call is reconciled; {@code usage} includes it.
   *
   * @param call the call
   * @param usage the limit's usage, including this reservation
   * @param reserved the amount reserved, in the limit's unit
   */
  default void budgetReserved(CallInfo call, BudgetUsage usage, BigDecimal reserved) {}

  /**
   * The call would take one budget limit past its limit ({@code requested} is its estimate;
   * {@code usage} is the state before it), and the budget's {@code action} follows: {@link
   * BudgetAction#REJECT} ends the call with a {@link BudgetExceededException}, {@link
   * BudgetAction#DOWNGRADE} sends it to a cheaper route, {@link BudgetAction#WARN} lets it
   * through (this event is then sent after {@code budgetReserved}, and {@code usage} includes the
   * call).
   *
   * @param call the call
   * @param usage the limit's usage before this call
   * @param requested the call's estimate, in the limit's unit
   * @param action what the budget does about it
   */
  default void budgetExceeded(CallInfo call, BudgetUsage usage, BigDecimal requested, BudgetAction action) {}

  /**
   * A budget limit's usage reached {@code threshold} (a fraction of the limit, such as 0.8 or
   * 1.0) for the first time in its window, by this call's reservation or reconciliation. Sent
   * once per window and threshold by each gateway.
   *
   * @param call the call
   * @param usage the limit's usage
   * @param threshold the fraction of the limit reached, such as 0.8 or 1.0
   */
  default void budgetThreshold(CallInfo call, BudgetUsage usage, double threshold) {}

  /**
   * The call's reservation against one budget limit was settled: {@code reserved} was replaced by
   * {@code actual} (what the provider reported, tokens counted locally for a stream cut off part
   * way, or zero for a call that failed with no usage); {@code usage} includes it.
   *
   * @param call the call
   * @param usage the limit's usage, including the settlement
   * @param reserved the amount that was reserved
   * @param actual the amount charged instead
   */
  default void budgetReconciled(CallInfo call, BudgetUsage usage, BigDecimal reserved, BigDecimal actual) {}

  /**
   * A shared store failed during this call. When {@link StoreUnavailableException#failedClosed()}
   * the call ends with {@code error}; otherwise it went on without the store: a budget store
   * admitted it against its local fallback (and settles it with the shared counters once they are
   * back), a cache store answered from its local level or as a miss, or did not keep the answer.
   *
   * @param call the call
   * @param error what failed, and whether the call ends with it
   */
  default void storeUnavailable(CallInfo call, StoreUnavailableException error) {}

  /**
   * The first chunk of a stream reached the caller, {@code timeToFirstChunk} after the call
   * started.
   *
   * @param call the call
   * @param timeToFirstChunk from the call's start to the first chunk
   */
  default void firstChunk(CallInfo call, Duration timeToFirstChunk) {}

  /**
   * The provider reported the call's usage.
   *
   * @param call the call
   * @param usage the usage the provider reported
   */
  default void usage(CallInfo call, Usage usage) {}

  /**
   * The call succeeded. For streams, {@code response} is assembled from the chunks when the
   * stream completes.
   *
   * @param call the call
   * @param response the answer
   */
  default void callEnd(CallInfo call, ModelResponse response) {}

  /**
   * The call failed, timed out, or was cancelled (including a stream closed before it
   * completed, reported as a {@link CallCancelledException}).
   *
   * @param call the call
   * @param error why it failed
   */
  default void callFailed(CallInfo call, AiGatewayException error) {}

  /**
   * The chat call's messages as the model saw them, for listeners that record content (telemetry
   * with content capture on): {@code request} as it left the input guardrails (as the caller
   * made it when none are configured), and {@code
   * response} (empty when the call failed) with every value those guardrails masked shown as its
   * placeholder again, as the model wrote it; the caller gets the values back, observers never
   * do. Sent just before {@code callEnd} or {@code callFailed}, and not at all when the call
   * ended before its request passed the input guardrails (a block or an access denial: such a
   * request may hold what the guardrails exist to stop). Embeddings calls do not send it.
   *
   * @param call the call
   * @param request the request as the model saw it
   * @param response the answer, with masked values restored; empty when the call failed
   */
  default void content(CallInfo call, ChatRequest request, Optional<ChatResponse> response) {}

  /**
   * Attempt number {@code attempt} is about to call its provider on the current thread (for a
   * hedged attempt, a thread of the gateway's hedging pool); the returned scope is closed on
   * the same thread when the provider has returned (for a stream: once it opened). A tracing
   * listener makes its span current here, so that instrumentation of the provider's HTTP or gRPC
   * client nests under it and propagates the trace to the server.
   *
   * <p>This is not an event: it runs on the attempt's thread, after {@code attemptStart} for the
   * same attempt but possibly at the same time as events about other attempts of a hedged call,
   * so an implementation must be thread-safe. It must be cheap and must not throw; the scope's
   * {@code close} must not throw either. The default does nothing.
   *
   * @param call the call
   * @param target the target about to be called
   * @param attempt the attempt's number in the call, from 1
   * @return a scope the router closes on the same thread when the provider has returned
   */
  default Scope attemptScope(CallInfo call, Target target, int attempt) {
    return Scope.NONE;
  }

  /** What {@link #attemptScope} returns: closed once, on the thread that opened it. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    /** A scope that does nothing. */
    Scope NONE = () -> {};

    /** Ends the scope. */
    @Override
    void close();
  }

  /** Creates a listener per call, for listeners that keep per-call state (a span, a timer). */
  @FunctionalInterface
  interface Factory {
    /**
     * {@return the listener for {@code call}; called before {@code callStart}}
     *
     * @param call the call that starts
     */
    GatewayListener create(CallInfo call);
  }
}
