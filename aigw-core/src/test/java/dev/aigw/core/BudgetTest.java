package dev.aigw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.BudgetAction;
import dev.aigw.api.BudgetExceededException;
import dev.aigw.api.BudgetUsage;
import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Cost;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.ProviderException;
import dev.aigw.api.Target;
import dev.aigw.api.Usage;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.budget.Window;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.catalog.ModelCatalog;
import dev.aigw.core.catalog.ModelInfo;
import dev.aigw.core.pricing.Prices;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.Route;
import dev.aigw.core.tokens.TokenCounter;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Budgets through the whole gateway: reserve before the call, reconcile after it (blocking,
 * streamed, cut off, failed), every action, several budgets at once, windows on a manual clock,
 * and exactness under concurrency.
 */
class BudgetTest {
  private final ManualClock clock = new ManualClock(); // 2026-01-01T00:00:00Z
  private static final Instant NEXT_DAY = Instant.parse("2026-01-02T00:00:00Z");
  private static final ModelCatalog CATALOG = ModelCatalog.builder()
      .model(ModelInfo.builder("p", "big").contextWindow(100_000).maxOutputTokens(8_000)
          .prices(Prices.perMillionTokens("10", "30")).build())
      .model(ModelInfo.builder("p", "small").contextWindow(100_000).maxOutputTokens(8_000)
          .prices(Prices.perMillionTokens("1", "2")).build())
      .model(ModelInfo.builder("p", "embed").contextWindow(8_000).prices(Prices.perMillionTokens("0.5", "0")).build())
      .build();
  private static final CallContext ACME = CallContext.tenant("acme");

  private final Events events = new Events();

  private AiGateway.Builder gateway(ChatProvider provider, Budget... budgets) {
    AiGateway.Builder b = AiGateway.builder().provider(provider).clock(clock).catalog(CATALOG).listener(events)
        .resilience(Resilience.custom().maxAttempts(1).build())
        .route("chat", Route.fallback("p/big", "p/small"))
        .route("cheap", Route.target("p/small"));
    for (Budget budget : budgets) {
      b.budget(budget);
    }
    return b;
  }

  private static FakeChatProvider fake(FakeReply... replies) {
    FakeChatProvider.Builder b = FakeChatProvider.builder().id("p");
    return (replies.length == 0 ? b : b.reply(replies)).build();
  }

  private static ChatRequest ask(String model, String text, int maxOutput) {
    return ChatRequest.builder().model(model).user(text).maxOutputTokens(maxOutput).build();
  }

  /** The input tokens the gateway reserves for {@code request} when it may go to {@code model}: the cheap bound. */
  private static int input(String model, ChatRequest request) {
    return TokenCounter.forModel(model).upperBound(request);
  }

  private static BigDecimal used(AiGateway gateway, String budget, String key, int limit) {
    return gateway.budgetUsage(budget, key).get(limit).used();
  }

  /** Records budget events as short strings. */
  static final class Events implements GatewayListener {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void budgetReserved(CallInfo call, BudgetUsage usage, BigDecimal reserved) {
      seen.add("reserved " + usage.budget() + "/" + usage.measure() + " " + reserved.toPlainString());
    }

    @Override
    public void budgetExceeded(CallInfo call, BudgetUsage usage, BigDecimal requested, BudgetAction action) {
      seen.add("exceeded " + usage.budget() + "/" + usage.measure() + " " + action);
    }

    @Override
    public void budgetThreshold(CallInfo call, BudgetUsage usage, double threshold) {
      seen.add("threshold " + usage.budget() + "/" + usage.measure() + " " + threshold);
    }

    @Override
    public void budgetReconciled(CallInfo call, BudgetUsage usage, BigDecimal reserved, BigDecimal actual) {
      seen.add("reconciled " + usage.budget() + "/" + usage.measure() + " " + reserved.toPlainString() + " -> " + actual.toPlainString());
    }

    @Override
    public void route(CallInfo call, String model, List<Target> candidates) {
      seen.add("route " + model);
    }

