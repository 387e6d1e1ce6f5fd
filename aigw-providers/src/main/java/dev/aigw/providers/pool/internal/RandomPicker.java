package dev.aigw.providers.pool.internal;

import dev.aigw.providers.pool.PickRequest;
import dev.aigw.providers.pool.Picker;
import dev.aigw.providers.pool.Replica;
import java.util.List;

/** A uniformly random candidate. */
public final class RandomPicker implements Picker {
  private final Rng rng;

  /** A picker drawing from {@code rng}. */
  public RandomPicker(Rng rng) {
    this.rng = rng;
  }

  @Override
  public Replica pick(PickRequest request, List<Replica> candidates) {
    int n = candidates.size();
    return n == 1 ? candidates.get(0) : candidates.get(rng.nextInt(n));
  }

  @Override
  public String toString() {
    return "random";
  }
}
