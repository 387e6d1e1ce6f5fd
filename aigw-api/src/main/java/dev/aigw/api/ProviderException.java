package dev.aigw.api;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A model provider failed a call. Provider clients decide once, when they map the failure,
 * whether it is {@linkplain #retryable() retryable}; the router falls back to the next target
 * only on retryable failures (and on the subclasses whose Javadoc says so).
 */
public class ProviderException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  /** The id of the provider that failed. */
  private final String provider;
  /** The HTTP (or equivalent) status, or 0 when there was none. */
  private final int statusCode;
  /** Whether the same request may succeed when tried again. */
  private final boolean retryable;
  /** How long the provider asked callers to wait, when it said. */
  private final @Nullable Duration retryAfter;

  /**
   * @param provider the id of the provider that failed, for example {@code "openai"}
   * @param statusCode the HTTP (or equivalent) status, or {@code 0} when there was none
   * @param retryable whether the same request may succeed if tried again or elsewhere
   * @param retryAfter the delay the provider asked for before a retry ({@code Retry-After},
   *     {@code retry-after-ms}), or {@code null} when it gave none
   * @param message what happened, without credentials or prompt content
   * @param cause the underlying failure, if any
   * @throws IllegalArgumentException when {@code retryAfter} is negative
   */
  public ProviderException(
      String provider, int statusCode, boolean retryable, @Nullable Duration retryAfter, String message,
      @Nullable Throwable cause) {
    super(message, cause);
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
    }
    this.provider = provider;
    this.statusCode = statusCode;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /**
   * @param provider the id of the provider that failed, for example {@code "openai"}
   * @param statusCode the HTTP (or equivalent) status, or {@code 0} when there was none
   * @param retryable whether the same request may succeed if tried again or elsewhere
   * @param message what happened, without credentials or prompt content
   * @param cause the underlying failure, if any
   */
  public ProviderException(
      String provider, int statusCode, boolean retryable, String message, @Nullable Throwable cause) {
    this(provider, statusCode, retryable, null, message, cause);
  }

  /**
   * Same as the five-argument constructor, without a cause.
   *
   * @param provider the id of the provider that failed
   * @param statusCode the HTTP (or equivalent) status, or 0 when there was none
   * @param retryable whether the same request may succeed when tried again
   * @param message what went wrong
   */
  public ProviderException(String provider, int statusCode, boolean retryable, String message) {
    this(provider, statusCode, retryable, message, null);
  }

  /** {@return the id of the provider that failed} */
  public String provider() {
    return provider;
  }

  /**
   * {@return the HTTP (or equivalent) status of the failure, when the provider answered with one}
   */
  public OptionalInt statusCode() {
    return statusCode > 0 ? OptionalInt.of(statusCode) : OptionalInt.empty();
  }

  /** {@return whether the same request may succeed when tried again, later or on another target} */
  public boolean retryable() {
    return retryable;
  }

  /**
   * {@return how long the provider asked callers to wait before trying again, when it said (a 429,
   * or a 503/529 with a retry delay)} The router waits at least this long before retrying the same
   * target, or moves on when the delay is longer than its cap.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
