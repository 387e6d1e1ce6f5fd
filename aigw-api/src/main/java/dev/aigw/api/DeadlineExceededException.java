package dev.aigw.api;

import java.time.Duration;

/**
 * The caller's deadline (from {@link CallContext#deadline()} or {@link CallContext#timeout()})
 * passed before the call completed. The upstream call was cancelled and no further target was
 * tried.
 */
public final class DeadlineExceededException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  /** The time the call was given, measured from its start. */
  private final Duration timeout;

  /** @param timeout the time the call was given, measured from its start */
  public DeadlineExceededException(Duration timeout) {
    super("call exceeded its deadline of " + timeout.toMillis() + " ms");
    this.timeout = timeout;
  }

  /** {@return the time the call was given, measured from its start} */
  public Duration timeout() {
    return timeout;
  }
}
