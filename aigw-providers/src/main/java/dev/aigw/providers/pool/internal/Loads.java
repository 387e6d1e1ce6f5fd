package dev.aigw.providers.pool.internal;

import dev.aigw.providers.pool.Replica;
import java.util.List;

/** How the pickers read a replica's load. */
final class Loads {
  /** The KV-cache use assumed when no candidate reports one. */
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

  /**
   * The KV-cache use assumed for the candidates that report none: the mean of those that do, so a
   * replica without a report yet is neither preferred nor avoided; {@link #NEUTRAL_KV} when none
   * reports. (Assuming a fixed half-full cache made the first replica to report a low use win
   * every pick until the others reported, so a new pool sent its first prompts to one replica.)
   */
  static double assumedKv(List<Replica> candidates) {
    double sum = 0;
    int known = 0;
    for (int i = 0; i < candidates.size(); i++) {
      double kv = candidates.get(i).load().kvCacheUsage();
      if (!Double.isNaN(kv)) {
        sum += clamp(kv);
        known++;
      }
    }
    return known == 0 ? NEUTRAL_KV : sum / known;
  }

  /** The reported KV-cache use clamped to [0, 1], or {@code assumed} when unknown. */
  static double kvUsage(double kvCacheUsage, double assumed) {
    return Double.isNaN(kvCacheUsage) ? assumed : clamp(kvCacheUsage);
  }

  private static double clamp(double kv) {
    return Math.min(1, Math.max(0, kv));
  }
}
