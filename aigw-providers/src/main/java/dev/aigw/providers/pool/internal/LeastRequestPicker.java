package dev.aigw.providers.pool.internal;

import dev.aigw.providers.pool.PickRequest;
import dev.aigw.providers.pool.Picker;
import dev.aigw.providers.pool.Replica;
import java.util.List;

/**
 * The power of two choices on {@link Replica#inFlight()}: two distinct candidates drawn at random,
 * the one with fewer requests in flight wins. A tie goes to the first draw, itself uniformly
 * random. The busiest candidate is never picked unless it ties.
 */
public final class LeastRequestPicker implements Picker {
  private final Rng rng;

  /** A picker drawing from {@code rng}. */
  public LeastRequestPicker(Rng rng) {
    this.rng = rng;
  }

  @Override
  public Replica pick(PickRequest request, List<Replica> candidates) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    int i = rng.nextInt(n);
    int j = rng.nextInt(n - 1);
    if (j >= i) {
      j++;
    }
    Replica a = candidates.get(i);
    Replica b = candidates.get(j);
    return b.inFlight() < a.inFlight() ? b : a;
  }

  @Override
  public String toString() {
    return "leastRequest";
  }
}
