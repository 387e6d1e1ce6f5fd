package dev.aigw.api;

/**
 * The gateway did not send an attempt to a target because the target's own protection refused
 * it: its circuit breaker is open, or its bulkhead has no free slot. No request left the JVM.
 * Retryable, so the router moves on to the next candidate.
 */
public final class TargetUnavailableException extends ProviderException {
  private static final long serialVersionUID = 1L;

  /** Why the target refused the attempt. */
  public enum Reason {
    /** The target failed often enough recently that its circuit breaker is open. */
    CIRCUIT_OPEN,
    /** The target already has as many calls in flight as its bulkhead allows. */
    BULKHEAD_FULL
  }

  /** The target that refused the attempt. */
  private final Target target;
  /** Why it refused. */
  private final Reason reason;

  /**
   * @param target the target that refused
   * @param reason why
   * @param message what happened
   */
  public TargetUnavailableException(Target target, Reason reason, String message) {
    super(target.provider(), 0, true, message);
    this.target = target;
    this.reason = reason;
  }

  /** {@return the target that refused the attempt} */
  public Target target() {
    return target;
  }

  /** {@return why it refused} */
  public Reason reason() {
    return reason;
  }
}
