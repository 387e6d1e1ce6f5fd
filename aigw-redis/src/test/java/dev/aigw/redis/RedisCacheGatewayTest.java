package dev.aigw.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Cost;
import dev.aigw.api.FinishReason;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.api.ToolCall;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.catalog.ModelCatalog;
import dev.aigw.core.catalog.ModelInfo;
import dev.aigw.core.pricing.Prices;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two gateways of a fleet sharing their response cache through Redis, end to end. */
class RedisCacheGatewayTest {
  private static final ModelCatalog CATALOG = ModelCatalog.builder()
      .model(ModelInfo.builder("p", "m").contextWindow(100_000).prices(Prices.perMillionTokens("1", "2")).build())
      .build();

  private static RedisServer server;

  private final ManualClock clock = new ManualClock();
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private boolean killed;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    while (!opened.isEmpty()) {
      opened.pop().close();
    }
    if (killed) {
      server.restart();
    }
    server.command("FLUSHALL");
  }

  /** Records what the gateway reports about its stores. */
  private static final class StoreEvents implements GatewayListener {
    final List<StoreUnavailableException> unavailable = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void storeUnavailable(CallInfo call, StoreUnavailableException error) {
      unavailable.add(error);
    }
  }

  private RedisCacheStore store(FailurePolicy policy) {
    RedisConnection redis = RedisConnection.builder(server.uri()).retryInterval(Duration.ZERO)
        .commandTimeout(Duration.ofSeconds(1)).build();
    opened.push(redis);
    RedisCacheStore store = RedisCacheStore.builder(redis).timeSource(clock).failurePolicy(policy).build();
    opened.push(store);
    dev.aigw.core.Driver.awaitTrue("the store subscribed", store::subscribed);
    return store;
  }

  private AiGateway gateway(FakeChatProvider provider, RedisCacheStore store, GatewayListener listener) {
    AiGateway gateway = AiGateway.builder().provider(provider).clock(clock).catalog(CATALOG).listener(listener)
        .cache(ResponseCache.builder().store(store).ttl(Duration.ofMinutes(10)).build())
        .build();
    opened.push(gateway);
    return gateway;
  }

  private AiGateway gateway(FakeChatProvider provider, RedisCacheStore store) {
    return gateway(provider, store, new GatewayListener() {});
  }

  private static ChatRequest ask(String text) {
    return ChatRequest.of("p/m", text);
  }

  @Test
  void aSecondGatewayAnswersABlockingCallFromTheEntryTheFirstStored() {
    FakeChatProvider providerA = FakeChatProvider.builder().id("p").reply(FakeReply.text("Paris.").withUsage(Usage.of(1_000, 500))).build();
    FakeChatProvider providerB = FakeChatProvider.builder().id("p").reply(FakeReply.text("not from the cache")).build();
    AiGateway a = gateway(providerA, store(FailurePolicy.FAIL_OPEN));
    AiGateway b = gateway(providerB, store(FailurePolicy.FAIL_OPEN));

    ChatResponse first = a.chat(ask("capital of France?"));
    clock.advance(Duration.ofSeconds(7));
    ChatResponse second = b.chat(ask("capital of France?"));

    assertThat(providerA.requestCount() + providerB.requestCount()).isEqualTo(1);
    assertThat(first.metadata().cacheStatus()).isEqualTo(CacheStatus.MISS);
    assertThat(second.metadata().cacheStatus()).isEqualTo(CacheStatus.HIT);
    assertThat(second.text()).isEqualTo("Paris.");
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.usage()).isEqualTo(first.usage());
    assertThat(second.metadata().cacheAge()).contains(Duration.ofSeconds(7));
    assertThat(second.metadata().cost()).contains(Cost.usd("0"));
    assertThat(second.metadata().savedCost()).contains(Cost.usd("0.002"));
  }

  @Test
  void aSecondGatewayReplaysAStreamTheFirstRecordedChunkForChunk() {
    ToolCall call = new ToolCall("call_1", "get_weather", "{\"city\":\"Zürich\"}");
    FakeReply reply = FakeReply.toolCalls(call).withText("Let me check… ☀").withReasoning("The user wants weather.")
        .withUsage(new Usage(40, 30, 5, 3, 12));
    FakeChatProvider providerA = FakeChatProvider.builder().id("p").chunkSize(3).reply(reply).build();
    FakeChatProvider providerB = FakeChatProvider.builder().id("p").chunkSize(3).reply(FakeReply.text("not from the cache")).build();
    AiGateway a = gateway(providerA, store(FailurePolicy.FAIL_OPEN));
    AiGateway b = gateway(providerB, store(FailurePolicy.FAIL_OPEN));

    List<ChatChunk> original = new ArrayList<>();
    try (ChatStream first = a.stream(ask("weather in Zürich?"))) {
      first.forEach(original::add);
    }
    List<ChatChunk> replayed = new ArrayList<>();
    try (ChatStream second = b.stream(ask("weather in Zürich?"))) {
      second.forEach(replayed::add);
      assertThat(second.metadata().cacheStatus()).isEqualTo(CacheStatus.HIT);
    }

    assertThat(providerA.requestCount() + providerB.requestCount()).isEqualTo(1);
    assertThat(original).hasSizeGreaterThan(5);
    assertThat(replayed).containsExactlyElementsOf(original);
    ChatResponse blocking = b.chat(ask("weather in Zürich?"));
    assertThat(blocking.metadata().cacheStatus()).isEqualTo(CacheStatus.HIT);
    assertThat(blocking.toolCalls()).containsExactly(call);
    assertThat(blocking.text()).isEqualTo("Let me check… ☀");
    assertThat(blocking.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(providerB.requestCount()).isZero();
  }

  @Test
  void aFailOpenGatewayAnswersFromTheProviderWhileRedisIsDownAndReportsIt() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").reply(FakeReply.text("still answering")).build();
    StoreEvents events = new StoreEvents();
    AiGateway gateway = gateway(provider, store(FailurePolicy.FAIL_OPEN), events);
    killed = true;
    server.kill();

    ChatResponse answer = gateway.chat(ask("anything?"));

    assertThat(answer.text()).isEqualTo("still answering");
    assertThat(answer.metadata().cacheStatus()).isEqualTo(CacheStatus.MISS);
    assertThat(provider.requestCount()).isEqualTo(1);
    assertThat(events.unavailable).isNotEmpty().allSatisfy(e -> {
      assertThat(e.store()).isEqualTo("cache");
      assertThat(e.failedClosed()).isFalse();
    });

    ChatResponse again = gateway.chat(ask("anything?"));
    assertThat(again.metadata().cacheStatus()).as("the failed put kept the answer in the local level").isEqualTo(CacheStatus.HIT);
    assertThat(provider.requestCount()).isEqualTo(1);
  }

  @Test
  void aFailClosedGatewayRejectsTheCallWhileRedisIsDown() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").reply(FakeReply.text("never")).build();
    StoreEvents events = new StoreEvents();
    AiGateway gateway = gateway(provider, store(FailurePolicy.FAIL_CLOSED), events);
    killed = true;
    server.kill();

    assertThatThrownBy(() -> gateway.chat(ask("anything?")))
        .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.failedClosed()).isTrue());
    assertThat(provider.requestCount()).isZero();
    assertThat(events.unavailable).hasSize(1);
  }
}
