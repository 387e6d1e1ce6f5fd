package dev.aigw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.budget.BudgetStore;
import dev.aigw.core.budget.Charge;
import dev.aigw.core.budget.InMemoryBudgetStore;
import dev.aigw.core.budget.Reservation;
import dev.aigw.core.budget.Window;
import dev.aigw.core.cache.CacheKey;
import dev.aigw.core.cache.CacheStats;
import dev.aigw.core.cache.CacheStore;
import dev.aigw.core.cache.CachedResponse;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Shared stores that fail: a budget store or cache that fails closed ends the call before any
 * provider call, one that fails open lets it go on, and either way the listeners hear of it.
 */
class StoreFailureTest {
  private final ManualClock clock = new ManualClock();
  private final FakeChatProvider provider = FakeChatProvider.builder().id("p").reply(FakeReply.text("fine")).build();
  private final Outages outages = new Outages();

  private static final class Outages implements GatewayListener {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void storeUnavailable(CallInfo call, StoreUnavailableException error) {
      seen.add(error.store() + (error.failedClosed() ? " closed" : " open"));
    }

    @Override
    public void callFailed(CallInfo call, AiGatewayException error) {
      seen.add("failed " + error.getClass().getSimpleName());
    }
  }

  private static StoreUnavailableException outage(String store, boolean closed) {
    return new StoreUnavailableException(store, closed, "redis://127.0.0.1:6379/0 did not answer within 100 ms", null);
  }

  /** A budget store whose shared counters are away: it throws, or admits against a local store. */
  private static final class AwayBudgets implements BudgetStore {
    final InMemoryBudgetStore local = new InMemoryBudgetStore();
    final boolean failClosed;
    final List<Duration> waits = new ArrayList<>();

    AwayBudgets(boolean failClosed) {
      this.failClosed = failClosed;
    }

    @Override
    public Decision reserve(List<Charge> charges, Instant now) {
      return reserve(charges, now, Duration.ofDays(365));
    }

    @Override
    public Decision reserve(List<Charge> charges, Instant now, Duration maxWait) {
      waits.add(maxWait);
      if (failClosed) {
        throw outage("budget", true);
      }
      Granted g = (Granted) local.reserve(charges, now);
      long[] buckets = new long[charges.size()];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = g.reservation().bucket(i);
      }
      local.release(g.reservation(), now);
      return new Granted(new Reservation(charges, buckets, outage("budget", false)), g.used());
    }

    @Override
    public long[] reconcile(Reservation reservation, long[] actual, Instant now) {
      reservation.settle();
      return actual.clone();
    }

    @Override
    public long used(String counter, Window window, Instant now) {
      return 0;
    }
  }

  /** A cache whose shared level is away. */
  private static final class AwayCache implements CacheStore {
    final boolean failClosed;
    int puts;

    AwayCache(boolean failClosed) {
      this.failClosed = failClosed;
    }

    @Override
    public Optional<CachedResponse> get(CacheKey key) {
      throw outage("cache", failClosed);
    }

    @Override
    public void put(CacheKey key, CachedResponse value, Duration ttl) {
      puts++;
      throw outage("cache", false);
    }

    @Override
    public void invalidate(CacheKey key) {}

    @Override
    public void invalidatePartition(String partition) {}

    @Override
    public CacheStats stats() {
      return CacheStats.EMPTY;
    }
  }

  private AiGateway budgeted(BudgetStore store) {
    return AiGateway.builder().provider(provider).clock(clock).listener(outages).budgetStore(store)
        .budget(Budget.perTenant().requestsPerMinute(10)).build();
  }

  private AiGateway cached(CacheStore store) {
    return AiGateway.builder().provider(provider).clock(clock).listener(outages)
        .cache(ResponseCache.builder().store(store).build()).build();
  }

  @Test
  void aBudgetStoreThatFailsClosedEndsTheCallBeforeTheProviderAndWaitsNoLongerThanTheDeadline() {
    AwayBudgets store = new AwayBudgets(true);
    try (AiGateway gateway = budgeted(store)) {
      CallContext context = CallContext.builder().tenant("acme").timeout(Duration.ofSeconds(2)).build();
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("p/m", "hi"), context))
          .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.failedClosed()).isTrue());
      assertThatThrownBy(() -> gateway.stream(ChatRequest.of("p/m", "hi"), context))
          .isInstanceOf(StoreUnavailableException.class);
    }
    assertThat(provider.requestCount()).isZero();
    assertThat(store.waits).as("the rest of the call's deadline, on the gateway's clock").containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(outages.seen).containsExactly("budget closed", "failed StoreUnavailableException",
        "budget closed", "failed StoreUnavailableException");
  }

  @Test
  void aBudgetStoreThatFailsOpenLetsTheCallThroughAndItIsReported() {
    try (AiGateway gateway = budgeted(new AwayBudgets(false))) {
      assertThat(gateway.chat(ChatRequest.of("p/m", "hi"), CallContext.tenant("acme")).text()).isEqualTo("fine");
      try (ChatStream s = gateway.stream(ChatRequest.of("p/m", "hi"), CallContext.tenant("acme"))) {
        assertThat(s.collect().text()).isEqualTo("fine");
      }
    }
    assertThat(outages.seen).containsExactly("budget open", "budget open");
  }

  @Test
  void aCacheThatFailsOpenIsAMissAndAFailedStoreIsReportedWithoutFailingTheCall() {
    AwayCache store = new AwayCache(false);
    try (AiGateway gateway = cached(store)) {
      assertThat(gateway.chat(ChatRequest.of("p/m", "hi")).text()).isEqualTo("fine");
    }
    assertThat(provider.requestCount()).isEqualTo(1);
    assertThat(store.puts).isEqualTo(1);
    assertThat(outages.seen).containsExactly("cache open", "cache open");
  }

  @Test
  void aCacheThatFailsClosedEndsTheCallBeforeTheProvider() {
    try (AiGateway gateway = cached(new AwayCache(true))) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("p/m", "hi")))
          .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.store()).isEqualTo("cache"));
    }
    assertThat(provider.requestCount()).isZero();
    assertThat(outages.seen).containsExactly("cache closed", "failed StoreUnavailableException");
  }
}
