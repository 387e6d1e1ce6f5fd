package dev.aigw.providers.openai;

import dev.aigw.providers.testing.GatedBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigw.api.AuthenticationException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ContentPart;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.ProviderException;
import dev.aigw.api.RateLimitedException;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolChoice;
import dev.aigw.api.ToolSpec;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.providers.testing.RequestSchemas;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiProviderTest {
  static final String KEY = "sk-test-KEY-4f9a8b7c6d5e4f3a2b1c";
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockWebServer server;
  private OpenAiProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    provider = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.url("/v1").toString()).build();
  }

  @AfterEach
  void stop() throws Exception {
    provider.close();
    server.close();
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  static MockResponse sse(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
  }

  private JsonNode sentBody() throws Exception {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    return JSON.readTree(request.getBody().utf8());
  }

  static final String COMPLETION = """
      {
        "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
        "object": "chat.completion",
        "created": 1741570283,
        "model": "gpt-4o-2024-08-06",
        "choices": [{
          "index": 0,
          "message": {"role": "assistant", "content": "Paris is the capital of France.", "refusal": null, "annotations": []},
          "logprobs": null,
          "finish_reason": "stop"
        }],
        "usage": {
          "prompt_tokens": 1117, "completion_tokens": 46, "total_tokens": 1163,
          "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
          "completion_tokens_details": {"reasoning_tokens": 12, "audio_tokens": 0,
            "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
        },
        "service_tier": "default",
        "system_fingerprint": "fp_fc9f1d7035"
      }""";

  @Test
  void aBlockingAnswerMapsTextIdServedModelFinishReasonAndUsageWithCachedAndReasoningTokens() throws Exception {
    server.enqueue(json(200, COMPLETION));

    ChatResponse r = provider.chat(ChatRequest.of("gpt-4o", "What is the capital of France?"), CallContext.empty());

    assertThat(r.text()).isEqualTo("Paris is the capital of France.");
    assertThat(r.id()).isEqualTo("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage()).contains(new Usage(1117, 46, 1024, 0, 12));
    RecordedRequest sent = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
  }

  @Test
  void theRequestBodyCarriesEveryParameterToolsImagesAndPassthroughOptions() throws Exception {
    server.enqueue(json(200, COMPLETION));
    ChatRequest request = ChatRequest.builder()
        .model("gpt-4o")
        .system("You are terse.")
        .message(Message.user(ContentPart.text("What is in this image?"), ContentPart.imageUrl("https://example.com/cat.png"),
            ContentPart.imageBytes(new byte[] {1, 2, 3}, "image/png")))
        .message(Message.assistantToolCalls(List.of(
            new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
            new ToolCall("call_2", "get_time", "{\"tz\":\"Europe/Paris\"}"))))
        .message(Message.tool("call_1", "{\"temp\":21}"))
        .message(Message.tool("call_2", "{\"time\":\"12:00\"}"))
        .tool(ToolSpec.of("get_weather", "Weather for a city",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"))
        .tool(ToolSpec.of("get_time", "Time in a zone"))
        .toolChoice(ToolChoice.tool("get_weather"))
        .responseFormat(ResponseFormat.jsonSchema("answer",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"],\"additionalProperties\":false}", true))
        .temperature(0.2)
        .topP(0.9)
        .maxOutputTokens(300)
        .stop("END", "STOP")
        .seed(42)
        .extra(Map.of("logprobs", true, "user", "u-1"))
        .build();

    provider.chat(request, CallContext.empty());

    JsonNode body = sentBody();
    assertThat(body.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
    assertThat(body.at("/messages/1/content/1/type").asText()).isEqualTo("image_url");
    assertThat(body.at("/messages/1/content/1/image_url/url").asText()).isEqualTo("https://example.com/cat.png");
    assertThat(body.at("/messages/1/content/2/image_url/url").asText()).isEqualTo("data:image/png;base64,AQID");
    assertThat(body.at("/messages/2/tool_calls/1/function/name").asText()).isEqualTo("get_time");
    assertThat(body.at("/messages/2/content").isMissingNode() || body.at("/messages/2/content").isNull()).isTrue();
    assertThat(body.at("/messages/3/tool_call_id").asText()).isEqualTo("call_1");
    assertThat(body.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("city");
    assertThat(body.at("/tool_choice/function/name").asText()).isEqualTo("get_weather");
    assertThat(body.at("/response_format/json_schema/schema/additionalProperties").asBoolean(true)).isFalse();
    assertThat(body.at("/response_format/json_schema/strict").asBoolean()).isTrue();
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(300);
    assertThat(body.has("max_tokens")).isFalse();
    assertThat(body.get("stop")).hasSize(2);
    assertThat(body.get("seed").asLong()).isEqualTo(42);
    assertThat(body.get("logprobs").asBoolean()).isTrue();
    assertThat(body.get("user").asText()).isEqualTo("u-1");
    assertThat(body.has("stream")).isFalse();
    RequestSchemas.assertValidOpenAiChatRequest(body.toString());
  }

  @Test
  void parallelToolCallsInOneTurnBecomeToolCallsInOrder() throws Exception {
    server.enqueue(json(200, """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,
           "tool_calls":[
             {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
             {"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
           "logprobs":null,"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":82,"completion_tokens":49,"total_tokens":131}}"""));

    ChatResponse r = provider.chat(ChatRequest.builder().model("gpt-4o-mini").user("weather in Paris and Rome?")
        .tool(ToolSpec.of("get_weather", "weather")).build(), CallContext.empty());

    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.toolCalls()).containsExactly(
        new ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
        new ToolCall("call_b", "get_weather", "{\"city\":\"Rome\"}"));
    assertThat(r.text()).isEmpty();
  }

  static final String STREAM_FIRST = """
      data: {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}

      data: {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":"Checking"},"logprobs":null,"finish_reason":null}],"usage":null}

      """;

  static final String STREAM_REST = """
      data: {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":" both."},"logprobs":null,"finish_reason":null}],"usage":null}

      data: {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}

      data: {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\\"ci"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

      data: {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":\\"Paris\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

      data: {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"ty\\":\\"Rome\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}

      data: {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}

      data: {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":90,"completion_tokens":60,"total_tokens":150,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}

      data: [DONE]

      """;

  @Test
  void aStreamDeliversItsFirstChunkBeforeTheBodyEndsAndAssemblesParallelToolCalls() throws Exception {
    GatedBody body = new GatedBody(STREAM_FIRST, STREAM_REST);
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build());

    try (ChatStream stream = provider.stream(ChatRequest.of("gpt-4o", "weather?"), CallContext.empty())) {
      Iterator<ChatChunk> chunks = stream.iterator();
      ChatChunk first = chunks.next();
      assertThat(first.id()).contains("chatcmpl-9");
      assertThat(first.model()).contains("gpt-4o-2024-08-06");
      StringBuilder text = new StringBuilder(first.text());
      while (text.length() < "Checking".length()) {
        text.append(chunks.next().text());
      }
      assertThat(text).hasToString("Checking");

      body.release();

      dev.aigw.api.internal.StreamAccumulator rest = new dev.aigw.api.internal.StreamAccumulator();
      rest.add(ChatChunk.builder().id("chatcmpl-9").model("gpt-4o-2024-08-06").text(text.toString()).build());
      chunks.forEachRemaining(rest::add);
      ChatResponse r = rest.toResponse(stream.metadata());
      assertThat(r.text()).isEqualTo("Checking both.");
      assertThat(r.toolCalls()).containsExactly(
          new ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
          new ToolCall("call_b", "get_weather", "{\"city\":\"Rome\"}"));
      assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(r.usage()).contains(Usage.of(90, 60));
    }
    JsonNode sent = sentBody();
    assertThat(sent.get("stream").asBoolean()).isTrue();
    assertThat(sent.at("/stream_options/include_usage").asBoolean()).isTrue();
    RequestSchemas.assertValidOpenAiChatRequest(sent.toString());
  }

  @Test
  void aStreamCutOffBeforeItsEndIsARetryableFailure() {
    server.enqueue(sse(STREAM_FIRST));

    try (ChatStream stream = provider.stream(ChatRequest.of("gpt-4o", "hi"), CallContext.empty())) {
      assertThatThrownBy(stream::collect)
          .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("cut off");
    }
  }

  @Test
  void anErrorEventInTheMiddleOfAStreamEndsItWithTheMappedException() {
    server.enqueue(sse(STREAM_FIRST + """
        data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}

        """));

    try (ChatStream stream = provider.stream(ChatRequest.of("gpt-4o", "hi"), CallContext.empty())) {
      Iterator<ChatChunk> chunks = stream.iterator();
      chunks.next();
      assertThatThrownBy(() -> chunks.forEachRemaining(c -> { }))
          .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("server had an error");
    }
  }

  @Test
  void closingAStreamEarlyCancelsTheHttpCall() throws Exception {
    GatedBody body = new GatedBody(STREAM_FIRST, STREAM_REST);
    server.enqueue(new MockResponse.Builder().code(200).body(body).build());

    ChatStream stream = provider.stream(ChatRequest.of("gpt-4o", "hi"), CallContext.empty());
    Iterator<ChatChunk> chunks = stream.iterator();
    chunks.next();
    stream.close();
    body.release();

    assertThatThrownBy(chunks::hasNext).isInstanceOf(CallCancelledException.class);
  }

  @Test
  void aCompatibleServerWithoutUsageOrDoneGetsEstimatedUsageAndItsReasoningContent() throws Exception {
    try (OpenAiProvider vllm = OpenAiProvider.compatible(server.url("/v1").toString()).id("vllm").providerName("vllm").build()) {
      server.enqueue(sse("""
          data: {"id":"cmpl-7","object":"chat.completion.chunk","created":1,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Let me think."},"finish_reason":null}]}

          data: {"id":"cmpl-7","object":"chat.completion.chunk","created":1,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{"content":"Forty-two."},"finish_reason":null}]}

          data: {"id":"cmpl-7","object":"chat.completion.chunk","created":1,"model":"Qwen/Qwen3-8B","choices":[{"index":0,"delta":{},"finish_reason":"stop","stop_reason":null}]}

          """));

      ChatResponse r;
      try (ChatStream stream = vllm.stream(ChatRequest.builder().model("Qwen/Qwen3-8B").user("the answer?")
          .maxOutputTokens(50).build(), CallContext.empty())) {
        r = stream.collect();
      }

      assertThat(r.text()).isEqualTo("Forty-two.");
      assertThat(r.reasoning()).isEqualTo("Let me think.");
      assertThat(r.usage()).hasValueSatisfying(u -> {
        assertThat(u.estimated()).isTrue();
        assertThat(u.inputTokens()).isPositive();
        assertThat(u.outputTokens()).isPositive();
      });
      RecordedRequest sent = server.takeRequest(10, TimeUnit.SECONDS);
      assertThat(sent.getHeaders().get("Authorization")).isNull();
      JsonNode body = JSON.readTree(sent.getBody().utf8());
      assertThat(body.get("max_tokens").asInt()).isEqualTo(50);
      assertThat(body.has("max_completion_tokens")).isFalse();
      assertThat(vllm.providerName()).isEqualTo("vllm");
    }
  }

  @Test
  void aRefusalAndAContentFilterStopBothEndWithContentFiltered() {
    server.enqueue(json(200, """
        {"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"gpt-4o",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I'm sorry, I can't help with that."},
           "logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":9,"total_tokens":19}}"""));
    server.enqueue(json(200, """
        {"id":"chatcmpl-3","object":"chat.completion","created":1,"model":"gpt-4o",
         "choices":[{"index":0,"message":{"role":"assistant","content":""},"logprobs":null,"finish_reason":"content_filter"}],
         "usage":{"prompt_tokens":10,"completion_tokens":0,"total_tokens":10}}"""));
    server.enqueue(sse(STREAM_FIRST + """
        data: {"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"content_filter"}]}

        data: [DONE]

        """));

    assertThatThrownBy(() -> provider.chat(ChatRequest.of("gpt-4o", "x"), CallContext.empty()))
        .isInstanceOf(ContentFilteredException.class).hasMessageNotContaining("I'm sorry");
    assertThatThrownBy(() -> provider.chat(ChatRequest.of("gpt-4o", "x"), CallContext.empty()))
        .isInstanceOf(ContentFilteredException.class);
    try (ChatStream stream = provider.stream(ChatRequest.of("gpt-4o", "x"), CallContext.empty())) {
      assertThatThrownBy(stream::collect).isInstanceOf(ContentFilteredException.class);
    }
  }

  @Test
  void httpErrorsMapToTheApiExceptionsWithRetryDelaysAndWithoutTheKey() {
    server.enqueue(json(400, """
        {"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"""));
    server.enqueue(json(401, """
        {"error":{"message":"Incorrect API key provided: %s. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""".formatted(KEY)));
    server.enqueue(new MockResponse.Builder().code(429).addHeader("retry-after-ms", "1500")
        .addHeader("x-ratelimit-reset-requests", "6m0s")
        .body("{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}").build());
    server.enqueue(json(429, """
        {"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"""));
    server.enqueue(json(503, "{\"error\":{\"message\":\"The engine is currently overloaded, please try again later\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
    server.enqueue(new MockResponse.Builder().code(502).body("<html><body>Bad gateway</body></html>").build());
    server.enqueue(json(200, "{\"id\":\"chatcmpl-x\",\"choices\":[{\"index\":0,\"message\":"));

    ChatRequest r = ChatRequest.of("gpt-4o", "x");
    assertThatThrownBy(() -> provider.chat(r, CallContext.empty())).isInstanceOf(ContextWindowExceededException.class);
    assertThatThrownBy(() -> provider.chat(r, CallContext.empty()))
        .isInstanceOf(AuthenticationException.class).hasMessageNotContaining(KEY).hasMessageContaining("[REDACTED]");
    assertThatThrownBy(() -> provider.chat(r, CallContext.empty()))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(1500)));
    assertThatThrownBy(() -> provider.chat(r, CallContext.empty()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e).isNotInstanceOf(RateLimitedException.class);
          assertThat(e.retryable()).isFalse();
        });
    assertThatThrownBy(() -> provider.chat(r, CallContext.empty()))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue());
    assertThatThrownBy(() -> provider.chat(r, CallContext.empty()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.statusCode()).hasValue(502);
        });
    assertThatThrownBy(() -> provider.chat(r, CallContext.empty()))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("malformed");
  }

  @Test
  void theKeyIsAskedForOnEveryRequestAndNeverShown() throws Exception {
    AtomicInteger rotation = new AtomicInteger();
    try (OpenAiProvider rotating = OpenAiProvider.builder().baseUrl(server.url("/v1").toString())
        .apiKey(() -> "sk-rotating-" + rotation.incrementAndGet() + "-abcdefgh").build()) {
      server.enqueue(json(200, COMPLETION));
      server.enqueue(json(200, COMPLETION));

      rotating.chat(ChatRequest.of("gpt-4o", "a"), CallContext.empty());
      rotating.chat(ChatRequest.of("gpt-4o", "b"), CallContext.empty());

      assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer sk-rotating-1-abcdefgh");
      assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer sk-rotating-2-abcdefgh");
      assertThat(rotating.toString()).doesNotContain("sk-");
      assertThat(provider.toString()).doesNotContain(KEY);
    }
  }

  @Test
  void aFiredCancellationTokenCancelsAnInFlightRequest() throws Exception {
    GatedBody never = new GatedBody("", "");
    server.enqueue(new MockResponse.Builder().code(200).body(never).build());
    CancellationToken token = CancellationToken.create();

    CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(
        () -> provider.chat(ChatRequest.of("gpt-4o", "x"), CallContext.builder().cancellation(token).build()));
    server.takeRequest(10, TimeUnit.SECONDS);
    token.cancel();

    try {
      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(CallCancelledException.class);
    } finally {
      never.release();
    }
  }

  @Test
  void embeddingsMapVectorsInInputOrderAndUsage() throws Exception {
    server.enqueue(json(200, """
        {"object":"list","data":[
          {"object":"embedding","index":1,"embedding":[0.5,-0.25]},
          {"object":"embedding","index":0,"embedding":[0.125,0.75]}],
         "model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}"""));

    EmbeddingResponse r = provider.embed(EmbeddingRequest.builder().model("text-embedding-3-small")
        .inputs(List.of("first", "second")).dimensions(2).build(), CallContext.empty());

    assertThat(r.embeddings().get(0).vector()).containsExactly(0.125f, 0.75f);
    assertThat(r.embeddings().get(1).vector()).containsExactly(0.5f, -0.25f);
    assertThat(r.usage()).contains(Usage.of(8, 0));
    JsonNode sent = sentBody();
    assertThat(sent.get("dimensions").asInt()).isEqualTo(2);
    assertThat(sent.get("encoding_format").asText()).isEqualTo("float");
    RequestSchemas.assertValidOpenAiEmbeddingRequest(sent.toString());
  }

  @Test
  void aGatewayOverTheProviderServesBlockingStreamingAndAsyncCalls() throws Exception {
    server.enqueue(json(200, COMPLETION));
    server.enqueue(sse(STREAM_FIRST + STREAM_REST));
    server.enqueue(json(200, COMPLETION));
    try (AiGateway gateway = AiGateway.builder()
        .provider(OpenAiProvider.builder().apiKey(KEY).baseUrl(server.url("/v1").toString()).build())
        .build()) {
      assertThat(gateway.chat(ChatRequest.of("openai/gpt-4o", "capital?")).text()).startsWith("Paris");
      try (ChatStream stream = gateway.stream(ChatRequest.of("openai/gpt-4o", "weather?"))) {
        assertThat(stream.collect().toolCalls()).hasSize(2);
      }
      assertThat(gateway.chatAsync(ChatRequest.of("openai/gpt-4o", "capital?")).get(10, TimeUnit.SECONDS).text())
          .startsWith("Paris");
    }
  }

  @Test
  void capabilitiesAndProviderNameFollowTheConventions() {
    assertThat(provider.providerName()).isEqualTo("openai");
    assertThat(provider.capabilities("gpt-4o-mini").vision()).isTrue();
    assertThat(provider.capabilities("gpt-3.5-turbo").jsonSchema()).isFalse();
    assertThat(provider.capabilities("o1-mini").tools()).isFalse();
    assertThatThrownBy(() -> OpenAiProvider.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("API key");
  }
}
