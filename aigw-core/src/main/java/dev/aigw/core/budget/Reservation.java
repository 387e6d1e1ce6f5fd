package dev.aigw.core.budget;

import dev.aigw.api.StoreUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Amounts reserved together against several counters, to be settled exactly once: reconciled to
 * what the call actually used, or released when it used nothing.
 */
public final class Reservation {
  private final List<Charge> charges;
  private final long[] buckets;
  private final @Nullable StoreUnavailableException fallbackCause;
  private final AtomicBoolean settled = new AtomicBoolean();

  /**
   * For {@link BudgetStore} implementations: the charges a store has reserved, and the {@link
   * Window#bucket window bucket} each was counted in.
   *
   * @param charges the charges reserved
   * @param buckets the window bucket of each charge, in the same order
   * @throws IllegalArgumentException when the arrays' lengths differ
   */
  public Reservation(List<Charge> charges, long[] buckets) {
    this(charges, buckets, null);
  }

  /**
   * For {@link BudgetStore} implementations that fail open: charges a store reserved against its
   * local fallback because its shared counters failed with {@code fallbackCause} (the gateway
   * reports it to its listeners).
   *
   * @param charges the charges reserved
   * @param buckets the window bucket of each charge, in the same order
   * @param fallbackCause why the shared counters were not used, or {@code null} when they were
   * @throws IllegalArgumentException when the arrays' lengths differ
   */
  public Reservation(List<Charge> charges, long[] buckets, @Nullable StoreUnavailableException fallbackCause) {
    if (charges.size() != buckets.length) {
      throw new IllegalArgumentException(charges.size() + " charges but " + buckets.length + " buckets");
    }
    this.charges = List.copyOf(charges);
    this.buckets = buckets.clone();
    this.fallbackCause = fallbackCause;
  }

  /** {@return what was reserved, in the order given} */
  public List<Charge> charges() {
    return charges;
  }

  /**
   * {@return the window bucket the charge at {@code index} was counted in}
   *
   * @param index the charge's position, from 0
   */
  public long bucket(int index) {
    return buckets[index];
  }

  /**
   * {@return why the store reserved these charges against its local fallback instead of its shared
   * counters; empty when they were reserved as usual}
   */
  public Optional<StoreUnavailableException> fallbackCause() {
    return Optional.ofNullable(fallbackCause);
  }

  /**
   * For {@link BudgetStore} implementations: checks the actual amounts a reconciliation settles
   * this reservation to.
   *
   * @param actual the actual amounts, in the charges' order
   * @throws IllegalArgumentException when their number differs from the charges', or one is
   *     negative
   */
  public void requireActualAmounts(long[] actual) {
    if (actual.length != charges.size()) {
      throw new IllegalArgumentException("expected " + charges.size() + " actual amounts, got " + actual.length);
    }
    for (long a : actual) {
      if (a < 0) {
        throw new IllegalArgumentException("an actual amount is negative: " + a);
      }
    }
  }

  /**
   * For {@link BudgetStore} implementations: marks the reservation settled, before its amounts
   * are settled in the store.
   *
   * @throws IllegalStateException when it already was
   */
  public void settle() {
    if (!settled.compareAndSet(false, true)) {
      throw new IllegalStateException("this reservation was already reconciled or released");
    }
  }

  /** {@return whether it was reconciled or released} */
  public boolean settled() {
    return settled.get();
  }

  @Override
  public String toString() {
    return "Reservation" + charges + (fallbackCause != null ? " (local fallback)" : "") + (settled() ? " (settled)" : "");
  }
}
