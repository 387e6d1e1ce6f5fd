package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.time.Duration;
import java.util.Optional;

/**
 * One try of a call against one target.
 *
 * @param target where it was sent
 * @param outcome how it ended
 * @param latency from the start of the attempt to its answer (for streams: to the first chunk),
 *     its failure, or its cancellation
 * @param errorType for failures, the exception's class name (for example
 *     {@code dev.aigw.api.RateLimitedException}); empty otherwise
 * @param retryDelay when the router retried the same target after this attempt, how long it
 *     waited first (the backoff, or the provider's retry delay); empty otherwise
 */
public record Attempt(Target target, Outcome outcome, Duration latency, Optional<String> errorType, Optional<Duration> retryDelay) {
  /** How an attempt ended. */
  public enum Outcome {
    /** The target answered. */
    SUCCESS,
    /** The target failed, or refused the attempt (see {@link TargetUnavailableException}). */
    FAILURE,
    /** The gateway cancelled the attempt because another one answered first (hedging). */
    CANCELLED
  }

  /**
   * @param target where it was sent
   * @param outcome how it ended
   * @param latency from the start of the attempt to its answer (for streams: to the first chunk),
   *     its failure, or its cancellation
   * @param errorType for failures, the exception's class name (for example
   *     {@code dev.aigw.api.RateLimitedException}); empty otherwise
   * @param retryDelay when the router retried the same target after this attempt, how long it
   *     waited first (the backoff, or the provider's retry delay); empty otherwise
   * @throws InvalidRequestException when a field is null or a duration negative
   */
  public Attempt {
    Require.nonNull(target, "attempt.target");
    Require.nonNull(outcome, "attempt.outcome");
    if (Require.nonNull(latency, "attempt.latency").isNegative()) {
      throw new InvalidRequestException("attempt.latency", "must not be negative");
    }
    Require.nonNull(errorType, "attempt.errorType");
    if (Require.nonNull(retryDelay, "attempt.retryDelay").map(Duration::isNegative).orElse(false)) {
      throw new InvalidRequestException("attempt.retryDelay", "must not be negative");
    }
  }

  /**
   * {@return a successful attempt}
   *
   * @param target the target called
   * @param latency how long the attempt took
   */
  public static Attempt success(Target target, Duration latency) {
    return new Attempt(target, Outcome.SUCCESS, latency, Optional.empty(), Optional.empty());
  }

  /**
   * {@return a failed attempt after which the router did not retry the same target}
   *
   * @param target the target called
   * @param latency how long the attempt took
   * @param error why it failed
   */
  public static Attempt failure(Target target, Duration latency, Throwable error) {
    return new Attempt(target, Outcome.FAILURE, latency, Optional.of(error.getClass().getName()), Optional.empty());
  }

  /**
   * {@return a failed attempt after which the router waited {@code retryDelay} and retried the same
   * target}
   *
   * @param target the target called
   * @param latency how long the attempt took
   * @param error why it failed
   * @param retryDelay how long the router waited before the retry
   */
  public static Attempt retried(Target target, Duration latency, Throwable error, Duration retryDelay) {
    return new Attempt(target, Outcome.FAILURE, latency, Optional.of(error.getClass().getName()), Optional.of(retryDelay));
  }

  /**
   * {@return an attempt the gateway cancelled because another attempt answered first}
   *
   * @param target the target called
   * @param latency how long the attempt ran until it was cancelled
   */
  public static Attempt cancelled(Target target, Duration latency) {
    return new Attempt(target, Outcome.CANCELLED, latency, Optional.empty(), Optional.empty());
  }
}
