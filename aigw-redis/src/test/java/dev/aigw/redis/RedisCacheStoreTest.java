package dev.aigw.redis;

import static dev.aigw.core.Driver.awaitTrue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.Cost;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.api.Target;
import dev.aigw.api.Usage;
import dev.aigw.core.cache.CacheKey;
import dev.aigw.core.cache.CacheStats;
import dev.aigw.core.cache.CachedResponse;
import dev.aigw.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis cache store on a real redis-server: two stores on two connections stand for two
 * gateways of a fleet.
 */
class RedisCacheStoreTest {
  private static RedisServer server;
  private static RedisMonitor monitor;

  private final ManualClock clock = new ManualClock();
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private boolean killed;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
    monitor = new RedisMonitor(server);
    loadScripts();
  }

  /**
   * Runs every script once, so that measured operations find them loaded (a first run is sent
   * twice: EVALSHA, then EVAL), then empties the database. Scripts survive FLUSHALL, not a restart.
   */
  private static void loadScripts() {
    try (RedisConnection c = RedisConnection.builder(server.uri()).commandTimeout(Duration.ofSeconds(1)).build();
        RedisCacheStore writer = RedisCacheStore.builder(c).build();
        RedisCacheStore reader = RedisCacheStore.builder(c).build()) {
      CacheKey k = key("warm-up", "warm-up");
      writer.put(k, CachedResponse.ofResponse(ChatResponse.builder().id("i").model("m").text("t").build(),
          java.time.Instant.EPOCH, null, null), Duration.ofSeconds(10));
      reader.get(k); // a local miss: reaches Redis
      writer.invalidate(k);
      writer.invalidatePartition("warm-up");
    }
    server.command("FLUSHALL");
  }

  private static void restart() {
    server.restart();
    monitor = new RedisMonitor(server);
    loadScripts();
  }

  @AfterAll
  static void stopRedis() {
    if (monitor != null) {
      monitor.close();
    }
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
      restart();
    }
    server.command("FLUSHALL");
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private RedisConnection connection() {
    RedisConnection c = RedisConnection.builder(server.uri()).retryInterval(Duration.ZERO)
        .commandTimeout(Duration.ofSeconds(1)).build();
    opened.push(c);
    assertThat(c.ping()).as("connected before anything is measured").isTrue();
    return c;
  }

  private RedisCacheStore store(FailurePolicy policy) {
    RedisCacheStore s = RedisCacheStore.builder(connection()).timeSource(clock).failurePolicy(policy).build();
    opened.push(s);
    awaitTrue("the store subscribed", s::subscribed);
    return s;
  }

  private RedisCacheStore store() {
    return store(FailurePolicy.FAIL_OPEN);
  }

  static CacheKey key(String partition, String request) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(request.getBytes(StandardCharsets.UTF_8));
      return new CacheKey(partition, HexFormat.of().formatHex(hash));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private CachedResponse answer(String text) {
    return CachedResponse.ofResponse(ChatResponse.builder().id("r-" + text.length()).model("m").text(text)
        .usage(Usage.of(10, 2)).build(), clock.now(), new Target("p", "m"), Cost.usd("0.0021"));
  }

  /** The round trips {@code operation} makes: the commands it sends, not those its scripts run. */
  private static List<String> roundTrips(Runnable operation) {
    return monitor.commandsDuring(operation);
  }

  /** {@code total_commands_processed} during {@code operation} (the measuring INFO itself left out). */
  private static long commandsProcessed(Runnable operation) {
    long before = server.info("stats", "total_commands_processed");
    operation.run();
    return server.info("stats", "total_commands_processed") - before - 1;
  }

  private String generationKey(String partition) {
    return "{aigw:cache:" + partition + "}:g";
  }

  private String entryKey(CacheKey key) {
    return "{aigw:cache:" + key.partition() + "}:e:" + server.command("GET", generationKey(key.partition())) + ":" + key.hash();
  }

  /** What Redis Cluster hashes: from the first '{' to the first '}' after it. */
  private static String hashTag(String key) {
    int open = key.indexOf('{');
    return key.substring(open + 1, key.indexOf('}', open + 1));
  }

  private void kill() {
    killed = true;
    monitor.close();
    server.kill();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void anotherGatewaysLookupIsOneRoundTripThenALocalHitThatNeedsNoRedis() {
    RedisCacheStore a = store();
    RedisCacheStore b = store();
    CacheKey k = key("tenant:acme", "capital of France?");
    CachedResponse value = answer("Paris.");

    assertThat(commandsProcessed(() -> { })).as("the measure itself").isZero();
    assertThat(roundTrips(() -> a.put(k, value, Duration.ofMinutes(10)))).containsExactly("EVALSHA");
    AtomicReference<Optional<CachedResponse>> got = new AtomicReference<>();
    assertThat(roundTrips(() -> got.set(b.get(k)))).as("a local miss").containsExactly("EVALSHA");
    assertThat(got.get()).contains(value);
    assertThat(b.stats().entries()).as("the remote hit filled B's local level").isEqualTo(1);

    assertThat(commandsProcessed(() -> got.set(b.get(k)))).as("a local hit").isZero();
    assertThat(got.get()).contains(value);
    assertThat(roundTrips(() -> a.get(k))).as("A's own put filled its local level").isEmpty();
    assertThat(roundTrips(() -> got.set(b.get(key("tenant:acme", "never asked"))))).containsExactly("EVALSHA");
    assertThat(got.get()).isEmpty();

    assertThat(roundTrips(() -> got.set(b.getLocal(key("tenant:acme", "only in Redis"))))).as("getLocal never asks Redis").isEmpty();
    assertThat(b.getLocal(k)).contains(value);

    kill();
    assertThat(b.get(k)).as("a local hit with Redis gone").contains(value);
    assertThat(a.get(k)).contains(value);
  }

  @Test
  void statsCountHitsOfBothLevelsMissesPutsAndTheLocalLevel() {
    RedisCacheStore a = store();
    RedisCacheStore b = store();
    CacheKey k = key("global", "q");
    a.put(k, answer("a"), Duration.ofMinutes(10));
    b.get(k); // remote hit
    b.get(k); // local hit
    b.get(key("global", "other")); // miss

    CacheStats stats = b.stats();
    assertThat(stats.hits()).isEqualTo(2);
    assertThat(stats.misses()).isEqualTo(1);
    assertThat(stats.puts()).isZero();
    assertThat(stats.entries()).isEqualTo(1);
    assertThat(stats.weightBytes()).isEqualTo(answer("a").weightBytes());
    assertThat(a.stats().puts()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(61));
    assertThat(b.stats().evictions()).as("the local copy reached maxLocalTtl").isEqualTo(1);
    assertThat(b.stats().entries()).isZero();
  }

  @Test
  void keysHoldThePartitionAndHashUnderOneHashTagAndRedisKeepsTheFullTtl() {
    RedisCacheStore a = store();
    CacheKey k = key("tenant:acme", "a secret question");
    a.put(k, answer("a"), Duration.ofMinutes(10));

    String generation = server.command("GET", generationKey("tenant:acme"));
    assertThat(generation).matches("[0-9]{16,}");
    assertThat(server.command("EXISTS", "{aigw:cache:tenant:acme}:e:" + generation + ":" + k.hash())).isEqualTo(":1");
    // read first: both expire at the same instant, and time passes between the reads
    long generationTtl = Long.parseLong(server.command("PTTL", generationKey("tenant:acme")).substring(1));
    long entryTtl = Long.parseLong(server.command("PTTL", entryKey(k)).substring(1));
    assertThat(entryTtl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
    assertThat(generationTtl).as("the generation outlives its entries").isGreaterThanOrEqualTo(entryTtl);
    assertThat(server.command("DBSIZE")).isEqualTo(":2");
    assertThat(hashTag(entryKey(k))).isEqualTo(hashTag(generationKey("tenant:acme"))).isEqualTo("aigw:cache:tenant:acme");
  }

  @Test
  void aRemoteHitLivesLocallyForItsRemainingTtlAtMostMaxLocalTtl() {
    RedisCacheStore a = store();
    RedisCacheStore b = store();
    CacheKey shortLived = key("global", "short");
    CacheKey longLived = key("global", "long");
    CacheKey persistent = key("global", "persistent");
    for (CacheKey k : List.of(shortLived, longLived, persistent)) {
      a.put(k, answer("x"), Duration.ofHours(1));
    }
    server.command("PEXPIRE", entryKey(shortLived), "20000");
    server.command("PERSIST", entryKey(persistent));
    b.get(shortLived);
    b.get(longLived);
    b.get(persistent);

    clock.advance(Duration.ofSeconds(15)); // Redis's remaining time ticks in real time: leave it seconds of slack
    assertThat(roundTrips(() -> b.get(shortLived))).isEmpty();
    clock.advance(Duration.ofSeconds(6));
    assertThat(roundTrips(() -> b.get(shortLived))).as("its remaining 20 s have passed").containsExactly("EVALSHA");
    assertThat(roundTrips(() -> b.get(longLived))).isEmpty();
    assertThat(roundTrips(() -> b.get(persistent))).isEmpty();
    clock.advance(Duration.ofSeconds(40));
    assertThat(roundTrips(() -> assertThat(b.get(longLived)).isPresent())).as("maxLocalTtl, 60 s").containsExactly("EVALSHA");
    assertThat(roundTrips(() -> assertThat(b.get(persistent)).isPresent())).containsExactly("EVALSHA");
  }

  @Test
  void aShortMaxLocalTtlBoundsLocalCopies() {
    RedisCacheStore a = RedisCacheStore.builder(connection()).timeSource(clock).maxLocalTtl(Duration.ofSeconds(5)).build();
    opened.push(a);
    awaitTrue("subscribed", a::subscribed);
    CacheKey k = key("global", "q");
    a.put(k, answer("a"), Duration.ofHours(1));
    clock.advance(Duration.ofSeconds(4));
    assertThat(roundTrips(() -> a.get(k))).isEmpty();
    clock.advance(Duration.ofSeconds(2));
    assertThat(roundTrips(() -> assertThat(a.get(k)).isPresent())).containsExactly("EVALSHA");
  }

  @Test
  void aStreamStoredByOneGatewayReplaysIdenticalChunksFromAnother() {
    RedisCacheStore a = store();
    RedisCacheStore b = store();
    List<ChatChunk> chunks = CachedResponseCodecTest.richChunks();
    CachedResponse stream = CachedResponse.ofChunks(chunks, clock.now(), new Target("p", "m"), Cost.usd("0.000000001"));
    CacheKey k = key("tenant:t", "stream me");
    a.put(k, stream, Duration.ofMinutes(5));

    CachedResponse fromRedis = b.get(k).orElseThrow();
    CachedResponse fromMemory = a.get(k).orElseThrow();

    assertThat(fromRedis.toChunks()).containsExactlyElementsOf(chunks);
    assertThat(fromRedis.toChunks()).isEqualTo(fromMemory.toChunks());
    assertThat(fromRedis).isEqualTo(fromMemory);
    assertThat(fromRedis.toResponse()).isEqualTo(fromMemory.toResponse());
  }

  @Test
  void invalidateDropsTheEntryInRedisAndInEveryGatewaysLocalLevel() {
    RedisCacheStore a = store();
    RedisCacheStore b = store();
    CacheKey k1 = key("tenant:one", "q1");
    CacheKey k2 = key("tenant:one", "q2");
    CacheKey k3 = key("tenant:two", "q1");
    for (CacheKey k : List.of(k1, k2, k3)) {
      a.put(k, answer(k.hash()), Duration.ofMinutes(10));
      assertThat(b.get(k)).isPresent();
    }
    assertThat(b.stats().entries()).isEqualTo(3);
    String entry = entryKey(k1);

    a.invalidate(k1);

    awaitTrue("B dropped its copy", () -> b.stats().entries() == 2);
    assertThat(server.command("EXISTS", entry)).isEqualTo(":0");
    assertThat(roundTrips(() -> assertThat(b.get(k1)).isEmpty())).containsExactly("EVALSHA");
    assertThat(a.get(k1)).isEmpty();
    assertThat(roundTrips(() -> assertThat(b.get(k2)).isPresent())).as("other keys stay local").isEmpty();
    assertThat(roundTrips(() -> assertThat(b.get(k3)).isPresent())).isEmpty();
  }

  @Test
  void invalidatePartitionMovesTheGenerationAndDropsEveryGatewaysCopiesOfThatPartitionOnly() {
    RedisCacheStore a = store();
    RedisCacheStore b = store();
    CacheKey k1 = key("tenant:one", "q1");
    CacheKey k2 = key("tenant:one", "q2");
    CacheKey other = key("tenant:two", "q1");
    for (CacheKey k : List.of(k1, k2, other)) {
      a.put(k, answer(k.hash()), Duration.ofMinutes(10));
      b.get(k);
    }
    String generation = server.command("GET", generationKey("tenant:one"));

    assertThat(roundTrips(() -> a.invalidatePartition("tenant:one"))).containsExactly("EVALSHA");

    awaitTrue("B dropped the partition", () -> b.stats().entries() == 1);
    assertThat(Long.parseLong(server.command("GET", generationKey("tenant:one")))).isEqualTo(Long.parseLong(generation) + 1);
    assertThat(b.get(k1)).isEmpty();
    assertThat(b.get(k2)).isEmpty();
    assertThat(a.get(k1)).isEmpty();
    assertThat(roundTrips(() -> assertThat(b.get(other)).isPresent())).as("another partition stays local").isEmpty();
    assertThat(server.command("EXISTS", "{aigw:cache:tenant:one}:e:" + generation + ":" + k1.hash()))
        .as("old entries are unreachable and expire by their TTL").isEqualTo(":1");

    CachedResponse fresh = answer("fresh");
    a.put(k1, fresh, Duration.ofMinutes(10));
    assertThat(b.get(k1)).contains(fresh);
  }

  @Test
  void invalidatingAPartitionWithoutEntriesCreatesNoGeneration() {
    RedisCacheStore a = store();
    a.invalidatePartition("tenant:none");
    a.invalidate(key("tenant:none", "q"));
    assertThat(server.command("DBSIZE")).isEqualTo(":0");
  }

  @Test
  void anEntryThatCannotBeReadIsAMissAndIsDeleted() {
    RedisCacheStore a = store();
    RedisCacheStore b = store();
    CacheKey corrupt = key("global", "corrupt");
    CacheKey future = key("global", "future");
    a.put(corrupt, answer("a"), Duration.ofMinutes(10));
    a.put(future, answer("b"), Duration.ofMinutes(10));
    server.command("SET", entryKey(corrupt), "not an entry at all");
    server.command("SET", entryKey(future), "\u0009written by a newer gateway");

    for (CacheKey k : List.of(corrupt, future)) {
      String entry = entryKey(k);
      assertThat(b.get(k)).isEmpty();
      assertThat(server.command("EXISTS", entry)).isEqualTo(":0");
    }
    assertThat(b.stats().misses()).isEqualTo(2);
  }

  @Test
  void redisFailuresFollowThePolicyWhileLocalHitsGoOnAndTheStoreRecovers() {
    RedisCacheStore open = store(FailurePolicy.FAIL_OPEN);
    RedisCacheStore closed = store(FailurePolicy.FAIL_CLOSED);
    CacheKey stored = key("global", "stored");
    CacheKey missing = key("global", "missing");
    open.put(stored, answer("kept"), Duration.ofMinutes(10));
    closed.put(stored, answer("kept"), Duration.ofMinutes(10));
    kill();

    assertThat(open.get(stored)).as("a local hit").isPresent();
    assertThat(closed.get(stored)).isPresent();
    StoreUnavailableException failedOpen = catchThrowableOfType(StoreUnavailableException.class, () -> open.get(missing));
    assertThat(failedOpen.failedClosed()).isFalse();
    assertThat(failedOpen.store()).isEqualTo("cache");
    assertThat(failedOpen.getMessage()).contains("redis://127.0.0.1:" + server.port());
    StoreUnavailableException failedClosed = catchThrowableOfType(StoreUnavailableException.class, () -> closed.get(missing));
    assertThat(failedClosed.failedClosed()).isTrue();

    CacheKey put = key("global", "put while down");
    StoreUnavailableException putFailed = catchThrowableOfType(StoreUnavailableException.class,
        () -> closed.put(put, answer("local only"), Duration.ofMinutes(10)));
    assertThat(putFailed.failedClosed()).as("a put never fails a call").isFalse();
    assertThat(closed.get(put)).as("the local level kept it").contains(answer("local only"));

    StoreUnavailableException invalidateFailed = catchThrowableOfType(StoreUnavailableException.class, () -> open.invalidate(stored));
    assertThat(invalidateFailed.failedClosed()).as("the fleet did not drop it").isTrue();
    assertThatThrownBy(() -> open.get(stored)).as("dropped locally: the lookup needs Redis").isInstanceOf(StoreUnavailableException.class);
    assertThat(catchThrowableOfType(StoreUnavailableException.class, () -> open.invalidatePartition("global")).failedClosed()).isTrue();

    restart();
    killed = false;
    awaitTrue("the store answers again", () -> {
      try {
        return open.get(missing).isEmpty();
      } catch (StoreUnavailableException e) {
        return false;
      }
    });
    CacheKey after = key("global", "after");
    open.put(after, answer("after"), Duration.ofMinutes(10));
    awaitTrue("the other store answers again", () -> {
      try {
        return closed.get(after).isPresent();
      } catch (StoreUnavailableException e) {
        return false;
      }
    });
  }

  @Test
  void aGatewayThatSubscribesAgainAfterAnOutageDropsItsLocalLevel() {
    RedisCacheStore a = store();
    RedisCacheStore b = store();
    CacheKey k = key("global", "q");
    a.put(k, answer("a"), Duration.ofMinutes(10));
    b.get(k);
    assertThat(b.stats().entries()).isEqualTo(1);

    kill();
    assertThat(b.get(k)).isPresent();
    restart();
    killed = false;

    awaitTrue("B subscribed again and dropped what it may have missed", () -> b.stats().entries() == 0);
    awaitTrue("A subscribed again too", () -> a.stats().entries() == 0);
  }

  @Test
  void failureMessagesNeverShowThePassword() throws Exception {
    int closedPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = free.getLocalPort();
    }
    RedisConnection wrongPassword = RedisConnection.builder("redis://:s3cret-pw@127.0.0.1:" + closedPort)
        .retryInterval(Duration.ZERO).build();
    opened.push(wrongPassword);
    RedisCacheStore s = RedisCacheStore.builder(wrongPassword).timeSource(clock).build();
    opened.push(s);
    StoreUnavailableException e = catchThrowableOfType(StoreUnavailableException.class, () -> s.get(key("global", "q")));
    assertThat(e.getMessage()).doesNotContain("s3cret-pw");
    assertThat(String.valueOf(e.getCause())).doesNotContain("s3cret-pw");
    assertThat(s.toString()).doesNotContain("s3cret-pw").contains("redis://127.0.0.1:" + closedPort);
  }

  @Test
  void putChecksItsArgumentsAsTheInMemoryStoreDoes() {
    RedisCacheStore a = store();
    CacheKey k = key("global", "q");
    assertThatThrownBy(() -> a.put(k, answer("a"), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be positive, was PT0S");
    assertThatThrownBy(() -> a.put(k, answer("a"), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be positive, was PT-1S");
    assertThatThrownBy(() -> a.put(null, answer("a"), Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> a.put(k, null, Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class).hasMessage("value");
    assertThatThrownBy(() -> a.put(k, answer("a"), null)).isInstanceOf(NullPointerException.class).hasMessage("ttl");
    assertThatThrownBy(() -> a.get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> a.invalidate(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> a.invalidatePartition(null)).isInstanceOf(NullPointerException.class);

    a.put(k, answer("a"), Duration.ofDays(365 * 1000L));
    long ttl = Long.parseLong(server.command("PTTL", entryKey(k)).substring(1));
    assertThat(ttl).as("about 146 years").isGreaterThan(Duration.ofDays(365 * 145L).toMillis());
    CacheKey tiny = key("global", "tiny");
    a.put(tiny, answer("a"), Duration.ofNanos(1));
    assertThat(a.stats().puts()).isEqualTo(2);
  }

  @Test
  void theBuilderChecksItsSettings() {
    RedisConnection c = connection();
    assertThatThrownBy(() -> RedisCacheStore.builder(c).maxLocalTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLocalTtl must be positive");
    assertThatThrownBy(() -> RedisCacheStore.builder(c).localMaximumBytes(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("localMaximumBytes must be positive");
    assertThatThrownBy(() -> RedisCacheStore.builder(null)).isInstanceOf(NullPointerException.class);
    RedisCacheStore s = RedisCacheStore.builder(c).build();
    opened.push(s);
    assertThat(s.failurePolicy()).isEqualTo(FailurePolicy.FAIL_OPEN);
    assertThat(s.maxLocalTtl()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void toStringShowsTheServerAndSizesNeverContentAndCloseEndsTheSubscription() {
    RedisConnection c = connection();
    RedisCacheStore s = RedisCacheStore.builder(c).timeSource(clock).localMaximumBytes(1 << 20).build();
    awaitTrue("subscribed", s::subscribed);
    s.put(key("tenant:acme", "q"), answer("the secret answer"), Duration.ofMinutes(1));

    assertThat(s.toString()).contains("redis://127.0.0.1:" + server.port(), "FAIL_OPEN", "localEntries=1",
        "localMaximumBytes=1048576").doesNotContain("secret", "not subscribed");

    s.close();
    assertThat(s.subscribed()).isFalse();
    assertThat(s.stats().entries()).isZero();
    assertThat(c.ping()).as("the connection stays open").isTrue();
    RedisCacheStore other = store();
    other.invalidatePartition("tenant:acme"); // publishing to a closed store's channel is harmless
  }

  @Test
  void twoStoresOnOneConnectionShareTheSubscription() {
    RedisConnection shared = connection();
    RedisCacheStore first = RedisCacheStore.builder(shared).timeSource(clock).build();
    RedisCacheStore second = RedisCacheStore.builder(shared).timeSource(clock).build();
    opened.push(first);
    opened.push(second);
    awaitTrue("both subscribed", () -> first.subscribed() && second.subscribed());
    RedisCacheStore writer = store();
    CacheKey k = key("global", "q");
    writer.put(k, answer("a"), Duration.ofMinutes(1));
    first.get(k);
    second.get(k);

    first.close();
    writer.invalidate(k);
    awaitTrue("the second still hears invalidations", () -> second.stats().entries() == 0);
  }
}
