package dev.aigw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CacheStatus;
import dev.aigw.api.CachePolicy;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Cost;
import dev.aigw.api.FinishReason;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ToolCall;
import dev.aigw.api.Usage;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.catalog.ModelCatalog;
import dev.aigw.core.catalog.ModelInfo;
import dev.aigw.core.pricing.Prices;
import dev.aigw.core.routing.Route;
import dev.aigw.core.routing.RouteOptions;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The response cache through the whole gateway: hits, policies, partitions, streams, coalescing. */
class ResponseCacheTest {
  private final ManualClock clock = new ManualClock();
  private static final ModelCatalog CATALOG = ModelCatalog.builder()
      .model(ModelInfo.builder("p", "m").contextWindow(100_000).prices(Prices.perMillionTokens("1", "2")).build())
      .build();

  private AiGateway.Builder gateway(FakeChatProvider provider) {
    return AiGateway.builder().provider(provider).clock(clock).catalog(CATALOG)
        .cache(ResponseCache.builder().ttl(Duration.ofMinutes(10)).build());
  }

  private static FakeChatProvider counting(FakeReply... replies) {
    return FakeChatProvider.builder().id("p").reply(replies).build();
  }

  private static ChatRequest ask(String text) {
    return ChatRequest.of("p/m", text);
  }

  private static CallContext policy(CachePolicy policy) {
    return CallContext.builder().cachePolicy(policy).build();
  }

  /** Records cache events. */
  private static final class CacheEvents implements GatewayListener {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger started = new AtomicInteger();

    @Override
    public void callStart(CallInfo call) {
      started.incrementAndGet();
    }

    @Override
    public void cacheHit(CallInfo call, CacheStatus status, Duration age) {
      seen.add("hit " + status + " " + age.toSeconds() + "s");
    }

    @Override
    public void cacheMiss(CallInfo call) {
      seen.add("miss");
    }

    @Override
    public void cacheStore(CallInfo call, long bytes) {
      seen.add("store");
    }
  }

  @Test
  void aRepeatedRequestIsAnsweredFromTheCacheAtNoCostAndReportsWhatItSaved() {
    FakeChatProvider p = counting(FakeReply.text("Paris.").withUsage(Usage.of(1_000, 500)));
    CacheEvents events = new CacheEvents();
    try (AiGateway gateway = gateway(p).listener(events).build()) {
      ChatResponse first = gateway.chat(ask("capital of France?"));
      clock.advance(Duration.ofSeconds(42));
      ChatResponse second = gateway.chat(ask("capital of France?"));

      assertThat(p.requestCount()).isEqualTo(1);
      assertThat(first.metadata().cacheStatus()).isEqualTo(CacheStatus.MISS);
      // 1000 x $1/M + 500 x $2/M = 0.001 + 0.001
      assertThat(first.metadata().cost()).contains(Cost.usd("0.002"));
      assertThat(second.text()).isEqualTo("Paris.");
      assertThat(second.metadata().cacheStatus()).isEqualTo(CacheStatus.HIT);
      assertThat(second.metadata().cacheAge()).contains(Duration.ofSeconds(42));
      assertThat(second.metadata().cost()).contains(Cost.usd("0"));
      assertThat(second.metadata().savedCost()).contains(Cost.usd("0.002"));
      assertThat(second.metadata().attempts()).isEmpty();
      assertThat(events.seen).containsExactly("miss", "store", "hit HIT 42s");
    }
  }

