package dev.aigw.core.budget;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Amounts reserved together against several counters, to be settled exactly once: reconciled to
 * what the call actually used, or released when it used nothing.
 */
public final class Reservation {
  private final List<Charge> charges;
  private final long[] buckets;
  private final AtomicBoolean settled = new AtomicBoolean();

  Reservation(List<Charge> charges, long[] buckets) {
    this.charges = List.copyOf(charges);
    this.buckets = buckets.clone();
  }

  /** What was reserved, in the order given. */
  public List<Charge> charges() {
    return charges;
  }

  /** The window bucket each charge was counted in (same order). */
  long bucket(int index) {
    return buckets[index];
  }

  /** Marks the reservation settled. @throws IllegalStateException when it already was */
  void settle() {
    if (!settled.compareAndSet(false, true)) {
      throw new IllegalStateException("this reservation was already reconciled or released");
    }
  }

  /** Whether it was reconciled or released. */
  public boolean settled() {
    return settled.get();
  }

  @Override
  public String toString() {
    return "Reservation" + charges + (settled() ? " (settled)" : "");
  }
}
