package dev.aigw.providers.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.providers.pool.internal.ScoredPicker;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PickersTest {
  /** A replica whose load the test sets. */
  static final class FakeReplica implements Replica {
    final String id;
    int inFlight;
    ReplicaLoad load = ReplicaLoad.UNKNOWN;

    FakeReplica(String id) {
      this.id = id;
    }

    FakeReplica inFlight(int n) {
      inFlight = n;
      return this;
    }

    FakeReplica load(double waiting, double kvCacheUsage) {
      load = new ReplicaLoad(waiting, 0, kvCacheUsage, Instant.EPOCH);
      return this;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public URI baseUrl() {
      return URI.create("http://" + id);
    }

    @Override
    public int inFlight() {
      return inFlight;
    }

    @Override
    public ReplicaLoad load() {
      return load;
    }

    @Override
    public String toString() {
      return id;
    }
  }

  record Req(String model, CharSequence promptText, String cacheSalt) implements PickRequest {
    static Req of(CharSequence prompt) {
      return new Req("llama", prompt, "");
    }
  }

  static final Req SHORT = Req.of("hi");
  /** Twenty 64-char blocks shared by every request built with {@link #withSharedPrefix}. */
  static final String SHARED_PREFIX = "system: you are a helpful assistant. ".repeat(35).substring(0, 64 * 20);

  static Req withSharedPrefix(int i) {
    return Req.of(SHARED_PREFIX + "user: question number " + i + " ".repeat(64));
  }

  static List<Replica> replicas(FakeReplica... rs) {
    return List.of(rs);
  }

  static Map<String, Integer> counts(int picks, Supplier<Replica> pick) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(pick.get().id(), 1, Integer::sum);
    }
    return counts;
  }

  /** Picks and reports the pick as routed, as the pool does. */
  static Replica pickAndRoute(Picker picker, PickRequest request, List<Replica> candidates) {
    Replica r = picker.pick(request, candidates);
    assertThat(candidates).contains(r);
    picker.routed(request, r);
    return r;
  }

  final FakeReplica a = new FakeReplica("a:8000");
  final FakeReplica b = new FakeReplica("b:8000");
  final FakeReplica c = new FakeReplica("c:8000");
  final FakeReplica d = new FakeReplica("d:8000");

  @Nested
  class RoundRobin {
    @Test
    void cyclesThroughTheCandidates() {
      Picker picker = Pickers.roundRobin();
      List<Replica> all = replicas(a, b, c);
      List<Replica> picked = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        picked.add(picker.pick(SHORT, all));
      }
      assertThat(picked).containsExactly(a, b, c, a, b, c, a);
    }

    @Test
    void singleCandidate() {
      assertThat(Pickers.roundRobin().pick(SHORT, replicas(a))).isSameAs(a);
    }
  }

  @Nested
  class Random {
    @Test
    void seededIsReproducibleAndCoversTheCandidates() {
      List<Replica> all = replicas(a, b, c, d);
      Picker one = Pickers.random(42);
      Picker two = Pickers.random(42);
      List<Replica> first = new ArrayList<>();
      List<Replica> second = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        first.add(one.pick(SHORT, all));
        second.add(two.pick(SHORT, all));
      }
      assertThat(first).isEqualTo(second).contains(a, b, c, d);
    }

    @Test
    void unseededCoversTheCandidates() {
      Picker picker = Pickers.random();
      List<Replica> all = replicas(a, b);
      assertThat(counts(200, () -> picker.pick(SHORT, all))).containsOnlyKeys("a:8000", "b:8000");
    }
  }

  @Nested
  class LeastRequest {
    @Test
    void ofTwoAlwaysPicksTheLessLoaded() {
      a.inFlight(5);
      b.inFlight(1);
      Picker picker = Pickers.leastRequest(1);
      assertThat(counts(200, () -> picker.pick(SHORT, replicas(a, b)))).containsExactly(Map.entry("b:8000", 200));
    }

    @Test
    void neverPicksTheBusiest() {
      a.inFlight(0);
      b.inFlight(1);
      c.inFlight(100);
      Picker picker = Pickers.leastRequest(2);
      Map<String, Integer> counts = counts(1_000, () -> picker.pick(SHORT, replicas(a, b, c)));
      assertThat(counts).doesNotContainKey("c:8000").containsKeys("a:8000", "b:8000");
      assertThat(counts.get("a:8000")).isGreaterThan(counts.get("b:8000"));
    }

    @Test
    void tiesAreSpread() {
      Picker picker = Pickers.leastRequest();
      assertThat(counts(400, () -> picker.pick(SHORT, replicas(a, b, c)))).containsOnlyKeys("a:8000", "b:8000", "c:8000");
    }
  }

  @Nested
  class MetricsAware {
    final Picker picker = Pickers.metricsAware();

    @Test
    void anUnreportedReplicaCountsAsTheReportedAverage() {
      List<Replica> all = replicas(a, b, c, d);
      a.load(0, 0.02);
      b.load(0, 0.6);
      // c and d unknown: assumed 0.31, between a and b
      assertThat(counts(100, () -> picker.pick(SHORT, all))).containsOnlyKeys("a:8000");
      b.load(0, 0.02);
      // c and d unknown: assumed 0.02, as good as a and b
      assertThat(counts(400, () -> picker.pick(SHORT, all))).containsOnlyKeys("a:8000", "b:8000", "c:8000", "d:8000");
    }

    @Test
    void prefersTheShorterQueue() {
      a.load(3, 0.1);
      b.load(0, 0.9);
      c.load(7, 0.0);
      assertThat(counts(50, () -> picker.pick(SHORT, replicas(a, b, c)))).containsOnlyKeys("b:8000");
    }

    @Test
    void countsThisClientsInFlightInTheQueue() {
      a.load(0, 0.1).inFlight(4);
      b.load(2, 0.1).inFlight(0);
      assertThat(picker.pick(SHORT, replicas(a, b))).isSameAs(b);
    }

    @Test
    void onEqualQueuesPrefersLowerKvCacheUse() {
      a.load(2, 0.7);
      b.load(2, 0.2);
      c.load(2, 0.5);
      assertThat(counts(50, () -> picker.pick(SHORT, replicas(a, b, c)))).containsOnlyKeys("b:8000");
    }

    @Test
    void fallsBackToInFlightWhenLoadIsUnknown() {
      a.inFlight(4);
      b.inFlight(1);
      c.inFlight(9);
      assertThat(counts(50, () -> picker.pick(SHORT, replicas(a, b, c)))).containsOnlyKeys("b:8000");
    }

    @Test
    void breaksTiesAtRandom() {
      a.load(1, 0.3);
      b.load(1, 0.3);
      c.load(4, 0.3);
      assertThat(counts(200, () -> picker.pick(SHORT, replicas(a, b, c)))).containsOnlyKeys("a:8000", "b:8000");
    }
  }

  @Nested
  class Scored {
    @Test
    void queueScorerPrefersTheShortestQueue() {
      Picker picker = Pickers.scored().queue(1).seed(1).build();
      a.load(4, 0.1);
      b.load(1, 0.9).inFlight(1);
      c.load(3, 0.1);
      assertThat(counts(50, () -> picker.pick(SHORT, replicas(a, b, c)))).containsOnlyKeys("b:8000");
    }

    @Test
    void kvCacheScorerPrefersTheMostFreeCache() {
      Picker picker = Pickers.scored().kvCache(1).seed(1).build();
      a.load(0, 0.6);
      b.load(9, 0.3); // queue does not count here
      c.load(0, Double.NaN); // unknown: neutral 0.5
      assertThat(counts(50, () -> picker.pick(SHORT, replicas(a, b, c)))).containsOnlyKeys("b:8000");
    }

    @Test
    void inFlightScorerPrefersTheLeastInFlight() {
      Picker picker = Pickers.scored().inFlight(1).seed(1).build();
      a.inFlight(3).load(0, 0.1);
      b.inFlight(2).load(50, 0.9);
      c.inFlight(6).load(0, 0.1);
      assertThat(counts(50, () -> picker.pick(SHORT, replicas(a, b, c)))).containsOnlyKeys("b:8000");
    }

    @Test
    void weightsTradeScorersOff() {
      a.load(0, 0.9); // best queue, worst cache
      b.load(5, 0.1); // worst queue, best cache
      List<Replica> both = replicas(a, b);
      assertThat(Pickers.scored().queue(3).kvCache(1).build().pick(SHORT, both)).isSameAs(a);
      assertThat(Pickers.scored().queue(1).kvCache(3).build().pick(SHORT, both)).isSameAs(b);
    }

    @Test
    void prefixScorerPrefersTheLongestCachedPrefix() {
      Picker picker = Pickers.scored().prefix(1).seed(1).build();
      Req request = withSharedPrefix(0);
      // a was sent the first 5 blocks, b the first 15 (both shorter prompts with the same start)
      picker.routed(Req.of(SHARED_PREFIX.substring(0, 64 * 5)), a);
      picker.routed(Req.of(SHARED_PREFIX.substring(0, 64 * 15)), b);
      assertThat(counts(50, () -> picker.pick(request, replicas(a, b, c)))).containsOnlyKeys("b:8000");
    }

    @Test
    void cacheSaltSeparatesTenants() {
      Picker picker = Pickers.scored().prefix(1).seed(3).build();
      picker.routed(new Req("llama", SHARED_PREFIX, "tenant-a"), a);
      ScoredPicker scored = (ScoredPicker) picker;
      assertThat(scored.index().matchedBlocks("a:8000", new dev.aigw.providers.pool.internal.PrefixHasher()
          .hash("llama", "tenant-b", SHARED_PREFIX))).isZero();
      // tenant b's picks spread: a holds nothing of theirs
      assertThat(counts(200, () -> picker.pick(new Req("llama", SHARED_PREFIX, "tenant-b"), replicas(a, b))))
          .containsOnlyKeys("a:8000", "b:8000");
    }

    @Test
    void tiesAreBrokenAtRandomAndReproduciblyWhenSeeded() {
      List<Replica> all = replicas(a, b, c);
      Picker one = Pickers.scored().queue(1).seed(9).build();
      Picker two = Pickers.scored().queue(1).seed(9).build();
      List<Replica> first = new ArrayList<>();
      List<Replica> second = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        first.add(one.pick(SHORT, all));
        second.add(two.pick(SHORT, all));
      }
      assertThat(first).isEqualTo(second).contains(a, b, c);
    }

    @Test
    void saturationFilterSkipsASaturatedReplica() {
      // On KV cache alone, a would win; its queue saturates it.
      Picker picker = Pickers.scored().kvCache(1).saturation(5, 0.8).seed(1).build();
      a.load(6, 0.0);
      b.load(0, 0.5);
      c.load(1, 0.6);
      assertThat(counts(50, () -> picker.pick(SHORT, replicas(a, b, c)))).containsOnlyKeys("b:8000");
      // and on KV use over the limit
      Picker byQueue = Pickers.scored().queue(1).saturation(5, 0.8).seed(1).build();
      a.load(0, 0.85);
      b.load(2, 0.5);
      c.load(3, 0.6);
      assertThat(counts(50, () -> byQueue.pick(SHORT, replicas(a, b, c)))).containsOnlyKeys("b:8000");
    }

    @Test
    void saturationFilterFallsBackToAllWhenAllAreSaturated() {
      Picker picker = Pickers.scored().kvCache(1).saturation(5, 0.8).seed(1).build();
      a.load(9, 0.1);
      b.load(9, 0.3);
      c.load(1, 0.95);
      assertThat(counts(50, () -> picker.pick(SHORT, replicas(c, b, a)))).containsOnlyKeys("a:8000");
    }

    @Test
    void unknownLoadNeverSaturates() {
      Picker picker = Pickers.scored().queue(1).saturation(0, 0).seed(1).build();
      a.load(1, 0.5); // saturated: waiting 1 > 0
      b.inFlight(2); // unknown load: queue is its in-flight 2, not saturated
      assertThat(counts(50, () -> picker.pick(SHORT, replicas(a, b)))).containsOnlyKeys("b:8000");
    }

    @Test
    void routedRecordsAndRemovedForgets() {
      Picker picker = Pickers.scored().prefix(1).build();
      ScoredPicker scored = (ScoredPicker) picker;
      Req request = withSharedPrefix(1);
      picker.routed(request, a);
      long[] blocks = new dev.aigw.providers.pool.internal.PrefixHasher().hash("llama", "", request.promptText());
      assertThat(scored.index().matchedBlocks("a:8000", blocks)).isEqualTo(blocks.length).isEqualTo(21);
      picker.removed(a);
      assertThat(scored.index().matchedBlocks("a:8000", blocks)).isZero();
      assertThat(scored.index().replicaCount()).isZero();
    }

    @Test
    void hashesThePromptOncePerPickAndRoute() {
      int[] reads = {0};
      String text = SHARED_PREFIX;
      CharSequence counting = new CharSequence() {
        @Override
        public int length() {
          return text.length();
        }

        @Override
        public char charAt(int index) {
          reads[0]++;
          return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
          throw new UnsupportedOperationException();
        }
      };
      Picker picker = Pickers.prefixAffinity();
      Req request = Req.of(counting);
      pickAndRoute(picker, request, replicas(a, b, c));
      assertThat(reads[0]).isEqualTo(text.length());
      // a retry of the same request: no new hashing either
      pickAndRoute(picker, request, replicas(b, c));
      assertThat(reads[0]).isEqualTo(text.length());
    }

    @Test
    void withoutPrefixWeightThePromptIsNotRead() {
      CharSequence exploding = new CharSequence() {
        @Override
        public int length() {
          throw new AssertionError("prompt read");
        }

        @Override
        public char charAt(int index) {
          throw new AssertionError("prompt read");
        }

        @Override
        public CharSequence subSequence(int start, int end) {
          throw new AssertionError("prompt read");
        }
      };
      Picker picker = Pickers.scored().queue(2).kvCache(2).build();
      pickAndRoute(picker, Req.of(exploding), replicas(a, b));
    }

    @Test
    void rejectsBadSettings() {
      assertThatThrownBy(() -> Pickers.scored().queue(-1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Pickers.scored().prefix(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Pickers.scored().blockChars(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Pickers.scored().indexCapacity(0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Pickers.scored().saturation(-1, 0.5)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Pickers.scored().spillOver(-1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class PrefixAffinity {
    final Picker picker = Pickers.prefixAffinity();
    final List<Replica> all = replicas(a, b, c, d);

    @Test
    void aNewPoolSpreadsNewPromptsBeforeEveryReplicaHasReported() {
      // Start-up: one replica answered and reported a nearly empty cache, the others have not
      // reported yet. They must not look worse than it (they are as likely to be empty), or every
      // new prompt piles onto the first replica to answer.
      a.load(0, 0.02);
      Map<String, Integer> picks = counts(400, () -> picker.pick(Req.of("a new prompt " + Math.random()), all));
      assertThat(picks).containsOnlyKeys("a:8000", "b:8000", "c:8000", "d:8000");
      assertThat(picks.values()).allSatisfy(n -> assertThat(n).isBetween(50, 150));
    }


    @Test
    void sendsARepeatedPrefixToTheSameReplica() {
      for (FakeReplica r : List.of(a, b, c, d)) {
        r.load(1, 0.3).inFlight(2);
      }
      Replica first = pickAndRoute(picker, withSharedPrefix(0), all);
      for (int i = 1; i < 50; i++) {
        assertThat(pickAndRoute(picker, withSharedPrefix(i), all)).as("request %d", i).isSameAs(first);
      }
    }

    @Test
    void keepsAffinityWhenTheWarmReplicaIsOnlyALittleBusier() {
      for (FakeReplica r : List.of(a, b, c, d)) {
        r.load(0, 0.3);
      }
      picker.routed(withSharedPrefix(0), a);
      a.load(3, 0.3).inFlight(2); // the busiest, but within the saturation limit and the spill-over gap
      assertThat(counts(50, () -> pickAndRoute(picker, withSharedPrefix(1), all))).containsOnlyKeys("a:8000");
    }

    @Test
    void aHotPrefixSpillsOverWhenItsReplicaReportsAFarLongerQueue() {
      for (FakeReplica r : List.of(a, b, c, d)) {
        r.load(0, 0.3);
      }
      picker.routed(withSharedPrefix(0), a);
      a.load(40, 0.3);
      Replica next = pickAndRoute(picker, withSharedPrefix(1), all);
      assertThat(next).isNotSameAs(a);
      // the replica it spilled to has the prefix now and keeps it while a stays busy
      for (int i = 2; i < 20; i++) {
        assertThat(pickAndRoute(picker, withSharedPrefix(i), all)).isSameAs(next);
      }
    }

    @Test
    void aHotPrefixSpillsOverOnInFlightAloneWhenNoLoadIsReported() {
      picker.routed(withSharedPrefix(0), a);
      a.inFlight(30);
      b.inFlight(2);
      c.inFlight(3);
      d.inFlight(2);
      assertThat(pickAndRoute(picker, withSharedPrefix(1), all)).isNotSameAs(a);
      // within the gap (9 - 2 <= max(8, 2)), affinity holds
      Picker fresh = Pickers.prefixAffinity();
      fresh.routed(withSharedPrefix(0), a);
      a.inFlight(9);
      assertThat(counts(50, () -> fresh.pick(withSharedPrefix(2), all))).containsOnlyKeys("a:8000");
    }

    @Test
    void aHotPrefixSpillsOverUnderAStreamOfConcurrentRequests() {
      // Requests that stay in flight: the warm replica's in-flight grows until it spills, and the
      // load ends up spread, not piled onto one replica.
      for (int i = 0; i < 200; i++) {
        FakeReplica r = (FakeReplica) pickAndRoute(picker, withSharedPrefix(i), all);
        r.inFlight++;
      }
      for (FakeReplica r : List.of(a, b, c, d)) {
        assertThat(r.inFlight).as(r.id).isBetween(20, 80);
      }
    }

    @Test
    void shortPromptsBalanceOnLoad() {
      a.load(2, 0.5);
      b.load(0, 0.2);
      c.load(1, 0.2);
      d.load(0, 0.6);
      assertThat(counts(50, () -> pickAndRoute(picker, SHORT, all))).containsOnlyKeys("b:8000");
    }
  }
}
