package dev.aigw.api;

import dev.aigw.api.internal.SystemTimeSource;
import java.time.Duration;
import java.time.Instant;

/**
 * Time for the gateway: wall-clock instants for deadlines and windows, a monotonic clock for
 * latencies, and timers. A seam, so tests drive time by hand (the testkit's {@code ManualClock})
 * instead of sleeping.
 */
public interface TimeSource {
  /** {@return the current wall-clock instant} */
  Instant now();

  /** {@return a monotonic reading in nanoseconds, for measuring elapsed time only} */
  long nanoTime();

  /**
   * Runs {@code task} once after {@code delay} (at the earliest opportunity when the delay is
   * zero or negative). Tasks must be short: they run on a shared timer thread (the system
   * source) or on the thread that advances a manual clock. A task that throws is logged.
   *
   * @param delay how long to wait
   * @param task what to run
   * @return a handle to cancel the task
   */
  Timer schedule(Duration delay, Runnable task);

  /** A scheduled task. */
  @FunctionalInterface
  interface Timer {
    /** Cancels the task if it has not run; idempotent. */
    void cancel();
  }

  /** {@return the system clock, with one shared daemon timer thread started on first use} */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}
