package dev.aigw.api;

import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A model provider failed a call. Provider clients decide once, when they map the failure,
 * whether it is {@linkplain #retryable() retryable}; the router falls back to the next target
 * only on retryable failures (and on the subclasses whose Javadoc says so).
 */
public class ProviderException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  private final String provider;
  private final int statusCode;
  private final boolean retryable;

  /**
   * @param provider the id of the provider that failed, for example {@code "openai"}
   * @param statusCode the HTTP (or equivalent) status, or {@code 0} when there was none
   * @param retryable whether the same request may succeed if tried again or elsewhere
   * @param message what happened, without credentials or prompt content
   * @param cause the underlying failure, if any
   */
  public ProviderException(
      String provider, int statusCode, boolean retryable, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.provider = provider;
    this.statusCode = statusCode;
    this.retryable = retryable;
  }

  /** Same as the five-argument constructor, without a cause. */
  public ProviderException(String provider, int statusCode, boolean retryable, String message) {
    this(provider, statusCode, retryable, message, null);
  }

  /** The id of the provider that failed. */
  public String provider() {
    return provider;
  }

  /** The HTTP (or equivalent) status of the failure, when the provider answered with one. */
  public OptionalInt statusCode() {
    return statusCode > 0 ? OptionalInt.of(statusCode) : OptionalInt.empty();
  }

  /** Whether the same request may succeed when tried again, later or on another target. */
  public boolean retryable() {
    return retryable;
  }
}
