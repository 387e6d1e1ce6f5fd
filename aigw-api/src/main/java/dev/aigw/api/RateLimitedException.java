package dev.aigw.api;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The provider rejected the call for exceeding a rate limit (HTTP 429). Retryable. */
public final class RateLimitedException extends ProviderException {
  private static final long serialVersionUID = 1L;

  private final @Nullable Duration retryAfter;

  /**
   * @param provider the provider id
   * @param retryAfter the delay the provider asked for, or {@code null} when it gave none
   * @param message what happened
   */
  public RateLimitedException(String provider, @Nullable Duration retryAfter, String message) {
    super(provider, 429, true, message);
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
    }
    this.retryAfter = retryAfter;
  }

  /** How long the provider asked callers to wait before trying again, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
