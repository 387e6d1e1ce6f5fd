package dev.aigw.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.Capability;
import dev.aigw.core.pricing.Prices;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelInfoTest {
  private final ModelInfo gpt4o = ModelInfo.builder("openai", "gpt-4o")
      .contextWindow(128_000)
      .maxOutputTokens(16_384)
      .capabilities(Capability.TOOLS, Capability.VISION, Capability.JSON_SCHEMA)
      .prices(Prices.perMillionTokens("2.50", "10"))
      .build();

  @Test
  void onlyTheKeyIsRequired() {
    ModelInfo bare = ModelInfo.builder("openai", "my-model").build();

    assertThat(bare.provider()).isEqualTo("openai");
    assertThat(bare.model()).isEqualTo("my-model");
    assertThat(bare.contextWindow()).isEmpty();
    assertThat(bare.maxOutputTokens()).isEmpty();
    assertThat(bare.capabilities()).isEmpty();
    assertThat(bare.prices()).isEmpty();
    assertThat(bare).hasToString("ModelInfo[openai/my-model]");
    assertThat(bare.toBuilder().build()).isEqualTo(bare);
  }

  @Test
  void exposesWhatWasSet() {
    assertThat(gpt4o.contextWindow()).hasValue(128_000);
    assertThat(gpt4o.maxOutputTokens()).hasValue(16_384);
    assertThat(gpt4o.has(Capability.TOOLS)).isTrue();
    assertThat(gpt4o.has(Capability.REASONING)).isFalse();
    assertThat(gpt4o.capabilities()).containsExactly(Capability.TOOLS, Capability.VISION, Capability.JSON_SCHEMA);
    assertThat(gpt4o.prices()).hasValue(Prices.perToken("0.0000025", "0.00001"));
    assertThat(gpt4o).hasToString("ModelInfo[openai/gpt-4o contextWindow=128000 maxOutputTokens=16384"
        + " capabilities=[TOOLS, VISION, JSON_SCHEMA] Prices[USD in=2.5/M out=10/M]]");
  }

  @Test
  void capabilitiesAreUnmodifiableAndReplacedNotMerged() {
    assertThatThrownBy(() -> gpt4o.capabilities().add(Capability.REASONING))
        .isInstanceOf(UnsupportedOperationException.class);

    ModelInfo reasoning = gpt4o.toBuilder().capabilities(Set.of(Capability.REASONING)).build();
    assertThat(reasoning.capabilities()).containsExactly(Capability.REASONING);
  }

  @Test
  void toBuilderCopiesEveryFieldAndLeavesTheOriginalAlone() {
    assertThat(gpt4o.toBuilder().build()).isEqualTo(gpt4o).hasSameHashCodeAs(gpt4o);

    ModelInfo renamed = gpt4o.toBuilder().provider("azure.ai.openai").model("prod-4o").contextWindow(64_000).build();
    assertThat(renamed.provider()).isEqualTo("azure.ai.openai");
    assertThat(renamed.model()).isEqualTo("prod-4o");
    assertThat(renamed.contextWindow()).hasValue(64_000);
    assertThat(renamed.prices()).isEqualTo(gpt4o.prices());
    assertThat(gpt4o.contextWindow()).hasValue(128_000);
    assertThat(renamed).isNotEqualTo(gpt4o);
  }

  @Test
  void validationMessagesNameTheBadArgument() {
    assertThatThrownBy(() -> ModelInfo.builder(null, "gpt-4o"))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("provider");
    assertThatThrownBy(() -> ModelInfo.builder("openai", null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("model");
    assertThatThrownBy(() -> ModelInfo.builder(" ", "gpt-4o"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provider");
    assertThatThrownBy(() -> ModelInfo.builder("openai", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
    ModelInfo.Builder b = gpt4o.toBuilder();
    assertThatThrownBy(() -> b.contextWindow(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contextWindow");
    assertThatThrownBy(() -> b.maxOutputTokens(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOutputTokens");
    assertThatThrownBy(() -> b.capabilities(Capability.TOOLS, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("capabilities[1]");
    assertThatThrownBy(() -> b.capabilities((Set<Capability>) null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("capabilities");
    assertThatThrownBy(() -> b.prices(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("prices");
    assertThatThrownBy(() -> gpt4o.has(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("capability");
  }
}
