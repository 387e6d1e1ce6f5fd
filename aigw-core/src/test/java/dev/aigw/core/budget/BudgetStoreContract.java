package dev.aigw.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.core.budget.BudgetStore.Decision;
import dev.aigw.core.budget.BudgetStore.Denied;
import dev.aigw.core.budget.BudgetStore.Granted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BudgetStore} must do, run against each store by a subclass: all-or-nothing
 * reservations, settlement, window roll-over, exactness under concurrency. The in-memory store
 * runs it in {@link InMemoryBudgetStoreTest}; the Redis store in the {@code aigw-redis} module
 * (this class ships in aigw-core's test jar).
 */
public abstract class BudgetStoreContract {
  protected static final Instant T0 = Instant.parse("2026-01-31T23:59:00Z");
  protected BudgetStore store;

  /** A new, empty store; closed after each test. */
  protected abstract BudgetStore newStore();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static Reservation granted(Decision d) {
    assertThat(d).isInstanceOf(Granted.class);
    return ((Granted) d).reservation();
  }

  @Test
  void aReservationThatFitsIsCountedAndOneThatDoesNotIsDeniedWithUsageAndReset() {
    Charge tokens = new Charge("tenant:acme/tokens", Window.day(), 1_000, 600);
    granted(store.reserve(List.of(tokens), T0));

    Decision second = store.reserve(List.of(tokens), T0);

    assertThat(second).isInstanceOfSatisfying(Denied.class, d -> {
      assertThat(d.charge()).isEqualTo(tokens);
      assertThat(d.used()).isEqualTo(600);
      assertThat(d.resetsAt()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    });
    assertThat(store.used("tenant:acme/tokens", Window.day(), T0)).isEqualTo(600);
  }

  @Test
  void severalChargesAreAllOrNothing() {
    Charge dayTokens = new Charge("tenant:acme/tokens", Window.day(), 1_000, 100);
    Charge monthCost = new Charge("global/cost", Window.month(), 5_000, 4_000);
    granted(store.reserve(List.of(monthCost), T0));

    Decision d = store.reserve(List.of(dayTokens, monthCost), T0);

    assertThat(d).isInstanceOfSatisfying(Denied.class, denied -> assertThat(denied.charge()).isEqualTo(monthCost));
    assertThat(store.used("tenant:acme/tokens", Window.day(), T0)).as("the charge that fitted kept nothing").isZero();
  }

  @Test
  void reconcilingReplacesTheReservedAmountsAndReleasingReturnsThem() {
    Charge a = new Charge("a", Window.hour(), 10_000, 1_000);
    Charge b = new Charge("b", Window.hour(), 10_000, 500);
    Reservation r1 = granted(store.reserve(List.of(a, b), T0));
    Reservation r2 = granted(store.reserve(List.of(a, b), T0));

    store.reconcile(r1, new long[] {1_250, 100}, T0);
    store.release(r2, T0);

    assertThat(store.used("a", Window.hour(), T0)).isEqualTo(1_250);
    assertThat(store.used("b", Window.hour(), T0)).isEqualTo(100);
    assertThatThrownBy(() -> store.release(r1, T0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.reconcile(r2, new long[] {1}, T0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void calendarWindowsRollOverAtUtcBoundaries() {
    Charge day = new Charge("d", Window.day(), 100, 100);
    Charge month = new Charge("m", Window.month(), 100, 100);
    granted(store.reserve(List.of(day, month), T0));
    Instant nextDay = Instant.parse("2026-02-01T00:00:00Z");

    assertThat(store.reserve(List.of(day), T0.plusSeconds(59))).isInstanceOf(Denied.class);
    granted(store.reserve(List.of(day, month), nextDay));
    assertThat(store.used("m", Window.month(), nextDay)).isEqualTo(100);
    assertThat(Window.month().resetsAt(nextDay)).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(Window.minute().resetsAt(Instant.parse("2026-01-01T10:15:30.5Z"))).isEqualTo(Instant.parse("2026-01-01T10:16:00Z"));
  }

  @Test
  void aReconciliationAfterTheWindowRolledOverDoesNotTouchTheNewWindow() {
    Charge day = new Charge("d", Window.day(), 1_000, 300);
    Reservation r = granted(store.reserve(List.of(day), T0));
    Instant nextDay = T0.plus(Duration.ofMinutes(2));
    granted(store.reserve(List.of(new Charge("d", Window.day(), 1_000, 50)), nextDay));

    store.reconcile(r, new long[] {900}, nextDay);

    assertThat(store.used("d", Window.day(), nextDay)).isEqualTo(50);
  }

  @Test
  void aRollingWindowLetsUsageLeaveSliceBySlice() {
    Window hour = Window.rolling(Duration.ofHours(1)); // 60 slices of a minute
    Charge c = new Charge("r", hour, 100, 40);
    granted(store.reserve(List.of(c), T0));
    granted(store.reserve(List.of(c), T0.plus(Duration.ofMinutes(30))));
    assertThat(store.reserve(List.of(c), T0.plus(Duration.ofMinutes(59))))
        .isInstanceOfSatisfying(Denied.class, d -> {
          assertThat(d.used()).isEqualTo(80);
          assertThat(d.resetsAt()).as("when the oldest usage leaves the window").isEqualTo(T0.plus(Duration.ofMinutes(60)));
        });

    Instant firstGone = T0.plus(Duration.ofMinutes(60));
    assertThat(store.used("r", hour, firstGone)).isEqualTo(40);
    granted(store.reserve(List.of(c), firstGone));
    assertThat(store.used("r", hour, T0.plus(Duration.ofMinutes(200)))).isZero();
  }

  /** Money in nano-units passes 2^53 at about 9 million dollars: no amount may round like a double. */
  @Test
  void amountsBeyondWhatADoubleHoldsStayExact() {
    long limit = 9_000_000_000_000_000_001L;
    Window month = Window.month();
    Reservation first = granted(store.reserve(List.of(new Charge("global/cost_usd", month, limit, 4_500_000_000_000_000_001L)), T0));
    Decision second = store.reserve(List.of(new Charge("global/cost_usd", month, limit, 4_500_000_000_000_000_000L)), T0);

    assertThat(((Granted) second).used()).as("exactly at the limit").containsExactly(limit);
    assertThat(store.reserve(List.of(new Charge("global/cost_usd", month, limit, 1)), T0)).isInstanceOf(Denied.class);
    store.reconcile(first, new long[] {4_499_999_999_999_999_999L}, T0);
    assertThat(store.used("global/cost_usd", month, T0)).isEqualTo(limit - 2);
  }

  @Test
  void aCounterChargedTwiceInOneReservationIsRejected() {
    Charge c = new Charge("x", Window.day(), 10, 6);
    assertThatThrownBy(() -> store.reserve(List.of(c, c), T0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("charged twice");
    assertThatThrownBy(() -> new Charge(" ", Window.day(), 1, 1)).hasMessageContaining("blank");
    assertThatThrownBy(() -> new Charge("x", Window.day(), 1, -1)).hasMessageContaining("amount");
    assertThatThrownBy(() -> Window.rolling(Duration.ofMillis(10))).hasMessageContaining("at least a second");
  }

  /**
   * 64 threads × 1,000 reservations of random sizes against one small limit, each reconciled to
   * a random actual amount no larger than reserved: the limit is never passed, and the ledger
   * ends exactly at the sum of the reconciled amounts.
   */
  @Test
  void underConcurrencyTheLimitHoldsAndTheLedgerIsExact() throws Exception {
    long limit = 50_000;
    Window day = Window.day();
    AtomicLong reconciled = new AtomicLong();
    AtomicLong denied = new AtomicLong();
    int threads = 64;
    int rounds = 1_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        workers.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(seed);
          for (int i = 0; i < rounds; i++) {
            long amount = 1 + random.nextInt(200);
            Decision d = store.reserve(List.of(new Charge("hot", day, limit, amount)), T0);
            if (d instanceof Granted g) {
              assertThat(store.used("hot", day, T0)).isLessThanOrEqualTo(limit);
              long actual = random.nextInt((int) amount + 1);
              store.reconcile(g.reservation(), new long[] {actual}, T0);
              reconciled.addAndGet(actual);
            } else {
              denied.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.used("hot", day, T0)).isEqualTo(reconciled.get()).isLessThanOrEqualTo(limit);
    assertThat(denied.get()).as("the limit was reached").isPositive();
  }
}
