package dev.aigw.core.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where budget counters live: in memory for one JVM ({@link InMemoryBudgetStore}), or shared by
 * a fleet (the {@code aigw-redis} module's {@code RedisBudgetStore}). Every method is atomic across the counters it touches, so concurrent
 * calls can never together pass a limit by more than the error of the estimates they reserved.
 */
public interface BudgetStore extends AutoCloseable {

  /** What {@link #reserve} decided. */
  sealed interface Decision permits Granted, Denied {}

  /**
   * Every charge was reserved.
   *
   * @param reservation settle it exactly once
   * @param used what each charge's counter holds after the reservation, in the charges' order
   *     (do not modify)
   */
  record Granted(Reservation reservation, long[] used) implements Decision {}

  /**
   * Nothing was reserved, because {@code charge} did not fit.
   *
   * @param charge the first charge that did not fit
   * @param used what its counter held in the current window
   * @param resetsAt when that usage starts to leave the window: the next period of a calendar
   *     window; for a rolling window, when its oldest usage leaves it
   */
  record Denied(Charge charge, long used, Instant resetsAt) implements Decision {}

  /**
   * Reserves every charge, or — when one would take its counter past its limit — none.
   *
   * @param charges the amounts to reserve; a counter may appear once per window
   * @param now the gateway clock's time, which decides the windows
   * @return whether every charge was admitted, and the reservation to settle later
   * @throws IllegalArgumentException when a counter appears twice with the same window
   */
  Decision reserve(List<Charge> charges, Instant now);

  /**
   * Reserves as {@link #reserve(List, Instant)} does, for a call that can wait at most {@code
   * maxWait} (the rest of its deadline). A store that waits on a network gives up by then and
   * fails as its failure policy says; a local store ignores it. The default ignores it.
   *
   * @param charges the amounts to reserve; a counter may appear once per window
   * @param now the gateway clock's time, which decides the windows
   * @param maxWait the longest the store may wait for its counters
   * @return whether every charge was admitted, and the reservation to settle later
   * @throws dev.aigw.api.StoreUnavailableException when a shared store failed and fails closed;
   *     nothing was reserved
   */
  default Decision reserve(List<Charge> charges, Instant now, Duration maxWait) {
    return reserve(charges, now);
  }

  /**
   * Settles a reservation to what the call actually used, in the same order as its charges
   * (more or less than reserved). Usage is counted in the window the reservation was made in; a
   * window that has since rolled over is not changed.
   *
   * @param reservation the reservation to settle
   * @param actual what each charge actually used, in the charges' order
   * @param now the gateway clock's time
   * @return what each counter holds at {@code now} after settling, in the charges' order
   * @throws IllegalArgumentException when the number of amounts differs from the charges, or one is negative
   * @throws IllegalStateException when the reservation was already settled
   */
  long[] reconcile(Reservation reservation, long[] actual, Instant now);

  /**
   * Settles a reservation as unused: every reserved amount is returned.
   *
   * @param reservation the reservation to release
   * @param now the gateway clock's time
   * @return what each counter holds at {@code now} after releasing, in the charges' order
   * @throws IllegalStateException when the reservation was already settled
   */
  default long[] release(Reservation reservation, Instant now) {
    return reconcile(reservation, new long[reservation.charges().size()], now);
  }

  /**
   * {@return what {@code counter} holds in {@code window} at {@code now} (reserved and reconciled
   * amounts)}
   *
   * @param counter the counter
   * @param window the window
   * @param now the gateway clock's time
   */
  long used(String counter, Window window, Instant now);

  /** Releases the store's resources; the default does nothing. */
  @Override
  default void close() {}
}
