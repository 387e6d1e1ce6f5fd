package dev.aigw.core.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.aigw.core.cache.semantic.VectorIndex.Match;
import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryVectorIndexTest {
  private static final Duration HOUR = Duration.ofHours(1);

  private final ManualClock clock = new ManualClock();
  private final InMemoryVectorIndex index = InMemoryVectorIndex.builder().timeSource(clock).build();

  @Test
  void nearestReturnsTheMostSimilarEntryAtOrAboveTheThreshold() {
    index.add("t", "x", new float[] {1, 0, 0}, HOUR);
    index.add("t", "xy", new float[] {1, 1, 0}, HOUR);
    index.add("t", "z", new float[] {0, 0, 1}, HOUR);

    Optional<Match> match = index.nearest("t", new float[] {1, 0.1f, 0}, 0.5);

    assertThat(match).isPresent();
    assertThat(match.get().id()).isEqualTo("x");
    assertThat(match.get().similarity()).isCloseTo(1 / Math.sqrt(1.01), within(1e-6));
    // The best match's similarity is 0.995: a threshold just above it finds nothing, not the second best.
    assertThat(index.nearest("t", new float[] {1, 0.1f, 0}, 0.996)).isEmpty();
    assertThat(index.nearest("t", new float[] {1, 0.1f, 0}, 0.995)).map(Match::id).contains("x");
  }

  @Test
  void nothingBelowTheThreshold() {
    index.add("t", "x", new float[] {1, 0}, HOUR);

    assertThat(index.nearest("t", new float[] {0, 1}, 0.1)).isEmpty();
    assertThat(index.nearest("t", new float[] {-1, 0}, 0.0)).isEmpty();
    assertThat(index.nearest("t", new float[] {-1, 0}, -1.0)).map(Match::similarity).hasValueSatisfying(
        s -> assertThat(s).isCloseTo(-1.0, within(1e-6)));
  }

  @Test
  void anEmptyOrUnknownPartitionFindsNothing() {
    assertThat(index.nearest("nobody", new float[] {1, 2, 3}, -1.0)).isEmpty();
    assertThat(index.size()).isZero();
  }

  @Test
  void partitionsAreIsolated() {
    index.add("acme", "a", new float[] {1, 0}, HOUR);
    index.add("globex", "g", new float[] {0, 1}, HOUR);

    assertThat(index.nearest("acme", new float[] {0, 1}, -1.0)).map(Match::id).contains("a");
    assertThat(index.nearest("globex", new float[] {1, 0}, -1.0)).map(Match::id).contains("g");
    assertThat(index.nearest("initech", new float[] {1, 0}, -1.0)).isEmpty();

    index.add("globex", "a", new float[] {1, 0}, HOUR); // the same id in another partition is another entry
    index.remove("acme", "a");
    assertThat(index.nearest("acme", new float[] {1, 0}, -1.0)).isEmpty();
    assertThat(index.nearest("globex", new float[] {1, 0}, 0.99)).map(Match::id).contains("a");
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void partitionsMayHoldDifferentDimensions() {
    index.add("small", "s", new float[] {1, 0}, HOUR);
    index.add("large", "l", new float[] {0, 0, 0, 1}, HOUR);

    assertThat(index.nearest("small", new float[] {1, 0}, 0.9)).map(Match::id).contains("s");
    assertThat(index.nearest("large", new float[] {0, 0, 0, 1}, 0.9)).map(Match::id).contains("l");
  }

  @Test
  void entriesExpireAfterTheirTtl() {
    index.add("t", "short", new float[] {1, 0}, Duration.ofSeconds(10));
    index.add("t", "long", new float[] {1, 0.2f}, Duration.ofSeconds(60));

    clock.advance(Duration.ofSeconds(9));
    assertThat(index.nearest("t", new float[] {1, 0}, 0.5)).map(Match::id).contains("short");
    assertThat(index.size()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(1)); // exactly the ttl: expired
    assertThat(index.nearest("t", new float[] {1, 0}, 0.5)).map(Match::id).contains("long");
    assertThat(index.size()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(50));
    assertThat(index.nearest("t", new float[] {1, 0}, 0.5)).isEmpty();
    assertThat(index.size()).isZero();
  }

  @Test
  void replacingAnEntryReplacesItsVectorAndTtl() {
    index.add("t", "e", new float[] {1, 0}, Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(8));
    index.add("t", "e", new float[] {0, 1}, Duration.ofSeconds(10));

    clock.advance(Duration.ofSeconds(5)); // past the first ttl, within the second
    assertThat(index.nearest("t", new float[] {1, 0}, 0.5)).isEmpty();
    assertThat(index.nearest("t", new float[] {0, 1}, 0.5)).map(Match::id).contains("e");
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void aHugeTtlNeverExpires() {
    index.add("t", "e", new float[] {1, 0}, Duration.ofSeconds(Long.MAX_VALUE));
    clock.advance(Duration.ofDays(365 * 100));
    assertThat(index.nearest("t", new float[] {1, 0}, 0.5)).isPresent();
  }

  @Test
  void aFullIndexEvictsTheOldestEntryOfAnyPartition() {
    InMemoryVectorIndex small = InMemoryVectorIndex.builder().maxEntries(3).timeSource(clock).build();
    small.add("a", "1", new float[] {1, 0, 0}, HOUR);
    small.add("b", "2", new float[] {0, 1, 0}, HOUR);
    small.add("a", "3", new float[] {0, 0, 1}, HOUR);
    small.add("a", "1", new float[] {1, 0, 0}, HOUR); // replacing makes "1" the newest

    small.add("c", "4", new float[] {1, 1, 0}, HOUR); // evicts "2", the oldest, in partition b

    assertThat(small.size()).isEqualTo(3);
    assertThat(small.nearest("b", new float[] {0, 1, 0}, -1.0)).isEmpty();
    assertThat(small.nearest("a", new float[] {1, 0, 0}, 0.99)).map(Match::id).contains("1");
    assertThat(small.nearest("a", new float[] {0, 0, 1}, 0.99)).map(Match::id).contains("3");

    small.add("c", "5", new float[] {1, 1, 1}, HOUR); // evicts "3"
    assertThat(small.nearest("a", new float[] {0, 0, 1}, 0.99)).isEmpty();
    assertThat(small.size()).isEqualTo(3);
  }

  @Test
  void aFullIndexReclaimsExpiredEntriesBeforeEvictingLiveOnes() {
    InMemoryVectorIndex small = InMemoryVectorIndex.builder().maxEntries(2).timeSource(clock).build();
    small.add("a", "old-but-live", new float[] {1, 0}, HOUR);
    small.add("b", "expiring", new float[] {0, 1}, Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(2));

    small.add("c", "new", new float[] {1, 1}, HOUR);

    assertThat(small.nearest("a", new float[] {1, 0}, 0.99)).map(Match::id).contains("old-but-live");
    assertThat(small.nearest("c", new float[] {1, 1}, 0.99)).map(Match::id).contains("new");
    assertThat(small.size()).isEqualTo(2);
  }

  @Test
  void aPartitionKeepsOneDimension() {
    index.add("t", "e", new float[] {1, 0, 0}, HOUR);

    assertThatThrownBy(() -> index.add("t", "f", new float[] {1, 0}, HOUR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 dimensions")
        .hasMessageContaining("3");
    assertThatThrownBy(() -> index.nearest("t", new float[] {1, 0}, 0.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void anEmptiedPartitionTakesANewDimension() {
    index.add("t", "e", new float[] {1, 0, 0}, Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1)); // expired, so the partition holds nothing live

    index.add("t", "f", new float[] {1, 0}, HOUR);
    assertThat(index.nearest("t", new float[] {1, 0}, 0.99)).map(Match::id).contains("f");

    index.remove("t", "f");
    index.add("t", "g", new float[] {0, 0, 0, 1}, HOUR);
    assertThat(index.nearest("t", new float[] {0, 0, 0, 1}, 0.99)).map(Match::id).contains("g");
  }

  @Test
  void vectorsAreNormalisedSoAScaledVectorHasSimilarityOne() {
    index.add("t", "e", new float[] {3, 4, 12}, HOUR);

    Match m = index.nearest("t", new float[] {30, 40, 120}, 0.9999).orElseThrow();
    assertThat(m.similarity()).isCloseTo(1.0, within(1e-6));
    Match tiny = index.nearest("t", new float[] {3e-20f, 4e-20f, 12e-20f}, 0.9999).orElseThrow();
    assertThat(tiny.similarity()).isCloseTo(1.0, within(1e-6));
    assertThat(index.nearest("t", new float[] {-3, -4, -12}, -1.0).orElseThrow().similarity())
        .isCloseTo(-1.0, within(1e-6));
  }

  @Test
  void theIndexCopiesTheVector() {
    float[] v = {1, 0};
    index.add("t", "e", v, HOUR);
    v[0] = 0;
    v[1] = 1;

    assertThat(index.nearest("t", new float[] {1, 0}, 0.99)).map(Match::id).contains("e");
  }

  @Test
  void badArgumentsAreRejected() {
    assertThatThrownBy(() -> index.add("t", "e", new float[] {0, 0}, HOUR))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero");
    assertThatThrownBy(() -> index.add("t", "e", new float[] {1, Float.NaN}, HOUR))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    assertThatThrownBy(() -> index.add("t", "e", new float[] {1, Float.POSITIVE_INFINITY}, HOUR))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.add("t", "e", new float[0], HOUR))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> index.add("t", "e", new float[] {1}, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> index.add("t", "e", new float[] {1}, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.add(null, "e", new float[] {1}, HOUR)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> index.add("t", null, new float[] {1}, HOUR)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> index.add("t", "e", null, HOUR)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> index.add("t", "e", new float[] {1}, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> index.nearest("t", new float[] {0}, 0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.nearest("t", new float[] {1}, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InMemoryVectorIndex.builder().maxEntries(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Match("e", 1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThat(index.size()).isZero();
  }

  @Test
  void removeIgnoresUnknownEntries() {
    index.remove("t", "nothing");
    index.add("t", "e", new float[] {1}, HOUR);
    index.remove("t", "other");
    index.remove("u", "e");
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void theDefaultBoundIsTenThousand() {
    assertThat(InMemoryVectorIndex.builder().build().maxEntries()).isEqualTo(10_000);
  }

  /** Random adds, replaces, removes, expiries and evictions against a plain map, over many growths of the storage. */
  @Test
  void agreesWithABruteForceModel() {
    int dim = 13; // not a multiple of the dot product's unrolling
    InMemoryVectorIndex small = InMemoryVectorIndex.builder().maxEntries(300).timeSource(clock).build();
    Map<String, float[]> live = new HashMap<>();
    Map<String, Long> expiry = new HashMap<>();
    List<String> order = new ArrayList<>();
    Random random = new Random(42);
    for (int step = 0; step < 5_000; step++) {
      int op = random.nextInt(10);
      String id = "e" + random.nextInt(400);
      if (op < 6) {
        float[] v = randomVector(random, dim);
        int ttl = 1 + random.nextInt(100);
        small.add("p", id, v, Duration.ofSeconds(ttl));
        // The model keeps expired entries until a new entry finds the index full, as the index does.
        if (!live.containsKey(id) && live.size() >= 300) {
          long t = nowSeconds(clock);
          live.keySet().removeIf(k -> expiry.get(k) <= t);
          expiry.keySet().retainAll(live.keySet());
          order.retainAll(live.keySet());
          if (live.size() >= 300) {
            String oldest = order.remove(0);
            live.remove(oldest);
            expiry.remove(oldest);
          }
        }
        order.remove(id);
        order.add(id);
        live.put(id, normalised(v));
        expiry.put(id, nowSeconds(clock) + ttl);
      } else if (op < 7) {
        small.remove("p", id);
        live.remove(id);
        expiry.remove(id);
        order.remove(id);
      } else if (op < 8) {
        clock.advance(Duration.ofSeconds(random.nextInt(5)));
      } else {
        float[] q = randomVector(random, dim);
        double threshold = random.nextDouble() * 1.2 - 0.4;
        float[] nq = normalised(q);
        String bestId = null;
        double best = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, float[]> e : live.entrySet()) {
          if (expiry.get(e.getKey()) <= nowSeconds(clock)) {
            continue;
          }
          double s = 0;
          for (int i = 0; i < dim; i++) {
            s += (double) nq[i] * e.getValue()[i];
          }
          if (s > best) {
            best = s;
            bestId = e.getKey();
          }
        }
        Optional<Match> got = small.nearest("p", q, threshold);
        if (bestId == null || best < threshold - 1e-5) {
          assertThat(got).as("step %d", step).isEmpty();
        } else if (best > threshold + 1e-5) {
          assertThat(got).as("step %d", step).isPresent();
          assertThat(got.get().similarity()).isCloseTo(best, within(1e-5));
        }
      }
    }
    long liveCount = expiry.values().stream().filter(e -> e > nowSeconds(clock)).count();
    assertThat(small.size()).isEqualTo((int) liveCount);
  }

  @Test
  void concurrentAddsAndSearches() throws Exception {
    InMemoryVectorIndex shared = InMemoryVectorIndex.builder().maxEntries(100_000).build();
    int threads = 4;
    int perThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          Random random = new Random(thread);
          start.await();
          int found = 0;
          for (int i = 0; i < perThread; i++) {
            String partition = "p" + (i % 3);
            String id = "t" + thread + "-" + i;
            float[] v = randomVector(random, 32);
            shared.add(partition, id, v, HOUR);
            // Our own entry is there; another thread's entry may be nearer only if it is the same vector.
            Match m = shared.nearest(partition, v, 0.999).orElseThrow();
            if (m.id().equals(id)) {
              found++;
            }
            if (i % 10 == 0) {
              shared.remove(partition, id);
            }
          }
          return found;
        }));
      }
      start.countDown();
      for (Future<Integer> f : futures) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(perThread);
      }
      assertThat(shared.size()).isEqualTo(threads * perThread * 9 / 10);
    } finally {
      pool.shutdownNow();
    }
  }

  private static long nowSeconds(ManualClock clock) {
    return TimeUnit.NANOSECONDS.toSeconds(clock.nanoTime());
  }

  static float[] randomVector(Random random, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private static float[] normalised(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    float[] n = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      n[i] = (float) (v[i] / Math.sqrt(sum));
    }
    return n;
  }
}
