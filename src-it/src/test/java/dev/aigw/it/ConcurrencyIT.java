package dev.aigw.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.BudgetAction;
import dev.aigw.api.BudgetUsage;
import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.FinishReason;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.ModelResponse;
import dev.aigw.api.TimeSource;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.Driver;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.budget.InMemoryBudgetStore;
import dev.aigw.core.cache.CacheKey;
import dev.aigw.core.cache.CacheStats;
import dev.aigw.core.cache.CacheStore;
import dev.aigw.core.cache.CachedResponse;
import dev.aigw.core.cache.InMemoryCacheStore;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.routing.Hedging;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.Route;
import dev.aigw.core.routing.RouteOptions;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 64 threads through one gateway with budgets (per-tenant daily tokens and a global daily request
 * counter, in an {@link InMemoryBudgetStore}), a response cache and fallback routes, against fake
 * providers that mix successes with usage, 503s, 429s, immediate timeouts and calls that hang until
 * the attempt timeout cancels them; blocking calls, whole streams and streams the caller closes
 * after one chunk. Prompts repeat, so the cache hits and coalesces. Every request sets max output
 * tokens above what the fakes report, so a reservation is never below the call's usage and the
 * documented bound ("a limit is passed by at most the estimation error of the calls in flight") is
 * the limit itself.
 *
 * <p>Checks: every budget event and the final counters stay within their limits; the ledger is
 * exact (each counter equals the usage of the successful non-cache-hit calls, as their callers saw
 * it, plus what the calls cut off after delivering chunks were charged for what they delivered; a
 * call that failed before delivering anything is charged nothing; cache hits spend nothing); every
 * stored cache entry is a complete answer; every call ends exactly once; and no thread outlives
 * the gateway.
 */
class ConcurrencyIT {
  static final int THREADS = 64;
  static final int CALLS_PER_THREAD = 80;
  static final int PROMPTS = 300;
  static final int MAX_OUTPUT = 24;
  static final long TENANT_TOKENS = 5_000;
  static final long GLOBAL_REQUESTS = 1_200;
  /** Tenants and their share of the calls. */
  static final String[] TENANTS = {"t0", "t0", "t0", "t0", "t1", "t1", "t1", "t2", "t2", "t3"};

  /** One reply per fake provider; its text identifies the provider in a cache entry. */
  record Fake(String id, String text, Usage usage, double failureRate, FakeReply failure) {}

  static final List<Fake> FAKES = List.of(
      new Fake("alpha", "Alpha: your order ships on Monday by courier.", Usage.of(9, 6), 0.30, FakeReply.serverError(503)),
      new Fake("beta", "Beta: the parcel leaves the warehouse on Monday.", Usage.of(8, 5), 0.25, FakeReply.rateLimited()),
      new Fake("gamma", "Gamma: expect delivery early next week.", Usage.of(10, 7), 0.35, FakeReply.timeout()),
      new Fake("delta", "Delta: shipping is scheduled for Monday.", Usage.of(7, 4), 0.10, FakeReply.hang()),
      new Fake("omega", "Omega: it ships Monday.", Usage.of(6, 3), 0.0, FakeReply.serverError(500)));
  static final Set<String> ANSWERS = FAKES.stream().map(Fake::text).collect(Collectors.toSet());

  /** What a caller saw. */
  record Outcome(String tenant, String mode, boolean ok, CacheStatus cache, Usage usage, String text, String error) {}

  /** What the listener saw of one call. */
  static final class CallRecord {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger ends = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    volatile String tenant = "";
    volatile boolean delivered;
    volatile boolean hit;
    volatile String error = "";
    final Map<String, BigDecimal> reserved = new ConcurrentHashMap<>();
    final Map<String, BigDecimal> actual = new ConcurrentHashMap<>();
  }

  @Test
  @Timeout(120)
  void sixtyFourThreadsKeepEveryLimitAnExactLedgerCompleteCacheEntriesAndNoThreads() throws Exception {
    long began = System.nanoTime();
    TimeSource.system().schedule(Duration.ZERO, () -> {}); // the JVM-wide timer thread exists before the snapshot
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());

