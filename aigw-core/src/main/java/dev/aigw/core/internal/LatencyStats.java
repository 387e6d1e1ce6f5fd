package dev.aigw.core.internal;

import java.util.Arrays;

/**
 * Recent latencies of one target for one kind of call (blocking: the whole answer; streams: the
 * first chunk): an exponentially weighted moving average for routing, and the last {@value
 * #WINDOW} samples for percentiles (hedging). Thread-safe; updates and reads take a short lock.
 */
final class LatencyStats {
  static final int WINDOW = 128;
  /** The weight of a new sample in the average. */
  private static final double ALPHA = 0.3;
  /** Fewer samples than this give no percentile. */
  static final int MIN_SAMPLES_FOR_PERCENTILE = 20;

  private final long[] samples = new long[WINDOW];
  private int count;
  private int next;
  private double ewmaNanos = Double.NaN;
  private long lastSampleNanos;

  /** Records a latency observed at monotonic time {@code atNanos}. */
  synchronized void record(long latencyNanos, long atNanos) {
    ewmaNanos = Double.isNaN(ewmaNanos) ? latencyNanos : ewmaNanos + ALPHA * (latencyNanos - ewmaNanos);
    lastSampleNanos = atNanos;
    samples[next] = latencyNanos;
    next = (next + 1) % WINDOW;
    if (count < WINDOW) {
      count++;
    }
  }

  /** The moving average in nanoseconds, or NaN when nothing was measured. */
  synchronized double average() {
    return ewmaNanos;
  }

  /**
   * The moving average, decayed by the time since the last sample: it halves every {@code
   * halfLifeNanos}, so a target measured as slow long ago looks fast again and gets re-measured.
   * NaN when nothing was measured.
   */
  synchronized double decayedAverage(long nowNanos, long halfLifeNanos) {
    if (Double.isNaN(ewmaNanos)) {
      return Double.NaN;
    }
    long idle = nowNanos - lastSampleNanos;
    return idle <= 0 ? ewmaNanos : ewmaNanos * Math.pow(0.5, (double) idle / halfLifeNanos);
  }

  /** The latency at {@code quantile} (0..1) over the recent samples, or -1 with too few samples. */
  long percentile(double quantile) {
    long[] copy;
    synchronized (this) {
      if (count < MIN_SAMPLES_FOR_PERCENTILE) {
        return -1;
      }
      copy = Arrays.copyOf(samples, count);
    }
    Arrays.sort(copy);
    int index = (int) Math.ceil(quantile * copy.length) - 1;
    return copy[Math.max(0, Math.min(copy.length - 1, index))];
  }
}
