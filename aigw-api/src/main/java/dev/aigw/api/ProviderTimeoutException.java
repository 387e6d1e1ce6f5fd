package dev.aigw.api;

import org.jspecify.annotations.Nullable;

/**
 * The provider did not answer in time (a connect, read or provider-side timeout). Retryable.
 * Distinct from {@link DeadlineExceededException}, which means the caller's own deadline passed.
 */
public final class ProviderTimeoutException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider id
   * @param message what timed out
   * @param cause the underlying failure, if any
   */
  public ProviderTimeoutException(String provider, String message, @Nullable Throwable cause) {
    super(provider, 0, true, message, cause);
  }
}