    Map<Long, CallRecord> calls = new ConcurrentHashMap<>();
    Queue<String> overLimit = new ConcurrentLinkedQueue<>();
    AtomicInteger tenantDenials = new AtomicInteger();
    AtomicInteger globalDenials = new AtomicInteger();
    GatewayListener listener = new GatewayListener() {
      CallRecord of(CallInfo call) {
        return calls.computeIfAbsent(call.id(), id -> new CallRecord());
      }

      void within(String event, BudgetUsage u) {
        if (u.used().compareTo(u.limit()) > 0) {
          overLimit.add(event + " " + u);
        }
      }

      @Override public void callStart(CallInfo call) {
        CallRecord r = of(call);
        r.starts.incrementAndGet();
        r.tenant = call.context().tenant().orElse("");
      }
      @Override public void firstChunk(CallInfo call, Duration ttfc) { of(call).delivered = true; }
      @Override public void cacheHit(CallInfo call, CacheStatus status, Duration age) { of(call).hit = true; }
      @Override public void budgetReserved(CallInfo call, BudgetUsage u, BigDecimal reserved) {
        within("reserved", u);
        of(call).reserved.put(u.budget(), reserved);
      }
      @Override public void budgetReconciled(CallInfo call, BudgetUsage u, BigDecimal reserved, BigDecimal actual) {
        within("reconciled", u);
        of(call).actual.merge(u.budget(), actual, BigDecimal::add);
      }
      @Override public void budgetExceeded(CallInfo call, BudgetUsage u, BigDecimal requested, BudgetAction action) {
        (u.budget().equals("tenant") ? tenantDenials : globalDenials).incrementAndGet();
      }
      @Override public void callEnd(CallInfo call, ModelResponse response) { of(call).ends.incrementAndGet(); }
      @Override public void callFailed(CallInfo call, AiGatewayException error) {
        CallRecord r = of(call);
        r.failures.incrementAndGet();
        r.error = error.getClass().getSimpleName();
      }
    };

    Queue<String> partialEntries = new ConcurrentLinkedQueue<>();
    AtomicInteger stored = new AtomicInteger();
    InMemoryCacheStore memory = InMemoryCacheStore.builder().build();
    ResponseCache cache = ResponseCache.builder().store(new ForwardingStore(memory) {
      @Override
      public void put(CacheKey key, CachedResponse value, Duration ttl) {
        stored.incrementAndGet();
        ChatResponse r = value.toResponse();
        List<ChatChunk> chunks = value.toChunks();
        if (!ANSWERS.contains(r.text()) || r.finishReason() != FinishReason.STOP || r.usage().isEmpty()
            || chunks.get(chunks.size() - 1).finishReason().isEmpty()) {
          partialEntries.add(value + " text='" + r.text() + "' finish=" + r.finishReason());
        }
        super.put(key, value, ttl);
      }
    }).build();

