package dev.aigw.core.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.Embedding;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.InvalidRequestException;
import dev.aigw.api.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the real model (loaded once for the class, about 1 s). */
class MiniLmEmbeddingsTest {
  static MiniLmEmbeddings minilm;

  @BeforeAll
  static void load() {
    minilm = MiniLmEmbeddings.create();
  }

  @AfterAll
  static void close() {
    minilm.close();
  }

  static float[] embed(String text) {
    return minilm.embed(EmbeddingRequest.of(MiniLmEmbeddings.MODEL, text), CallContext.empty()).embeddings().get(0).vector();
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Test
  void returnsOneUnitVectorOf384DimensionsPerInputInOrder() {
    EmbeddingResponse r = minilm.embed(
        EmbeddingRequest.of(MiniLmEmbeddings.MODEL, "What is the capital of France?", "How do I bake bread?"),
        CallContext.empty());

    assertThat(r.model()).isEqualTo("all-minilm-l6-v2");
    assertThat(r.embeddings()).extracting(Embedding::index).containsExactly(0, 1);
    for (Embedding e : r.embeddings()) {
      assertThat(e.dimensions()).isEqualTo(384);
      assertThat(dot(e.vector(), e.vector())).isCloseTo(1.0, within(1e-5));
    }
    assertThat(r.embeddings().get(0).vector()).isEqualTo(embed("What is the capital of France?"));
    assertThat(r.usage()).hasValueSatisfying(u -> {
      assertThat(u.inputTokens()).isBetween(10L, 20L);
      assertThat(u.outputTokens()).isZero();
      assertThat(u.estimated()).isFalse();
    });
    assertThat(r.metadata().attempts()).isEmpty();
  }

  @Test
  void aParaphraseIsCloserThanAnotherTopic() {
    float[] q = embed("What is the capital of France?");
    assertThat(dot(q, embed("Which city is the capital of France?"))).isGreaterThan(0.9);
    assertThat(dot(q, embed("How do I reverse a list in Python?"))).isLessThan(0.3);
  }

  @Test
  void aBatchGivesTheSameVectorsAsSingleCalls() {
    List<String> texts = List.of("short", "a considerably longer question about the weather in Paris tomorrow", "ok?");
    EmbeddingResponse batch = minilm.embed(
        EmbeddingRequest.builder().model(MiniLmEmbeddings.MODEL).inputs(texts).build(), CallContext.empty());
    for (int i = 0; i < texts.size(); i++) {
      assertThat(dot(batch.embeddings().get(i).vector(), embed(texts.get(i)))).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void aTextLongerThanOneWindowIsEmbeddedWhole() {
    String head = "The quick brown fox jumps over the lazy dog. ".repeat(40); // about 400 tokens
    EmbeddingResponse a = minilm.embed(EmbeddingRequest.of(MiniLmEmbeddings.MODEL, head + "Is it raining in Oslo?"),
        CallContext.empty());
    float[] b = embed(head + "Recommend a pasta recipe.");

    assertThat(a.usage().orElseThrow().inputTokens()).isGreaterThan(MiniLmEmbeddings.WINDOW_TOKENS);
    float[] va = a.embeddings().get(0).vector();
    assertThat(dot(va, va)).isCloseTo(1.0, within(1e-5));
    assertThat(dot(va, b)).as("the tail past the first window still counts").isLessThan(0.9999);
  }

  @Test
  void requestsForAnotherModelOrDimensionAreRejected() {
    assertThatThrownBy(() -> minilm.embed(EmbeddingRequest.of("text-embedding-3-small", "hi"), CallContext.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("all-minilm-l6-v2");
    EmbeddingRequest shorter = EmbeddingRequest.builder().model(MiniLmEmbeddings.MODEL).inputs(List.of("hi"))
        .dimensions(256).build();
    assertThatThrownBy(() -> minilm.embed(shorter, CallContext.empty())).isInstanceOf(InvalidRequestException.class);
    EmbeddingRequest same = EmbeddingRequest.builder().model(MiniLmEmbeddings.MODEL).inputs(List.of("hi"))
        .dimensions(384).build();
    assertThat(minilm.embed(same, CallContext.empty()).embeddings()).hasSize(1);
  }

  @Test
  void aBlankTextIsRejected() {
    assertThatThrownBy(() -> minilm.embed(EmbeddingRequest.of(MiniLmEmbeddings.MODEL, "fine", " \n"), CallContext.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("inputs[1]");
  }

  @Test
  void concurrentCallsGetTheSameVectors() throws Exception {
    List<String> texts = List.of("How do I reset my password?", "Is there a student discount?", "Why is the sky blue?");
    List<float[]> expected = new ArrayList<>();
    for (String t : texts) {
      expected.add(embed(t));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int round = 0; round < 10; round++) {
            for (int i = 0; i < texts.size(); i++) {
              assertThat(dot(embed(texts.get(i)), expected.get(i))).isCloseTo(1.0, within(1e-5));
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
  }

  @Test
  void aCancelledCallFailsBeforeLoadingAnything() {
    try (MiniLmEmbeddings fresh = MiniLmEmbeddings.create()) {
      CancellationToken token = CancellationToken.create();
      token.cancel();
      CallContext cancelled = CallContext.builder().cancellation(token).build();

      assertThatThrownBy(() -> fresh.embed(EmbeddingRequest.of(MiniLmEmbeddings.MODEL, "hi"), cancelled))
          .isInstanceOf(CallCancelledException.class);
      assertThat(fresh.isLoaded()).isFalse();
    }
  }

  @Test
  void closeReleasesTheModelAndLaterCallsFail() {
    MiniLmEmbeddings own = MiniLmEmbeddings.builder().id("local-minilm").intraOpThreads(1).build();
    assertThat(own.id()).isEqualTo("local-minilm");
    assertThat(own.embed(EmbeddingRequest.of(MiniLmEmbeddings.MODEL, "hi"), CallContext.empty()).embeddings())
        .hasSize(1);
    assertThat(own.isLoaded()).isTrue();

    own.close();
    own.close(); // idempotent

    assertThat(own.isLoaded()).isFalse();
    assertThatThrownBy(() -> own.embed(EmbeddingRequest.of(MiniLmEmbeddings.MODEL, "hi"), CallContext.empty()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.provider()).isEqualTo("local-minilm");
          assertThat(e.retryable()).isFalse();
        })
        .hasMessageContaining("closed");
  }

  @Test
  void closingBeforeAnyCallLoadsNothing() {
    MiniLmEmbeddings unused = MiniLmEmbeddings.create();
    unused.close();
    assertThat(unused.isLoaded()).isFalse();
    assertThatThrownBy(() -> unused.embed(EmbeddingRequest.of(MiniLmEmbeddings.MODEL, "hi"), CallContext.empty()))
        .isInstanceOf(ProviderException.class);
  }

  @Test
  void identity() {
    assertThat(minilm.id()).isEqualTo("minilm");
    assertThat(minilm.providerName()).isEqualTo("minilm");
    assertThatThrownBy(() -> MiniLmEmbeddings.builder().id("Bad Id")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MiniLmEmbeddings.builder().intraOpThreads(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
