package dev.aigw.redis;

import static dev.aigw.core.Driver.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.BudgetExceededException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.routing.Resilience;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Four gateways of sixteen threads each share tenant budgets through one Redis (persistent, as in
 * production: every acknowledged write survives a crash). Without faults the limits hold as in
 * one JVM and the ledger is exact. Redis is then killed in the middle of a run and restarted: a
 * fail-closed fleet rejects calls meanwhile, a fail-open fleet admits them against its local
 * fallbacks; both recover without being restarted, and both ledgers end exact.
 */
class FleetTest {
  private static final int GATEWAYS = 4;
  private static final int THREADS = 16;
  private static final int TENANTS = 4;
  private static final long TENANT_TOKENS = 20_000;
  /** What every call reports using: 10 input + 40 output tokens. */
  private static final long TOKENS_PER_CALL = 50;
  private static final Budget TENANT_BUDGET = Budget.perTenant().tokensPerDay(TENANT_TOKENS);
  private static final Budget CALLS = Budget.global().requestsPerDay(10_000_000);

  private final RedisServer server = RedisServer.start(true);
  private final ManualClock clock = new ManualClock();

  @AfterEach
  void stopRedis() {
    server.close();
  }

  /** N gateways, each with its own connection to Redis, and tallies of what their callers saw. */
  private final class Fleet implements AutoCloseable {
    final List<RedisConnection> connections = new ArrayList<>();
    final List<RedisBudgetStore> stores = new ArrayList<>();
    final List<AiGateway> gateways = new ArrayList<>();
    final List<FakeChatProvider> providers = new ArrayList<>();
    final ConcurrentHashMap<String, LongAdder> succeeded = new ConcurrentHashMap<>();
    /** Per gateway and tenant: calls its local fallback admitted that succeeded. */
    final ConcurrentHashMap<String, LongAdder> admittedLocally = new ConcurrentHashMap<>();
    final LongAdder denied = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder calls = new LongAdder();
    final ThreadLocal<boolean[]> fellBack = ThreadLocal.withInitial(() -> new boolean[1]);

    Fleet(FailurePolicy policy, String namespace) {
      GatewayListener listener = new GatewayListener() {
        @Override
        public void storeUnavailable(CallInfo call, StoreUnavailableException error) {
          if (!error.failedClosed()) {
            fellBack.get()[0] = true; // budgets are reserved on the caller's thread
          }
        }
      };
      for (int g = 0; g < GATEWAYS; g++) {
        RedisConnection redis = RedisConnection.builder(server.uri()).namespace(namespace)
            .commandTimeout(Duration.ofMillis(500)).retryInterval(Duration.ofMillis(20)).build();
        RedisBudgetStore store = RedisBudgetStore.builder(redis).failurePolicy(policy).fallbackShare(1.0 / GATEWAYS).build();
        FakeChatProvider provider = FakeChatProvider.builder().id("p")
            .reply(FakeReply.text("ok").withUsage(Usage.of(10, 40))).build();
        awaitTrue("gateway " + g + " is connected", redis::ping); // a loaded machine may connect slowly
        connections.add(redis);
        stores.add(store);
        providers.add(provider);
        gateways.add(AiGateway.builder().provider(provider).clock(clock).listener(listener)
            .resilience(Resilience.custom().maxAttempts(1).build())
            .budgetStore(store).budget(TENANT_BUDGET).budget(CALLS).build());
      }
    }

    /** Every thread of every gateway calls for tenants in turn until {@code stop}. */
    List<Future<?>> start(ExecutorService pool, AtomicBoolean stop) {
      List<Future<?>> workers = new ArrayList<>();
      for (int g = 0; g < GATEWAYS; g++) {
        for (int t = 0; t < THREADS; t++) {
          int gateway = g;
          int offset = t;
          workers.add(pool.submit(() -> {
            for (int i = offset; !stop.get(); i++) {
              call(gateway, "t" + i % TENANTS);
            }
            return null;
          }));
        }
      }
      return workers;
    }

    void call(int gateway, String tenant) {
      boolean[] local = fellBack.get();
      local[0] = false;
      ChatRequest request = ChatRequest.builder().model("p/m").user("question").maxOutputTokens(100).build();
      try {
        gateways.get(gateway).chat(request, CallContext.tenant(tenant));
        succeeded.computeIfAbsent(tenant, k -> new LongAdder()).increment();
        if (local[0]) {
          admittedLocally.computeIfAbsent(gateway + "/" + tenant, k -> new LongAdder()).increment();
        }
      } catch (BudgetExceededException e) {
        denied.increment();
      } catch (StoreUnavailableException e) {
        rejected.increment();
      } finally {
        calls.increment();
      }
    }

    long succeeded(String tenant) {
      LongAdder n = succeeded.get(tenant);
      return n == null ? 0 : n.sum();
    }

    long providerCalls() {
      return providers.stream().mapToLong(FakeChatProvider::requestCount).sum();
    }

    /** What Redis holds for {@code tenant}'s tokens, asked through the first gateway. */
    long tokensUsed(String tenant) {
      return gateways.get(0).budgetUsage(TENANT_BUDGET.name(), tenant).get(0).used().longValueExact();
    }

    long callsCounted() {
      return gateways.get(0).budgetUsage(CALLS.name()).get(0).used().longValueExact();
    }

    /** Waits until every gateway has written what Redis missed (on its own, without traffic). */
    void awaitCaughtUp() {
      awaitTrue("every gateway wrote what Redis missed", () -> stores.stream().allMatch(s -> s.pendingSettlements() == 0));
    }

