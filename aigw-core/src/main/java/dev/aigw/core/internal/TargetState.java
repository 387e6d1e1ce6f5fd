package dev.aigw.core.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.Capability;
import dev.aigw.api.ProviderException;
import dev.aigw.api.Target;
import dev.aigw.api.TargetUnavailableException;
import dev.aigw.core.catalog.ModelInfo;
import dev.aigw.core.pricing.Prices;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.tokens.TokenCounter;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Everything the router keeps about one target: its resilience (circuit breaker, bulkhead,
 * retry and retry budget), its recent latencies, and what the catalog says about its model.
 */
final class TargetState {
  final Target target;
  final Resilience resilience;
  final @Nullable ModelInfo model;
  final TokenCounter tokenCounter;
  final LatencyStats blockingLatency = new LatencyStats();
  final LatencyStats streamLatency = new LatencyStats();
  private final @Nullable CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final Retry retry;
  private final RetryThrottle throttle;
  /** When the router last created or tried this target (monotonic nanos); a plain field, a hint for eviction only. */
  long lastUsedNanos;

  TargetState(Target target, Resilience resilience, @Nullable ModelInfo model, Clock clock) {
    this.target = target;
    this.resilience = resilience;
    this.model = model;
    this.tokenCounter = TokenCounter.forModel(target.model());
    String name = target.toString();
    this.breaker = resilience.circuitBreaker()
        .map(config -> CircuitBreaker.of(name, CircuitBreakerConfig.from(config).clock(clock).build()))
        .orElse(null);
    this.bulkhead = Bulkhead.of(name, BulkheadConfig.custom()
        .maxConcurrentCalls(resilience.maxConcurrentCalls())
        .maxWaitDuration(Duration.ZERO)
        .writableStackTraceEnabled(false)
        .build());
    IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(
        resilience.initialBackoff(), resilience.backoffMultiplier(), resilience.jitter(), resilience.maxBackoff());
    long maxRetryDelayMillis = resilience.maxRetryDelay().toMillis();
    this.retry = Retry.of(name, RetryConfig.custom()
        .maxAttempts(resilience.maxAttempts())
        .retryOnException(e -> e instanceof ProviderException p && p.retryable()
            && !(p instanceof TargetUnavailableException)
            && p.retryAfter().map(d -> d.toMillis() <= maxRetryDelayMillis).orElse(true))
        .intervalBiFunction((attempt, outcome) -> outcome.isLeft() && outcome.getLeft() instanceof ProviderException p
            && p.retryAfter().isPresent()
            ? p.retryAfter().get().toMillis()
            : backoff.apply(attempt))
        .failAfterMaxAttempts(false)
        .build());
    this.throttle = new RetryThrottle(resilience.retryBudgetTokens(), resilience.retryBudgetRefill());
  }

  /** The context window the catalog gives, or 0 when unknown. */
  int contextWindow() {
    return model == null ? 0 : model.contextWindow().orElse(0);
  }

  @Nullable Prices prices() {
    return model == null ? null : model.prices().orElse(null);
  }

  boolean has(Capability capability) {
    return model != null && model.has(capability);
  }

  LatencyStats latency(boolean streaming) {
    return streaming ? streamLatency : blockingLatency;
  }

  /** Calls in flight to this target now (streams count until closed). */
  int inFlight() {
    return resilience.maxConcurrentCalls() - bulkhead.getMetrics().getAvailableConcurrentCalls();
  }

  /**
   * Takes a bulkhead slot and the breaker's permission for one attempt.
   *
   * @throws TargetUnavailableException when either refuses
   */
  void acquire() {
    if (!bulkhead.tryAcquirePermission()) {
      throw new TargetUnavailableException(target, TargetUnavailableException.Reason.BULKHEAD_FULL,
          "target " + target + " already has " + resilience.maxConcurrentCalls() + " calls in flight");
    }
    if (breaker != null && !breaker.tryAcquirePermission()) {
      bulkhead.onComplete();
      throw new TargetUnavailableException(target, TargetUnavailableException.Reason.CIRCUIT_OPEN,
          "the circuit breaker of target " + target + " is " + breaker.getState().name().toLowerCase(java.util.Locale.ROOT)
              + " after recent failures");
    }
  }

  /** Returns the bulkhead slot taken by {@link #acquire()}. */
  void releaseSlot() {
    bulkhead.onComplete();
  }

  /** Reports a successful attempt to the breaker and the retry budget. */
  void succeeded(long latencyNanos) {
    if (breaker != null) {
      breaker.onSuccess(latencyNanos, TimeUnit.NANOSECONDS);
    }
    throttle.onSuccess();
  }

  /**
   * Reports a failed attempt: counted against the breaker and the retry budget when it is the
   * target's fault (a retryable provider error, an attempt timeout); otherwise only releases the
   * breaker's permission.
   */
  void failed(long latencyNanos, AiGatewayException error, boolean targetsFault) {
    if (targetsFault) {
      if (breaker != null) {
        breaker.onError(latencyNanos, TimeUnit.NANOSECONDS, error);
      }
      throttle.onFailure();
    } else if (breaker != null) {
      breaker.releasePermission();
    }
  }

  /** A fresh retry sequence for one call against this target. */
  Retry.AsyncContext<Object> newRetrySequence() {
    return retry.asyncContext();
  }

  /** Whether the retry budget allows one more retry now. */
  boolean retryBudgetAllows() {
    return throttle.allowsRetry();
  }
}
