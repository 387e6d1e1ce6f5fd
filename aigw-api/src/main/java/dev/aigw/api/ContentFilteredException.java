package dev.aigw.api;

/** The provider refused to answer, or withheld its answer, because of its content policy. Not retryable. */
public final class ContentFilteredException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /**
   * @param provider the provider id
   * @param statusCode the status of the provider's answer, or {@code 0}
   * @param message what happened
   */
  public ContentFilteredException(String provider, int statusCode, String message) {
    super(provider, statusCode, false, message);
  }
}
