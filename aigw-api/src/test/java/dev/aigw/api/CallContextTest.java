package dev.aigw.api;

import static dev.aigw.api.MessageTest.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CallContextTest {

  private static final AttributeKey<String> REGION = AttributeKey.of("region", String.class);
  private static final AttributeKey<Integer> PRIORITY = AttributeKey.of("priority", Integer.class);

  @Nested
  class Contexts {
    @Test
    void emptyContextHasDefaults() {
      CallContext c = CallContext.empty();

      assertThat(c.tenant()).isEmpty();
      assertThat(c.user()).isEmpty();
      assertThat(c.tags()).isEmpty();
      assertThat(c.deadline()).isEmpty();
      assertThat(c.timeout()).isEmpty();
      assertThat(c.cachePolicy()).isEqualTo(CachePolicy.USE);
      assertThat(c.routeHints()).isEqualTo(RouteHints.none());
      assertThat(c.cancellation()).isEmpty();
      assertThat(c.attributes().isEmpty()).isTrue();
      assertThat(CallContext.builder().build()).isEqualTo(c);
    }

    @Test
    void builderSetsEveryField() {
      CancellationToken token = CancellationToken.create();
      Instant deadline = Instant.parse("2030-01-01T00:00:00Z");
      CallContext c = CallContext.builder()
          .tenant("acme")
          .user("u-42")
          .tag("batch")
          .tag("eu")
          .deadline(deadline)
          .timeout(Duration.ofSeconds(20))
          .cachePolicy(CachePolicy.BYPASS)
          .routeHints(RouteHints.excluding("openai"))
          .cancellation(token)
          .attribute(REGION, "eu-west")
          .build();

      assertThat(c.tenant()).contains("acme");
      assertThat(c.user()).contains("u-42");
      assertThat(c.tags()).containsExactlyInAnyOrder("batch", "eu");
      assertThat(c.deadline()).contains(deadline);
      assertThat(c.timeout()).contains(Duration.ofSeconds(20));
      assertThat(c.cachePolicy()).isEqualTo(CachePolicy.BYPASS);
      assertThat(c.routeHints().excludedProviders()).containsExactly("openai");
      assertThat(c.cancellation()).containsSame(token);
      assertThat(c.attribute(REGION)).contains("eu-west");
      assertThat(c.attribute(PRIORITY)).isEmpty();
      assertThat(CallContext.tenant("acme").tenant()).contains("acme");
    }

    @Test
    void toBuilderRoundTripGivesAnEqualContext() {
      CallContext c = CallContext.builder()
          .tenant("acme").user("u").tag("t").timeout(Duration.ofSeconds(1))
          .cancellation(CancellationToken.create()).attribute(REGION, "eu").build();

      CallContext copy = c.toBuilder().build();

      assertThat(copy).isEqualTo(c).hasSameHashCodeAs(c);
    }

    @Test
    void toBuilderChangesDoNotAffectTheOriginal() {
      CallContext c = CallContext.builder().tenant("acme").tag("a").build();
      CallContext changed = c.toBuilder().tenant("other").tag("b").build();

      assertThat(c.tenant()).contains("acme");
      assertThat(c.tags()).containsExactly("a");
      assertThat(changed.tags()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void contextsWithDifferentTokensAreNotEqual() {
      CallContext a = CallContext.builder().cancellation(CancellationToken.create()).build();
      CallContext b = CallContext.builder().cancellation(CancellationToken.create()).build();

      assertThat(a).isNotEqualTo(b);
    }

    @Test
    void nonPositiveTimeoutIsRejected() {
      assertRejects(() -> CallContext.builder().timeout(Duration.ZERO), "timeout");
      assertRejects(() -> CallContext.builder().timeout(Duration.ofMillis(-1)), "timeout");
      assertRejects(() -> CallContext.builder().timeout(null), "timeout");
    }

    @Test
    void blankOrNullFieldsAreRejectedNamingTheField() {
      assertRejects(() -> CallContext.builder().tenant(" "), "tenant");
      assertRejects(() -> CallContext.builder().user(""), "user");
      assertRejects(() -> CallContext.builder().tag(" "), "tags[]");
      assertRejects(() -> CallContext.builder().deadline(null), "deadline");
      assertRejects(() -> CallContext.builder().cachePolicy(null), "cachePolicy");
      assertRejects(() -> CallContext.builder().routeHints(null), "routeHints");
      assertRejects(() -> CallContext.builder().cancellation(null), "cancellation");
    }

    @Test
    void tagsAreUnmodifiable() {
      CallContext c = CallContext.builder().tag("a").build();

      assertThatThrownBy(() -> c.tags().add("b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringNamesTheTenantButNotTheUserOrAttributeValues() {
      String s = CallContext.builder().tenant("acme").user("SECRET-4242").attribute(REGION, "SECRET-1111").build()
          .toString();

      assertThat(s).contains("acme", "region").doesNotContain("SECRET");
    }
  }

  @Nested
  class RouteHintsTest {
    @Test
    void noneIsEmpty() {
      assertThat(RouteHints.none().isEmpty()).isTrue();
      assertThat(RouteHints.excluding("openai").isEmpty()).isFalse();
      assertThat(RouteHints.preferring("openai/gpt-4o").isEmpty()).isFalse();
    }

    @Test
    void preferringParsesTargetsInOrder() {
      RouteHints h = RouteHints.preferring("anthropic/claude", "pool/meta-llama/Llama-3");

      assertThat(h.preferredTargets())
          .containsExactly(new Target("anthropic", "claude"), new Target("pool", "meta-llama/Llama-3"));
      assertThat(h.excludedProviders()).isEmpty();
    }

    @Test
    void preferringAnUnparseableTargetIsRejected() {
      assertRejects(() -> RouteHints.preferring("no-slash"), "target");
    }

    @Test
    void excludingCollectsProviders() {
      assertThat(RouteHints.excluding("openai", "azure").excludedProviders())
          .containsExactlyInAnyOrder("openai", "azure");
    }

    @Test
    void blankExcludedProviderIsRejected() {
      assertRejects(() -> RouteHints.excluding(" "), "routeHints.excludedProviders[]");
    }

    @Test
    void nullExcludedProviderInASetIsRejected() {
      Set<String> set = new HashSet<>();
      set.add(null);
      assertRejects(() -> RouteHints.builder().excludeProviders(set), "routeHints.excludedProviders[0]");
    }

    @Test
    void nullExcludedProviderInVarargsIsRejectedLikeTheSetForm() {
      assertRejects(() -> RouteHints.excluding("openai", null), "routeHints.excludedProviders[1]");
    }

    @Test
    void collectionsAreCopiedAndUnmodifiable() {
      Set<String> excluded = new HashSet<>(Set.of("a"));
      List<Target> preferred = new ArrayList<>(List.of(new Target("p", "m")));
      RouteHints h = RouteHints.builder().excludeProviders(excluded).preferTargets(preferred).build();
      excluded.add("b");
      preferred.clear();

      assertThat(h.excludedProviders()).containsExactly("a");
      assertThat(h.preferredTargets()).containsExactly(new Target("p", "m"));
      assertThatThrownBy(() -> h.excludedProviders().add("c")).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> h.preferredTargets().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullPreferredTargetIsRejectedNamingTheIndex() {
      List<Target> preferred = new ArrayList<>();
      preferred.add(null);
      assertRejects(() -> RouteHints.builder().preferTargets(preferred), "routeHints.preferredTargets[0]");
    }
  }

  @Nested
  class AttributesTest {
    @Test
    void keysWithTheSameNameAreDistinct() {
      AttributeKey<String> mine = AttributeKey.of("region", String.class);
      Attributes a = Attributes.empty().with(REGION, "eu").with(mine, "us");

      assertThat(a.get(REGION)).contains("eu");
      assertThat(a.get(mine)).contains("us");
      assertThat(a.keys()).hasSize(2);
    }

    @Test
    void withReturnsACopyAndLeavesTheOriginalUnchanged() {
      Attributes one = Attributes.empty().with(REGION, "eu");
      Attributes two = one.with(PRIORITY, 5);
      Attributes replaced = one.with(REGION, "us");

      assertThat(Attributes.empty().isEmpty()).isTrue();
      assertThat(one.keys()).containsExactly(REGION);
      assertThat(two.get(PRIORITY)).contains(5);
      assertThat(one.get(PRIORITY)).isEmpty();
      assertThat(replaced.get(REGION)).contains("us");
      assertThat(one.get(REGION)).contains("eu");
    }

    @Test
    void valueOfTheWrongTypeIsRejected() {
      @SuppressWarnings({"unchecked", "rawtypes"})
      AttributeKey<Object> raw = (AttributeKey) PRIORITY;

      assertRejects(() -> Attributes.empty().with(raw, "not a number"), "attribute.priority");
    }

    @Test
    void nullKeyOrValueIsRejected() {
      assertRejects(() -> Attributes.empty().with(REGION, null), "attribute.region");
      assertRejects(() -> Attributes.empty().with(null, "x"), "attribute.key");
    }

    @Test
    void keyNeedsANameAndType() {
      assertRejects(() -> AttributeKey.of(" ", String.class), "attributeKey.name");
      assertRejects(() -> AttributeKey.of("k", null), "attributeKey.type");
      assertThat(REGION.name()).isEqualTo("region");
      assertThat(REGION.type()).isEqualTo(String.class);
    }

    @Test
    void attributesWithTheSameKeysAndEqualValuesAreEqual() {
      Attributes a = Attributes.empty().with(REGION, "eu").with(PRIORITY, 1);
      Attributes b = Attributes.empty().with(PRIORITY, 1).with(REGION, "eu");

      assertThat(a).isEqualTo(b);
      assertThat(a).isNotEqualTo(Attributes.empty().with(AttributeKey.of("region", String.class), "eu"));
      assertThat(Attributes.empty()).isEqualTo(Attributes.empty());
    }

    @Test
    void equalAttributesHaveEqualHashCodes() {
      // Equal but not identical values: equals() compares values with equals(), so hashCode() must too.
      String eu = "eu";
      String alsoEu = new String("eu");
      Attributes a = Attributes.empty().with(REGION, eu);
      Attributes b = Attributes.empty().with(REGION, alsoEu);

      assertThat(a).isEqualTo(b);
      assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }

    @Test
    void equalContextsHaveEqualHashCodes() {
      CallContext a = CallContext.builder().attribute(PRIORITY, 1000).build();
      CallContext b = CallContext.builder().attribute(PRIORITY, Integer.valueOf(new String("1000"))).build();

      assertThat(a).isEqualTo(b);
      assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }

    @Test
    void keysAreUnmodifiable() {
      Attributes a = Attributes.empty().with(REGION, "eu");

      assertThatThrownBy(() -> a.keys().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringShowsKeyNamesOnly() {
      assertThat(Attributes.empty().with(REGION, "SECRET-4242").toString()).contains("region").doesNotContain("SECRET");
    }
  }
}
