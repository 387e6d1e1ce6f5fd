package dev.aigw.providers.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PrefixIndexTest {
  static long[] blocks(long from, int count) {
    return LongStream.range(from, from + count).map(i -> i * 0x9E3779B97F4A7C15L + 17).toArray();
  }

  @Test
  void unknownReplicaAndEmptyBlocksMatchNothing() {
    PrefixIndex index = new PrefixIndex(16);
    assertThat(index.matchedBlocks("r1", blocks(0, 3))).isZero();
    index.record("r1", blocks(0, 3));
    assertThat(index.matchedBlocks("r1", new long[0])).isZero();
    assertThat(index.matchedBlocks("r2", blocks(0, 3))).isZero();
  }

  @Test
  void matchesTheLongestRecordedPrefix() {
    PrefixIndex index = new PrefixIndex(1024);
    long[] recorded = blocks(0, 5);
    index.record("r1", recorded);
    assertThat(index.matchedBlocks("r1", recorded)).isEqualTo(5);
    assertThat(index.matchedBlocks("r1", blocks(0, 3))).isEqualTo(3);
    long[] longer = blocks(0, 8);
    assertThat(index.matchedBlocks("r1", longer)).isEqualTo(5);
    long[] diverging = blocks(0, 5);
    diverging[2] = 42;
    assertThat(index.matchedBlocks("r1", diverging)).isEqualTo(2);
    // a hit after the first miss does not count
    long[] gap = blocks(0, 5);
    gap[0] = 42;
    assertThat(index.matchedBlocks("r1", gap)).isZero();
  }

  @Test
  void replicasAreSeparate() {
    PrefixIndex index = new PrefixIndex(1024);
    index.record("r1", blocks(0, 4));
    index.record("r2", blocks(0, 2));
    assertThat(index.matchedBlocks("r1", blocks(0, 4))).isEqualTo(4);
    assertThat(index.matchedBlocks("r2", blocks(0, 4))).isEqualTo(2);
    assertThat(index.replicaCount()).isEqualTo(2);
  }

  @Test
  void evictsTheLeastRecentlyRecordedBlocks() {
    PrefixIndex index = new PrefixIndex(4);
    long[] a = blocks(0, 2);
    long[] b = blocks(100, 2);
    long[] c = blocks(200, 2);
    index.record("r", a);
    index.record("r", b);
    index.record("r", a); // refresh a: b is now the least recent
    index.record("r", c); // evicts b
    assertThat(index.size("r")).isEqualTo(4);
    assertThat(index.matchedBlocks("r", a)).isEqualTo(2);
    assertThat(index.matchedBlocks("r", c)).isEqualTo(2);
    assertThat(index.matchedBlocks("r", b)).isZero();
  }

  @Test
  void evictionTrimsChainsFromTheTail() {
    PrefixIndex index = new PrefixIndex(4);
    long[] chain = blocks(0, 4);
    index.record("r", chain);
    index.record("r", blocks(500, 1)); // one new block evicts one of the chain's: its last
    assertThat(index.matchedBlocks("r", chain)).isEqualTo(3);
    index.record("r", blocks(600, 2));
    assertThat(index.matchedBlocks("r", chain)).isEqualTo(1);
  }

  @Test
  void aChainLongerThanTheCapacityKeepsItsHead() {
    PrefixIndex index = new PrefixIndex(3);
    long[] chain = blocks(0, 10);
    index.record("r", chain);
    assertThat(index.size("r")).isEqualTo(3);
    assertThat(index.matchedBlocks("r", chain)).isEqualTo(3);
  }

  @Test
  void growsPastItsInitialTablesAndStaysExact() {
    int capacity = 5_000;
    PrefixIndex index = new PrefixIndex(capacity);
    for (int i = 0; i < 3 * capacity; i += 10) {
      index.record("r", blocks(i, 10));
    }
    assertThat(index.size("r")).isEqualTo(capacity);
    // the last `capacity` blocks recorded are present, the earlier ones are not
    for (int i = 2 * capacity; i < 3 * capacity; i += 10) {
      assertThat(index.matchedBlocks("r", blocks(i, 10))).as("chunk %d", i).isEqualTo(10);
    }
    for (int i = 0; i < 2 * capacity; i += 10) {
      assertThat(index.matchedBlocks("r", blocks(i, 10))).as("chunk %d", i).isZero();
    }
  }

  @Test
  void randomisedAgainstASimpleModel() {
    // Compares with a java.util.LinkedHashMap LRU across many inserts, refreshes and evictions.
    int capacity = 300;
    PrefixIndex index = new PrefixIndex(capacity);
    java.util.LinkedHashMap<Long, Boolean> model = new java.util.LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(java.util.Map.Entry<Long, Boolean> eldest) {
        return size() > capacity;
      }
    };
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 5_000; round++) {
      long[] chain = blocks(random.nextInt(2_000), 1 + random.nextInt(6));
      index.record("r", chain);
      for (int i = chain.length - 1; i >= 0; i--) {
        model.put(chain[i], Boolean.TRUE);
      }
      long[] probe = blocks(random.nextInt(2_000), 1 + random.nextInt(6));
      int expected = 0;
      while (expected < probe.length && model.containsKey(probe[expected])) {
        expected++;
      }
      assertThat(index.matchedBlocks("r", probe)).as("round %d", round).isEqualTo(expected);
    }
    assertThat(index.size("r")).isEqualTo(model.size());
  }

  @Test
  void removeForgetsTheReplica() {
    PrefixIndex index = new PrefixIndex(16);
    index.record("r1", blocks(0, 3));
    index.record("r2", blocks(0, 3));
    index.remove("r1");
    assertThat(index.matchedBlocks("r1", blocks(0, 3))).isZero();
    assertThat(index.size("r1")).isZero();
    assertThat(index.matchedBlocks("r2", blocks(0, 3))).isEqualTo(3);
    assertThat(index.replicaCount()).isEqualTo(1);
  }

  @Test
  void concurrentRecordAndMatchStayConsistent() throws Exception {
    // Smoke test: writers churn a small index (constant eviction and growth) while readers match.
    // A stable chain, re-recorded by every writer, must always be found whole or as a prefix.
    int capacity = 512;
    PrefixIndex index = new PrefixIndex(capacity);
    long[] stable = blocks(1_000_000, 8);
    index.record("r0", stable);
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(pool.submit(() -> {
          start.await();
          SplittableRandom random = new SplittableRandom(id);
          for (int i = 0; i < 20_000; i++) {
            String replica = "r" + random.nextInt(3);
            if (id % 2 == 0) {
              index.record(replica, blocks(random.nextInt(100_000), 1 + random.nextInt(16)));
              if (i % 8 == 0) {
                index.record("r0", stable);
              }
              if (i % 5_000 == 4_999) {
                index.remove("r2");
              }
            } else {
              int m = index.matchedBlocks(replica, blocks(random.nextInt(100_000), 1 + random.nextInt(16)));
              assertThat(m).isBetween(0, 16);
              assertThat(index.matchedBlocks("r0", stable)).isBetween(0, stable.length);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int r = 0; r < 3; r++) {
      assertThat(index.size("r" + r)).isBetween(0, capacity);
    }
    index.record("r0", stable);
    assertThat(index.matchedBlocks("r0", stable)).isEqualTo(stable.length);
  }

  @Test
  void rejectsBadCapacity() {
    assertThatThrownBy(() -> new PrefixIndex(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
