package dev.aigw.providers.gemini;

import static dev.aigw.providers.gemini.GeminiFixtures.KEY;
import static dev.aigw.providers.gemini.GeminiFixtures.SAFETY_RATINGS;
import static dev.aigw.providers.gemini.GeminiFixtures.body;
import static dev.aigw.providers.gemini.GeminiFixtures.json;
import static dev.aigw.providers.gemini.GeminiFixtures.ok;
import static dev.aigw.providers.gemini.GeminiFixtures.take;
import static dev.aigw.providers.gemini.GeminiFixtures.textAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ContentPart;
import dev.aigw.api.FinishReason;
import dev.aigw.api.InvalidRequestException;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolChoice;
import dev.aigw.api.ToolSpec;
import dev.aigw.api.Usage;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GeminiChatTest {
  static final ToolSpec WEATHER = ToolSpec.of("get_weather", "Current weather for a city", """
      {"type": "object",
       "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
       "required": ["city"],
       "additionalProperties": false}""");
  static final ToolSpec TIME = ToolSpec.of("get_time", "Local time in a time zone", """
      {"type": "object", "properties": {"timezone": {"type": "string"}}, "required": ["timezone"]}""");

  /** Two parallel calls as Gemini returns them: no ids, the signature on the first call only. */
  static final String TWO_CALLS = """
      {
        "candidates": [
          {
            "content": {
              "parts": [
                {"functionCall": {"name": "get_weather", "args": {"city": "Paris", "unit": "celsius"}},
                 "thoughtSignature": "CiQBVKhc7nLKwQ3T0yAT0wH2Qk8J0y1Yy9E8oWl1"},
                {"functionCall": {"name": "get_time", "args": {"timezone": "Europe/Paris"}}}
              ],
              "role": "model"
            },
            "finishReason": "STOP",
            "avgLogprobs": -0.00031252,
            "index": 0
          }
        ],
        "usageMetadata": {
          "promptTokenCount": 96, "candidatesTokenCount": 24, "totalTokenCount": 187, "thoughtsTokenCount": 67,
          "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 96}]
        },
        "modelVersion": "%s",
        "responseId": "hbJTaMy9FMjKmecP6d3f8Qk"
      }
      """;

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

  @Test
  void blockingTextAnswerMapsTextIdModelUsageAndSendsASpecConformingRequest() throws Exception {
    server.enqueue(ok(textAnswer("The capital of France is Paris.", "STOP")));

    ChatResponse response = gemini.chat(
        ChatRequest.builder()
            .model("gemini-2.0-flash")
            .system("You answer in one sentence.")
            .user("What is the capital of France?")
            .build(),
        CallContext.empty());

    assertThat(response.text()).isEqualTo("The capital of France is Paris.");
    assertThat(response.id()).isEqualTo("W8tTaOXfHICCmecPjJzzuAc");
    assertThat(response.model()).isEqualTo("gemini-2.0-flash-001");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.toolCalls()).isEmpty();
    assertThat(response.reasoning()).isEmpty();
    assertThat(response.usage()).contains(Usage.of(14, 9));

    RecordedRequest request = take(server);
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
    assertThat(request.getUrl().query()).isNull();
    assertThat(request.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(body(request, "GenerateContentRequest")).isEqualTo(json("""
        {"contents": [{"role": "user", "parts": [{"text": "What is the capital of France?"}]}],
         "systemInstruction": {"parts": [{"text": "You answer in one sentence."}]}}"""));
  }

  @Test
  void modelNameMayCarryTheModelsPrefix() throws Exception {
    server.enqueue(ok(textAnswer("Hi", "STOP")));

    gemini.chat(ChatRequest.of("models/gemini-1.5-flash", "Hi"), CallContext.empty());

    assertThat(take(server).getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-1.5-flash:generateContent");
  }

  @Test
  void twoFunctionCallsInOneTurnBecomeToolCallsWithGeneratedIds() {
    server.enqueue(ok(TWO_CALLS.formatted("gemini-2.5-flash")));

    ChatResponse response = gemini.chat(
        ChatRequest.builder().model("gemini-2.5-flash").user("Weather and time in Paris?").tool(WEATHER).tool(TIME).build(),
        CallContext.empty());

    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.text()).isEmpty();
    assertThat(response.toolCalls()).extracting(ToolCall::id, ToolCall::name)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("call_0", "get_weather"),
            org.assertj.core.groups.Tuple.tuple("call_1", "get_time"));
    assertThat(json(response.toolCalls().get(0).arguments())).isEqualTo(json("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
    assertThat(json(response.toolCalls().get(1).arguments())).isEqualTo(json("{\"timezone\":\"Europe/Paris\"}"));
    assertThat(response.usage()).contains(new Usage(96, 91, 0, 0, 67));
  }

  @Test
  void functionCallIdsFromGeminiAreKept() {
    server.enqueue(ok("""
        {"candidates": [{"content": {"role": "model", "parts": [
           {"functionCall": {"id": "fc-8d1e2b", "name": "get_time", "args": {"timezone": "UTC"}}}]},
         "finishReason": "STOP", "index": 0}],
         "modelVersion": "gemini-3-pro-preview", "responseId": "r-1"}"""));

    ChatResponse response = gemini.chat(
        ChatRequest.builder().model("gemini-3-pro-preview").user("Time?").tool(TIME).build(), CallContext.empty());

    assertThat(response.toolCalls()).singleElement().extracting(ToolCall::id).isEqualTo("fc-8d1e2b");
  }

  @Test
  void toolResultsGoBackAsFunctionResponsesNamedByTheirCallsAndMergedIntoOneTurn() throws Exception {
    server.enqueue(ok(textAnswer("It is 21 °C and sunny in Paris, and 14:05 local time.", "STOP")));

    gemini.chat(
        ChatRequest.builder()
            .model("gemini-2.5-flash")
            .system("You are a travel assistant.")
            .user("Weather and time in Paris?")
            .message(Message.assistant("Let me check.", List.of(
                new ToolCall("call_0", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"),
                new ToolCall("call_1", "get_time", "{\"timezone\":\"Europe/Paris\"}"))))
            .message(Message.tool("call_1", "14:05"))
            .message(Message.tool("call_0", "{\"temperature\": 21, \"conditions\": \"sunny\"}"))
            .tool(WEATHER)
            .tool(TIME)
            .toolChoice(ToolChoice.auto())
            .build(),
        CallContext.empty());

    JsonNode body = body(take(server), "GenerateContentRequest");
    assertThat(body.get("systemInstruction")).isEqualTo(json("{\"parts\": [{\"text\": \"You are a travel assistant.\"}]}"));
    assertThat(body.get("contents")).isEqualTo(json("""
        [{"role": "user", "parts": [{"text": "Weather and time in Paris?"}]},
         {"role": "model", "parts": [
            {"text": "Let me check."},
            {"functionCall": {"id": "call_0", "name": "get_weather", "args": {"city": "Paris", "unit": "celsius"}}},
            {"functionCall": {"id": "call_1", "name": "get_time", "args": {"timezone": "Europe/Paris"}}}]},
         {"role": "user", "parts": [
            {"functionResponse": {"id": "call_1", "name": "get_time", "response": {"result": "14:05"}}},
            {"functionResponse": {"id": "call_0", "name": "get_weather", "response": {"temperature": 21, "conditions": "sunny"}}}]}]"""));
    assertThat(body.get("tools")).isEqualTo(json("""
        [{"functionDeclarations": [
           {"name": "get_weather", "description": "Current weather for a city",
            "parametersJsonSchema": {"type": "object",
              "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
              "required": ["city"], "additionalProperties": false}},
           {"name": "get_time", "description": "Local time in a time zone",
            "parametersJsonSchema": {"type": "object", "properties": {"timezone": {"type": "string"}}, "required": ["timezone"]}}]}]"""));
    assertThat(body.get("toolConfig")).isEqualTo(json("{\"functionCallingConfig\": {\"mode\": \"AUTO\"}}"));
  }

  @Test
  void toolResultsThatAreNotJsonObjectsAreWrapped() throws Exception {
    server.enqueue(ok(textAnswer("ok", "STOP")));

    gemini.chat(
        ChatRequest.builder()
            .model("gemini-2.0-flash")
            .user("Go")
            .message(Message.assistantToolCalls(List.of(
                new ToolCall("a", "get_time", "{}"), new ToolCall("b", "get_time", ""), new ToolCall("c", "get_time", "{}"))))
            .message(Message.tool("a", "[1, 2]"))
            .message(Message.tool("b", "{not json"))
            .message(Message.tool("c", "  {\"nested\": {\"ok\": true}}  "))
            .tool(TIME)
            .build(),
        CallContext.empty());

    JsonNode body = body(take(server), "GenerateContentRequest");
    assertThat(body.at("/contents/1/parts/1/functionCall/args")).isEqualTo(json("{}"));
    assertThat(body.at("/contents/2/parts/0/functionResponse/response")).isEqualTo(json("{\"result\": \"[1, 2]\"}"));
    assertThat(body.at("/contents/2/parts/1/functionResponse/response")).isEqualTo(json("{\"result\": \"{not json\"}"));
    assertThat(body.at("/contents/2/parts/2/functionResponse/response")).isEqualTo(json("{\"nested\": {\"ok\": true}}"));
  }

  @Test
  void aToolResultForAnUnknownCallFailsBeforeAnythingIsSent() {
    ChatRequest request = ChatRequest.builder()
        .model("gemini-2.0-flash")
        .user("Go")
        .message(Message.assistantToolCalls(List.of(new ToolCall("call_0", "get_time", "{}"))))
        .message(Message.tool("call_9", "14:05"))
        .build();

    assertThatThrownBy(() -> gemini.chat(request, CallContext.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("messages[2].toolCallId")
        .hasMessageContaining("call_9");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void toolCallArgumentsThatAreNotAJsonObjectAreRejectedNamingTheField() {
    ChatRequest request = ChatRequest.builder()
        .model("gemini-2.0-flash")
        .user("Go")
        .message(Message.assistantToolCalls(List.of(new ToolCall("call_0", "get_time", "{\"timezone\": "))))
        .message(Message.tool("call_0", "14:05"))
        .build();

    assertThatThrownBy(() -> gemini.chat(request, CallContext.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("messages[1].toolCalls[0].arguments");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void thoughtSignaturesGoBackWithTheCallsTheyCameWith() throws Exception {
    server.enqueue(ok(TWO_CALLS.formatted("gemini-3-pro-preview")));
    ChatRequest first = ChatRequest.builder().model("gemini-3-pro-preview").user("Weather and time?").tool(WEATHER).tool(TIME).build();
    ChatResponse answer = gemini.chat(first, CallContext.empty());
    take(server);

    server.enqueue(ok(textAnswer("Sunny, 14:05.", "STOP")));
    gemini.chat(first.toBuilder()
            .message(answer.message())
            .message(Message.tool("call_0", "{\"temperature\": 21}"))
            .message(Message.tool("call_1", "14:05"))
            .build(),
        CallContext.empty());

    JsonNode model = body(take(server), "GenerateContentRequest").at("/contents/1");
    assertThat(model.at("/role").asText()).isEqualTo("model");
    assertThat(model.at("/parts/0/thoughtSignature").asText()).isEqualTo("CiQBVKhc7nLKwQ3T0yAT0wH2Qk8J0y1Yy9E8oWl1");
    assertThat(model.at("/parts/1/thoughtSignature").isMissingNode()).isTrue();
  }

  @Test
  void callsWithoutAKnownSignatureGetThePlaceholderOnGemini3AndNothingBefore() throws Exception {
    ChatRequest.Builder conversation = ChatRequest.builder()
        .user("Time?")
        .message(Message.assistantToolCalls(List.of(
            new ToolCall("toolu_01", "get_time", "{\"timezone\":\"UTC\"}"), new ToolCall("toolu_02", "get_time", "{}"))))
        .message(Message.tool("toolu_01", "12:00"))
        .message(Message.tool("toolu_02", "12:00"))
        .tool(TIME);
    server.enqueue(ok(textAnswer("12:00", "STOP")));
    server.enqueue(ok(textAnswer("12:00", "STOP")));

    gemini.chat(conversation.model("gemini-3-flash-preview").build(), CallContext.empty());
    gemini.chat(conversation.model("gemini-2.5-pro").build(), CallContext.empty());

    JsonNode gemini3 = body(take(server), "GenerateContentRequest").at("/contents/1/parts");
    assertThat(gemini3.at("/0/thoughtSignature").asText()).isEqualTo("skip_thought_signature_validator");
    assertThat(gemini3.at("/1/thoughtSignature").isMissingNode()).isTrue();
    JsonNode gemini25 = body(take(server), "GenerateContentRequest").at("/contents/1/parts");
    assertThat(gemini25.at("/0/thoughtSignature").isMissingNode()).isTrue();
  }

  @Test
  void toolChoicesMapToFunctionCallingModes() throws Exception {
    ChatRequest base = ChatRequest.builder().model("gemini-2.0-flash").user("Go").tool(WEATHER).tool(TIME).build();
    for (int i = 0; i < 4; i++) {
      server.enqueue(ok(textAnswer("ok", "STOP")));
    }

    gemini.chat(base.toBuilder().toolChoice(ToolChoice.required()).build(), CallContext.empty());
    gemini.chat(base.toBuilder().toolChoice(ToolChoice.tool("get_time")).build(), CallContext.empty());
    gemini.chat(base.toBuilder().toolChoice(ToolChoice.none()).build(), CallContext.empty());
    gemini.chat(base, CallContext.empty());

    assertThat(body(take(server), "GenerateContentRequest").get("toolConfig"))
        .isEqualTo(json("{\"functionCallingConfig\": {\"mode\": \"ANY\"}}"));
    assertThat(body(take(server), "GenerateContentRequest").get("toolConfig"))
        .isEqualTo(json("{\"functionCallingConfig\": {\"mode\": \"ANY\", \"allowedFunctionNames\": [\"get_time\"]}}"));
    assertThat(body(take(server), "GenerateContentRequest").get("toolConfig"))
        .isEqualTo(json("{\"functionCallingConfig\": {\"mode\": \"NONE\"}}"));
    assertThat(body(take(server), "GenerateContentRequest").has("toolConfig")).isFalse();
  }

  @Test
  void imagesGoInlineAsBytesOrDataUrlsAndByUriOtherwise() throws Exception {
    server.enqueue(ok(textAnswer("Two cats and a dog.", "STOP")));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
    String pngBase64 = Base64.getEncoder().encodeToString(png);

    gemini.chat(
        ChatRequest.builder()
            .model("gemini-2.0-flash")
            .message(Message.user(
                ContentPart.text("What animals are in these pictures?"),
                ContentPart.imageBytes(png, "image/png"),
                ContentPart.imageUrl("https://example.com/pets/cat.WEBP?size=large#top"),
                ContentPart.imageUrl("https://example.com/pets/latest"),
                ContentPart.imageUrl("data:image/gif;base64,R0lGODlhAQABAAAAACw=")))
            .build(),
        CallContext.empty());

    assertThat(body(take(server), "GenerateContentRequest").at("/contents/0/parts")).isEqualTo(json("""
        [{"text": "What animals are in these pictures?"},
         {"inlineData": {"mimeType": "image/png", "data": "%s"}},
         {"fileData": {"mimeType": "image/webp", "fileUri": "https://example.com/pets/cat.WEBP?size=large#top"}},
         {"fileData": {"mimeType": "image/jpeg", "fileUri": "https://example.com/pets/latest"}},
         {"inlineData": {"mimeType": "image/gif", "data": "R0lGODlhAQABAAAAACw="}}]""".formatted(pngBase64)));
  }

  @Test
  void jsonSchemaFormatSendsTheSchemaAsJsonSchemaWithTheJsonMimeType() throws Exception {
    String schema = """
        {"type": "object",
         "properties": {"city": {"type": "string"}, "population": {"type": ["integer", "null"]}},
         "required": ["city", "population"],
         "additionalProperties": false}""";
    server.enqueue(ok(textAnswer("{\"city\": \"Paris\", \"population\": 2102650}", "STOP")));

    ChatResponse response = gemini.chat(
        ChatRequest.builder()
            .model("gemini-2.5-flash")
            .user("Largest city of France?")
            .responseFormat(ResponseFormat.jsonSchema("city", schema, true))
            .build(),
        CallContext.empty());

    assertThat(json(response.text())).isEqualTo(json("{\"city\": \"Paris\", \"population\": 2102650}"));
    JsonNode config = body(take(server), "GenerateContentRequest").get("generationConfig");
    assertThat(config).isEqualTo(json("{\"responseMimeType\": \"application/json\", \"responseJsonSchema\": " + schema + "}"));
  }

  @Test
  void jsonObjectFormatSendsOnlyTheJsonMimeType() throws Exception {
    server.enqueue(ok(textAnswer("{\"answer\": 42}", "STOP")));

    gemini.chat(
        ChatRequest.builder().model("gemini-2.0-flash").user("Answer as JSON").responseFormat(ResponseFormat.jsonObject()).build(),
        CallContext.empty());

    assertThat(body(take(server), "GenerateContentRequest").get("generationConfig"))
        .isEqualTo(json("{\"responseMimeType\": \"application/json\"}"));
  }

  @Test
  void samplingParametersGoToTheGenerationConfig() throws Exception {
    server.enqueue(ok(textAnswer("ok", "STOP")));
    server.enqueue(ok(textAnswer("ok", "STOP")));
    ChatRequest request = ChatRequest.builder()
        .model("gemini-2.0-flash")
        .user("Write a haiku")
        .temperature(0.4)
        .topP(0.95)
        .maxOutputTokens(256)
        .stop("\n\n", "END")
        .seed(42)
        .build();

    gemini.chat(request, CallContext.empty());
    gemini.chat(request.toBuilder().seed(0x1_0000_0007L).build(), CallContext.empty());

    assertThat(body(take(server), "GenerateContentRequest").get("generationConfig")).isEqualTo(json("""
        {"stopSequences": ["\\n\\n", "END"], "maxOutputTokens": 256, "temperature": 0.4, "topP": 0.95, "seed": 42}"""));
    assertThat(body(take(server), "GenerateContentRequest").at("/generationConfig/seed").asInt())
        .as("a 64-bit seed is folded into 32 bits, deterministically")
        .isEqualTo(6);
  }

  @Test
  void extraEntriesArePassedThroughAndGenerationConfigIsMerged() throws Exception {
    server.enqueue(ok(textAnswer("ok", "STOP")));

    gemini.chat(
        ChatRequest.builder()
            .model("gemini-2.5-flash")
            .user("Latest news on the Ariane 6 launch?")
            .temperature(0.2)
            .maxOutputTokens(1024)
            .tool(WEATHER)
            .toolChoice(ToolChoice.auto())
            .extra(Map.of(
                "toolConfig", Map.of("functionCallingConfig", Map.of("mode", "VALIDATED")),
                "safetySettings", List.of(Map.of("category", "HARM_CATEGORY_HARASSMENT", "threshold", "BLOCK_ONLY_HIGH")),
                "cachedContent", "cachedContents/4v1kx2b8w9",
                "tools", List.of(Map.of("googleSearch", Map.of())),
                "generationConfig", Map.of(
                    "temperature", 0.9,
                    "topK", 40,
                    "thinkingConfig", Map.of("thinkingBudget", 2048, "includeThoughts", true))))
            .build(),
        CallContext.empty());

    JsonNode body = body(take(server), "GenerateContentRequest");
    assertThat(body.get("toolConfig")).isEqualTo(json("{\"functionCallingConfig\": {\"mode\": \"VALIDATED\"}}"));
    assertThat(body.get("safetySettings")).isEqualTo(json("[{\"category\": \"HARM_CATEGORY_HARASSMENT\", \"threshold\": \"BLOCK_ONLY_HIGH\"}]"));
    assertThat(body.get("cachedContent").asText()).isEqualTo("cachedContents/4v1kx2b8w9");
    assertThat(body.at("/tools/0/functionDeclarations/0/name").asText()).isEqualTo("get_weather");
    assertThat(body.at("/tools/1")).isEqualTo(json("{\"googleSearch\": {}}"));
    assertThat(body.get("generationConfig")).isEqualTo(json("""
        {"maxOutputTokens": 1024, "temperature": 0.9, "topK": 40,
         "thinkingConfig": {"thinkingBudget": 2048, "includeThoughts": true}}"""));
  }

  @Test
  void usageCountsCachedToolUseAndThoughtTokensAndThoughtsBecomeReasoning() {
    server.enqueue(ok("""
        {
          "candidates": [{
            "content": {"role": "model", "parts": [
              {"text": "**Reading clause 4**\\n\\nThe clause caps liability; I should check the exclusions.", "thought": true},
              {"text": "Clause 4 limits liability to direct damages.", "thoughtSignature": "Cs4BAdHtim9x"}]},
            "finishReason": "STOP", "index": 0, "safetyRatings": %s}],
          "usageMetadata": {
            "promptTokenCount": 12040, "candidatesTokenCount": 11, "totalTokenCount": 12371,
            "cachedContentTokenCount": 11800, "thoughtsTokenCount": 300, "toolUsePromptTokenCount": 20,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 12040}],
            "cacheTokensDetails": [{"modality": "TEXT", "tokenCount": 11800}]
          },
          "modelVersion": "gemini-2.5-pro",
          "responseId": "pMZTaIKzN4mUmecPr7-L2Ao"
        }""".formatted(SAFETY_RATINGS)));

    ChatResponse response = gemini.chat(ChatRequest.of("gemini-2.5-pro", "Summarise clause 4"), CallContext.empty());

    assertThat(response.text()).isEqualTo("Clause 4 limits liability to direct damages.");
    assertThat(response.reasoning()).startsWith("**Reading clause 4**");
    assertThat(response.usage()).contains(new Usage(12060, 311, 11800, 0, 300));
  }

  @ParameterizedTest
  @CsvSource({
      "STOP, STOP",
      "MAX_TOKENS, LENGTH",
      "LANGUAGE, OTHER",
      "OTHER, OTHER",
      "MALFORMED_FUNCTION_CALL, OTHER",
      "UNEXPECTED_TOOL_CALL, OTHER",
      "TOO_MANY_TOOL_CALLS, OTHER",
      "MISSING_THOUGHT_SIGNATURE, OTHER",
      "FINISH_REASON_UNSPECIFIED, OTHER"})
  void finishReasonsMap(String gemini, FinishReason expected) {
    server.enqueue(ok(textAnswer("Paris is the capital", gemini)));

    ChatResponse response = this.gemini.chat(ChatRequest.of("gemini-2.0-flash", "Capital?"), CallContext.empty());

    assertThat(response.finishReason()).isEqualTo(expected);
    assertThat(response.text()).isEqualTo("Paris is the capital");
  }

  @ParameterizedTest
  @ValueSource(strings = {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"})
  void filteredAnswersAreContentFilteredExceptions(String reason) {
    server.enqueue(ok("""
        {"candidates": [{"finishReason": "%s", "index": 0, "safetyRatings": [
           {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": true}]}],
         "usageMetadata": {"promptTokenCount": 11, "totalTokenCount": 11},
         "modelVersion": "gemini-2.0-flash", "responseId": "k0RUaJ7aB4HjmecP1a2gYQ"}""".formatted(reason)));

    assertThatThrownBy(() -> gemini.chat(ChatRequest.of("gemini-2.0-flash", "..."), CallContext.empty()))
        .isInstanceOfSatisfying(ContentFilteredException.class, e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.provider()).isEqualTo("gemini");
          assertThat(e.getMessage()).contains(reason);
        });
  }

  @Test
  void aBlockedPromptIsAContentFilteredException() {
    server.enqueue(ok("""
        {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT", "safetyRatings": %s},
         "usageMetadata": {"promptTokenCount": 9, "totalTokenCount": 9},
         "modelVersion": "gemini-2.0-flash", "responseId": "gUZUaNi2O8zVmecP5J2S-Q0"}""".formatted(SAFETY_RATINGS)));

    assertThatThrownBy(() -> gemini.chat(ChatRequest.of("gemini-2.0-flash", "..."), CallContext.empty()))
        .isInstanceOf(ContentFilteredException.class)
        .hasMessageContaining("blockReason PROHIBITED_CONTENT");
  }

  @Test
  void aResponseWithoutIdOrModelVersionGetsAGeneratedIdAndTheRequestModel() {
    server.enqueue(ok("""
        {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hello"}]}, "finishReason": "STOP"}]}"""));

    ChatResponse response = gemini.chat(ChatRequest.of("gemini-2.0-flash", "Hi"), CallContext.empty());

    assertThat(response.id()).startsWith("gemini-");
    assertThat(response.model()).isEqualTo("gemini-2.0-flash");
    assertThat(response.usage()).isEmpty();
  }

  @Test
  void aSystemOnlyConversationIsRejectedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> gemini.chat(
            ChatRequest.builder().model("gemini-2.0-flash").system("Be brief.").build(), CallContext.empty()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("messages");
    assertThat(server.getRequestCount()).isZero();
  }
}