    List<String> starting(String prefix) {
      synchronized (seen) {
        return seen.stream().filter(s -> s.startsWith(prefix)).toList();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reserve, reconcile, reject, roll over

  @Test
  void aCallReservesItsEstimateFirstAndIsReconciledToTheReportedUsage() {
    ChatRequest request = ask("p/big", "What is the capital of France?", 50);
    int estimate = input("big", request) + 50;
    try (AiGateway gateway = gateway(fake(FakeReply.text("Paris.").withUsage(Usage.of(14, 3))),
        Budget.perTenant().tokensPerDay(10_000)).build()) {
      gateway.chat(request, ACME);

      assertThat(events.seen).containsExactly(
          "reserved tenant/total_tokens " + estimate,
          "route p/big",
          "reconciled tenant/total_tokens " + estimate + " -> 17");
      BudgetUsage usage = gateway.budgetUsage("tenant", "acme").get(0);
      assertThat(usage.used()).isEqualByComparingTo("17");
      assertThat(usage.limit()).isEqualByComparingTo("10000");
      assertThat(usage.remaining()).isEqualByComparingTo("9983");
      assertThat(usage.resetsAt()).isEqualTo(NEXT_DAY);
      assertThat(usage.window()).isEqualTo("day");
      assertThat(gateway.budgetUsage("tenant", "other").get(0).used()).isZero();
    }
  }

  @Test
  void aCallThatDoesNotFitIsRejectedBeforeAnyProviderCallAndTheWindowRollsOverByTheGatewayClock() {
    FakeChatProvider provider = fake(FakeReply.text("ok").withUsage(Usage.of(900, 0)));
    ChatRequest request = ask("p/big", "hello", 100);
    int estimate = TokenCounter.forModel("big").count(request) + 100; // denied with the bound, then with the exact count
    try (AiGateway gateway = gateway(provider, Budget.perTenant().tokensPerDay(1_000)).build()) {
      gateway.chat(request, ACME);

      assertThatThrownBy(() -> gateway.chat(request, ACME))
          .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
            assertThat(e.scope()).isEqualTo("tenant:acme");
            assertThat(e.measure()).isEqualTo("total_tokens");
            assertThat(e.limit()).isEqualByComparingTo("1000");
            assertThat(e.used()).isEqualByComparingTo("900");
            assertThat(e.requested()).isEqualByComparingTo(BigDecimal.valueOf(estimate));
            assertThat(e.resetsAt()).isEqualTo(NEXT_DAY);
            assertThat(e.usage().window()).isEqualTo("day");
            assertThat(e.getMessage()).contains("tenant:acme", "total_tokens", "900", "1000", NEXT_DAY.toString());
          });
      assertThat(provider.requestCount()).as("no provider call for a denied reservation").isEqualTo(1);
      assertThat(used(gateway, "tenant", "acme", 0)).as("a denial reserves nothing").isEqualByComparingTo("900");
      assertThat(events.starting("exceeded")).containsExactly("exceeded tenant/total_tokens REJECT");

      clock.advance(Duration.between(clock.now(), NEXT_DAY));
      gateway.chat(request, ACME);
      assertThat(provider.requestCount()).isEqualTo(2);
      assertThat(used(gateway, "tenant", "acme", 0)).isEqualByComparingTo("900");
    }
  }

