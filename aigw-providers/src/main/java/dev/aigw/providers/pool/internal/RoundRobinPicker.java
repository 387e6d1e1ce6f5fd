package dev.aigw.providers.pool.internal;

import dev.aigw.providers.pool.PickRequest;
import dev.aigw.providers.pool.Picker;
import dev.aigw.providers.pool.Replica;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Cycles through the candidates with one shared counter. */
public final class RoundRobinPicker implements Picker {
  private final AtomicInteger next = new AtomicInteger();

  @Override
  public Replica pick(PickRequest request, List<Replica> candidates) {
    int n = candidates.size();
    return n == 1 ? candidates.get(0) : candidates.get((next.getAndIncrement() & Integer.MAX_VALUE) % n);
  }

  @Override
  public String toString() {
    return "roundRobin";
  }
}
