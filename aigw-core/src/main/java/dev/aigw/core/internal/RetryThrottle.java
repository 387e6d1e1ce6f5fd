package dev.aigw.core.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A retry budget after gRPC's retry throttling (gRFC A6): a bucket of tokens that each failed
 * attempt drains by one and each success refills by a fraction; retries are allowed only while
 * more than half the bucket remains. In an outage the bucket empties after a few failures and
 * retries stop, so they cannot multiply the load; successes restore it. Lock-free; tokens are
 * kept in thousandths.
 */
final class RetryThrottle {
  private static final int SCALE = 1000;

  private final int max;
  private final int refill;
  private final AtomicInteger tokens;

  /**
   * @param maxTokens the bucket size; 0 disables the budget (every retry is allowed)
   * @param refillPerSuccess tokens a success puts back
   */
  RetryThrottle(int maxTokens, double refillPerSuccess) {
    this.max = maxTokens * SCALE;
    this.refill = (int) Math.round(refillPerSuccess * SCALE);
    this.tokens = new AtomicInteger(max);
  }

  void onSuccess() {
    if (max > 0) {
      tokens.getAndUpdate(t -> Math.min(max, t + refill));
    }
  }

  void onFailure() {
    if (max > 0) {
      tokens.getAndUpdate(t -> Math.max(0, t - SCALE));
    }
  }

  /** Whether a retry may be sent now. */
  boolean allowsRetry() {
    return max == 0 || tokens.get() > max / 2;
  }
}
