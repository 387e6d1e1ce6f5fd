package dev.aigw.api;

/**
 * The request does not fit the model's context window. Not retryable on the same model; the
 * router may fall back to a target with a larger window.
 */
public final class ContextWindowExceededException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider id
   * @param statusCode the status of the provider's answer, or {@code 0}
   * @param message what happened
   */
  public ContextWindowExceededException(String provider, int statusCode, String message) {
    super(provider, statusCode, false, message);
  }
}
