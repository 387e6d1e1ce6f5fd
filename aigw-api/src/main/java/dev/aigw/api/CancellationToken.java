package dev.aigw.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A signal that a call should stop. Callers put one in a {@link CallContext} to cancel a call
 * from another thread; the gateway gives each call one that fires at its deadline; providers
 * {@linkplain #onCancel(Runnable) register} to abort their I/O when it fires. Thread-safe.
 */
public final class CancellationToken {
  private static final System.Logger LOG = System.getLogger(CancellationToken.class.getName());

  private final Object lock = new Object();
  private volatile @Nullable AiGatewayException reason;
  /** Registered callbacks, created on first registration; null once the token has fired. */
  private @Nullable List<Runnable> callbacks;

  private CancellationToken() {}

  /** {@return a new token that has not fired} */
  public static CancellationToken create() {
    return new CancellationToken();
  }

  /** Fires the token: the call ends with a {@link CallCancelledException}. Idempotent. */
  public void cancel() {
    cancel(new CallCancelledException("cancelled through its CancellationToken"));
  }

  /**
   * Fires the token with the exception the call should end with (for example a {@link
   * DeadlineExceededException}), then runs the registered callbacks on this thread. Only the first
   * call has an effect.
   *
   * @param reason the exception the call should end with
   */
  public void cancel(AiGatewayException reason) {
    java.util.Objects.requireNonNull(reason, "reason");
    List<Runnable> toRun;
    synchronized (lock) {
      if (this.reason != null) {
        return;
      }
      this.reason = reason;
      toRun = callbacks;
      callbacks = null;
    }
    if (toRun == null) {
      return;
    }
    for (Runnable callback : toRun) {
      try {
        callback.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a cancellation callback failed; the call is cancelled regardless", e);
      }
    }
  }

  /** {@return whether the token has fired} */
  public boolean isCancelled() {
    return reason != null;
  }

  /** {@return the exception the call should end with, once the token has fired} */
  public Optional<AiGatewayException> reason() {
    return Optional.ofNullable(reason);
  }

  /**
   * Runs {@code callback} when the token fires, or at once on this thread if it already has.
   * Close the returned registration when the work it guards has finished, so long-lived tokens do
   * not accumulate callbacks.
   *
   * @param callback what to run when the token fires
   * @return a registration to close when the callback is no longer needed
   */
  public Registration onCancel(Runnable callback) {
    java.util.Objects.requireNonNull(callback, "callback");
    synchronized (lock) {
      if (reason == null) {
        if (callbacks == null) {
          callbacks = new ArrayList<>(2);
        }
        callbacks.add(callback);
        return () -> {
          synchronized (lock) {
            if (callbacks != null) {
              callbacks.remove(callback);
            }
          }
        };
      }
    }
    callback.run();
    return () -> {};
  }

  /** Removes a callback registered with {@link #onCancel(Runnable)}. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    /** Removes the callback; idempotent. */
    @Override
    void close();
  }

  @Override
  public String toString() {
    return "CancellationToken[" + (reason == null ? "active" : "cancelled") + "]";
  }
}
