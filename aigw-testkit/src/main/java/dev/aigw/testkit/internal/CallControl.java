package dev.aigw.testkit.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The cancellation state of one fake call. It stops when the call's {@link CancellationToken}
 * fires, when the call's stream is closed, or when a waiting thread is interrupted; every wait
 * ends at once when it stops, and then throws the reason it stopped with. Thread-safe.
 *
 * <p>Waits measure real time with {@link CountDownLatch#await(long, TimeUnit)}, or, when a {@link
 * TimeSource} is given, wait for a timer on it (so a manual clock drives them). A zero wait does
 * not wait at all.
 */
public final class CallControl implements AutoCloseable {
  private final Object lock = new Object();
  private final List<CountDownLatch> waiters = new ArrayList<>(1);
  private final @Nullable TimeSource timeSource;
  private final boolean hasToken;
  private @Nullable AiGatewayException reason;
  private volatile CancellationToken.Registration registration = () -> {};

  private CallControl(boolean hasToken, @Nullable TimeSource timeSource) {
    this.hasToken = hasToken;
    this.timeSource = timeSource;
  }

  /**
   * Starts the control of one call, registered on {@code token} when there is one. When the token
   * has already fired, the control is stopped at once.
   */
  public static CallControl start(Optional<CancellationToken> token, @Nullable TimeSource timeSource) {
    CallControl control = new CallControl(token.isPresent(), timeSource);
    if (token.isPresent()) {
      CancellationToken t = token.get();
      control.registration = t.onCancel(() -> control.stop(t.reason().orElseGet(
          () -> new CallCancelledException("cancelled through its CancellationToken"))));
    }
    return control;
  }

  /** Whether the call has a cancellation token. */
  public boolean hasToken() {
    return hasToken;
  }

  /**
   * Stops the call with {@code why}, waking every wait. Only the first stop has an effect.
   *
   * @return whether this call stopped it
   */
  public boolean stop(AiGatewayException why) {
    synchronized (lock) {
      if (reason != null) {
        return false;
      }
      reason = why;
      for (CountDownLatch waiter : waiters) {
        waiter.countDown();
      }
      return true;
    }
  }

  /** The exception the call stopped with, or null while it runs. */
  public @Nullable AiGatewayException reason() {
    synchronized (lock) {
      return reason;
    }
  }

  /** Whether {@code error} is the exception this call stopped with. */
  public boolean isStopReason(Throwable error) {
    synchronized (lock) {
      return reason != null && reason == error;
    }
  }

  /** Throws the reason the call stopped with, if it has stopped. */
  public void throwIfStopped() {
    AiGatewayException why = reason();
    if (why != null) {
      throw why;
    }
  }

  /**
   * Waits for {@code duration}, or less if the call stops meanwhile.
   *
   * @throws AiGatewayException the reason the call stopped, if it stopped before or during the wait
   */
  public void pause(Duration duration) {
    long nanos = Nanos.of(duration);
    if (nanos <= 0) {
      throwIfStopped();
      return;
    }
    await(duration, nanos);
  }

  /**
   * Waits until the call stops (at once if it already has) and returns the reason, for the caller
   * to throw.
   */
  public AiGatewayException awaitStop() {
    AiGatewayException why;
    try {
      await(null, 0);
      why = reason();
    } catch (AiGatewayException e) {
      why = e;
    }
    if (why == null) {
      throw new IllegalStateException("a wait without a time limit ended before the call stopped");
    }
    return why;
  }

  private void await(@Nullable Duration duration, long nanos) {
    CountDownLatch wake = new CountDownLatch(1);
    synchronized (lock) {
      if (reason != null) {
        throw reason;
      }
      waiters.add(wake);
    }
    TimeSource.Timer timer = null;
    try {
      if (duration == null) {
        wake.await();
      } else if (timeSource == null) {
        wake.await(nanos, TimeUnit.NANOSECONDS);
      } else {
        timer = timeSource.schedule(duration, wake::countDown);
        wake.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(new CallCancelledException("the thread waiting for the fake provider was interrupted"));
    } finally {
      if (timer != null) {
        timer.cancel();
      }
      synchronized (lock) {
        waiters.remove(wake);
      }
    }
    throwIfStopped();
  }

  /** Releases the registration on the cancellation token. Idempotent. */
  @Override
  public void close() {
    registration.close();
  }
}
