package dev.aigw.api;

/**
 * The call was cancelled by its caller: through the {@link CancellationToken} in its context, by
 * cancelling the future of an async call, or by closing a stream before it completed.
 */
public final class CallCancelledException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  /** @param message how the call was cancelled */
  public CallCancelledException(String message) {
    super(message);
  }
}
