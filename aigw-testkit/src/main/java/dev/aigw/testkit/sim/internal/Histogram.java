package dev.aigw.testkit.sim.internal;

/** A Prometheus histogram: cumulative buckets, a count and a sum. Not thread-safe. */
public final class Histogram {
  /** vLLM's buckets for {@code vllm:time_to_first_token_seconds}. */
  static final double[] TTFT_BUCKETS = {
    0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0,
    80.0, 160.0, 640.0, 2560.0,
  };
  /** vLLM's buckets for request latencies ({@code e2e_request_latency}, {@code request_queue_time}). */
  static final double[] LATENCY_BUCKETS = {
    0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0,
    960.0, 1920.0, 7680.0,
  };
  /** vLLM's buckets for {@code vllm:inter_token_latency_seconds}. */
  static final double[] ITL_BUCKETS = {
    0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
  };

  private final double[] bounds;
  private final long[] counts;
  private long count;
  private double sum;

  Histogram(double[] bounds) {
    this.bounds = bounds;
    this.counts = new long[bounds.length];
  }

  void observe(double value) {
    observe(value, 1);
  }

  /** Records {@code times} observations of {@code value}. */
  void observe(double value, long times) {
    for (int i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        counts[i] += times;
        break;
      }
    }
    count += times;
    sum += value * times;
  }

  double[] bounds() {
    return bounds;
  }

  /** Observations at most {@code bounds()[i]}. */
  long cumulative(int i) {
    long c = 0;
    for (int j = 0; j <= i; j++) {
      c += counts[j];
    }
    return c;
  }

  long count() {
    return count;
  }

  double sum() {
    return sum;
  }
}
