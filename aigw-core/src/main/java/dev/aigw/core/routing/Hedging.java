package dev.aigw.core.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * When to send a second copy of a slow call to the next candidate. The first answer wins (for
 * streams: the first stream whose first chunk arrives); the other attempt is cancelled, which
 * closes its connection and stops its generation. A hedged route does not retry a target; a
 * failed attempt makes the router move on to the next candidate at once.
 *
 * <p>Hedging trades cost for tail latency: a hedged call may be paid twice, up to the moment
 * the loser is cancelled. Use it for latency-critical routes.
 */
public final class Hedging {
  private final Duration delay;
  private final double percentile;
  private final int maxHedges;

  private Hedging(Duration delay, double percentile, int maxHedges) {
    this.delay = delay;
    this.percentile = percentile;
    this.maxHedges = maxHedges;
  }

  /**
   * Hedge after a fixed delay, at most once per call.
   *
   * @param delay how long to wait before hedging
   * @return the policy
   * @throws IllegalArgumentException when the delay is negative
   */
  public static Hedging after(Duration delay) {
    return new Hedging(requireNonNegative(delay, "delay"), Double.NaN, 1);
  }

  /**
   * Hedge when the attempt has taken longer than the target's recent latency at {@code
   * percentile} (for example 0.95), or after {@code untilMeasured} while the target has fewer
   * than 20 recent measurements. At most once per call.
   *
   * @param percentile the latency percentile, in (0, 1)
   * @param untilMeasured the delay used while the target has too few measurements
   * @return the policy
   * @throws IllegalArgumentException when the percentile is not in (0, 1) or the delay is negative
   */
  public static Hedging atPercentile(double percentile, Duration untilMeasured) {
    if (!(percentile > 0 && percentile < 1)) {
      throw new IllegalArgumentException("percentile must be in (0, 1), was " + percentile);
    }
    return new Hedging(requireNonNegative(untilMeasured, "untilMeasured"), percentile, 1);
  }

  /**
   * This policy allowing up to {@code maxHedges} extra attempts in flight besides the first.
   *
   * @param maxHedges the most extra attempts, from 1 to 8
   * @return a copy of this policy with that limit
   * @throws IllegalArgumentException when not in [1, 8]
   */
  public Hedging withMaxHedges(int maxHedges) {
    if (maxHedges < 1 || maxHedges > 8) {
      throw new IllegalArgumentException("maxHedges must be in [1, 8], was " + maxHedges);
    }
    return new Hedging(delay, percentile, maxHedges);
  }

  /** {@return the fixed delay, or the delay used until the target is measured} */
  public Duration delay() {
    return delay;
  }

  /** {@return whether the delay follows the target's latency percentile} */
  public boolean adaptive() {
    return !Double.isNaN(percentile);
  }

  /** {@return the latency percentile, for adaptive hedging; NaN otherwise} */
  public double percentile() {
    return percentile;
  }

  /** {@return the most extra attempts in flight at once} */
  public int maxHedges() {
    return maxHedges;
  }

  private static Duration requireNonNegative(Duration d, String name) {
    if (Objects.requireNonNull(d, name).isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
    return d;
  }

  @Override
  public String toString() {
    return "Hedging[" + (adaptive() ? "p" + Math.round(percentile * 100) + " (" + delay.toMillis() + "ms until measured)"
        : delay.toMillis() + "ms") + ", max " + maxHedges + "]";
  }
}
