package dev.aigw.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.CallContext;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Weighted choice between versions: random with a seeded generator, and sticky per key. */
class PromptAbTest {
  private static final PromptTemplate V1 = PromptTemplate.user("reply", "v1", "one {{q}}");
  private static final PromptTemplate V2 = PromptTemplate.user("reply", "v2", "two {{q}}");
  private static final PromptTemplate V3 = PromptTemplate.user("reply", "v3", "three {{q}}");

  private static PromptRegistry.Builder registry(Map<String, Integer> weights) {
    return PromptRegistry.builder().add(V1).add(V2).add(V3).defaultVersion("reply", "v3").weights("reply", weights);
  }

  private static Map<String, Integer> count(int draws, java.util.function.IntFunction<PromptTemplate> choose) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < draws; i++) {
      counts.merge(choose.apply(i).version(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void randomChoiceFollowsTheWeights() {
    PromptRegistry r = registry(Map.of("v1", 90, "v2", 10)).random(new SplittableRandom(42)).build();

    Map<String, Integer> counts = count(10_000, i -> r.template("reply"));

    // 10,000 draws of a 90/10 split: one standard deviation is 30
    assertThat(counts.keySet()).containsExactlyInAnyOrder("v1", "v2");
    assertThat(counts.get("v1")).isBetween(8_880, 9_120);
    assertThat(counts.get("v2")).isBetween(880, 1_120);
    assertThat(counts.get("v1") + counts.get("v2")).isEqualTo(10_000);
  }

  @Test
  void theSameSeedGivesTheSameChoices() {
    PromptRegistry a = registry(Map.of("v1", 50, "v2", 50)).random(new SplittableRandom(7)).build();
    PromptRegistry b = registry(Map.of("v1", 50, "v2", 50)).random(new SplittableRandom(7)).build();

    assertThat(IntStream.range(0, 100).mapToObj(i -> a.template("reply").version()).toList())
        .isEqualTo(IntStream.range(0, 100).mapToObj(i -> b.template("reply").version()).toList());
  }

  @Test
  void stickyKeysKeepTheirVersionAndEveryWeightedVersionIsReached() {
    PromptRegistry r = registry(Map.of("v1", 90, "v2", 10)).build();
    PromptRegistry rebuilt = registry(Map.of("v1", 90, "v2", 10)).build();

    Map<String, Integer> counts = count(10_000, i -> r.stickyTemplate("reply", "conversation-" + i));
    assertThat(counts.keySet()).containsExactlyInAnyOrder("v1", "v2");
    assertThat(counts.get("v2")).isBetween(850, 1_150);

    for (int i = 0; i < 500; i++) {
      String key = "user-" + i;
      String first = r.stickyTemplate("reply", key).version();
      assertThat(r.stickyTemplate("reply", key).version()).isEqualTo(first);
      assertThat(rebuilt.stickyTemplate("reply", key).version()).as("same on another registry").isEqualTo(first);
    }
  }

  @Test
  void stickyChoicesAreStableAcrossRunsAndJvms() {
    // SHA-256 of name, a zero byte and the key: these may never change, or running A/B tests reshuffle
    PromptRegistry r = registry(Map.of("v1", 50, "v2", 50)).build();

    assertThat(IntStream.range(0, 12).mapToObj(i -> r.stickyTemplate("reply", "k" + i).version()).toList())
        .containsExactly(PINNED);
  }

  /** Computed independently: Python's hashlib.sha256(b"reply\0k" + i), first 8 bytes big-endian, top 53 bits, below 0.5 is v1. */
  private static final String[] PINNED = {"v1", "v1", "v1", "v2", "v2", "v1", "v1", "v2", "v1", "v2", "v2", "v1"};

  @Test
  void theScaleOfTheWeightsDoesNotMatterAndShiftingWeightMovesFewKeys() {
    PromptRegistry ninety = registry(Map.of("v1", 90, "v2", 10)).build();
    PromptRegistry nine = registry(Map.of("v1", 9, "v2", 1)).build();
    PromptRegistry eighty = registry(Map.of("v1", 80, "v2", 20)).build();

    int moved = 0;
    for (int i = 0; i < 2_000; i++) {
      String key = "c" + i;
      String before = ninety.stickyTemplate("reply", key).version();
      assertThat(nine.stickyTemplate("reply", key).version()).isEqualTo(before);
      String after = eighty.stickyTemplate("reply", key).version();
      if (!after.equals(before)) {
        assertThat(before + ">" + after).as("only v1 hands keys to v2").isEqualTo("v1>v2");
        moved++;
      }
    }
    assertThat(moved).as("about 10 % of 2,000").isBetween(140, 260);
  }

  @Test
  void differentPromptsSplitIndependently() {
    PromptRegistry r = PromptRegistry.builder().add(V1).add(V2).weights("reply", Map.of("v1", 1, "v2", 1))
        .add(PromptTemplate.user("other", "v1", "x")).add(PromptTemplate.user("other", "v2", "y"))
        .weights("other", Map.of("v1", 1, "v2", 1)).build();

    long same = IntStream.range(0, 1_000)
        .filter(i -> r.stickyTemplate("reply", "u" + i).version().equals(r.stickyTemplate("other", "u" + i).version())).count();
    assertThat(same).as("about half").isBetween(430L, 570L);
  }

  @Test
  void aContextStickyKeyIsTheConversationElseTheUserElseTheTenant() {
    PromptRegistry r = registry(Map.of("v1", 50, "v2", 50)).build();

    for (int i = 0; i < 50; i++) {
      String conversation = "conv-" + i;
      String user = "user-" + i;
      String tenant = "tenant-" + i;
      CallContext all = CallContext.builder().conversation(conversation).user(user).tenant(tenant).build();
      CallContext userAndTenant = CallContext.builder().user(user).tenant(tenant).build();
      assertThat(r.template("reply", all)).isSameAs(r.stickyTemplate("reply", conversation));
      assertThat(r.template("reply", userAndTenant)).isSameAs(r.stickyTemplate("reply", user));
      assertThat(r.template("reply", CallContext.tenant(tenant))).isSameAs(r.stickyTemplate("reply", tenant));
      assertThat(r.request("reply", Map.of("q", "?"), "chat", all).prompt().orElseThrow().version())
          .isEqualTo(r.stickyTemplate("reply", conversation).version());
    }
  }

  @Test
  void aContextWithoutKeysChoosesAtRandom() {
    PromptRegistry r = registry(Map.of("v1", 50, "v2", 50)).random(new SplittableRandom(3)).build();

    assertThat(count(1_000, i -> r.template("reply", CallContext.empty())).keySet()).containsExactlyInAnyOrder("v1", "v2");
  }

  @Test
  void versionsWithoutWeightStayReachableByExactVersion() {
    PromptRegistry r = registry(Map.of("v1", 90, "v2", 10)).random(new SplittableRandom(1)).build();

    assertThat(count(2_000, i -> r.template("reply"))).doesNotContainKey("v3");
    assertThat(r.template("reply", "v3")).isSameAs(V3);
    assertThat(r.defaultVersion("reply")).contains("v3");
  }
}
