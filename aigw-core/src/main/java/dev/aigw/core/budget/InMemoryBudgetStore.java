package dev.aigw.core.budget;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Budget counters in this JVM's memory. Reservations and settlements take one lock, so a
 * reservation against several counters is all-or-nothing and every limit is exact; the work
 * under the lock is a few map lookups per charge. Windows roll over by the time passed in (the
 * gateway's clock), so tests drive them with a manual clock.
 *
 * <p>Counters of calendar windows keep the current period only; rolling windows keep their
 * {@value Window#SLICES} slices. Counters are never removed; their number is bounded by the
 * budgets' scopes (tenants, users, tags, models) in use.
 */
public final class InMemoryBudgetStore implements BudgetStore {
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Key, Counter> counters = new HashMap<>();

  private record Key(String counter, Window window) {}

  /** One counter: the usage of its current bucket, or of each slice of a rolling window. */
  private static final class Counter {
    final Window window;
    final long[] slots;
    final long[] slotBuckets;

    Counter(Window window) {
      this.window = window;
      int n = window.rolling() ? Window.SLICES : 1;
      this.slots = new long[n];
      this.slotBuckets = new long[n];
      java.util.Arrays.fill(slotBuckets, Long.MIN_VALUE);
    }

    private int slot(long bucket) {
      return (int) Math.floorMod(bucket, (long) slots.length);
    }

    long used(long now) {
      long sum = 0;
      for (int i = 0; i < slots.length; i++) {
        if (slotBuckets[i] > now - slots.length && slotBuckets[i] <= now) {
          sum += slots[i];
        }
      }
      return sum;
    }

    /** The oldest bucket still counted at {@code now} that holds usage, or {@code now} when none does. */
    long oldestUsed(long now) {
      long oldest = now;
      for (int i = 0; i < slots.length; i++) {
        if (slots[i] > 0 && slotBuckets[i] > now - slots.length && slotBuckets[i] < oldest) {
          oldest = slotBuckets[i];
        }
      }
      return oldest;
    }

    void add(long bucket, long amount) {
      int i = slot(bucket);
      if (slotBuckets[i] != bucket) {
        slotBuckets[i] = bucket;
        slots[i] = 0;
      }
      slots[i] += amount;
    }

    /** Adjusts {@code bucket}'s usage when it is still held; never below zero. */
    void adjust(long bucket, long delta) {
      int i = slot(bucket);
      if (slotBuckets[i] == bucket) {
        slots[i] = Math.max(0, slots[i] + delta);
      }
    }
  }

  @Override
  public Decision reserve(List<Charge> charges, Instant now) {
    Objects.requireNonNull(charges, "charges");
    Objects.requireNonNull(now, "now");
    Charge.requireDistinctCounters(charges);
    long[] buckets = new long[charges.size()];
    long[] used = new long[charges.size()];
    lock.lock();
    try {
      for (int i = 0; i < charges.size(); i++) {
        Charge c = charges.get(i);
        buckets[i] = c.window().bucket(now);
        Counter counter = counters.get(new Key(c.counter(), c.window()));
        used[i] = counter == null ? 0 : counter.used(buckets[i]);
        if (c.amount() > c.limit() - used[i]) {
          long oldest = counter == null ? buckets[i] : counter.oldestUsed(buckets[i]);
          return new Denied(c, used[i], c.window().expiresAt(oldest));
        }
      }
      for (int i = 0; i < charges.size(); i++) {
        Charge c = charges.get(i);
        counters.computeIfAbsent(new Key(c.counter(), c.window()), k -> new Counter(k.window())).add(buckets[i], c.amount());
        used[i] += c.amount();
      }
    } finally {
      lock.unlock();
    }
    return new Granted(new Reservation(charges, buckets), used);
  }

  @Override
  public long[] reconcile(Reservation reservation, long[] actual, Instant now) {
    Objects.requireNonNull(reservation, "reservation");
    Objects.requireNonNull(actual, "actual");
    reservation.requireActualAmounts(actual);
    List<Charge> charges = reservation.charges();
    reservation.settle();
    long[] used = new long[charges.size()];
    lock.lock();
    try {
      for (int i = 0; i < charges.size(); i++) {
        Charge c = charges.get(i);
        Counter counter = counters.get(new Key(c.counter(), c.window()));
        if (counter != null) {
          long delta = actual[i] - c.amount();
          if (delta != 0) {
            counter.adjust(reservation.bucket(i), delta);
          }
          used[i] = counter.used(c.window().bucket(now));
        }
      }
    } finally {
      lock.unlock();
    }
    return used;
  }

  @Override
  public long used(String counter, Window window, Instant now) {
    Objects.requireNonNull(counter, "counter");
    Objects.requireNonNull(window, "window");
    lock.lock();
    try {
      Counter c = counters.get(new Key(counter, window));
      return c == null ? 0 : c.used(window.bucket(now));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "InMemoryBudgetStore[counters=" + counters.size() + "]";
  }
}
