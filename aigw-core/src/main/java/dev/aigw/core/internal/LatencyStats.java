package dev.aigw.core.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Recent latencies of one target for one kind of call (blocking: the whole answer; streams: the
 * first chunk): an exponentially weighted moving average for routing, and the last {@value
 * #WINDOW} samples for percentiles (hedging). Thread-safe without locks: every call to a target
 * records here, and a lock made concurrent calls queue behind a preempted holder.
 */
final class LatencyStats {
  static final int WINDOW = 128;
  /** The weight of a new sample in the average. */
  private static final double ALPHA = 0.3;
  /** Fewer samples than this give no percentile. */
  static final int MIN_SAMPLES_FOR_PERCENTILE = 20;
  private static final long NO_AVERAGE = Double.doubleToRawLongBits(Double.NaN);

  /** The ring of recent samples; -1 marks a slot claimed but not yet written. */
  private final AtomicLongArray samples = new AtomicLongArray(WINDOW);
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong ewmaBits = new AtomicLong(NO_AVERAGE);
  private volatile long lastSampleNanos;

  LatencyStats() {
    for (int i = 0; i < WINDOW; i++) {
      samples.set(i, -1);
    }
  }

  /** Records a latency observed at monotonic time {@code atNanos}. */
  void record(long latencyNanos, long atNanos) {
    samples.set((int) (recorded.getAndIncrement() % WINDOW), latencyNanos);
    while (true) {
      long before = ewmaBits.get();
      double average = Double.longBitsToDouble(before);
      double updated = Double.isNaN(average) ? latencyNanos : average + ALPHA * (latencyNanos - average);
      if (ewmaBits.compareAndSet(before, Double.doubleToRawLongBits(updated))) {
        break;
      }
    }
    lastSampleNanos = atNanos;
  }

  /** The moving average in nanoseconds, or NaN when nothing was measured. */
  double average() {
    return Double.longBitsToDouble(ewmaBits.get());
  }

  /**
   * The moving average, decayed by the time since the last sample: it halves every {@code
   * halfLifeNanos}, so a target measured as slow long ago looks fast again and gets re-measured.
   * NaN when nothing was measured.
   */
  double decayedAverage(long nowNanos, long halfLifeNanos) {
    double average = average();
    if (Double.isNaN(average)) {
      return Double.NaN;
    }
    long idle = nowNanos - lastSampleNanos;
    return idle <= 0 ? average : average * Math.pow(0.5, (double) idle / halfLifeNanos);
  }

  /** The latency at {@code quantile} (0..1) over the recent samples, or -1 with too few samples. */
  long percentile(double quantile) {
    int slots = (int) Math.min(recorded.get(), WINDOW);
    if (slots < MIN_SAMPLES_FOR_PERCENTILE) {
      return -1;
    }
    long[] copy = new long[slots];
    int n = 0;
    for (int i = 0; i < slots; i++) {
      long sample = samples.get(i);
      if (sample >= 0) {
        copy[n++] = sample;
      }
    }
    if (n < MIN_SAMPLES_FOR_PERCENTILE) {
      return -1;
    }
    Arrays.sort(copy, 0, n);
    int index = (int) Math.ceil(quantile * n) - 1;
    return copy[Math.max(0, Math.min(n - 1, index))];
  }
}
