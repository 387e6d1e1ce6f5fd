package dev.aigw.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.core.budget.BudgetStore.Denied;
import dev.aigw.core.budget.BudgetStore.Granted;
import dev.aigw.core.budget.Charge;
import dev.aigw.core.budget.Window;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.core.cache.CacheKey;
import dev.aigw.core.cache.CacheKeys;
import dev.aigw.core.cache.CachedResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stores on Redis Cluster (one node holding every slot, which still rejects commands whose
 * keys hash to different slots): every script's keys share the store's hash tag.
 */
class RedisClusterTest {
  private static final Instant NOW = Instant.parse("2026-05-01T08:00:00Z");
  private static RedisServer server;
  private static RedisConnection redis;

  @BeforeAll
  static void start() {
    server = RedisServer.startCluster();
    // a cold JVM takes over a second to load the cluster client and the topology
    redis = RedisConnection.builder(server.uri()).cluster(true).connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aReservationAcrossSeveralScopesAndWindowsRunsAsOneScriptOnACluster() {
    RedisBudgetStore store = RedisBudgetStore.builder(redis).build();
    List<Charge> charges = List.of(
        new Charge("tenant:acme/total_tokens", Window.day(), 1_000, 600),
        new Charge("user:ada/requests", Window.rolling(Duration.ofMinutes(1)), 10, 1),
        new Charge("global/cost_usd", Window.month(), 5_000_000_000L, 1_000_000));

    Granted granted = (Granted) store.reserve(charges, NOW);
    store.reconcile(granted.reservation(), new long[] {550, 1, 900_000}, NOW);

    assertThat(store.used("tenant:acme/total_tokens", Window.day(), NOW)).isEqualTo(550);
    assertThat(store.used("global/cost_usd", Window.month(), NOW)).isEqualTo(900_000);
    assertThat(store.reserve(charges, NOW)).isInstanceOf(Denied.class);
  }

  @Test
  void cacheEntriesAndTheirPartitionsGenerationShareASlot() {
    RedisCacheStore writer = RedisCacheStore.builder(redis).build();
    RedisCacheStore reader = RedisCacheStore.builder(redis).build();
    CacheKey key = CacheKeys.of("tenant:acme", ChatRequest.of("m", "What is the capital of France?"));
    CachedResponse answer = CachedResponse.ofResponse(ChatResponse.builder().id("r").model("m").text("Paris.").build(), NOW, null, null);

    writer.put(key, answer, Duration.ofMinutes(5));
    assertThat(reader.get(key)).contains(answer);
    writer.invalidatePartition("tenant:acme");
    reader.invalidate(key);
    assertThat(RedisCacheStore.builder(redis).build().get(key)).isEmpty();
  }
}
