package dev.aigw.providers.gemini;

import dev.aigw.providers.testing.GatedBody;
import static dev.aigw.providers.gemini.GeminiFixtures.KEY;
import static dev.aigw.providers.gemini.GeminiFixtures.SAFETY_RATINGS;
import static dev.aigw.providers.gemini.GeminiFixtures.body;
import static dev.aigw.providers.gemini.GeminiFixtures.error;
import static dev.aigw.providers.gemini.GeminiFixtures.json;
import static dev.aigw.providers.gemini.GeminiFixtures.sse;
import static dev.aigw.providers.gemini.GeminiFixtures.sseResponse;
import static dev.aigw.providers.gemini.GeminiFixtures.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.FinishReason;
import dev.aigw.api.ProviderException;
import dev.aigw.api.RateLimitedException;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GeminiStreamTest {
  static final String THOUGHT = """
      {"candidates": [{"content": {"parts": [{"text": "**Counting letters**\\n\\nI go through s-t-r-a-w-b-e-r-r-y.", "thought": true}],
        "role": "model"}, "index": 0}],
       "usageMetadata": {"promptTokenCount": 10, "totalTokenCount": 10, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 10}]},
       "modelVersion": "gemini-2.5-flash", "responseId": "rDlUaPuXK8-LmecP5vXZsQ0"}""";
  static final String TEXT_1 = """
      {"candidates": [{"content": {"parts": [{"text": "There are three"}], "role": "model"}, "index": 0}],
       "usageMetadata": {"promptTokenCount": 10, "totalTokenCount": 10, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 10}]},
       "modelVersion": "gemini-2.5-flash", "responseId": "rDlUaPuXK8-LmecP5vXZsQ0"}""";
  static final String TEXT_2_STOP = """
      {"candidates": [{"content": {"parts": [{"text": " r's in strawberry."}], "role": "model"}, "finishReason": "STOP", "index": 0}],
       "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 9, "totalTokenCount": 128, "thoughtsTokenCount": 109,
         "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 10}]},
       "modelVersion": "gemini-2.5-flash", "responseId": "rDlUaPuXK8-LmecP5vXZsQ0"}""";

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

  static ChatRequest request() {
    return ChatRequest.builder()
        .model("gemini-2.5-flash")
        .user("How many r's are in strawberry?")
        .extra(java.util.Map.of("generationConfig", java.util.Map.of("thinkingConfig", java.util.Map.of("includeThoughts", true))))
        .build();
  }

  @Test
  void chunksArriveAsGeminiSendsThemWithThoughtsAsReasoning() throws Exception {
    GatedBody body = new GatedBody(sse(THOUGHT), sse(TEXT_1, TEXT_2_STOP));
    server.enqueue(sseResponse(body));

    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = gemini.stream(request(), CallContext.empty())) {
      Iterator<ChatChunk> it = stream.iterator();
      ChatChunk first = it.next();
      assertThat(first.reasoning()).startsWith("**Counting letters**");
      assertThat(first.text()).isEmpty();
      assertThat(first.id()).contains("rDlUaPuXK8-LmecP5vXZsQ0");
      assertThat(first.model()).contains("gemini-2.5-flash");
      assertThat(first.usage()).as("running prompt counts are not the call's usage").isEmpty();
      body.release();
      it.forEachRemaining(chunks::add);
    } finally {
      body.release();
    }

    assertThat(chunks).extracting(ChatChunk::text).containsExactly("There are three", " r's in strawberry.");
    assertThat(chunks.get(0).usage()).isEmpty();
    assertThat(chunks.get(0).finishReason()).isEmpty();
    assertThat(chunks.get(1).finishReason()).contains(FinishReason.STOP);
    assertThat(chunks.get(1).usage()).contains(new Usage(10, 118, 0, 0, 109));

    RecordedRequest recorded = take(server);
    assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(recorded.getUrl().query()).isEqualTo("alt=sse");
    assertThat(recorded.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(recorded.getHeaders().get("Accept")).isEqualTo("text/event-stream");
    assertThat(body(recorded, "GenerateContentRequest").at("/generationConfig/thinkingConfig"))
        .isEqualTo(json("{\"includeThoughts\": true}"));
  }

  @Test
  void collectAssemblesTheWholeAnswer() {
    server.enqueue(sseResponse(sse(THOUGHT, TEXT_1, TEXT_2_STOP)));

    ChatResponse response = gemini.stream(request(), CallContext.empty()).collect();

    assertThat(response.id()).isEqualTo("rDlUaPuXK8-LmecP5vXZsQ0");
    assertThat(response.model()).isEqualTo("gemini-2.5-flash");
    assertThat(response.text()).isEqualTo("There are three r's in strawberry.");
    assertThat(response.reasoning()).startsWith("**Counting letters**");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).contains(new Usage(10, 118, 0, 0, 109));
  }

  @Test
  void aFunctionCallArrivesWholeAsOneToolCallDelta() {
    server.enqueue(sseResponse(sse("""
        {"candidates": [{"content": {"parts": [{"text": "Checking the weather."}], "role": "model"}, "index": 0}],
         "usageMetadata": {"promptTokenCount": 41, "totalTokenCount": 41}, "modelVersion": "gemini-2.5-flash", "responseId": "c-1"}""", """
        {"candidates": [{"content": {"parts": [
            {"functionCall": {"name": "get_weather", "args": {"city": "Lyon", "unit": "celsius"}}, "thoughtSignature": "CiIBVKhc7g=="}],
           "role": "model"}, "finishReason": "STOP", "index": 0}],
         "usageMetadata": {"promptTokenCount": 41, "candidatesTokenCount": 18, "totalTokenCount": 59},
         "modelVersion": "gemini-2.5-flash", "responseId": "c-1"}""")));

    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = gemini.stream(
        ChatRequest.builder().model("gemini-2.5-flash").user("Weather in Lyon?").tool(GeminiChatTest.WEATHER).build(),
        CallContext.empty())) {
      stream.forEach(chunks::add);
    }

    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0).text()).isEqualTo("Checking the weather.");
    ToolCallDelta delta = chunks.get(1).toolCalls().get(0);
    assertThat(delta.index()).isZero();
    assertThat(delta.id()).contains("call_0");
    assertThat(delta.name()).contains("get_weather");
    assertThat(json(delta.arguments())).isEqualTo(json("{\"city\": \"Lyon\", \"unit\": \"celsius\"}"));
    assertThat(chunks.get(1).finishReason()).contains(FinishReason.TOOL_CALLS);
    assertThat(chunks.get(1).usage()).contains(Usage.of(41, 18));
  }

  @Test
  void usageThatComesAfterTheFinishReasonIsStillRead() {
    server.enqueue(sseResponse(sse(TEXT_1, """
        {"candidates": [{"content": {"parts": [{"text": " r's."}], "role": "model"}, "finishReason": "STOP", "index": 0}],
         "modelVersion": "gemini-2.5-flash", "responseId": "rDlUaPuXK8-LmecP5vXZsQ0"}""", """
        {"usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15},
         "modelVersion": "gemini-2.5-flash", "responseId": "rDlUaPuXK8-LmecP5vXZsQ0"}""")));

    ChatResponse response = gemini.stream(request(), CallContext.empty()).collect();

    assertThat(response.text()).isEqualTo("There are three r's.");
    assertThat(response.usage()).contains(Usage.of(10, 5));
  }

  @Test
  void aBodyThatEndsAfterTheFinishReasonEndsNormallyEvenWithoutUsage() {
    server.enqueue(sseResponse(sse(TEXT_1, """
        {"candidates": [{"content": {"parts": [{"text": " r's."}], "role": "model"}, "finishReason": "MAX_TOKENS", "index": 0}],
         "modelVersion": "gemini-2.5-flash", "responseId": "rDlUaPuXK8-LmecP5vXZsQ0"}""")));

    ChatResponse response = gemini.stream(request(), CallContext.empty()).collect();

    assertThat(response.text()).isEqualTo("There are three r's.");
    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void aStreamCutOffBeforeAnyFinishReasonFailsRetryablyAfterWhatCame() {
    server.enqueue(sseResponse(sse(THOUGHT, TEXT_1)));

    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = gemini.stream(request(), CallContext.empty())) {
      assertThatThrownBy(() -> stream.forEach(chunks::add))
          .isExactlyInstanceOf(ProviderException.class)
          .hasMessageContaining("cut off")
          .satisfies(e -> assertThat(((ProviderException) e).retryable()).isTrue());
    }
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(1).text()).isEqualTo("There are three");
  }

  @Test
  void anErrorObjectInTheStreamIsMapped() {
    server.enqueue(sseResponse(sse(TEXT_1,
        "{\"error\": {\"code\": 503, \"message\": \"The model is overloaded. Please try again later.\", \"status\": \"UNAVAILABLE\"}}")));

    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = gemini.stream(request(), CallContext.empty())) {
      assertThatThrownBy(() -> stream.forEach(chunks::add))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.statusCode()).hasValue(503);
            assertThat(e.getMessage()).contains("overloaded");
          });
    }
    assertThat(chunks).extracting(ChatChunk::text).containsExactly("There are three");
  }

  @Test
  void aRateLimitErrorInTheStreamCarriesItsRetryDelayAndNeverTheKey() {
    server.enqueue(sseResponse(sse("""
        {"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota). key=%s", "status": "RESOURCE_EXHAUSTED",
          "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "12s"}]}}""".formatted(KEY))));

    try (ChatStream stream = gemini.stream(request(), CallContext.empty())) {
      assertThatThrownBy(() -> stream.iterator().hasNext())
          .isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
            assertThat(e.getMessage()).doesNotContain(KEY);
          });
    }
  }

  @Test
  void aSafetyFinishMidStreamDeliversWhatCameThenFails() {
    server.enqueue(sseResponse(sse(TEXT_1, """
        {"candidates": [{"content": {"parts": [{"text": " and"}], "role": "model"}, "finishReason": "SAFETY", "index": 0,
          "safetyRatings": [{"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": true}]}],
         "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 4, "totalTokenCount": 14},
         "modelVersion": "gemini-2.5-flash", "responseId": "rDlUaPuXK8-LmecP5vXZsQ0"}""")));

    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = gemini.stream(request(), CallContext.empty())) {
      assertThatThrownBy(() -> stream.forEach(chunks::add))
          .isInstanceOfSatisfying(ContentFilteredException.class, e -> assertThat(e.getMessage()).contains("SAFETY"));
    }
    assertThat(chunks).extracting(ChatChunk::text).containsExactly("There are three", " and");
    assertThat(chunks.get(1).finishReason()).contains(FinishReason.CONTENT_FILTER);
  }

  @Test
  void aPromptBlockedInTheStreamFailsAtOnce() {
    server.enqueue(sseResponse(sse("""
        {"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": %s},
         "usageMetadata": {"promptTokenCount": 8, "totalTokenCount": 8}, "modelVersion": "gemini-2.5-flash", "responseId": "b-1"}"""
        .formatted(SAFETY_RATINGS))));

    try (ChatStream stream = gemini.stream(request(), CallContext.empty())) {
      assertThatThrownBy(() -> stream.iterator().hasNext())
          .isInstanceOf(ContentFilteredException.class)
          .hasMessageContaining("blockReason SAFETY");
    }
  }

  @Test
  void aMalformedEventIsARetryableProviderException() {
    server.enqueue(sseResponse(sse(TEXT_1, "{\"candidates\": [")));

    try (ChatStream stream = gemini.stream(request(), CallContext.empty())) {
      assertThatThrownBy(() -> stream.forEach(c -> { }))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("malformed");
          });
    }
  }

  @Test
  void anHttpErrorBeforeTheStreamStartsIsThrownByStream() {
    server.enqueue(error(429, """
        {"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED",
          "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "3s"}]}}"""));

    assertThatThrownBy(() -> gemini.stream(request(), CallContext.empty()))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(3)));
  }

  @Test
  void closingTheStreamEarlyCancelsTheHttpCall() throws Exception {
    CountDownLatch clientClosed = new CountDownLatch(1);
    CountDownLatch serverSawDisconnect = new CountDownLatch(1);
    server.enqueue(sseResponse(new MockResponseBody() {
      @Override
      public long getContentLength() {
        return -1;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.writeUtf8(sse(TEXT_1));
        sink.flush();
        try {
          clientClosed.await(10, TimeUnit.SECONDS);
          // Keep streaming: once the client has hung up, a write fails.
          for (int i = 0; i < 10_000; i++) {
            sink.writeUtf8(": keep-alive\r\n\r\n");
            sink.flush();
          }
        } catch (IOException e) {
          serverSawDisconnect.countDown();
          throw e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }));

    ChatStream stream = gemini.stream(request(), CallContext.empty());
    Iterator<ChatChunk> it = stream.iterator();
    assertThat(it.next().text()).isEqualTo("There are three");
    stream.close();
    clientClosed.countDown();

    assertThat(serverSawDisconnect.await(10, TimeUnit.SECONDS)).as("the server saw the client hang up").isTrue();
    assertThatThrownBy(it::hasNext).isInstanceOf(CallCancelledException.class);
  }

  @Test
  void aCancellationTokenEndsAStreamWithItsReason() throws Exception {
    GatedBody body = new GatedBody(sse(TEXT_1), sse(TEXT_2_STOP));
    server.enqueue(sseResponse(body));
    CancellationToken token = CancellationToken.create();
    DeadlineExceededException reason = new DeadlineExceededException(Duration.ofSeconds(2));
    AtomicReference<Throwable> failure = new AtomicReference<>();

    try (ChatStream stream = gemini.stream(request(), CallContext.builder().cancellation(token).build())) {
      Iterator<ChatChunk> it = stream.iterator();
      assertThat(it.next().text()).isEqualTo("There are three");
      token.cancel(reason);
      try {
        it.hasNext();
      } catch (RuntimeException e) {
        failure.set(e);
      }
    } finally {
      body.release();
    }

    assertThat(failure.get()).isSameAs(reason);
  }
}
