package dev.aigw.api;

import java.time.Duration;
import java.util.List;

/**
 * Receives events about calls, as OkHttp's {@code EventListener} does: observation kept apart
 * from interception. Every method has an empty default, so a listener overrides only what it
 * needs.
 *
 * <p>Events of one call arrive in order, one at a time (hedged attempts run concurrently, but
 * their events are reported from the thread that waits for them): {@code callStart}, then
 * {@code cacheHit} or {@code cacheMiss} when a response cache is configured (a hit ends the
 * call), then {@code route} with the candidates, then per attempt {@code attemptStart} and {@code
 * attemptEnd} or {@code attemptFailed} (followed by {@code retry} when the same target is tried
 * again, or {@code fallback} when the router moves on; {@code hedge} when a second attempt
 * starts beside a slow one), then for streams {@code firstChunk},
 * then {@code usage} when the provider reported it, {@code cacheStore} when the answer was
 * cached, and finally exactly one of {@code callEnd}
 * and {@code callFailed}.
 *
 * <p>A listener must not block and must be thread-safe when shared. An exception thrown by a
 * listener is logged and swallowed: it never changes or breaks a call. For per-call state,
 * register a {@link Factory} instead of one shared listener.
 */
public interface GatewayListener {
  /** The call started. */
  default void callStart(CallInfo call) {}

  /**
   * The response cache answered: {@code status} is {@link CacheStatus#HIT} or {@link
   * CacheStatus#SEMANTIC_HIT}, {@code age} the entry's age. No provider is called.
   */
  default void cacheHit(CallInfo call, CacheStatus status, Duration age) {}

  /** The response cache was consulted and had no answer; the call goes on to the provider. */
  default void cacheMiss(CallInfo call) {}

  /** The response cache stored the call's complete answer ({@code bytes}: its estimated size). */
  default void cacheStore(CallInfo call, long bytes) {}

  /**
   * The router resolved {@code model} (a route alias or {@code "provider/model"}) to {@code
   * candidates}, in the order it will try them, after hints and context-window checks. Not sent
   * when an interceptor answered before the router (a cache hit).
   */
  default void route(CallInfo call, String model, List<Target> candidates) {}

  /** An attempt against {@code target} started; {@code attempt} counts from 1. */
  default void attemptStart(CallInfo call, Target target, int attempt) {}

  /** The attempt succeeded (for streams: its first chunk arrived) after {@code latency}. */
  default void attemptEnd(CallInfo call, Target target, int attempt, Duration latency) {}

  /** The attempt failed after {@code latency}. */
  default void attemptFailed(CallInfo call, Target target, int attempt, Duration latency, AiGatewayException error) {}

  /**
   * The router will try {@code target} again after {@code delay} (backoff, or the provider's
   * retry delay) because attempt number {@code attempt} failed with {@code cause}.
   */
  default void retry(CallInfo call, Target target, int attempt, Duration delay, AiGatewayException cause) {}

  /** The router moves on from {@code from} to {@code to} because of {@code cause}. */
  default void fallback(CallInfo call, Target from, Target to, AiGatewayException cause) {}

  /**
   * The router hedges: {@code from} has not answered within the route's hedging delay, so the
   * same request goes to {@code to} as well; the first answer wins and the other is cancelled.
   */
  default void hedge(CallInfo call, Target from, Target to) {}

  /** The first chunk of a stream reached the caller, {@code timeToFirstChunk} after the call started. */
  default void firstChunk(CallInfo call, Duration timeToFirstChunk) {}

  /** The provider reported the call's usage. */
  default void usage(CallInfo call, Usage usage) {}

  /**
   * The call succeeded. For streams, {@code response} is assembled from the chunks when the
   * stream completes.
   */
  default void callEnd(CallInfo call, ModelResponse response) {}

  /**
   * The call failed, timed out, or was cancelled (including a stream closed before it
   * completed, reported as a {@link CallCancelledException}).
   */
  default void callFailed(CallInfo call, AiGatewayException error) {}

  /** Creates a listener per call, for listeners that keep per-call state (a span, a timer). */
  @FunctionalInterface
  interface Factory {
    /** The listener for {@code call}; called before {@code callStart}. */
    GatewayListener create(CallInfo call);
  }
}
