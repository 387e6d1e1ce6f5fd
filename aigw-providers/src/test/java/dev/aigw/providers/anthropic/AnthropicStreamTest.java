package dev.aigw.providers.anthropic;

import dev.aigw.providers.testing.GatedBody;
import static dev.aigw.providers.anthropic.Fixtures.KEY;
import static dev.aigw.providers.anthropic.Fixtures.MESSAGE_ID;
import static dev.aigw.providers.anthropic.Fixtures.MODEL;
import static dev.aigw.providers.anthropic.Fixtures.blockStop;
import static dev.aigw.providers.anthropic.Fixtures.body;
import static dev.aigw.providers.anthropic.Fixtures.bodyText;
import static dev.aigw.providers.anthropic.Fixtures.event;
import static dev.aigw.providers.anthropic.Fixtures.inputDelta;
import static dev.aigw.providers.anthropic.Fixtures.messageDelta;
import static dev.aigw.providers.anthropic.Fixtures.messageStart;
import static dev.aigw.providers.anthropic.Fixtures.messageStop;
import static dev.aigw.providers.anthropic.Fixtures.ping;
import static dev.aigw.providers.anthropic.Fixtures.sse;
import static dev.aigw.providers.anthropic.Fixtures.textDelta;
import static dev.aigw.providers.anthropic.Fixtures.textStart;
import static dev.aigw.providers.anthropic.Fixtures.toolStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.ToolSpec;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.providers.testing.RequestSchemas;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicStreamTest {
  private static final ToolSpec WEATHER = ToolSpec.of("get_weather", "Current weather in a city",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
  private static final ToolSpec TIME = ToolSpec.of("get_time", "Local time");

  private static final String START_USAGE = """
      {"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":1800,\
      "cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},\
      "output_tokens":1,"service_tier":"standard"}""";

  /** The full event sequence of a turn with thinking, text and two tool calls, as Anthropic streams it. */
  private static final String FULL_STREAM = messageStart(START_USAGE)
      + ping()
      + event("content_block_start",
          "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}")
      + event("content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"The user wants the weather\"}}")
      + event("content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\" and the time.\"}}")
      + event("content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds\"}}")
      + blockStop(0)
      + textStart(1)
      + textDelta(1, "I'll check")
      + textDelta(1, " both.")
      + blockStop(1)
      + toolStart(2, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather")
      + inputDelta(2, "")
      + inputDelta(2, "{\"city\": \"Pa")
      + inputDelta(2, "ris\", \"unit\": \"cel")
      + inputDelta(2, "sius\"}")
      + blockStop(2)
      + ping()
      + toolStart(3, "toolu_01CUBpRDz2ocMUF8dN5tBPwr", "get_time")
      + inputDelta(3, "")
      + blockStop(3)
      + messageDelta("tool_use", "{\"output_tokens\":156}")
      + messageStop();

  private final MockWebServer server = new MockWebServer();
  private AnthropicProvider provider;

  @BeforeEach
  void start() throws Exception {
    server.start();
    provider = Fixtures.provider(server);
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  private static ChatRequest weatherRequest() {
    return ChatRequest.builder().model(MODEL).user("Weather in Paris, and the time?").tool(WEATHER).tool(TIME).build();
  }

  @Test
  void theFullEventSequenceCollectsToTheExpectedResponse() throws Exception {
    server.enqueue(sse(FULL_STREAM));

    ChatResponse response = provider.stream(weatherRequest(), CallContext.empty()).collect();

    assertThat(response).isEqualTo(ChatResponse.builder()
        .id(MESSAGE_ID)
        .model(MODEL)
        .message(Message.assistant("I'll check both.", List.of(
            new ToolCall("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", "{\"city\": \"Paris\", \"unit\": \"celsius\"}"),
            new ToolCall("toolu_01CUBpRDz2ocMUF8dN5tBPwr", "get_time", "{}"))))
        .reasoning("The user wants the weather and the time.")
        .finishReason(FinishReason.TOOL_CALLS)
        .usage(new Usage(2272, 156, 1800, 0, 0))
        .build());
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(body(request).get("stream").asBoolean()).isTrue();
    assertThat(request.getHeaders().get("accept")).isEqualTo("text/event-stream");
    assertThat(request.getHeaders().get("x-api-key")).isEqualTo(KEY);
    assertThat(request.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    RequestSchemas.assertValidAnthropicMessageRequest(bodyText(request));
  }

  @Test
  void chunksCarryIdAndModelFirstThenDeltasThenFinishReasonAndUsage() {
    server.enqueue(sse(FULL_STREAM));

    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream stream = provider.stream(weatherRequest(), CallContext.empty())) {
      stream.forEach(chunks::add);
    }

    assertThat(chunks.get(0)).isEqualTo(ChatChunk.builder().id(MESSAGE_ID).model(MODEL).build());
    assertThat(chunks).filteredOn(c -> !c.reasoning().isEmpty()).extracting(ChatChunk::reasoning)
        .containsExactly("The user wants the weather", " and the time.");
    assertThat(chunks).filteredOn(c -> !c.text().isEmpty()).extracting(ChatChunk::text)
        .containsExactly("I'll check", " both.");
    assertThat(chunks).flatExtracting(ChatChunk::toolCalls).containsExactly(
        ToolCallDelta.start(0, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", ""),
        ToolCallDelta.arguments(0, "{\"city\": \"Pa"),
        ToolCallDelta.arguments(0, "ris\", \"unit\": \"cel"),
        ToolCallDelta.arguments(0, "sius\"}"),
        ToolCallDelta.start(1, "toolu_01CUBpRDz2ocMUF8dN5tBPwr", "get_time", ""),
        ToolCallDelta.arguments(1, "{}"));
    ChatChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.finishReason()).contains(FinishReason.TOOL_CALLS);
    assertThat(last.usage()).contains(new Usage(2272, 156, 1800, 0, 0));
  }

  @Test
  void theFirstChunkIsAvailableBeforeTheBodyEnds() {
    GatedBody body = new GatedBody(
        messageStart(START_USAGE) + textStart(0) + textDelta(0, "Hello"),
        textDelta(0, ", world") + blockStop(0) + messageDelta("end_turn", "{\"output_tokens\":4}") + messageStop());
    server.enqueue(sse(body));

    try (ChatStream stream = provider.stream(ChatRequest.of(MODEL, "Say hello"), CallContext.empty())) {
      Iterator<ChatChunk> chunks = stream.iterator();
      assertThat(chunks.next().id()).contains(MESSAGE_ID);
      assertThat(chunks.next().text()).isEqualTo("Hello");
      assertThat(body.outcome()).as("the server has not written the rest of the body yet").isNotDone();
      body.release();

      StringBuilder rest = new StringBuilder();
      chunks.forEachRemaining(c -> rest.append(c.text()));
      assertThat(rest).hasToString(", world");
    }
  }

  @Test
  void cacheTokensFromMessageStartAndCumulativeUsageFromMessageDeltaAreNormalised() {
    server.enqueue(sse(messageStart("""
            {"input_tokens":12,"cache_creation_input_tokens":2048,"cache_read_input_tokens":0,"output_tokens":1}""")
        + textStart(0) + textDelta(0, "Done.") + blockStop(0)
        + messageDelta("end_turn", """
            {"input_tokens":12,"cache_creation_input_tokens":2048,"cache_read_input_tokens":0,"output_tokens":25,\
            "server_tool_use":null}""")
        + messageStop()));

    ChatResponse response = provider.stream(ChatRequest.of(MODEL, "Summarise."), CallContext.empty()).collect();

    assertThat(response.usage()).contains(new Usage(2060, 25, 0, 2048, 0));
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void jsonSchemaStreamsTheToolInputAsText() {
    server.enqueue(sse(messageStart(START_USAGE)
        + toolStart(0, "toolu_01D7FLrfh4GYq7yT1ULFeyMV", "city_facts")
        + inputDelta(0, "")
        + inputDelta(0, "{\"city\": \"Paris\", ")
        + inputDelta(0, "\"population\": 2102650}")
        + blockStop(0)
        + messageDelta("tool_use", "{\"output_tokens\":40}")
        + messageStop()));

    ChatResponse response = provider.stream(ChatRequest.builder().model(MODEL).user("Facts about Paris")
        .responseFormat(ResponseFormat.jsonSchema("city_facts", "{\"type\":\"object\"}", true)).build(),
        CallContext.empty()).collect();

    assertThat(response.text()).isEqualTo("{\"city\": \"Paris\", \"population\": 2102650}");
    assertThat(response.toolCalls()).isEmpty();
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void aStreamCutOffBeforeMessageStopIsARetryableProviderException() {
    server.enqueue(sse(messageStart(START_USAGE) + textStart(0) + textDelta(0, "The answer is")));

    List<String> texts = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (ChatStream stream = provider.stream(ChatRequest.of(MODEL, "hi"), CallContext.empty())) {
        stream.forEach(c -> texts.add(c.text()));
      }
    })
        .isExactlyInstanceOf(ProviderException.class)
        .hasMessageContaining("cut off")
        .satisfies(e -> assertThat(((ProviderException) e).retryable()).isTrue());
    assertThat(texts).contains("The answer is");
  }

  @Test
  void anOverloadedErrorEventMidStreamIsARetryable529() {
    server.enqueue(sse(messageStart(START_USAGE) + textStart(0) + textDelta(0, "Let me")
        + event("error", "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}")));

    List<String> texts = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (ChatStream stream = provider.stream(ChatRequest.of(MODEL, "hi"), CallContext.empty())) {
        stream.forEach(c -> texts.add(c.text()));
      }
    })
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("Overloaded")
        .satisfies(e -> {
          ProviderException p = (ProviderException) e;
          assertThat(p.retryable()).isTrue();
          assertThat(p.statusCode()).hasValue(529);
          assertThat(p.provider()).isEqualTo("anthropic");
        });
    assertThat(texts).contains("Let me");
  }

  @Test
  void anErrorEventNeverShowsTheKey() {
    server.enqueue(sse(messageStart(START_USAGE)
        + event("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"internal error for key " + KEY + "\"}}")));

    assertThatThrownBy(() -> provider.stream(ChatRequest.of(MODEL, "hi"), CallContext.empty()).collect())
        .isInstanceOf(ProviderException.class)
        .satisfies(e -> assertThat(((ProviderException) e).retryable()).isTrue())
        .message().doesNotContain(KEY).contains("[REDACTED]");
  }

  @Test
  void aRefusalEmitsWhatCameThenFailsWithContentFiltered() {
    server.enqueue(sse(messageStart(START_USAGE) + textStart(0) + textDelta(0, "I can")
        + blockStop(0) + messageDelta("refusal", "{\"output_tokens\":3}") + messageStop()));

    List<String> texts = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (ChatStream stream = provider.stream(ChatRequest.of(MODEL, "something harmful"), CallContext.empty())) {
        stream.forEach(c -> texts.add(c.text()));
      }
    }).isInstanceOf(ContentFilteredException.class);
    assertThat(texts).contains("I can");
  }

  @Test
  void aMalformedEventIsARetryableMalformedResponse() {
    server.enqueue(sse(messageStart(START_USAGE) + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":")));

    assertThatThrownBy(() -> provider.stream(ChatRequest.of(MODEL, "hi"), CallContext.empty()).collect())
        .isExactlyInstanceOf(ProviderException.class)
        .hasMessageContaining("malformed")
        .satisfies(e -> assertThat(((ProviderException) e).retryable()).isTrue());
  }

  @Test
  void anHttpErrorIsThrownByStreamItself() {
    server.enqueue(Fixtures.error(529, "overloaded_error", "Overloaded"));

    assertThatThrownBy(() -> provider.stream(ChatRequest.of(MODEL, "hi"), CallContext.empty()))
        .isInstanceOf(ProviderException.class)
        .satisfies(e -> {
          assertThat(((ProviderException) e).retryable()).isTrue();
          assertThat(((ProviderException) e).statusCode()).hasValue(529);
        });
  }

  @Test
  void closingTheStreamEarlyCancelsTheHttpCall() throws Exception {
    GatedBody body = new GatedBody(messageStart(START_USAGE) + textStart(0) + textDelta(0, "Once upon a time"),
        textDelta(0, " there was a very long story that nobody read to the end. ").repeat(64), 1024);
    server.enqueue(sse(body));

    ChatStream stream = provider.stream(ChatRequest.of(MODEL, "Tell me a long story"), CallContext.empty());
    Iterator<ChatChunk> chunks = stream.iterator();
    assertThat(chunks.next().id()).contains(MESSAGE_ID);
    stream.close();
    body.release();

    assertThat(body.outcome().get(30, TimeUnit.SECONDS))
        .as("the server could not write the rest: the client dropped the connection")
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> {
      while (chunks.hasNext()) {
        chunks.next();
      }
    }).isInstanceOf(CallCancelledException.class);
  }

  @Test
  void aCancellationTokenCancelsAStreamMidWay() {
    GatedBody body = new GatedBody(messageStart(START_USAGE) + textStart(0) + textDelta(0, "Once"),
        textDelta(0, " upon a time") + blockStop(0) + messageDelta("end_turn", "{\"output_tokens\":5}") + messageStop());
    server.enqueue(sse(body));
    CancellationToken token = CancellationToken.create();

    try (ChatStream stream = provider.stream(ChatRequest.of(MODEL, "story"), CallContext.builder().cancellation(token).build())) {
      Iterator<ChatChunk> chunks = stream.iterator();
      assertThat(chunks.next().id()).contains(MESSAGE_ID);
      token.cancel();
      AiGatewayException reason = token.reason().orElseThrow();

      assertThatThrownBy(() -> {
        while (chunks.hasNext()) {
          chunks.next();
        }
      }).isSameAs(reason);
    } finally {
      body.release();
    }
  }

  @Test
  void streamsThroughAnAiGateway() {
    server.enqueue(sse(messageStart(START_USAGE) + ping() + textStart(0) + textDelta(0, "Hi!") + blockStop(0)
        + messageDelta("end_turn", "{\"output_tokens\":3}") + messageStop()));

    try (AiGateway gateway = AiGateway.builder().provider(provider).build()) {
      ChatResponse response = gateway.stream(ChatRequest.of("anthropic/claude-sonnet-4-5", "hi")).collect();

      assertThat(response.text()).isEqualTo("Hi!");
      assertThat(response.usage()).contains(new Usage(2272, 3, 1800, 0, 0));
    }
  }
}
