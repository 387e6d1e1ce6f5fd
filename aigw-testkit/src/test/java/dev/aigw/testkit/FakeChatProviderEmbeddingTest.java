package dev.aigw.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.aigw.api.CallContext;
import dev.aigw.api.Embedding;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.ProviderException;
import dev.aigw.api.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeChatProviderEmbeddingTest {

  private static double length(Embedding embedding) {
    double sum = 0;
    for (float component : embedding.vector()) {
      sum += component * component;
    }
    return Math.sqrt(sum);
  }

  @Test
  void embedsEachInputAsAUnitVectorInInputOrder() {
    FakeChatProvider fake = FakeChatProvider.builder().build();

    EmbeddingResponse response =
        fake.embed(EmbeddingRequest.of("text-embedding-3-small", "alpha", "beta", "gamma"), CallContext.empty());

    assertThat(response.model()).isEqualTo("text-embedding-3-small");
    assertThat(response.embeddings()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      Embedding embedding = response.embeddings().get(i);
      assertThat(embedding.index()).isEqualTo(i);
      assertThat(embedding.dimensions()).isEqualTo(8);
      assertThat(length(embedding)).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void equalTextsGetEqualVectorsAcrossFakesAndDifferentTextsDifferentOnes() {
    FakeChatProvider one = FakeChatProvider.builder().build();
    FakeChatProvider other = FakeChatProvider.builder().seed(99).build();

    float[] first = one.embed(EmbeddingRequest.of("e", "the same text"), CallContext.empty()).embeddings().get(0).vector();
    float[] again = other.embed(EmbeddingRequest.of("e", "the same text"), CallContext.empty()).embeddings().get(0).vector();
    float[] different = one.embed(EmbeddingRequest.of("e", "another text"), CallContext.empty()).embeddings().get(0).vector();

    assertThat(again).containsExactly(first);
    assertThat(different).isNotEqualTo(first);
  }

  @Test
  void dimensionsComeFromTheRequestElseFromTheBuilder() {
    FakeChatProvider fake = FakeChatProvider.builder().embeddingDimensions(32).build();

    Embedding configured = fake.embed(EmbeddingRequest.of("e", "x"), CallContext.empty()).embeddings().get(0);
    Embedding requested = fake.embed(
        EmbeddingRequest.builder().model("e").inputs(List.of("x")).dimensions(3).build(), CallContext.empty())
        .embeddings().get(0);

    assertThat(configured.dimensions()).isEqualTo(32);
    assertThat(requested.dimensions()).isEqualTo(3);
    assertThat(length(requested)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void usageCountsInputTokensFromAllInputs() {
    FakeChatProvider fake = FakeChatProvider.builder().build();

    EmbeddingResponse response = fake.embed(EmbeddingRequest.of("e", "12345", "1234"), CallContext.empty());

    assertThat(response.usage()).contains(Usage.of(3, 0));
  }

  @Test
  void aFailureRateAppliesToEmbeddings() {
    FakeChatProvider fake = FakeChatProvider.builder().failureRate(1.0, FakeReply.serverError(503)).build();

    assertThatThrownBy(() -> fake.embed(EmbeddingRequest.of("e", "x"), CallContext.empty()))
        .isInstanceOf(ProviderException.class);
    assertThat(fake.requests()).singleElement().satisfies(r -> assertThat(r.request()).isInstanceOf(EmbeddingRequest.class));
  }

  @Test
  void aRecordedEmbeddingsCallIsNotAChatRequest() {
    FakeChatProvider fake = FakeChatProvider.builder().build();
    fake.embed(EmbeddingRequest.of("e", "x"), CallContext.empty());
    fake.chat(dev.aigw.api.ChatRequest.of("m", "hello"), CallContext.empty());

    assertThatThrownBy(() -> fake.requests().get(0).chat())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("embeddings call");
    assertThat(fake.requests().get(1).chat().lastUserText()).isEqualTo("hello");
  }
}
