package dev.aigw.redis;

import org.jspecify.annotations.Nullable;

/** Redis did not answer, or answered with an error: what the stores turn into their failure policy. */
final class RedisFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean timedOut;
  private final boolean mayHaveRun;

  RedisFailure(String message, @Nullable Throwable cause, boolean timedOut, boolean mayHaveRun) {
    super(message, cause);
    this.timedOut = timedOut;
    this.mayHaveRun = mayHaveRun;
  }

  /** Whether the command was sent, so the server may have run it though no answer came back. */
  boolean mayHaveRun() {
    return mayHaveRun;
  }

  /** Whether the command ran out of time, so it may still run on the server. */
  boolean timedOut() {
    return timedOut;
  }
}
