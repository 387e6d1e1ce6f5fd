package dev.aigw.api;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The provider rejected the call for exceeding a rate limit (HTTP 429). Retryable; {@link
 * #retryAfter()} holds the delay the provider asked for, when it gave one.
 */
public final class RateLimitedException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider id
   * @param retryAfter the delay the provider asked for, or {@code null} when it gave none
   * @param message what happened
   * @throws IllegalArgumentException when {@code retryAfter} is negative
   */
  public RateLimitedException(String provider, @Nullable Duration retryAfter, String message) {
    super(provider, 429, true, retryAfter, message, null);
  }
}