  @Test
  void entriesExpireAfterTheirTtl() {
    FakeChatProvider p = counting(FakeReply.text("a"));
    try (AiGateway gateway = gateway(p).build()) {
      gateway.chat(ask("q"));
      clock.advance(Duration.ofMinutes(10));
      gateway.chat(ask("q"));
      assertThat(p.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void aTenantNeverReceivesAnotherTenantsEntry() {
    FakeChatProvider p = counting(FakeReply.text("for acme"), FakeReply.text("for globex"));
    try (AiGateway gateway = gateway(p).build()) {
      gateway.chat(ask("q"), CallContext.tenant("acme"));
      ChatResponse other = gateway.chat(ask("q"), CallContext.tenant("globex"));
      ChatResponse again = gateway.chat(ask("q"), CallContext.tenant("acme"));

      assertThat(other.text()).isEqualTo("for globex");
      assertThat(other.metadata().cacheStatus()).isEqualTo(CacheStatus.MISS);
      assertThat(again.text()).isEqualTo("for acme");
      assertThat(p.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void eachCachePolicyReadsAndWritesAsDocumented() {
    FakeChatProvider p = counting(FakeReply.text("v1"), FakeReply.text("v2"), FakeReply.text("v3"), FakeReply.text("v4"));
    try (AiGateway gateway = gateway(p).build()) {
      ChatResponse bypass = gateway.chat(ask("q"), policy(CachePolicy.BYPASS));
      assertThat(bypass.metadata().cacheStatus()).isEqualTo(CacheStatus.BYPASS);
      ChatResponse readOnlyMiss = gateway.chat(ask("q"), policy(CachePolicy.READ_ONLY));
      assertThat(readOnlyMiss.metadata().cacheStatus()).isEqualTo(CacheStatus.MISS);
      ChatResponse writeOnly = gateway.chat(ask("q"), policy(CachePolicy.WRITE_ONLY));
      assertThat(writeOnly.text()).isEqualTo("v3");
      ChatResponse hit = gateway.chat(ask("q"));
      assertThat(hit.text()).as("write-only stored, bypass and read-only did not").isEqualTo("v3");
      ChatResponse refresh = gateway.chat(ask("q"), policy(CachePolicy.REFRESH));
      assertThat(refresh.metadata().cacheStatus()).isEqualTo(CacheStatus.REFRESH);
      assertThat(gateway.chat(ask("q")).text()).isEqualTo("v4");
      assertThat(p.requestCount()).isEqualTo(4);
    }
  }

  @Test
  void onlyDeterministicRequestsAreCachedWhenTheGatewaySaysSo() {
    FakeChatProvider p = counting(FakeReply.text("x"));
    try (AiGateway gateway = AiGateway.builder().provider(p).clock(clock)
        .cache(ResponseCache.builder().onlyDeterministic(true).build()).build()) {
      ChatRequest warm = ChatRequest.builder().model("p/m").user("q").temperature(0.7).build();
      ChatRequest cold = ChatRequest.builder().model("p/m").user("q").temperature(0).build();
      ChatRequest seeded = ChatRequest.builder().model("p/m").user("q").seed(7).build();
      for (int i = 0; i < 2; i++) {
        assertThat(gateway.chat(warm).metadata().cacheStatus()).isEqualTo(CacheStatus.BYPASS);
        gateway.chat(cold);
        gateway.chat(seeded);
      }
      assertThat(p.requestCount()).isEqualTo(2 + 1 + 1);
    }
  }

  @Test
  void failuresAndContentFilteredAnswersAreNeverStored() {
    FakeChatProvider p = counting(FakeReply.error(new ProviderException("p", 400, false, "bad request")), FakeReply.text("withheld").withFinishReason(FinishReason.CONTENT_FILTER),
        FakeReply.text("good"));
    try (AiGateway gateway = gateway(p).resilience(dev.aigw.core.routing.Resilience.custom().maxAttempts(1).build()).build()) {
      assertThatThrownBy(() -> gateway.chat(ask("q"))).isInstanceOf(ProviderException.class);
      assertThat(gateway.chat(ask("q")).text()).isEqualTo("withheld");
      assertThat(gateway.chat(ask("q")).text()).isEqualTo("good");
      assertThat(gateway.chat(ask("q")).metadata().cacheStatus()).isEqualTo(CacheStatus.HIT);
      assertThat(p.requestCount()).isEqualTo(3);
    }
  }

  @Test
  void aStreamThatFailsOrIsClosedPartWayIsNotStored() {
    FakeChatProvider p = counting(
        FakeReply.text("one two three four five").failMidStream(2, new ProviderException("p", 502, true, "reset")),
        FakeReply.text("one two three four five"),
        FakeReply.text("complete answer"));
    try (AiGateway gateway = gateway(p).build()) {
      try (ChatStream failing = gateway.stream(ask("q"))) {
        assertThatThrownBy(failing::collect).isInstanceOf(ProviderException.class);
      }
      try (ChatStream abandoned = gateway.stream(ask("q"))) {
        abandoned.iterator().next();
      }
      try (ChatStream complete = gateway.stream(ask("q"))) {
        assertThat(complete.collect().text()).isEqualTo("complete answer");
      }
      assertThat(gateway.chat(ask("q")).text()).isEqualTo("complete answer");
      assertThat(p.requestCount()).isEqualTo(3);
    }
  }

  @Test
  void aStreamHitReplaysTheRecordedChunksFaithfullyIncludingToolCallsAndReasoning() {
    ToolCall call = new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}");
    FakeChatProvider p = FakeChatProvider.builder().id("p").chunkSize(3)
        .reply(FakeReply.toolCalls(call).withText("Let me check.").withReasoning("The user wants weather.")
            .withUsage(new Usage(40, 30, 0, 0, 12))).build();
    try (AiGateway gateway = gateway(p).build()) {
      List<ChatChunk> original = new ArrayList<>();
      try (ChatStream first = gateway.stream(ask("weather in Paris?"))) {
        first.forEach(original::add);
      }
      List<ChatChunk> replayed = new ArrayList<>();
      ChatStream second = gateway.stream(ask("weather in Paris?"));
      second.forEach(replayed::add);
      second.close();

      assertThat(p.requestCount()).isEqualTo(1);
      assertThat(replayed).isEqualTo(original);
      assertThat(second.metadata().cacheStatus()).isEqualTo(CacheStatus.HIT);

      ChatResponse blocking = gateway.chat(ask("weather in Paris?"));
      assertThat(blocking.metadata().cacheStatus()).as("a blocking call hits an entry stored by a stream").isEqualTo(CacheStatus.HIT);
      assertThat(blocking.toolCalls()).containsExactly(call);
      assertThat(blocking.reasoning()).isEqualTo("The user wants weather.");
      assertThat(blocking.usage()).contains(new Usage(40, 30, 0, 0, 12));
      assertThat(blocking.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }
  }

  @Test
  void aStreamHitsAnEntryStoredByABlockingCall() {
    FakeChatProvider p = counting(FakeReply.text("stored blocking").withReasoning("thought"));
    try (AiGateway gateway = gateway(p).build()) {
      ChatResponse first = gateway.chat(ask("q"));
      try (ChatStream stream = gateway.stream(ask("q"))) {
        ChatResponse replayed = stream.collect();
        assertThat(replayed.text()).isEqualTo(first.text());
        assertThat(replayed.reasoning()).isEqualTo("thought");
        assertThat(replayed.usage()).isEqualTo(first.usage());
      }
      assertThat(p.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void identicalConcurrentMissesShareOneProviderCall() throws Exception {
    FakeChatProvider p = FakeChatProvider.builder().id("p").reply(FakeReply.text("shared")).timeSource(clock)
        .latency(Duration.ofSeconds(1)).build();
    CacheEvents events = new CacheEvents();
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try (AiGateway gateway = gateway(p).listener(events).build()) {
      List<Future<ChatResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(callers.submit(() -> gateway.chat(ask("same question"))));
      }
      Driver.awaitTrue("all calls started", () -> events.started.get() >= 8 && p.requestCount() >= 1 && clock.pendingTimers() >= 1);
      clock.advance(Duration.ofSeconds(1));
      for (Future<ChatResponse> call : calls) {
        assertThat(call.get(10, TimeUnit.SECONDS).text()).isEqualTo("shared");
      }
      assertThat(p.requestCount()).isEqualTo(1);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aRouteCanOptOutOfCoalescing() throws Exception {
    FakeChatProvider p = FakeChatProvider.builder().id("p").reply(FakeReply.text("each")).timeSource(clock)
        .latency(Duration.ofSeconds(1)).build();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try (AiGateway gateway = gateway(p).route("chat", Route.target("p/m"),
        RouteOptions.builder().coalesceCacheMisses(false).build()).build()) {
      List<Future<ChatResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(callers.submit(() -> gateway.chat(ChatRequest.of("chat", "same"))));
      }
      Driver.awaitTrue("every call reached the provider", () -> p.requestCount() >= 4 && clock.pendingTimers() >= 4);
      clock.advance(Duration.ofSeconds(1));
      for (Future<ChatResponse> call : calls) {
        call.get(10, TimeUnit.SECONDS);
      }
      assertThat(p.requestCount()).isEqualTo(4);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aCoalescedFollowerGoesOnAloneWhenTheLeaderFails() throws Exception {
    FakeChatProvider p = FakeChatProvider.builder().id("p").timeSource(clock).latency(Duration.ofSeconds(1))
        .reply(FakeReply.error(new ProviderException("p", 400, false, "bad")), FakeReply.text("second try")).build();
    ExecutorService callers = Executors.newFixedThreadPool(2);
    CacheEvents events = new CacheEvents();
    try (AiGateway gateway = gateway(p).listener(events).build()) {
      Future<ChatResponse> leader = callers.submit(() -> gateway.chat(ask("q")));
      Driver.awaitTrue("the leader waits", () -> p.requestCount() >= 1 && clock.pendingTimers() >= 1);
      Future<ChatResponse> follower = callers.submit(() -> gateway.chat(ask("q")));
      Driver.awaitTrue("the follower started", () -> events.started.get() >= 2);
      clock.advance(Duration.ofSeconds(1));
      assertThatThrownBy(() -> leader.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ProviderException.class);
      Driver.awaitTrue("the follower went on alone", () -> p.requestCount() >= 2 && clock.pendingTimers() >= 1);
      clock.advance(Duration.ofSeconds(1));
      assertThat(follower.get(10, TimeUnit.SECONDS).text()).isEqualTo("second try");
    } finally {
      callers.shutdownNow();
    }
  }
}
