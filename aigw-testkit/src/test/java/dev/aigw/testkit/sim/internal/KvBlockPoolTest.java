package dev.aigw.testkit.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KvBlockPoolTest {

  private static long[] hashes(String text) {
    return BlockHashes.of(text, 64, "m", "");
  }

  @Test
  void chainedHashesMatchOnlyWholePrefixes() {
    String a = "a".repeat(64) + "b".repeat(64) + "c".repeat(64);
    String b = "x".repeat(64) + "b".repeat(64) + "c".repeat(64);

    assertThat(hashes(a)).hasSize(3);
    assertThat(hashes(a + "tail")).hasSize(3).containsExactly(hashes(a));
    assertThat(hashes(b)[1]).isNotEqualTo(hashes(a)[1]); // same block text, different prefix
    assertThat(BlockHashes.of(a, 64, "m", "salt")[0]).isNotEqualTo(hashes(a)[0]);
    assertThat(BlockHashes.of(a, 64, "lora", "")[0]).isNotEqualTo(hashes(a)[0]);
    assertThat(hashes("short")).isEmpty();
  }

  @Test
  void computedBlocksAreFoundAfterwardsAndSharedWhileReferenced() {
    KvBlockPool pool = new KvBlockPool(100);
    long[] h = hashes("p".repeat(64 * 10));

    KvBlockPool.Allocation first = pool.allocate(h, 0, 12);
    assertThat(pool.usage()).isEqualTo(0.12);
    assertThat(pool.match(h)).isZero();
    pool.computed(first, 4);
    assertThat(pool.match(h)).isEqualTo(4);
    pool.computed(first, 10);
    assertThat(pool.match(h)).isEqualTo(10);
    assertThat(pool.usage()).isEqualTo(0.12);

    KvBlockPool.Allocation second = pool.allocate(h, 10, 12);
    assertThat(pool.usage()).isEqualTo(0.14); // shares 10, reserves 2 of its own
    pool.release(first);
    assertThat(pool.usage()).isEqualTo(0.12);
    pool.release(second);
    assertThat(pool.usage()).isZero();
    assertThat(pool.cachedBlocks()).isEqualTo(10);
    assertThat(pool.match(h)).isEqualTo(10);
  }

  @Test
  void evictionTakesTheLeastRecentlyReleasedBlocksTailFirst() {
    KvBlockPool pool = new KvBlockPool(10);
    long[] old = hashes("o".repeat(64 * 6));
    KvBlockPool.Allocation a = pool.allocate(old, 0, 6);
    pool.computed(a, 6);
    pool.release(a);
    assertThat(pool.cachedBlocks()).isEqualTo(6);

    long[] fresh = hashes("f".repeat(64 * 8));
    assertThat(pool.fits(fresh, 0, 8)).isTrue();
    KvBlockPool.Allocation b = pool.allocate(fresh, 0, 8);

    // 8 reserved + 2 cached = 10: the old prefix kept its first two blocks
    assertThat(pool.match(old)).isEqualTo(2);
    assertThat(pool.fits(old, 2, 3)).isFalse();
    pool.release(b);
    assertThat(pool.fits(old, 2, 3)).isTrue();
  }

  @Test
  void aDuplicateComputedBlockIsSharedAndFreesTheReservation() {
    KvBlockPool pool = new KvBlockPool(20);
    long[] h = hashes("d".repeat(64 * 4));
    KvBlockPool.Allocation a = pool.allocate(h, 0, 5);
    KvBlockPool.Allocation b = pool.allocate(h, 0, 5); // admitted before a computed anything
    assertThat(pool.usage()).isEqualTo(0.5);

    pool.computed(a, 4);
    pool.computed(b, 4);

    assertThat(pool.cachedBlocks()).isEqualTo(4);
    assertThat(pool.usage()).isEqualTo(6 / 20.0); // 4 shared + one reserved each
    pool.release(a);
    pool.release(b);
    assertThat(pool.usage()).isZero();
  }
}
