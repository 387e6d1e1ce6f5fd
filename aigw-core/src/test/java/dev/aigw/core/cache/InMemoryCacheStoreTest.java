package dev.aigw.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryCacheStoreTest {
  final ManualClock clock = new ManualClock();
  final InMemoryCacheStore store = InMemoryCacheStore.builder().timeSource(clock).build();

  static CacheKey key(String partition, String question) {
    return CacheKeys.of(partition, ChatRequest.of("chat", question));
  }

  CachedResponse answer(String text) {
    return CachedResponse.ofResponse(ChatResponse.builder().id("r").model("m").text(text).build(), clock.now(), null, null);
  }

  @Test
  void entriesExpireAfterTheirTimeToLiveOnTheGatewaysClock() {
    CacheKey key = key("global", "q");
    CachedResponse value = answer("a");
    store.put(key, value, Duration.ofSeconds(10));

    assertThat(store.get(key)).contains(value);
    clock.advance(Duration.ofSeconds(9));
    assertThat(store.get(key)).contains(value);
    clock.advance(Duration.ofMillis(999));
    assertThat(store.get(key)).contains(value);
    clock.advance(Duration.ofMillis(1));
    assertThat(store.get(key)).isEmpty();

    CacheStats stats = store.stats();
    assertThat(stats.entries()).isZero();
    assertThat(stats.weightBytes()).isZero();
    assertThat(stats.evictions()).isEqualTo(1);
  }

  @Test
  void eachEntryHasItsOwnTimeToLive() {
    CacheKey shortLived = key("global", "short");
    CacheKey longLived = key("global", "long");
    store.put(shortLived, answer("s"), Duration.ofSeconds(5));
    store.put(longLived, answer("l"), Duration.ofHours(1));

    clock.advance(Duration.ofSeconds(6));
    assertThat(store.get(shortLived)).isEmpty();
    assertThat(store.get(longLived)).isPresent();
    clock.advance(Duration.ofSeconds(3593));
    assertThat(store.get(longLived)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.get(longLived)).isEmpty();
  }

  @Test
  void readsDoNotExtendAnEntryAndAPutReplacesItsTimeToLive() {
    CacheKey key = key("global", "q");
    store.put(key, answer("first"), Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(8));
    assertThat(store.get(key)).isPresent();
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.get(key)).as("a read does not extend the entry").isEmpty();

    store.put(key, answer("first"), Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(8));
    CachedResponse second = answer("second");
    store.put(key, second, Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(20));
    assertThat(store.get(key)).contains(second);
    clock.advance(Duration.ofSeconds(10));
    assertThat(store.get(key)).isEmpty();
  }

  @Test
  void theByteBoundEvicts() {
    long max = 100_000;
    InMemoryCacheStore bounded = InMemoryCacheStore.builder().maximumBytes(max).timeSource(clock).build();
    CachedResponse tenKb = answer("x".repeat(5_000));
    assertThat(tenKb.weightBytes()).isBetween(10_000L, 11_000L);

    for (int i = 0; i < 50; i++) {
      bounded.put(key("global", "q" + i), tenKb, Duration.ofHours(1));
      CacheStats stats = bounded.stats();
      assertThat(stats.weightBytes()).isLessThanOrEqualTo(max);
      assertThat(stats.weightBytes()).isEqualTo(stats.entries() * tenKb.weightBytes());
    }
    CacheStats stats = bounded.stats();
    assertThat(stats.puts()).isEqualTo(50);
    assertThat(stats.entries()).isBetween(1L, max / tenKb.weightBytes());
    assertThat(stats.evictions()).isEqualTo(50 - stats.entries());
    assertThat(bounded.maximumBytes()).isEqualTo(max);
  }

  @Test
  void anEntryHeavierThanTheBoundIsNotKept() {
    InMemoryCacheStore bounded = InMemoryCacheStore.builder().maximumBytes(10_000).timeSource(clock).build();
    CachedResponse small = answer("small");
    bounded.put(key("global", "small"), small, Duration.ofHours(1));
    bounded.put(key("global", "huge"), answer("x".repeat(20_000)), Duration.ofHours(1));
    assertThat(bounded.get(key("global", "huge"))).isEmpty();
    assertThat(bounded.get(key("global", "small"))).contains(small);
    assertThat(bounded.stats().weightBytes()).isLessThanOrEqualTo(10_000);
  }

  @Test
  void statsCountHitsMissesPutsEntriesAndWeight() {
    assertThat(store.stats()).isEqualTo(CacheStats.EMPTY);
    CacheKey a = key("global", "a");
    CacheKey b = key("global", "b");
    CachedResponse va = answer("aaa");
    CachedResponse vb = answer("bbbbbb");
    store.put(a, va, Duration.ofMinutes(1));
    store.put(b, vb, Duration.ofMinutes(2));
    store.put(b, vb, Duration.ofMinutes(2));
    store.get(a);
    store.get(a);
    store.get(b);
    store.get(key("global", "c"));

    CacheStats stats = store.stats();
    assertThat(stats).isEqualTo(new CacheStats(3, 1, 3, 0, 2, va.weightBytes() + vb.weightBytes()));
    assertThat(stats.lookups()).isEqualTo(4);
    assertThat(stats.hitRate()).isEqualTo(0.75);

    clock.advance(Duration.ofSeconds(90));
    assertThat(store.get(a)).isEmpty();
    stats = store.stats();
    assertThat(stats).isEqualTo(new CacheStats(3, 2, 3, 1, 1, vb.weightBytes()));
  }

  @Test
  void invalidateRemovesOneEntry() {
    CacheKey a = key("global", "a");
    CacheKey b = key("global", "b");
    store.put(a, answer("a"), Duration.ofMinutes(1));
    store.put(b, answer("b"), Duration.ofMinutes(1));
    store.invalidate(a);
    store.invalidate(key("global", "never stored"));
    assertThat(store.get(a)).isEmpty();
    assertThat(store.get(b)).isPresent();
    assertThat(store.stats().evictions()).as("invalidations are not evictions").isZero();
  }

  @Test
  void invalidatePartitionRemovesOnlyThatPartition() {
    for (int i = 0; i < 10; i++) {
      store.put(key("tenant:acme", "q" + i), answer("a" + i), Duration.ofMinutes(1));
      store.put(key("tenant:other", "q" + i), answer("o" + i), Duration.ofMinutes(1));
    }
    store.put(key("tenant:acme2", "q0"), answer("x"), Duration.ofMinutes(1));

    store.invalidatePartition("tenant:acme");

    for (int i = 0; i < 10; i++) {
      assertThat(store.get(key("tenant:acme", "q" + i))).isEmpty();
      assertThat(store.get(key("tenant:other", "q" + i))).isPresent();
    }
    assertThat(store.get(key("tenant:acme2", "q0"))).isPresent();
    assertThat(store.stats().entries()).isEqualTo(11);
    store.invalidatePartition("tenant:none");
    assertThat(store.stats().entries()).isEqualTo(11);
  }

  @Test
  void theSameRequestInAnotherPartitionIsAnotherEntry() {
    store.put(key("tenant:acme", "q"), answer("acme's"), Duration.ofMinutes(1));
    assertThat(store.get(key("tenant:other", "q"))).isEmpty();
  }

  @Test
  void closeDropsEveryEntry() {
    store.put(key("global", "a"), answer("a"), Duration.ofMinutes(1));
    store.close();
    assertThat(store.get(key("global", "a"))).isEmpty();
    assertThat(store.stats().entries()).isZero();
  }

  @Test
  void rejectsBadArguments() {
    CacheKey key = key("global", "q");
    CachedResponse value = answer("a");
    assertThatThrownBy(() -> store.put(key, value, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put(key, value, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put(key, value, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.put(null, value, Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.put(key, null, Duration.ofSeconds(1))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.invalidate(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.invalidatePartition(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> InMemoryCacheStore.builder().maximumBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InMemoryCacheStore.builder().timeSource(null)).isInstanceOf(NullPointerException.class);
    assertThat(store.stats().puts()).isZero();
  }

  @Test
  void veryLongTimesToLiveAreAccepted() {
    CacheKey key = key("global", "q");
    store.put(key, answer("a"), Duration.ofSeconds(Long.MAX_VALUE));
    clock.advance(Duration.ofDays(365L * 100));
    assertThat(store.get(key)).isPresent();
  }

  @Test
  void defaultsAreSixtyFourMebibytesOnTheSystemClock() {
    InMemoryCacheStore defaults = InMemoryCacheStore.builder().build();
    assertThat(defaults.maximumBytes()).isEqualTo(64L << 20);
    CacheKey key = key("global", "q");
    defaults.put(key, answer("a"), Duration.ofMinutes(1));
    assertThat(defaults.get(key)).isPresent();
  }

  @Test
  void concurrentUseKeepsCountsAndBound() throws Exception {
    InMemoryCacheStore bounded = InMemoryCacheStore.builder().maximumBytes(200_000).timeSource(clock).build();
    CachedResponse value = answer("x".repeat(1_000));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            CacheKey k = key("tenant:" + thread, "q" + (i % 150));
            if (bounded.get(k).isEmpty()) {
              bounded.put(k, value, Duration.ofMinutes(5));
            }
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    CacheStats stats = bounded.stats();
    assertThat(stats.hits() + stats.misses()).isEqualTo(2_000);
    assertThat(stats.puts()).isEqualTo(stats.misses());
    assertThat(stats.weightBytes()).isLessThanOrEqualTo(200_000);
    assertThat(stats.entries()).isEqualTo(stats.puts() - stats.evictions());
  }
}