  @Test
  void nearTheLimitTheExactCountAdmitsACallThatTheCheapBoundWouldNot() {
    FakeChatProvider provider = fake(FakeReply.text("ok").withUsage(Usage.of(900, 0)));
    ChatRequest request = ask("p/big", "a question with several words in it, to count", 10);
    int bound = TokenCounter.forModel("big").upperBound(request);
    int exact = TokenCounter.forModel("big").count(request);
    assertThat(exact).isLessThan(bound);
    try (AiGateway gateway = gateway(provider, Budget.perTenant().tokensPerDay(900 + exact + 10)).build()) {
      gateway.chat(request, ACME);
      gateway.chat(request, ACME);
      assertThat(events.starting("reserved")).containsExactly(
          "reserved tenant/total_tokens " + (bound + 10), "reserved tenant/total_tokens " + (exact + 10));
      assertThat(provider.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void severalBudgetsAdmitACallTogetherOrNoneKeepsAReservation() {
    FakeChatProvider provider = fake(FakeReply.text("ok").withUsage(Usage.of(1_000, 1_000)));
    ChatRequest request = ask("p/big", "hello", 1_000);
    // the first call costs 1,000 × $10/M + 1,000 × $30/M = $0.04; the second would need ~$0.04 more
    try (AiGateway gateway = gateway(provider,
        Budget.perTenant().tokensPerDay(1_000_000),
        Budget.global().costPerMonth(Cost.usd("0.05"))).build()) {
      gateway.chat(request, ACME);
      assertThat(used(gateway, "tenant", "acme", 0)).isEqualByComparingTo("2000");
      assertThat(gateway.budgetUsage("global").get(0).used()).isEqualByComparingTo("0.04");

      assertThatThrownBy(() -> gateway.chat(request, ACME))
          .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
            assertThat(e.scope()).isEqualTo("global");
            assertThat(e.measure()).isEqualTo("cost_usd");
            assertThat(e.resetsAt()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
          });
      assertThat(used(gateway, "tenant", "acme", 0)).as("the tenant budget admitted, but keeps nothing").isEqualByComparingTo("2000");
      assertThat(provider.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void costIsReservedForTheMostExpensiveCandidateAndReconciledToWhatTheServingTargetCharged() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p")
        .reply("big", FakeReply.serverError(503))
        .reply("small", FakeReply.text("ok").withUsage(Usage.of(1_000, 500)))
        .build();
    ChatRequest request = ask("chat", "hello there", 500);
    int input = input("big", request); // both models count with the same estimating tokenizer
    BigDecimal reserved = new BigDecimal("0.00001").multiply(BigDecimal.valueOf(input)).add(new BigDecimal("0.015")); // big: 10/M in, 30/M out
    try (AiGateway gateway = gateway(provider, Budget.global().costPerDay(Cost.usd("1"))).build()) {
      ChatResponse answer = gateway.chat(request, ACME);

      assertThat(answer.metadata().target()).contains(Target.parse("p/small"));
      assertThat(events.starting("reserved")).containsExactly("reserved global/cost_usd " + reserved.stripTrailingZeros().toPlainString());
      // small: 1,000 × $1/M + 500 × $2/M = $0.002, exactly what the answer cost
      assertThat(answer.metadata().cost()).contains(Cost.usd("0.002"));
      assertThat(gateway.budgetUsage("global").get(0).used()).isEqualByComparingTo("0.002");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Streams and failures

  @Test
  void aStreamIsReconciledToItsReportedUsageWhenItEnds() {
    FakeChatProvider provider = fake(FakeReply.text("a streamed answer of some length").withUsage(Usage.of(12, 7)));
    try (AiGateway gateway = gateway(provider, Budget.perTenant().tokensPerDay(10_000)).build()) {
      ChatRequest request = ask("p/big", "stream please", 64);
      try (ChatStream stream = gateway.stream(request, ACME)) {
        Iterator<ChatChunk> chunks = stream.iterator();
        chunks.next();
        assertThat(used(gateway, "tenant", "acme", 0)).as("reserved while it streams")
            .isEqualByComparingTo(BigDecimal.valueOf(input("big", request) + 64));
        chunks.forEachRemaining(c -> {});
      }
      assertThat(used(gateway, "tenant", "acme", 0)).isEqualByComparingTo("19");
    }
  }

  @Test
  void aStreamClosedPartWayIsChargedItsInputAndTheTokensItDelivered() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").chunkSize(8)
        .reply(FakeReply.text("The quick brown fox jumps over the lazy dog again and again.").withUsage(Usage.of(12, 15)))
        .build();
    ChatRequest request = ask("p/big", "tell me about foxes", 64);
    try (AiGateway gateway = gateway(provider, Budget.perTenant().tokensPerDay(10_000).limit(Budget.Measure.REQUESTS, Window.day(), 10)).build()) {
      try (ChatStream stream = gateway.stream(request, ACME)) {
        Iterator<ChatChunk> chunks = stream.iterator();
        assertThat(chunks.next().text()).isEqualTo("The quic");
        assertThat(chunks.next().text()).isEqualTo("k brown ");
      }
      TokenCounter counter = TokenCounter.forModel("big");
      long expected = counter.count(request) + counter.count("The quick brown ");
      assertThat(used(gateway, "tenant", "acme", 0)).isEqualByComparingTo(BigDecimal.valueOf(expected));
      assertThat(used(gateway, "tenant", "acme", 1)).as("a started stream is a request").isEqualByComparingTo("1");
      assertThat(events.starting("reconciled")).hasSize(2);
    }
  }

  @Test
  void aStreamThatFailsPartWayIsChargedWhatItDelivered() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").chunkSize(8)
        .reply(FakeReply.text("0123456789abcdefghijklmnopqrstuvwxyz").withUsage(Usage.of(12, 15))
            .failMidStream(2, new ProviderException("p", 0, true, "connection reset")))
        .build();
    ChatRequest request = ask("p/big", "digits", 64);
    try (AiGateway gateway = gateway(provider, Budget.perTenant().tokensPerDay(10_000)).build()) {
      List<String> received = new ArrayList<>();
      assertThatThrownBy(() -> {
        try (ChatStream stream = gateway.stream(request, ACME)) {
          stream.forEach(c -> received.add(c.text()));
        }
      }).isInstanceOf(ProviderException.class);
      assertThat(received).containsExactly("01234567", "89abcdef");
      TokenCounter counter = TokenCounter.forModel("big");
      assertThat(used(gateway, "tenant", "acme", 0))
          .isEqualByComparingTo(BigDecimal.valueOf(counter.count(request) + counter.count("0123456789abcdef")));
    }
  }

  @Test
  void aCallThatFailsWithoutUsageReleasesItsWholeReservationRequestsIncluded() {
    FakeChatProvider provider = fake(FakeReply.serverError(500));
    try (AiGateway gateway = gateway(provider,
        Budget.perTenant().tokensPerDay(10_000).limit(Budget.Measure.REQUESTS, Window.day(), 1)).build()) {
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> gateway.chat(ask("p/big", "hi", 10), ACME)).isInstanceOf(ProviderException.class);
        assertThatThrownBy(() -> gateway.stream(ask("p/big", "hi", 10), ACME)).isInstanceOf(ProviderException.class);
      }
      assertThat(used(gateway, "tenant", "acme", 0)).isZero();
      assertThat(used(gateway, "tenant", "acme", 1)).as("the single request allowed was never used").isZero();
      assertThat(provider.requestCount()).isEqualTo(6);
    }
  }

  @Test
  void aCacheHitSpendsNothing() {
    FakeChatProvider provider = fake(FakeReply.text("cached").withUsage(Usage.of(10, 5)));
    try (AiGateway gateway = gateway(provider, Budget.perTenant().tokensPerDay(10_000).requestsPerDay(1))
        .cache(ResponseCache.builder().build()).build()) {
      ChatRequest request = ask("p/big", "same question", 20);
      gateway.chat(request, ACME);
      ChatResponse hit = gateway.chat(request, ACME);
      try (ChatStream streamedHit = gateway.stream(request, ACME)) {
        streamedHit.collect();
      }

      assertThat(hit.metadata().cacheStatus()).isEqualTo(CacheStatus.HIT);
      assertThat(provider.requestCount()).isEqualTo(1);
      assertThat(used(gateway, "tenant", "acme", 0)).isEqualByComparingTo("15");
      assertThat(used(gateway, "tenant", "acme", 1)).as("hits are not requests to a budget").isEqualByComparingTo("1");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Actions

  @Test
  void aDowngradeBudgetSendsTheCallToTheCheaperRouteGoesOnCountingAndKeepsItOutOfTheCache() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p")
        .reply("big", FakeReply.text("big answer").withUsage(Usage.of(1_000, 1_000)))
        .reply("small", FakeReply.text("small answer").withUsage(Usage.of(1_000, 1_000)))
        .build();
    try (AiGateway gateway = gateway(provider,
        Budget.perTenant().costPerDay(Cost.usd("0.05")).downgradeTo("cheap"),
        Budget.perTenant().requestsPerDay(3).named("tenant-requests"))
        .cache(ResponseCache.builder().build()).build()) {
      ChatRequest request = ask("chat", "question", 1_000);
      assertThat(gateway.chat(request, ACME).metadata().target()).contains(Target.parse("p/big")); // $0.04
      assertThat(gateway.chat(ask("chat", "another question", 1_000), ACME).metadata().target())
          .as("would pass $0.05, so downgraded").contains(Target.parse("p/small"));
      assertThat(events.starting("exceeded")).containsExactly("exceeded tenant/cost_usd DOWNGRADE");
      assertThat(events.starting("route")).containsExactly("route chat", "route cheap");
      assertThat(gateway.budgetUsage("tenant", "acme").get(0).used()).as("$0.04 + $0.003, counted though over the limit")
          .isEqualByComparingTo("0.043");

      assertThat(gateway.chat(ask("chat", "another question", 1_000), ACME).metadata().cacheStatus())
          .as("the downgraded answer was not cached for 'chat'").isEqualTo(CacheStatus.MISS);
      assertThat(provider.requestCount()).isEqualTo(3);
      assertThatThrownBy(() -> gateway.chat(ask("chat", "a fourth question", 1_000), ACME))
          .as("other budgets still apply to downgraded calls")
          .isInstanceOfSatisfying(BudgetExceededException.class, e -> assertThat(e.usage().budget()).isEqualTo("tenant-requests"));
    }
  }

  @Test
  void aWarnBudgetLetsCallsThroughAndReportsEveryCallPastItsLimit() {
    FakeChatProvider provider = fake(FakeReply.text("ok").withUsage(Usage.of(60, 0)));
    try (AiGateway gateway = gateway(provider, Budget.perTenant().tokensPerDay(100).warnOnly().alertAt()).build()) {
      for (int i = 0; i < 3; i++) {
        gateway.chat(ask("p/big", "hi", 1), ACME);
      }
      assertThat(provider.requestCount()).isEqualTo(3);
      assertThat(used(gateway, "tenant", "acme", 0)).isEqualByComparingTo("180");
      assertThat(events.starting("exceeded")).as("only the third call would have been denied by a hard limit")
          .containsExactly("exceeded tenant/total_tokens WARN");
    }
  }

  @Test
  void alertsAreSentOncePerWindowAtEachLevel() {
    FakeChatProvider provider = fake(FakeReply.text("ok").withUsage(Usage.of(300, 0)));
    try (AiGateway gateway = gateway(provider, Budget.perTenant().tokensPerDay(1_000).warnOnly()).build()) {
      for (int i = 0; i < 5; i++) {
        gateway.chat(ask("p/big", "hi", 1), ACME);
      }
      assertThat(events.starting("threshold")).containsExactly("threshold tenant/total_tokens 0.8", "threshold tenant/total_tokens 1.0");

      clock.advance(Duration.ofDays(1));
      for (int i = 0; i < 3; i++) {
        gateway.chat(ask("p/big", "hi", 1), ACME);
      }
      assertThat(events.starting("threshold")).hasSize(3).endsWith("threshold tenant/total_tokens 0.8");
    }
  }

  @Test
  void aRequestRateLimitCountsOverARollingMinuteAndKeepsUserIdsOutOfItsMessage() {
    FakeChatProvider provider = fake(FakeReply.text("ok").withUsage(Usage.of(1, 1)));
    CallContext user = CallContext.builder().user("alice@example.com").build();
    try (AiGateway gateway = gateway(provider, Budget.perUser().requestsPerMinute(3)).build()) {
      for (int i = 0; i < 3; i++) {
        gateway.chat(ask("p/big", "hi", 1), user);
        clock.advance(Duration.ofSeconds(10));
      }
      // at 0:30 the calls of 0:00, 0:10 and 0:20 are in the minute; the first leaves it at 1:00
      assertThatThrownBy(() -> gateway.chat(ask("p/big", "hi", 1), user))
          .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
            assertThat(e.resetsAt()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(60));
            assertThat(e.scope()).isEqualTo("user:alice@example.com");
            assertThat(e.getMessage()).doesNotContain("alice").contains("requests", "rolling:PT1M");
            assertThat(e.usage().toString()).doesNotContain("alice");
          });
      clock.advance(Duration.ofSeconds(29));
      assertThatThrownBy(() -> gateway.chat(ask("p/big", "hi", 1), user)).isInstanceOf(BudgetExceededException.class);
      clock.advance(Duration.ofSeconds(1));
      gateway.chat(ask("p/big", "hi", 1), user);
      assertThat(provider.requestCount()).isEqualTo(4);
    }
  }

  @Test
  void budgetsByTagModelAndKeyFunctionChargeEachOfTheirKeys() {
    FakeChatProvider provider = fake(FakeReply.text("ok").withUsage(Usage.of(5, 5)));
    Function<String, CallContext> tagged = t -> CallContext.builder().tag("search").tag(t).build();
    try (AiGateway gateway = gateway(provider,
        Budget.perTag().tokensPerDay(1_000),
        Budget.perModel().requestsPerDay(10),
        Budget.perKey("team", (request, context) -> context.tags().contains("batch") ? "batch" : null).requestsPerDay(1)).build()) {
      gateway.chat(ask("p/big", "a", 1), tagged.apply("ui"));
      gateway.chat(ask("chat", "b", 1), tagged.apply("batch"));
      assertThatThrownBy(() -> gateway.chat(ask("chat", "c", 1), tagged.apply("batch")))
          .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
            assertThat(e.scope()).isEqualTo("key:batch");
            assertThat(e.getMessage()).doesNotContain("batch)");
          });

      assertThat(used(gateway, "tag", "search", 0)).isEqualByComparingTo("20");
      assertThat(used(gateway, "tag", "ui", 0)).isEqualByComparingTo("10");
      assertThat(used(gateway, "model", "chat", 0)).isEqualByComparingTo("1");
      assertThat(used(gateway, "model", "p/big", 0)).isEqualByComparingTo("1");
      assertThat(used(gateway, "team", "batch", 0)).isEqualByComparingTo("1");
    }
  }

