package dev.aigw.redis;

import static dev.aigw.core.Driver.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.StoreUnavailableException;
import dev.aigw.core.budget.BudgetStore.Decision;
import dev.aigw.core.budget.BudgetStore.Denied;
import dev.aigw.core.budget.BudgetStore.Granted;
import dev.aigw.core.budget.Charge;
import dev.aigw.core.budget.Reservation;
import dev.aigw.core.budget.Window;
import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the Redis budget store does while Redis is down, slow or restarting, under each failure policy. */
class RedisBudgetStoreFailureTest {
  private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");
  private static final Window DAY = Window.day();

  private final RedisServer server = RedisServer.start(true);
  private final ManualClock clock = new ManualClock();
  private final RedisConnection redis = RedisConnection.builder("redis://:s3cret-pw@127.0.0.1:" + server.port())
      .retryInterval(Duration.ofSeconds(1))
      .timeSource(clock)
      .build();

  /** Connected before each test: on a loaded machine the first connect can outlast the first call. */
  @BeforeEach
  void connected() {
    awaitReconnected();
  }

  @AfterEach
  void stop() {
    redis.close();
    server.close();
  }

  /** Lettuce reconnects by itself; each try after the retry interval asks Redis again. */
  private void awaitReconnected() {
    awaitTrue("Lettuce reconnects", () -> {
      clock.advance(Duration.ofSeconds(1));
      return redis.ping();
    });
  }

  private static Charge charge(long amount) {
    return new Charge("tenant:acme/total_tokens", DAY, 1_000, amount);
  }

  private static Reservation granted(Decision d) {
    assertThat(d).isInstanceOf(Granted.class);
    return ((Granted) d).reservation();
  }

  @Test
  void failClosedRejectsWhileRedisIsDownReservesNothingAndRecoversAfterARestart() {
    server.command("CONFIG", "SET", "requirepass", "s3cret-pw");
    RedisBudgetStore store = RedisBudgetStore.builder(redis).failurePolicy(FailurePolicy.FAIL_CLOSED).build();
    granted(store.reserve(List.of(charge(100)), T0));

    server.kill();
    assertThatThrownBy(() -> store.reserve(List.of(charge(100)), T0))
        .isInstanceOfSatisfying(StoreUnavailableException.class, e -> {
          assertThat(e.failedClosed()).isTrue();
          assertThat(e.store()).isEqualTo("budget");
          assertThat(e.getMessage()).contains("127.0.0.1:" + server.port()).doesNotContain("s3cret-pw");
        });
    assertThat(store.toString()).doesNotContain("s3cret-pw");
    assertThat(redis.toString()).doesNotContain("s3cret-pw");

    server.restart();
    assertThatThrownBy(() -> store.reserve(List.of(charge(100)), T0))
        .as("within the retry interval Redis is not asked again")
        .hasMessageContaining("not asked again");
    awaitReconnected();
    Decision d = store.reserve(List.of(charge(100)), T0);
    assertThat(((Granted) d).used()).as("the first reservation survived the restart; the rejected one left nothing").containsExactly(200);
    assertThat(store.used("tenant:acme/total_tokens", DAY, T0)).isEqualTo(200);
  }

  @Test
  void failOpenAdmitsAgainstAShareOfTheLastSeenHeadroomAndAddsItsUsageOnceRedisIsBack() {
    RedisBudgetStore store = RedisBudgetStore.builder(redis).failurePolicy(FailurePolicy.FAIL_OPEN).fallbackShare(0.5).build();
    Reservation remote = granted(store.reserve(List.of(charge(400)), T0));

    server.kill();
    Decision local = store.reserve(List.of(charge(200)), T0);
    assertThat(local).isInstanceOfSatisfying(Granted.class, g -> {
      assertThat(g.used()).as("last seen 400 plus the local 200").containsExactly(600);
      assertThat(g.reservation().fallbackCause()).get()
          .satisfies(e -> assertThat(e.failedClosed()).isFalse());
    });
    assertThat(store.reserve(List.of(charge(200)), T0))
        .as("the local fallback may spend half the headroom of 600: 300")
        .isInstanceOfSatisfying(Denied.class, d -> assertThat(d.used()).isEqualTo(600));
    store.reconcile(((Granted) local).reservation(), new long[] {150}, T0);
    store.reconcile(remote, new long[] {300}, T0);
    assertThat(store.pendingSettlements()).as("a settlement and the local usage wait for Redis").isGreaterThanOrEqualTo(2);

    server.restart();
    awaitReconnected();
    awaitTrue("the missed writes reach Redis", () -> store.used("tenant:acme/total_tokens", DAY, T0) == 450);
    awaitTrue("nothing is left pending", () -> store.pendingSettlements() == 0);
    assertThat(store.reserve(List.of(charge(550)), T0)).isInstanceOf(Granted.class);
    assertThat(store.reserve(List.of(charge(1)), T0)).as("the limit holds on the shared counter again").isInstanceOf(Denied.class);
  }

  @Test
  void aReservationWhoseAnswerCameTooLateIsReleasedOnceRedisAnswersAgain() {
    RedisBudgetStore store = RedisBudgetStore.builder(redis).failurePolicy(FailurePolicy.FAIL_OPEN).build();
    granted(store.reserve(List.of(charge(100)), T0));
    server.command("CLIENT", "PAUSE", "300", "ALL");
    // the caller's deadline is shorter than the pause: the script waits on the server and runs after it
    Decision d = store.reserve(List.of(charge(300)), T0, Duration.ofMillis(20));
    assertThat(((Granted) d).reservation().fallbackCause()).isPresent();

    store.reconcile(((Granted) d).reservation(), new long[] {300}, T0);
    awaitTrue("the late reservation is released and the local usage added", () -> {
      clock.advance(Duration.ofSeconds(1)); // past the retry interval, should a write have timed out during the pause
      return redis.ping() && store.used("tenant:acme/total_tokens", DAY, T0) == 400 && store.pendingSettlements() == 0;
    });
  }

  @Test
  void aSlowRedisNeverHoldsACallPastItsDeadline() {
    RedisBudgetStore store = RedisBudgetStore.builder(redis).failurePolicy(FailurePolicy.FAIL_CLOSED).build();
    assertThat(redis.ping()).isTrue();
    server.command("CLIENT", "PAUSE", "5000", "ALL");
    long start = System.nanoTime();
    assertThatThrownBy(() -> store.reserve(List.of(charge(1)), T0, Duration.ofMillis(30)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("did not answer within 30 ms");
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(waitedMillis).as("gave up at the deadline, not at the pause's end").isLessThan(5_000);
    assertThat(redis.unavailable()).as("a caller's short deadline does not mark Redis down").isFalse();
  }
}