    void assertExactLedger() {
      long total = 0;
      for (int t = 0; t < TENANTS; t++) {
        String tenant = "t" + t;
        assertThat(tokensUsed(tenant)).as("tokens of %s: exactly what its successful calls reported", tenant)
            .isEqualTo(succeeded(tenant) * TOKENS_PER_CALL);
        total += succeeded(tenant);
      }
      assertThat(callsCounted()).as("the global request counter counts every successful call once").isEqualTo(total);
      assertThat(providerCalls()).as("no provider was called for a denied or rejected call").isEqualTo(total);
    }

    @Override
    public void close() {
      for (AiGateway g : gateways) {
        g.close();
      }
      for (RedisBudgetStore s : stores) {
        s.close();
      }
      for (RedisConnection c : connections) {
        c.close();
      }
    }
  }

  private static void stop(AtomicBoolean stop, ExecutorService pool, List<Future<?>> workers) throws Exception {
    stop.set(true);
    for (Future<?> w : workers) {
      w.get(60, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
  }

  @Test
  void sharedTenantLimitsHoldAcrossTheFleetAndTheLedgerIsExact() throws Exception {
    try (Fleet fleet = new Fleet(FailurePolicy.FAIL_CLOSED, "fleet-steady")) {
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(GATEWAYS * THREADS);
      List<Future<?>> workers = fleet.start(pool, stop);
      awaitTrue("every tenant's limit is reached and calls are denied", () -> fleet.denied.sum() >= 500);
      stop(stop, pool, workers);

      for (int t = 0; t < TENANTS; t++) {
        assertThat(fleet.tokensUsed("t" + t)).as("reservations of 10 + 100 tokens, reconciled to 50: the limit never passes")
            .isLessThanOrEqualTo(TENANT_TOKENS)
            .isGreaterThan(TENANT_TOKENS - 2 * GATEWAYS * THREADS * 110L);
      }
      assertThat(fleet.rejected.sum()).isZero();
      fleet.assertExactLedger();
    }
  }

  @Test
  void aFailClosedFleetRejectsCallsWhileRedisIsDownAndRecoversWithAnExactLedger() throws Exception {
    try (Fleet fleet = new Fleet(FailurePolicy.FAIL_CLOSED, "fleet-closed")) {
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(GATEWAYS * THREADS);
      List<Future<?>> workers = fleet.start(pool, stop);
      awaitTrue("calls succeed, the tenants' limits not yet reached", () -> fleet.calls.sum() >= 400);

      server.kill();
      long before = fleet.rejected.sum();
      awaitTrue("calls are rejected while Redis is down", () -> fleet.rejected.sum() >= before + 500);
      long providerCallsDuringOutage = fleet.providerCalls();
      awaitTrue("no call reaches a provider while Redis is down", () -> fleet.rejected.sum() >= before + 1_000);
      assertThat(fleet.providerCalls()).as("fail-closed: no admission without Redis")
          .isLessThanOrEqualTo(providerCallsDuringOutage + GATEWAYS * THREADS);

      server.restart();
      long afterRestart = totalSucceeded(fleet);
      awaitTrue("the fleet recovers without a restart", () -> totalSucceeded(fleet) >= afterRestart + 300);
      stop(stop, pool, workers);

      fleet.awaitCaughtUp();
      fleet.assertExactLedger();
      for (int t = 0; t < TENANTS; t++) {
        assertThat(fleet.tokensUsed("t" + t)).isLessThanOrEqualTo(TENANT_TOKENS);
      }
    }
  }

  @Test
  void aFailOpenFleetAdmitsAgainstItsLocalSharesWhileRedisIsDownAndAddsThemUpWhenItIsBack() throws Exception {
    try (Fleet fleet = new Fleet(FailurePolicy.FAIL_OPEN, "fleet-open")) {
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(GATEWAYS * THREADS);
      List<Future<?>> workers = fleet.start(pool, stop);
      awaitTrue("calls succeed, the tenants' limits not yet reached", () -> fleet.calls.sum() >= 400);

      server.kill();
      awaitTrue("calls are admitted locally while Redis is down", () -> localCalls(fleet) >= 200);
      server.restart();
      long afterRestart = totalSucceeded(fleet);
      awaitTrue("the fleet recovers and its limits are reached", () ->
          totalSucceeded(fleet) >= afterRestart + 200 && fleet.denied.sum() >= 500);
      stop(stop, pool, workers);

      fleet.awaitCaughtUp();
      assertThat(fleet.rejected.sum()).as("fail-open never rejects for Redis").isZero();
      fleet.assertExactLedger();
      for (int t = 0; t < TENANTS; t++) {
        String tenant = "t" + t;
        long localTokens = 0;
        for (int g = 0; g < GATEWAYS; g++) {
          LongAdder n = fleet.admittedLocally.get(g + "/" + tenant);
          long tokens = n == null ? 0 : n.sum() * TOKENS_PER_CALL;
          assertThat(tokens).as("gateway %d spent at most its share of %s's headroom", g, tenant)
              .isLessThanOrEqualTo(TENANT_TOKENS / GATEWAYS);
          localTokens += tokens;
        }
        assertThat(fleet.tokensUsed(tenant)).as("the documented bound: the limit, plus what the local shares admitted")
            .isLessThanOrEqualTo(TENANT_TOKENS + localTokens);
      }
    }
  }

  private static long totalSucceeded(Fleet fleet) {
    return fleet.succeeded.values().stream().mapToLong(LongAdder::sum).sum();
  }

  private static long localCalls(Fleet fleet) {
    return fleet.admittedLocally.values().stream().mapToLong(LongAdder::sum).sum();
  }
}
