package dev.aigw.api;

import java.util.List;

/**
 * No target could serve the call: the model named no route and no registered provider, or every
 * candidate of a route with several targets failed. {@link #attempts()} lists each try with its
 * outcome; the last failure is the {@linkplain #getCause() cause} and the earlier ones are
 * {@linkplain #getSuppressed() suppressed}.
 */
public final class NoRouteAvailableException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  private final transient List<Attempt> attempts;

  /**
   * @param message why no route was available
   * @param attempts every attempt made, in order (empty when none could be made)
   * @param failures the failure of each failed attempt, in order; the last becomes the cause
   */
  public NoRouteAvailableException(String message, List<Attempt> attempts, List<? extends Throwable> failures) {
    super(message, failures.isEmpty() ? null : failures.get(failures.size() - 1));
    this.attempts = List.copyOf(attempts);
    for (int i = 0; i < failures.size() - 1; i++) {
      addSuppressed(failures.get(i));
    }
  }

  /**
   * {@return every attempt that was made, in order, with its target, outcome, latency and error
   * type}
   */
  public List<Attempt> attempts() {
    return attempts;
  }
}
