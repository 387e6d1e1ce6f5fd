package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.time.Duration;
import java.util.Optional;

/**
 * One try of a call against one target.
 *
 * @param target where it was sent
 * @param outcome how it ended
 * @param latency from the start of the attempt to its answer (for streams: to the first chunk) or failure
 * @param errorType for failures, the exception's class name (for example
 *     {@code dev.aigw.api.RateLimitedException}); empty for successes
 */
public record Attempt(Target target, Outcome outcome, Duration latency, Optional<String> errorType) {
  /** How an attempt ended. */
  public enum Outcome {
    /** The target answered. */
    SUCCESS,
    /** The target failed. */
    FAILURE
  }

  /** @throws InvalidRequestException when a field is null */
  public Attempt {
    Require.nonNull(target, "attempt.target");
    Require.nonNull(outcome, "attempt.outcome");
    Require.nonNull(latency, "attempt.latency");
    Require.nonNull(errorType, "attempt.errorType");
  }

  /** A successful attempt. */
  public static Attempt success(Target target, Duration latency) {
    return new Attempt(target, Outcome.SUCCESS, latency, Optional.empty());
  }

  /** A failed attempt. */
  public static Attempt failure(Target target, Duration latency, Throwable error) {
    return new Attempt(target, Outcome.FAILURE, latency, Optional.of(error.getClass().getName()));
  }
}
