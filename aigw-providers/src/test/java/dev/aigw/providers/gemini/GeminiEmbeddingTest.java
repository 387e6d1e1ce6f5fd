package dev.aigw.providers.gemini;

import static dev.aigw.providers.gemini.GeminiFixtures.KEY;
import static dev.aigw.providers.gemini.GeminiFixtures.body;
import static dev.aigw.providers.gemini.GeminiFixtures.json;
import static dev.aigw.providers.gemini.GeminiFixtures.ok;
import static dev.aigw.providers.gemini.GeminiFixtures.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigw.api.CallContext;
import dev.aigw.api.Embedding;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.ProviderException;
import dev.aigw.api.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import mockwebserver3.RecordedRequest;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GeminiEmbeddingTest {
  MockWebServer server;
  GeminiProvider gemini;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    gemini = GeminiFixtures.provider(server);
  }

  @AfterEach
  void stop() {
    gemini.close();
    server.close();
  }

  static String embeddings(int count, int offset) {
    return IntStream.range(0, count)
        .mapToObj(i -> "{\"values\": [" + (offset + i) + ".5, -0.012345678, 0.0421875]}")
        .collect(Collectors.joining(",\n", "{\"embeddings\": [\n", "\n]}"));
  }

  @Test
  void aBatchOfTextsIsEmbeddedInOneCallWithEstimatedUsage() throws Exception {
    server.enqueue(ok("""
        {"embeddings": [
          {"values": [0.013168517, -0.008711836, -0.046782322, 0.00069968984]},
          {"values": [-0.0117893, 0.0244231, 0.0098121, -0.0581266]}]}"""));

    EmbeddingResponse response = gemini.embed(
        EmbeddingRequest.builder()
            .model("text-embedding-004")
            .inputs(List.of("What is the meaning of life?", "How do I bake a cake?"))
            .dimensions(4)
            .extra(Map.of("taskType", "RETRIEVAL_QUERY"))
            .build(),
        CallContext.empty());

    assertThat(response.model()).isEqualTo("text-embedding-004");
    assertThat(response.embeddings()).extracting(Embedding::index).containsExactly(0, 1);
    assertThat(response.embeddings().get(0).vector()).containsExactly(0.013168517f, -0.008711836f, -0.046782322f, 0.00069968984f);
    assertThat(response.embeddings().get(1).dimensions()).isEqualTo(4);
    // 28 + 21 characters, one token per four characters, rounded up.
    assertThat(response.usage()).contains(Usage.estimated(13, 0));

    RecordedRequest request = take(server);
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
    assertThat(request.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(body(request, "BatchEmbedContentsRequest")).isEqualTo(json("""
        {"requests": [
          {"model": "models/text-embedding-004", "content": {"parts": [{"text": "What is the meaning of life?"}]},
           "outputDimensionality": 4, "taskType": "RETRIEVAL_QUERY"},
          {"model": "models/text-embedding-004", "content": {"parts": [{"text": "How do I bake a cake?"}]},
           "outputDimensionality": 4, "taskType": "RETRIEVAL_QUERY"}]}"""));
  }

  @Test
  void moreThanAHundredTextsAreSplitIntoBatchesInOrder() throws Exception {
    server.enqueue(ok(embeddings(100, 0)));
    server.enqueue(ok(embeddings(50, 100)));
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      inputs.add("document " + i);
    }

    EmbeddingResponse response = gemini.embed(
        EmbeddingRequest.builder().model("gemini-embedding-001").inputs(inputs).build(), CallContext.empty());

    assertThat(response.embeddings()).hasSize(150);
    assertThat(response.embeddings()).extracting(Embedding::index).containsExactlyElementsOf(IntStream.range(0, 150).boxed().toList());
    assertThat(response.embeddings().get(149).get(0)).isEqualTo(149.5f);
    JsonNode first = body(take(server), "BatchEmbedContentsRequest");
    JsonNode second = body(take(server), "BatchEmbedContentsRequest");
    assertThat(first.get("requests")).hasSize(100);
    assertThat(first.at("/requests/0/outputDimensionality").isMissingNode()).isTrue();
    assertThat(second.get("requests")).hasSize(50);
    assertThat(second.at("/requests/0/content/parts/0/text").asText()).isEqualTo("document 100");
  }

  @Test
  void extraReplacesWhatAigwWouldWriteUnderTheSameKey() throws Exception {
    server.enqueue(ok(embeddings(1, 0)));

    gemini.embed(
        EmbeddingRequest.builder().model("gemini-embedding-001").inputs(List.of("query")).dimensions(768)
            .extra(Map.of("outputDimensionality", 1536, "taskType", "SEMANTIC_SIMILARITY")).build(),
        CallContext.empty());

    assertThat(body(take(server), "BatchEmbedContentsRequest").at("/requests/0")).isEqualTo(json("""
        {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "query"}]},
         "outputDimensionality": 1536, "taskType": "SEMANTIC_SIMILARITY"}"""));
  }

  @Test
  void fewerEmbeddingsThanTextsIsAMalformedResponse() {
    server.enqueue(ok(embeddings(1, 0)));

    assertThatThrownBy(() -> gemini.embed(EmbeddingRequest.of("text-embedding-004", "a", "b"), CallContext.empty()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("1 embeddings for 2 texts");
        });
  }
}
