package dev.aigw.testkit.internal;

import java.time.Duration;

/** Duration arithmetic in nanoseconds that saturates instead of overflowing. */
public final class Nanos {
  private Nanos() {}

  /** {@code duration} in nanoseconds, or {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE} when it does not fit. */
  public static long of(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
      return Long.MAX_VALUE;
    }
    if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000_000L + duration.getNano();
  }

  /** {@code a + b} for non-negative values, or {@link Long#MAX_VALUE} when the sum overflows. */
  public static long add(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
