package dev.aigw.providers.anthropic;

import static dev.aigw.providers.anthropic.Fixtures.KEY;
import static dev.aigw.providers.anthropic.Fixtures.MESSAGE_ID;
import static dev.aigw.providers.anthropic.Fixtures.MODEL;
import static dev.aigw.providers.anthropic.Fixtures.USAGE;
import static dev.aigw.providers.anthropic.Fixtures.body;
import static dev.aigw.providers.anthropic.Fixtures.bodyText;
import static dev.aigw.providers.anthropic.Fixtures.json;
import static dev.aigw.providers.anthropic.Fixtures.message;
import static dev.aigw.providers.anthropic.Fixtures.textMessage;
import static dev.aigw.providers.anthropic.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ContentPart;
import dev.aigw.api.FinishReason;
import dev.aigw.api.InvalidRequestException;
import dev.aigw.api.Message;
import dev.aigw.api.ModelCapabilities;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolChoice;
import dev.aigw.api.ToolSpec;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.providers.testing.RequestSchemas;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicProviderTest {
  private static final ToolSpec WEATHER = ToolSpec.of("get_weather", "Current weather in a city",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}},\"required\":[\"city\"]}");
  private static final ToolSpec TIME = ToolSpec.of("get_time", "Local time in a city",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

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

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).as("the request the server received").isNotNull();
    RequestSchemas.assertValidAnthropicMessageRequest(bodyText(request));
    return request;
  }

  @Test
  void chatMapsATextAnswerAndSendsTheDocumentedHeaders() throws Exception {
    server.enqueue(json(textMessage("Paris is the capital of France.")));

    ChatResponse response = provider.chat(ChatRequest.of(MODEL, "What is the capital of France?"), CallContext.empty());

    assertThat(response).isEqualTo(ChatResponse.builder()
        .id(MESSAGE_ID)
        .model(MODEL)
        .text("Paris is the capital of France.")
        .finishReason(FinishReason.STOP)
        .usage(Usage.of(21, 10))
        .build());
    RecordedRequest request = taken();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/messages");
    assertThat(request.getHeaders().get("x-api-key")).isEqualTo(KEY);
    assertThat(request.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(request.getHeaders().get("content-type")).startsWith("application/json");
    assertThat(request.getHeaders().get("authorization")).isNull();
    assertThat(body(request)).isEqualTo(tree("""
        {"model":"claude-sonnet-4-5-20250929","max_tokens":4096,
         "messages":[{"role":"user","content":[{"type":"text","text":"What is the capital of France?"}]}]}"""));
  }

  @Test
  void chatSendsSamplingParametersAndLeavesOutTheSeedAnthropicDoesNotSupport() throws Exception {
    server.enqueue(json(textMessage("ok")));
    AnthropicProvider versioned = AnthropicProvider.builder().apiKey(KEY).baseUrl(server.url("/").toString())
        .anthropicVersion("2024-10-22").defaultMaxTokens(1000).build();

    versioned.chat(ChatRequest.builder().model(MODEL).user("hi").temperature(0.2).topP(0.9).maxOutputTokens(256)
        .stop("END", "\n\nHuman:").seed(42).build(), CallContext.empty());

    RecordedRequest request = taken();
    assertThat(request.getHeaders().get("anthropic-version")).isEqualTo("2024-10-22");
    JsonNode body = body(request);
    assertThat(body.get("max_tokens").asInt()).isEqualTo(256);
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.get("stop_sequences")).isEqualTo(tree("[\"END\",\"\\n\\nHuman:\"]"));
    assertThat(body.has("seed")).isFalse();
    assertThat(body.has("stream")).isFalse();
  }

  @Test
  void defaultMaxTokensIsUsedWhenTheRequestSetsNone() throws Exception {
    server.enqueue(json(textMessage("ok")));
    AnthropicProvider small = AnthropicProvider.builder().apiKey(KEY).baseUrl(server.url("/").toString())
        .defaultMaxTokens(1000).build();

    small.chat(ChatRequest.of(MODEL, "hi"), CallContext.empty());

    assertThat(body(taken()).get("max_tokens").asInt()).isEqualTo(1000);
  }

  @Test
  void chatReturnsTwoToolCallsOfOneTurn() throws Exception {
    server.enqueue(json(message("""
        [{"type":"text","text":"I'll look up both.","citations":null},
         {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"city":"Paris","unit":"celsius"}},
         {"type":"tool_use","id":"toolu_01B7Yb7ZfF4m3vJq2c8XkK5e","name":"get_time","input":{"city":"Tokyo"}}]""",
        "tool_use", USAGE)));

    ChatResponse response = provider.chat(ChatRequest.builder().model(MODEL).user("Weather in Paris, time in Tokyo?")
        .tool(WEATHER).tool(TIME).build(), CallContext.empty());

    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.text()).isEqualTo("I'll look up both.");
    assertThat(response.toolCalls()).containsExactly(
        new ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"),
        new ToolCall("toolu_01B7Yb7ZfF4m3vJq2c8XkK5e", "get_time", "{\"city\":\"Tokyo\"}"));
    JsonNode body = body(taken());
    assertThat(body.get("tools")).isEqualTo(tree("""
        [{"name":"get_weather","description":"Current weather in a city","input_schema":%s},
         {"name":"get_time","description":"Local time in a city","input_schema":%s}]"""
        .formatted(WEATHER.parametersSchema(), TIME.parametersSchema())));
    assertThat(body.has("tool_choice")).isFalse();
  }

  @Test
  void toolResultsGoBackAsToolResultBlocksWithConsecutiveResultsInOneUserTurn() throws Exception {
    server.enqueue(json(textMessage("It is 18 degrees in Paris and 21:04 in Tokyo.")));
    ChatRequest request = ChatRequest.builder()
        .model(MODEL)
        .system("You are a concise assistant.")
        .user("Weather in Paris, time in Tokyo?")
        .message(Message.assistant("I'll look up both.", List.of(
            new ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"),
            new ToolCall("toolu_01B7Yb7ZfF4m3vJq2c8XkK5e", "get_time", "{\"city\": \"Tokyo\"}"))))
        .message(Message.tool("toolu_01A09q90qw90lq917835lq9", "{\"temperature\":18}"))
        .message(Message.tool("toolu_01B7Yb7ZfF4m3vJq2c8XkK5e", "21:04"))
        .system("Answer in one sentence.")
        .tools(List.of(WEATHER, TIME))
        .toolChoice(ToolChoice.auto())
        .build();

    ChatResponse response = provider.chat(request, CallContext.empty());

    assertThat(response.text()).isEqualTo("It is 18 degrees in Paris and 21:04 in Tokyo.");
    assertThat(body(taken())).isEqualTo(tree("""
        {"model":"claude-sonnet-4-5-20250929","max_tokens":4096,
         "system":"You are a concise assistant.\\n\\nAnswer in one sentence.",
         "messages":[
           {"role":"user","content":[{"type":"text","text":"Weather in Paris, time in Tokyo?"}]},
           {"role":"assistant","content":[
             {"type":"text","text":"I'll look up both."},
             {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"city":"Paris","unit":"celsius"}},
             {"type":"tool_use","id":"toolu_01B7Yb7ZfF4m3vJq2c8XkK5e","name":"get_time","input":{"city":"Tokyo"}}]},
           {"role":"user","content":[
             {"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":"{\\"temperature\\":18}"},
             {"type":"tool_result","tool_use_id":"toolu_01B7Yb7ZfF4m3vJq2c8XkK5e","content":"21:04"}]}],
         "tools":[
           {"name":"get_weather","description":"Current weather in a city","input_schema":%s},
           {"name":"get_time","description":"Local time in a city","input_schema":%s}],
         "tool_choice":{"type":"auto"}}""".formatted(WEATHER.parametersSchema(), TIME.parametersSchema())));
  }

  @Test
  void aUserMessageAfterToolResultsJoinsTheirTurn() throws Exception {
    server.enqueue(json(textMessage("ok")));

    provider.chat(ChatRequest.builder().model(MODEL).user("time?")
        .message(Message.assistantToolCalls(List.of(new ToolCall("toolu_1", "get_time", ""))))
        .message(Message.tool("toolu_1", "21:04"))
        .user("And in words?")
        .tool(TIME).build(), CallContext.empty());

    JsonNode messages = body(taken()).get("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(1)).isEqualTo(tree("""
        {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_time","input":{}}]}"""));
    assertThat(messages.get(2)).isEqualTo(tree("""
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"21:04"},
                                  {"type":"text","text":"And in words?"}]}"""));
  }

  @Test
  void toolCallArgumentsThatAreNotAJsonObjectAreRejectedBeforeSending() {
    ChatRequest request = ChatRequest.builder().model(MODEL).user("time?")
        .message(Message.assistantToolCalls(List.of(new ToolCall("toolu_1", "get_time", "[1,2]"))))
        .message(Message.tool("toolu_1", "21:04"))
        .tool(TIME).build();

    assertThatThrownBy(() -> provider.chat(request, CallContext.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("messages[1].toolCalls[0].arguments");
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest
  @CsvSource({
      "auto, '{\"type\":\"auto\"}'",
      "none, '{\"type\":\"none\"}'",
      "required, '{\"type\":\"any\"}'",
      "tool, '{\"type\":\"tool\",\"name\":\"get_time\"}'"})
  void toolChoiceMapsToAnthropicsWords(String choice, String expected) throws Exception {
    server.enqueue(json(textMessage("ok")));
    ToolChoice toolChoice = switch (choice) {
      case "auto" -> ToolChoice.auto();
      case "none" -> ToolChoice.none();
      case "required" -> ToolChoice.required();
      default -> ToolChoice.tool("get_time");
    };

    provider.chat(ChatRequest.builder().model(MODEL).user("hi").tool(WEATHER).tool(TIME).toolChoice(toolChoice).build(),
        CallContext.empty());

    assertThat(body(taken()).get("tool_choice")).isEqualTo(tree(expected));
  }

  @Test
  void imagesGoInlineWhenGivenAsBytesOrDataUrlsAndAsUrlSourcesOtherwise() throws Exception {
    server.enqueue(json(textMessage("Two cats and a dog.")));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};

    provider.chat(ChatRequest.builder().model(MODEL).message(Message.user(
        ContentPart.text("What is in these pictures?"),
        ContentPart.imageBytes(png, "image/png"),
        ContentPart.imageUrl("https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg"),
        ContentPart.imageUrl("data:image/jpeg;base64,/9j/4AAQSkZJRg=="))).build(), CallContext.empty());

    assertThat(body(taken()).get("messages")).isEqualTo(tree("""
        [{"role":"user","content":[
          {"type":"text","text":"What is in these pictures?"},
          {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
          {"type":"image","source":{"type":"url","url":"https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg"}},
          {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQSkZJRg=="}}]}]"""));
  }

  @Test
  void jsonSchemaIsServedThroughAForcedToolWhoseInputIsTheAnswerText() throws Exception {
    String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"population\":{\"type\":\"integer\"}},"
        + "\"required\":[\"city\",\"population\"]}";
    server.enqueue(json(message("""
        [{"type":"tool_use","id":"toolu_01D7FLrfh4GYq7yT1ULFeyMV","name":"city_facts",
          "input":{"city":"Paris","population":2102650}}]""", "tool_use", USAGE)));

    ChatResponse response = provider.chat(ChatRequest.builder().model(MODEL).user("Facts about Paris")
        .responseFormat(ResponseFormat.jsonSchema("city_facts", schema, true)).build(), CallContext.empty());

    assertThat(response.text()).isEqualTo("{\"city\":\"Paris\",\"population\":2102650}");
    assertThat(response.toolCalls()).isEmpty();
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    JsonNode body = body(taken());
    assertThat(body.get("tools")).hasSize(1);
    assertThat(body.get("tools").get(0).get("name").asText()).isEqualTo("city_facts");
    assertThat(body.get("tools").get(0).get("input_schema")).isEqualTo(tree(schema));
    assertThat(body.get("tool_choice")).isEqualTo(tree("{\"type\":\"tool\",\"name\":\"city_facts\"}"));
  }

  @Test
  void jsonObjectIsServedThroughAForcedToolWithAPermissiveSchema() throws Exception {
    server.enqueue(json(message("""
        [{"type":"tool_use","id":"toolu_01D7FLrfh4GYq7yT1ULFeyMV","name":"json_response",
          "input":{"answer":"yes","confidence":0.9}}]""", "tool_use", USAGE)));

    ChatResponse response = provider.chat(ChatRequest.builder().model(MODEL).user("Is Paris in France? Answer in JSON.")
        .responseFormat(ResponseFormat.jsonObject()).build(), CallContext.empty());

    assertThat(response.text()).isEqualTo("{\"answer\":\"yes\",\"confidence\":0.9}");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    JsonNode body = body(taken());
    assertThat(body.get("tools").get(0).get("name").asText()).isEqualTo("json_response");
    assertThat(body.get("tools").get(0).get("input_schema")).isEqualTo(tree("{\"type\":\"object\"}"));
    assertThat(body.get("tool_choice")).isEqualTo(tree("{\"type\":\"tool\",\"name\":\"json_response\"}"));
  }

  @Test
  void jsonSchemaWithCallerToolsLetsTheModelCallEitherAndKeepsRealToolCallsAsToolCalls() throws Exception {
    server.enqueue(json(message("""
        [{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"city":"Paris"}}]""",
        "tool_use", USAGE)));

    ChatResponse response = provider.chat(ChatRequest.builder().model(MODEL).user("Weather report as JSON").tool(WEATHER)
        .responseFormat(ResponseFormat.jsonSchema("report", "{\"type\":\"object\"}", false)).build(), CallContext.empty());

    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.toolCalls()).extracting(ToolCall::name).containsExactly("get_weather");
    JsonNode body = body(taken());
    assertThat(body.get("tools")).extracting(t -> t.get("name").asText()).containsExactly("get_weather", "report");
    assertThat(body.get("tool_choice")).isEqualTo(tree("{\"type\":\"any\"}"));
  }

  @Test
  void jsonSchemaWithExtendedThinkingOffersTheSchemaToolWithoutForcingIt() throws Exception {
    server.enqueue(json(message("""
        [{"type":"thinking","thinking":"Paris facts.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxB"},
         {"type":"tool_use","id":"toolu_01D7FLrfh4GYq7yT1ULFeyMV","name":"city_facts","input":{"city":"Paris"}}]""",
        "tool_use", USAGE)));

    ChatResponse response = provider.chat(ChatRequest.builder().model(MODEL).user("Facts about Paris").maxOutputTokens(4000)
        .responseFormat(ResponseFormat.jsonSchema("city_facts", "{\"type\":\"object\"}", true))
        .extra(Map.of("thinking", Map.of("type", "enabled", "budget_tokens", 1024))).build(), CallContext.empty());

    assertThat(response.text()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(response.reasoning()).isEqualTo("Paris facts.");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(body(taken()).get("tool_choice")).isEqualTo(tree("{\"type\":\"auto\"}"));
  }

  @Test
  void extraEntriesArePassedThroughAtTheTopLevel() throws Exception {
    server.enqueue(json(message("""
        [{"type":"thinking","thinking":"Simple arithmetic.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pki"},
         {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"},
         {"type":"text","text":"4","citations":null}]""", "end_turn", USAGE)));

    ChatResponse response = provider.chat(ChatRequest.builder().model(MODEL).user("2+2?").temperature(0.5)
        .extra(Map.of(
            "thinking", Map.of("type", "enabled", "budget_tokens", 2048),
            "metadata", Map.of("user_id", "u-42"),
            "top_k", 40,
            "temperature", 1))
        .build(), CallContext.empty());

    assertThat(response.text()).isEqualTo("4");
    assertThat(response.reasoning()).isEqualTo("Simple arithmetic.");
    JsonNode body = body(taken());
    assertThat(body.get("thinking")).isEqualTo(tree("{\"type\":\"enabled\",\"budget_tokens\":2048}"));
    assertThat(body.get("metadata")).isEqualTo(tree("{\"user_id\":\"u-42\"}"));
    assertThat(body.get("top_k").asInt()).isEqualTo(40);
    assertThat(body.get("temperature").asInt()).as("the passthrough replaces the request's value").isEqualTo(1);
  }

  @Test
  void extraCannotReplaceTheFieldsTheProviderDerives() {
    ChatRequest request = ChatRequest.builder().model(MODEL).user("hi").extra(Map.of("stream", true)).build();

    assertThatThrownBy(() -> provider.chat(request, CallContext.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("extra.stream");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void usageCountsCacheReadsAndWritesAsInputTokens() {
    server.enqueue(json(message("[{\"type\":\"text\",\"text\":\"Summary.\",\"citations\":null}]", "end_turn", """
        {"input_tokens":50,"cache_creation_input_tokens":1200,"cache_read_input_tokens":3400,
         "cache_creation":{"ephemeral_5m_input_tokens":1200,"ephemeral_1h_input_tokens":0},
         "output_tokens":503,"service_tier":"standard","server_tool_use":null}""")));

    ChatResponse response = provider.chat(ChatRequest.of(MODEL, "Summarise the document."), CallContext.empty());

    assertThat(response.usage()).contains(new Usage(4650, 503, 3400, 1200, 0));
  }

  @ParameterizedTest
  @CsvSource({
      "end_turn, STOP",
      "stop_sequence, STOP",
      "max_tokens, LENGTH",
      "tool_use, TOOL_CALLS",
      "pause_turn, OTHER",
      "model_context_window_exceeded, LENGTH",
      "some_future_reason, OTHER"})
  void stopReasonsMapToFinishReasons(String stopReason, FinishReason expected) {
    String content = stopReason.equals("tool_use")
        ? "[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_time\",\"input\":{\"city\":\"Oslo\"}}]"
        : "[{\"type\":\"text\",\"text\":\"Partial\",\"citations\":null}]";
    server.enqueue(json(message(content, stopReason, USAGE)));

    ChatResponse response = provider.chat(ChatRequest.builder().model(MODEL).user("hi").tool(TIME).build(), CallContext.empty());

    assertThat(response.finishReason()).isEqualTo(expected);
  }

  @Test
  void aRefusalIsAContentFilteredException() {
    server.enqueue(json(message("[]", "refusal", USAGE)));

    assertThatThrownBy(() -> provider.chat(ChatRequest.of(MODEL, "something harmful"), CallContext.empty()))
        .isInstanceOf(ContentFilteredException.class)
        .hasMessageContaining("refusal")
        .satisfies(e -> assertThat(((ContentFilteredException) e).retryable()).isFalse());
  }

  @Test
  void aCancellationTokenCancelsAnInFlightRequest() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        arrived.countDown();
        release.await(30, TimeUnit.SECONDS);
        return json(textMessage("too late"));
      }
    });
    CancellationToken token = CancellationToken.create();
    Thread canceller = new Thread(() -> {
      try {
        if (arrived.await(30, TimeUnit.SECONDS)) {
          token.cancel();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    canceller.start();
    try {
      assertThatThrownBy(() -> provider.chat(ChatRequest.of(MODEL, "hi"), CallContext.builder().cancellation(token).build()))
          .isSameAs(token.reason().orElseThrow());
    } finally {
      release.countDown();
      canceller.join();
    }
  }

  @Test
  void worksThroughAnAiGateway() throws Exception {
    server.enqueue(json(textMessage("Hello! How can I help you today?")));

    try (AiGateway gateway = AiGateway.builder().provider(provider).build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("anthropic/claude-sonnet-4-5", "hi"));

      assertThat(response.text()).isEqualTo("Hello! How can I help you today?");
      assertThat(response.usage()).contains(Usage.of(21, 10));
    }
    assertThat(body(taken()).get("model").asText()).isEqualTo("claude-sonnet-4-5");
  }

  @Test
  void describesItselfWithoutTheKey() {
    assertThat(provider.id()).isEqualTo("anthropic");
    assertThat(provider.providerName()).isEqualTo("anthropic");
    assertThat(provider.toString())
        .isEqualTo("AnthropicProvider[id=anthropic, baseUrl=" + server.url("/").toString().replaceAll("/$", "") + "]")
        .doesNotContain(KEY);
    assertThat(AnthropicProvider.builder().apiKey(KEY).id("claude").build().toString())
        .isEqualTo("AnthropicProvider[id=claude, baseUrl=https://api.anthropic.com]");
  }

  @Test
  void claude3AndLaterModelsCanDoEverything() {
    assertThat(provider.capabilities("claude-sonnet-4-5")).isEqualTo(ModelCapabilities.ALL);
    assertThat(provider.capabilities("claude-3-5-haiku-latest")).isEqualTo(ModelCapabilities.ALL);
    assertThat(provider.capabilities("claude-opus-4-1-20250805")).isEqualTo(ModelCapabilities.ALL);
    assertThat(provider.capabilities("claude-2.1")).isEqualTo(ModelCapabilities.TEXT_ONLY);
    assertThat(provider.capabilities("claude-instant-1.2")).isEqualTo(ModelCapabilities.TEXT_ONLY);
  }

  @Test
  void fromEnvNeedsTheKeyVariable() {
    assertThatThrownBy(() -> AnthropicProvider.fromEnv(name -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ANTHROPIC_API_KEY");
    assertThatThrownBy(() -> AnthropicProvider.fromEnv(name -> "  "))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ANTHROPIC_API_KEY");
    AnthropicProvider fromEnv = AnthropicProvider.fromEnv(name -> name.equals("ANTHROPIC_API_KEY") ? KEY : null);
    assertThat(fromEnv.toString()).isEqualTo("AnthropicProvider[id=anthropic, baseUrl=https://api.anthropic.com]");
  }

  @Test
  void builderChecksItsArguments() {
    assertThatThrownBy(() -> AnthropicProvider.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apiKey");
    assertThatThrownBy(() -> AnthropicProvider.builder().defaultMaxTokens(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultMaxTokens");
    assertThatThrownBy(() -> AnthropicProvider.builder().anthropicVersion(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("anthropicVersion");
  }
}
