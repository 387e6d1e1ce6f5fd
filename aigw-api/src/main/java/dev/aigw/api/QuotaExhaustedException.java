package dev.aigw.api;

/**
 * The provider account's quota or balance is used up (OpenAI's {@code insufficient_quota}). Not
 * retryable: waiting does not bring it back, so the same target is not tried again. But it is the
 * account's problem, not the request's, so the router falls back to the next candidate of a route
 * (another provider or account), unlike {@link AuthenticationException} and other client errors.
 */
public final class QuotaExhaustedException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider id
   * @param statusCode the status of the provider's answer
   * @param message what happened
   */
  public QuotaExhaustedException(String provider, int statusCode, String message) {
    super(provider, statusCode, false, message);
  }
}
