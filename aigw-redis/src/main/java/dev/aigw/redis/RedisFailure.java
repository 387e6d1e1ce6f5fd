package dev.aigw.redis;

import org.jspecify.annotations.Nullable;

/** Redis did not answer, or answered with an error: what the stores turn into their failure policy. */
final class RedisFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean timedOut;

  RedisFailure(String message, @Nullable Throwable cause, boolean timedOut) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  /** Whether the command ran out of time, so it may still run on the server. */
  boolean timedOut() {
    return timedOut;
  }
}