  @Test
  void aTenantBudgetDoesNotApplyToCallsWithoutATenant() {
    FakeChatProvider provider = fake(FakeReply.text("ok").withUsage(Usage.of(500, 500)));
    try (AiGateway gateway = gateway(provider, Budget.perTenant().tokensPerDay(10)).build()) {
      gateway.chat(ask("p/big", "hi", 1));
      assertThat(events.seen).containsExactly("route p/big");
    }
  }

  @Test
  void embeddingsAreCountedAndDeniedLikeChatButNeverDowngraded() {
    FakeChatProvider provider = fake();
    EmbeddingRequest request = EmbeddingRequest.of("p/embed", "first document text", "second document text");
    int estimate = TokenCounter.forModel("embed").count("first document text") + TokenCounter.forModel("embed").count("second document text");
    try (AiGateway gateway = gateway(provider,
        Budget.perTenant().tokensPerDay(10_000).requestsPerDay(2),
        Budget.global().costPerDay(Cost.usd("1")).downgradeTo("cheap")).build()) {
      EmbeddingResponse answer = gateway.embed(request, ACME);

      long reported = answer.usage().orElseThrow().inputTokens();
      assertThat(events.starting("reserved tenant/total_tokens")).containsExactly("reserved tenant/total_tokens " + estimate);
      assertThat(used(gateway, "tenant", "acme", 0)).isEqualByComparingTo(BigDecimal.valueOf(reported));
      assertThat(gateway.budgetUsage("global").get(0).used()).isEqualByComparingTo(answer.metadata().cost().orElseThrow().amount());
      gateway.embed(request, ACME);
      assertThatThrownBy(() -> gateway.embed(request, ACME)).isInstanceOf(BudgetExceededException.class);
    }
    try (AiGateway gateway = gateway(provider, Budget.global().costPerDay(Cost.usd("0")).downgradeTo("cheap")).build()) {
      assertThatThrownBy(() -> gateway.embed(request, ACME))
          .as("another embedding model's vectors would not match, so a downgrade budget rejects")
          .isInstanceOf(BudgetExceededException.class);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration and queries

  @Test
  void badConfigurationAndQueriesAreNamed() {
    FakeChatProvider provider = fake();
    assertThatThrownBy(() -> gateway(provider, Budget.perTenant()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tenant' has no limits");
    assertThatThrownBy(() -> gateway(provider, Budget.perTenant().tokensPerDay(1), Budget.perTenant().requestsPerDay(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two budgets are named 'tenant'");
    assertThatThrownBy(() -> gateway(provider, Budget.global().tokensPerDay(1).downgradeTo("nowhere")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("downgrades to 'nowhere'");
    assertThatThrownBy(() -> Budget.global().tokensPerDay(1).tokensPerDay(2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already limits total_tokens per day");
    assertThatThrownBy(() -> Budget.global().costPerDay(Cost.usd("0.0000000001")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nano-units");
    assertThatThrownBy(() -> Budget.global().limit(Budget.Measure.COST, Window.day(), 5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cost(window, Cost)");
    assertThatThrownBy(() -> Budget.perKey("Bad Name", (r, c) -> "k")).hasMessageContaining("lower-case");
    assertThatThrownBy(() -> Budget.global().alertAt(0)).hasMessageContaining("(0, 10]");

    try (AiGateway gateway = gateway(provider, Budget.global().tokensPerDay(1), Budget.perTenant().tokensPerDay(1)).build()) {
      assertThatThrownBy(() -> gateway.budgetUsage("nope", "x")).hasMessageContaining("no budget named 'nope'");
      assertThatThrownBy(() -> gateway.budgetUsage("global", "x")).hasMessageContaining("global: query it without a key");
      assertThatThrownBy(() -> gateway.budgetUsage("tenant")).hasMessageContaining("give the tenant key");
    }
    try (AiGateway gateway = AiGateway.builder().provider(fake()).build()) {
      assertThatThrownBy(() -> gateway.budgetUsage("tenant", "acme")).hasMessageContaining("has no budgets");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrency

  /**
   * 64 threads × 1,000 calls (a third of them streamed), each with a random output size and some failing. Half the threads
   * call for tenant "acme", whose token limit is small; half for "beta", whose request limit is
   * small. Reservations hold the counted input plus 100 output tokens; the provider reports the
   * counted input and 0–120 output tokens, so a call may use up to 20 tokens more than it
   * reserved. Each tenant's token ledger must equal the sum of the usage of its calls that
   * succeeded, exactly; acme's token limit may be passed by at most 20 tokens per call in flight
   * (32), and beta's request limit never.
   */
  @Test
  void underConcurrencyTheLedgerIsExactAndTheLimitsHold() throws Exception {
    int threads = 64;
    int callsPerThread = 1_000;
    long tokenLimit = 50_000;
    long requestLimit = 400;
    RandomUsageProvider provider = new RandomUsageProvider();
    try (AiGateway gateway = AiGateway.builder().provider(provider).clock(clock)
        .resilience(Resilience.custom().maxAttempts(1).build())
        .budget(Budget.perTenant().tokensPerDay(tokenLimit))
        .budget(Budget.perKey("beta-requests", (r, c) -> c.tenant().filter("beta"::equals).orElse(null)).requestsPerDay(requestLimit))
        .build()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      AtomicLong denied = new AtomicLong();
      AtomicInteger betaSucceeded = new AtomicInteger();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        CallContext tenant = CallContext.tenant(thread % 2 == 0 ? "acme" : "beta");
        done.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(thread);
          for (int i = 0; i < callsPerThread; i++) {
            ChatRequest request = ask("r/gpt-4o", "call " + random.nextInt(1_000_000), 100);
            try {
              if (random.nextInt(3) == 0) {
                gateway.stream(request, tenant).collect();
              } else {
                gateway.chat(request, tenant);
              }
              if (thread % 2 == 1) {
                betaSucceeded.incrementAndGet();
              }
            } catch (BudgetExceededException e) {
              denied.incrementAndGet();
            } catch (ProviderException e) {
              // a failed call: its reservation is released
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
      pool.shutdown();

      long acme = used(gateway, "tenant", "acme", 0).longValueExact();
      assertThat(acme).as("the ledger is the sum of the reported usage").isEqualTo(provider.reported("acme"));
      assertThat(acme).as("passed by at most the estimation error in flight").isLessThanOrEqualTo(tokenLimit + 20L * threads / 2);
      assertThat(acme).as("the limit was reached").isGreaterThan(tokenLimit - 200);
      assertThat(used(gateway, "tenant", "beta", 0).longValueExact()).isEqualTo(provider.reported("beta"));
      assertThat(used(gateway, "beta-requests", "beta", 0).longValueExact())
          .as("the request limit is never passed, and failed calls do not count")
          .isEqualTo(betaSucceeded.get()).isEqualTo(requestLimit);
      assertThat(denied.get()).isPositive();
    }
  }

  /** Reports the counted input and a random output of 0–120 tokens; one call in ten fails without usage. */
  private static final class RandomUsageProvider implements ChatProvider {
    private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> reported = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    long reported(String tenant) {
      return reported.getOrDefault(tenant, new LongAdder()).sum();
    }

    @Override
    public String id() {
      return "r";
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      int n = calls.incrementAndGet();
      SplittableRandom random = new SplittableRandom(n * 7919L);
      if (random.nextInt(10) == 0) {
        throw new ProviderException("r", 500, false, "simulated failure");
      }
      Usage usage = Usage.of(TokenCounter.o200k().count(request), random.nextInt(121));
      reported.computeIfAbsent(context.tenant().orElseThrow(), t -> new LongAdder()).add(usage.totalTokens());
      return ChatResponse.builder().id("r-" + n).model(request.model()).text("ok").usage(usage).build();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      return ChatStream.fromResponse(chat(request, context));
    }
  }
}
