package dev.aigw.providers.pool.internal;

/** How the pickers read a replica's load. */
final class Loads {
  /** The KV-cache use assumed for a replica that reports none: neither good nor bad. */
  static final double NEUTRAL_KV = 0.5;

  private Loads() {}

  /**
   * A replica's queue as the pickers compare it: the waiting requests it reported (none when
   * unknown) plus this client's requests in flight to it. The in-flight count is live while
   * reports lag, so it keeps picks made between two reports from herding onto one replica; with
   * no report at all the queue is the in-flight count alone.
   */
  static double queue(double waiting, int inFlight) {
    return (Double.isNaN(waiting) ? 0 : Math.max(0, waiting)) + Math.max(0, inFlight);
  }

  /** The reported KV-cache use clamped to [0, 1], or {@link #NEUTRAL_KV} when unknown. */
  static double kvUsage(double kvCacheUsage) {
    return Double.isNaN(kvCacheUsage) ? NEUTRAL_KV : Math.min(1, Math.max(0, kvCacheUsage));
  }
}
