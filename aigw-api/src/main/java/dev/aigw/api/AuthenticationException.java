package dev.aigw.api;

/** The provider rejected the credentials (HTTP 401 or 403). Not retryable. The message never contains the credential. */
public final class AuthenticationException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider id
   * @param statusCode the status of the provider's answer
   * @param message what happened
   */
  public AuthenticationException(String provider, int statusCode, String message) {
    super(provider, statusCode, false, message);
  }
}