    InMemoryBudgetStore budgets = new InMemoryBudgetStore();
    AiGateway.Builder builder = AiGateway.builder()
        .clock(new NoonClock())
        .route("chat", Route.fallback("alpha/m", "beta/m", "omega/m"))
        .route("fast", Route.fallback("gamma/m", "delta/m"))
        .route("hedged", Route.fallback("delta/m", "omega/m"), RouteOptions.builder().hedging(Hedging.after(Duration.ofMillis(20))).build())
        .resilience(Resilience.custom().maxAttempts(2).backoff(Duration.ofMillis(1), 2, Duration.ofMillis(4))
            .noCircuitBreaker().attemptTimeout(Duration.ofMillis(300)).build())
        .budgetStore(budgets)
        .budget(Budget.perTenant().tokensPerDay(TENANT_TOKENS))
        .budget(Budget.global().requestsPerDay(GLOBAL_REQUESTS))
        .cache(cache)
        .listener(listener);
    for (int i = 0; i < FAKES.size(); i++) {
      Fake f = FAKES.get(i);
      builder.provider(FakeChatProvider.builder().id(f.id()).reply(FakeReply.text(f.text()).withUsage(f.usage()))
          .failureRate(f.failureRate(), f.failure()).seed(i + 1).chunkSize(5).build());
    }
    AiGateway gateway = builder.build();

    Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    ExecutorService workers = Executors.newFixedThreadPool(THREADS, r -> new Thread(r, "concurrency-it-worker"));
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Random random = new Random(1_000 + t);
      done.add(workers.submit(() -> {
        go.await();
        for (int i = 0; i < CALLS_PER_THREAD; i++) {
          outcomes.add(call(gateway, random));
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    workers.shutdown();
    assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    // Every call ended exactly once, and failed only with the gateway's exceptions.
    assertThat(outcomes).hasSize(THREADS * CALLS_PER_THREAD);
    assertThat(calls).hasSize(THREADS * CALLS_PER_THREAD);
    assertThat(calls.values()).allSatisfy(r -> {
      assertThat(r.starts.get()).isEqualTo(1);
      assertThat(r.ends.get() + r.failures.get()).isEqualTo(1);
    });
    assertThat(outcomes).filteredOn(o -> !o.ok()).extracting(Outcome::error)
        .allMatch(e -> e.startsWith("dev.aigw.api."), "AiGatewayExceptions only");

    // Every limit held at every event and at the end; both were reached.
    assertThat(overLimit).isEmpty();
    assertThat(tenantDenials.get()).as("tenant token budgets were reached").isPositive();
    assertThat(globalDenials.get()).as("the global request budget was reached").isPositive();
    List<CallRecord> charged = calls.values().stream().filter(r -> !r.actual.isEmpty()).toList();
    assertThat(charged).allSatisfy(r -> r.actual.forEach((budget, actual) ->
        assertThat(actual).as("reserve >= actual, so the bound is the limit").isLessThanOrEqualTo(r.reserved.get(budget))));

    // The ledger is exact.
    assertThat(calls.values()).filteredOn(r -> r.hit).as("cache hits reserve nothing").isNotEmpty().allMatch(r -> r.reserved.isEmpty());
    List<CallRecord> cutOff = calls.values().stream().filter(r -> r.failures.get() == 1 && !r.actual.isEmpty()).toList();
    assertThat(cutOff).as("a failed call that delivered nothing is charged nothing").allSatisfy(r -> {
      if (!r.delivered) {
        assertThat(r.actual.values()).allMatch(a -> a.signum() == 0);
      }
    });
    List<Outcome> paid = outcomes.stream().filter(o -> o.ok() && o.cache() != CacheStatus.HIT).toList();
    for (String tenant : java.util.Arrays.stream(TENANTS).distinct().toList()) {
      long expected = paid.stream().filter(o -> o.tenant().equals(tenant)).mapToLong(o -> o.usage().totalTokens()).sum()
          + cutOff.stream().filter(r -> r.tenant.equals(tenant)).mapToLong(r -> r.actual.getOrDefault("tenant", BigDecimal.ZERO).longValueExact()).sum();
      BudgetUsage used = gateway.budgetUsage("tenant", tenant).get(0);
      assertThat(used.used().longValueExact()).as("tokens of %s", tenant).isEqualTo(expected).isLessThanOrEqualTo(TENANT_TOKENS);
    }
    long requests = paid.size() + cutOff.stream().filter(r -> r.actual.getOrDefault("global", BigDecimal.ZERO).signum() > 0).count();
    assertThat(gateway.budgetUsage("global").get(0).used().longValueExact()).isEqualTo(requests).isLessThanOrEqualTo(GLOBAL_REQUESTS);
    assertThat(outcomes).filteredOn(o -> o.ok() && o.cache() == CacheStatus.HIT).isNotEmpty();

    // Answers and cache entries are whole.
    assertThat(outcomes).filteredOn(o -> o.ok() && !o.mode().equals("early")).extracting(Outcome::text).allMatch(ANSWERS::contains);
    assertThat(stored.get()).isPositive();
    assertThat(partialEntries).isEmpty();

    String summary = String.format("%d calls; %d ok (%d cache hits), %d budget denials (tenant %d, global %d), %d entries stored, "
            + "%d failed after a reservation (%d charged for chunks delivered before they were cut off); tokens used %s of %d each, "
            + "requests used %d of %d", outcomes.size(),
        outcomes.stream().filter(Outcome::ok).count(), outcomes.stream().filter(o -> o.ok() && o.cache() == CacheStatus.HIT).count(),
        outcomes.stream().filter(o -> o.error().endsWith("BudgetExceededException")).count(), tenantDenials.get(), globalDenials.get(),
        stored.get(), cutOff.size(), cutOff.stream().filter(r -> r.actual.getOrDefault("tenant", BigDecimal.ZERO).signum() > 0).count(),
        java.util.Arrays.stream(TENANTS).distinct().map(t -> t + "=" + gateway.budgetUsage("tenant", t).get(0).used()).toList(),
        TENANT_TOKENS, requests, GLOBAL_REQUESTS);

    // No thread outlives the gateway; the whole run is bounded.
    List<String> during = leftover(before);
    gateway.close();
    Driver.awaitTrue("the gateway's threads end", () -> leftover(before).isEmpty());
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    System.out.println("ConcurrencyIT: " + summary + "; " + during.size() + " gateway threads alive before close ("
        + during.stream().map(n -> n.replaceAll("\\d+", "#")).distinct().toList() + "), none after; " + took.toMillis() + " ms");
    assertThat(took).isLessThan(Duration.ofSeconds(30));
  }

  /** One call, chosen by {@code random}: tenant, one of the prompts, route, blocking or a whole or cut-off stream. */
  private static Outcome call(AiGateway gateway, Random random) {
    String tenant = TENANTS[random.nextInt(TENANTS.length)];
    int r100 = random.nextInt(100);
    String route = r100 < 60 ? "chat" : r100 < 85 ? "fast" : "hedged";
    int kind = random.nextInt(10);
    String mode = kind < 4 ? "blocking" : kind < 5 ? "async" : kind < 9 ? "stream" : "early";
    ChatRequest request = ChatRequest.builder().model(route)
        .user("Question " + random.nextInt(PROMPTS) + ": when does my order ship?").maxOutputTokens(MAX_OUTPUT).build();
    CallContext context = CallContext.builder().tenant(tenant).timeout(Duration.ofSeconds(20)).build();
    try {
      if (mode.equals("blocking") || mode.equals("async")) {
        ChatResponse r = mode.equals("blocking") ? gateway.chat(request, context) : async(gateway, request, context);
        return new Outcome(tenant, mode, true, r.metadata().cacheStatus(), r.usage().orElse(Usage.ZERO), r.text(), "");
      }
      StringBuilder text = new StringBuilder();
      Usage usage = Usage.ZERO;
      try (ChatStream stream = gateway.stream(request, context)) {
        for (ChatChunk chunk : stream) {
          text.append(chunk.text());
          usage = chunk.usage().orElse(usage);
          if (mode.equals("early")) {
            return new Outcome(tenant, mode, false, stream.metadata().cacheStatus(), Usage.ZERO, text.toString(),
                CallCancelledException.class.getName());
          }
        }
        return new Outcome(tenant, mode, true, stream.metadata().cacheStatus(), usage, text.toString(), "");
      }
    } catch (RuntimeException e) {
      return new Outcome(tenant, mode, false, CacheStatus.NONE, Usage.ZERO, "", e.getClass().getName());
    }
  }

  /** A call on the gateway's executor; its failure as the gateway's exception. */
  private static ChatResponse async(AiGateway gateway, ChatRequest request, CallContext context) {
    try {
      return gateway.chatAsync(request, context).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Threads alive now that were not before, other than the JDK's own shared pools. */
  private static List<String> leftover(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t))
        .map(Thread::getName)
        .filter(n -> !n.startsWith("ForkJoinPool.commonPool") && !n.equals("CompletableFutureDelayScheduler"))
        .toList();
  }

  /**
   * The system clock for timers and latencies, with a wall clock that starts at noon UTC, so the
   * daily windows cannot roll over during the run.
   */
  static final class NoonClock implements TimeSource {
    private final Instant start = Instant.parse("2026-03-04T12:00:00Z");
    private final long origin = System.nanoTime();

    @Override
    public Instant now() {
      return start.plusNanos(System.nanoTime() - origin);
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
      return TimeSource.system().schedule(delay, task);
    }
  }

  /** A cache store that hands everything to another. */
  static class ForwardingStore implements CacheStore {
    private final CacheStore delegate;

    ForwardingStore(CacheStore delegate) {
      this.delegate = delegate;
    }

    @Override public Optional<CachedResponse> get(CacheKey key) { return delegate.get(key); }
    @Override public Optional<CachedResponse> getLocal(CacheKey key) { return delegate.getLocal(key); }
    @Override public void put(CacheKey key, CachedResponse value, Duration ttl) { delegate.put(key, value, ttl); }
    @Override public void invalidate(CacheKey key) { delegate.invalidate(key); }
    @Override public void invalidatePartition(String partition) { delegate.invalidatePartition(partition); }
    @Override public CacheStats stats() { return delegate.stats(); }
    @Override public void close() { delegate.close(); }
  }
}
