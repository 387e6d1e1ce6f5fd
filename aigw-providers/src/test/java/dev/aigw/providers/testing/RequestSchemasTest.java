package dev.aigw.providers.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestSchemasTest {

  // Realistic bodies, as the providers' own docs show them.

  static final String OPENAI_CHAT_MINIMAL = """
      {"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Hello"}],
       "temperature":0.2,"max_completion_tokens":64,"stream":true,"stream_options":{"include_usage":true}}""";

  static final String OPENAI_CHAT_TOOLS = """
      {"model":"gpt-4o","messages":[
         {"role":"user","content":[{"type":"text","text":"Weather in Paris?"},
                                   {"type":"image_url","image_url":{"url":"https://example.com/p.png","detail":"low"}}]},
         {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
            "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
         {"role":"tool","tool_call_id":"call_1","content":"18C"}],
       "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
          "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
       "tool_choice":"auto","parallel_tool_calls":true,"response_format":{"type":"json_object"},
       "stop":["END"],"seed":7,"user":"u-1","n":1}""";

  static final String OPENAI_EMBEDDING = """
      {"model":"text-embedding-3-small","input":["first text","second text"],"encoding_format":"float","dimensions":256}""";

  static final String ANTHROPIC_MINIMAL = """
      {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"Be terse.",
       "messages":[{"role":"user","content":"Hello"}],"temperature":0.5,"stream":true}""";

  static final String ANTHROPIC_TOOLS = """
      {"model":"claude-sonnet-4-5","max_tokens":1024,
       "system":[{"type":"text","text":"Be terse.","cache_control":{"type":"ephemeral"}}],
       "messages":[
         {"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
         {"role":"assistant","content":[{"type":"text","text":"Checking."},
            {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"18C"}]}],
       "tools":[{"name":"get_weather","description":"Current weather",
          "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
       "tool_choice":{"type":"auto"},"stop_sequences":["END"],"top_p":0.9,"metadata":{"user_id":"u-1"}}""";

  static final String GEMINI_MINIMAL = """
      {"contents":[{"role":"user","parts":[{"text":"Hello"}]}],
       "systemInstruction":{"parts":[{"text":"Be terse."}]},
       "generationConfig":{"temperature":0.2,"maxOutputTokens":64,"stopSequences":["END"],"candidateCount":1}}""";

  static final String GEMINI_TOOLS = """
      {"contents":[
         {"role":"user","parts":[{"text":"Weather in Paris?"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]},
         {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
         {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"temperature":"18C"}}}]}],
       "tools":[{"functionDeclarations":[{"name":"get_weather","description":"Current weather",
          "parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}},"required":["city"]}}]}],
       "toolConfig":{"functionCallingConfig":{"mode":"AUTO"}},
       "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_ONLY_HIGH"}],
       "generationConfig":{"responseMimeType":"application/json","thinkingConfig":{"thinkingBudget":0}}}""";

  static final String GEMINI_BATCH_EMBED = """
      {"requests":[
         {"model":"models/text-embedding-004","content":{"parts":[{"text":"first text"}]},"taskType":"RETRIEVAL_DOCUMENT"},
         {"model":"models/text-embedding-004","content":{"parts":[{"text":"second text"}]},"outputDimensionality":256}]}""";

  @Nested
  class RealisticBodiesPass {
    @Test
    void openAiChatMinimalAndWithToolsAndImages() {
      RequestSchemas.assertValidOpenAiChatRequest(OPENAI_CHAT_MINIMAL);
      RequestSchemas.assertValidOpenAiChatRequest(OPENAI_CHAT_TOOLS);
    }

    @Test
    void openAiEmbedding() {
      RequestSchemas.assertValidOpenAiEmbeddingRequest(OPENAI_EMBEDDING);
      RequestSchemas.assertValidOpenAiEmbeddingRequest("{\"model\":\"text-embedding-3-small\",\"input\":\"one text\"}");
    }

    @Test
    void anthropicMinimalAndWithToolsAndCacheControl() {
      RequestSchemas.assertValidAnthropicMessageRequest(ANTHROPIC_MINIMAL);
      RequestSchemas.assertValidAnthropicMessageRequest(ANTHROPIC_TOOLS);
    }

    @Test
    void geminiGenerateContentMinimalAndWithTools() {
      RequestSchemas.assertValidGeminiGenerateContentRequest(GEMINI_MINIMAL);
      RequestSchemas.assertValidGeminiGenerateContentRequest(GEMINI_TOOLS);
    }

    @Test
    void geminiGenerateContentWithoutModelInTheBody() {
      // The model travels in the URL path; the extractor drops it from the body's required list.
      assertThat(GEMINI_MINIMAL).doesNotContain("\"model\"");
      RequestSchemas.assertValidGeminiGenerateContentRequest(GEMINI_MINIMAL);
    }

    @Test
    void geminiBatchEmbed() {
      RequestSchemas.assertValidGeminiBatchEmbedRequest(GEMINI_BATCH_EMBED);
    }

    @Test
    void openAiNullableFieldsAcceptNull() {
      // The 3.1 document still says `nullable: true` on these; the extractor turns that into a union with null.
      RequestSchemas.assertValidOpenAiChatRequest("""
          {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],
           "max_completion_tokens":null,"stop":null,"stream":null,"n":null,"logit_bias":null,"prediction":null}""");
    }
  }

  @Nested
  class WrongBodiesFailNamingTheField {
    @Test
    void openAiTemperatureOfTheWrongType() {
      assertFails(RequestSchemas::assertValidOpenAiChatRequest,
          OPENAI_CHAT_MINIMAL.replace("\"temperature\":0.2", "\"temperature\":\"hot\""), "/temperature: string found, number expected");
    }

    @Test
    void openAiTemperatureOutOfRange() {
      assertFails(RequestSchemas::assertValidOpenAiChatRequest,
          OPENAI_CHAT_MINIMAL.replace("\"temperature\":0.2", "\"temperature\":3"), "/temperature: ");
    }

    @Test
    void openAiWithoutMessages() {
      assertFails(RequestSchemas::assertValidOpenAiChatRequest, "{\"model\":\"gpt-4o-mini\"}", "/: required property 'messages' not found");
    }

    @Test
    void openAiMessageWithAnUnknownRole() {
      assertFails(RequestSchemas::assertValidOpenAiChatRequest,
          "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"robot\",\"content\":\"Hi\"}]}", "/messages/0/role: ");
    }

    @Test
    void openAiToolCallArgumentsAsAnObjectInsteadOfAString() {
      assertFails(RequestSchemas::assertValidOpenAiChatRequest,
          OPENAI_CHAT_TOOLS.replace("\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"", "\"arguments\":{\"city\":\"Paris\"}"),
          "/messages/1/tool_calls/0/function/arguments: object found, string expected");
    }

    @Test
    void openAiEmbeddingWithoutInput() {
      assertFails(RequestSchemas::assertValidOpenAiEmbeddingRequest, "{\"model\":\"text-embedding-3-small\"}", "required property 'input' not found");
    }

    @Test
    void openAiEmbeddingDimensionsAsAString() {
      assertFails(RequestSchemas::assertValidOpenAiEmbeddingRequest,
          OPENAI_EMBEDDING.replace("\"dimensions\":256", "\"dimensions\":\"256\""), "/dimensions: ");
    }

    @Test
    void anthropicWithoutMaxTokens() {
      assertFails(RequestSchemas::assertValidAnthropicMessageRequest,
          ANTHROPIC_MINIMAL.replace("\"max_tokens\":1024,", ""), "/: required property 'max_tokens' not found");
    }

    @Test
    void anthropicTemperatureAboveOne() {
      assertFails(RequestSchemas::assertValidAnthropicMessageRequest,
          ANTHROPIC_MINIMAL.replace("\"temperature\":0.5", "\"temperature\":1.5"), "/temperature: ");
    }

    @Test
    void anthropicSystemRoleInsideMessages() {
      // A common porting mistake from OpenAI: Anthropic takes the system prompt at the top level.
      assertFails(RequestSchemas::assertValidAnthropicMessageRequest,
          ANTHROPIC_MINIMAL.replace("{\"role\":\"user\"", "{\"role\":\"system\",\"content\":\"x\"},{\"role\":\"user\""),
          "/messages/0/role: ");
    }

    @Test
    void geminiContentsAsAString() {
      assertFails(RequestSchemas::assertValidGeminiGenerateContentRequest, "{\"contents\":\"Hello\"}", "/contents: string found, array expected");
    }

    @Test
    void geminiWithoutContents() {
      assertFails(RequestSchemas::assertValidGeminiGenerateContentRequest,
          "{\"generationConfig\":{\"temperature\":0.2}}", "/: required property 'contents' not found");
    }

    @Test
    void geminiMaxOutputTokensAsAString() {
      assertFails(RequestSchemas::assertValidGeminiGenerateContentRequest,
          GEMINI_MINIMAL.replace("\"maxOutputTokens\":64", "\"maxOutputTokens\":\"64\""), "/generationConfig/maxOutputTokens: ");
    }

    @Test
    void geminiLowerCaseSchemaType() {
      // The spec's Type enum is upper case.
      assertFails(RequestSchemas::assertValidGeminiGenerateContentRequest,
          GEMINI_TOOLS.replace("\"type\":\"OBJECT\"", "\"type\":\"object\""), "/tools/0/functionDeclarations/0/parameters/type: ");
    }

    @Test
    void geminiBatchEmbedRequestWithoutModel() {
      assertFails(RequestSchemas::assertValidGeminiBatchEmbedRequest,
          "{\"requests\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}", "/requests/0: required property 'model' not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        RequestSchemas.OPENAI_CHAT, RequestSchemas.OPENAI_EMBEDDING, RequestSchemas.ANTHROPIC_MESSAGE,
        RequestSchemas.GEMINI_GENERATE_CONTENT, RequestSchemas.GEMINI_BATCH_EMBED})
    void aBodyThatIsNotAnObjectFailsEverySchema(String name) {
      assertThat(RequestSchemas.violations(name, "[]")).isNotEmpty();
      assertThat(RequestSchemas.violations(name, "{}")).as("{} misses required fields").isNotEmpty();
    }
  }

  @Nested
  class FailureMessages {
    @Test
    void listEveryViolationWithItsLocation() {
      String body = "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"temperature\":\"hot\",\"top_k\":\"many\"}";
      assertThatThrownBy(() -> RequestSchemas.assertValidAnthropicMessageRequest(body))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining(RequestSchemas.ANTHROPIC_MESSAGE)
          .hasMessageContaining("/: required property 'max_tokens' not found")
          .hasMessageContaining("/temperature: ")
          .hasMessageContaining("/top_k: ")
          .hasMessageContaining(body);
    }

    @Test
    void sayWhenTheBodyIsNotJson() {
      assertThatThrownBy(() -> RequestSchemas.assertValidOpenAiChatRequest("{\"model\":"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("not JSON");
    }
  }

  /**
   * Which specs reject unknown fields. Provider passthrough of extra fields (and typos) is only
   * caught where the spec says {@code additionalProperties: false}.
   */
  @Nested
  class UnknownFields {
    @Test
    void openAiChatAcceptsUnknownTopLevelAndNestedFields() {
      assertThat(RequestSchemas.violations(RequestSchemas.OPENAI_CHAT, withExtraField(OPENAI_CHAT_MINIMAL))).isEmpty();
      String nested = OPENAI_CHAT_MINIMAL.replace("\"content\":\"Hello\"", "\"content\":\"Hello\",\"nmae\":\"bob\"");
      assertThat(RequestSchemas.violations(RequestSchemas.OPENAI_CHAT, nested)).isEmpty();
    }

    @Test
    void openAiEmbeddingRejectsUnknownTopLevelFields() {
      assertThat(RequestSchemas.violations(RequestSchemas.OPENAI_EMBEDDING, withExtraField(OPENAI_EMBEDDING)))
          .anySatisfy(m -> assertThat(m).contains("passthrough_extra"));
    }

    @Test
    void anthropicRejectsUnknownTopLevelFields() {
      assertThat(RequestSchemas.violations(RequestSchemas.ANTHROPIC_MESSAGE, withExtraField(ANTHROPIC_MINIMAL)))
          .anySatisfy(m -> assertThat(m).contains("passthrough_extra"));
    }

    @Test
    void anthropicRejectsUnknownFieldsInsideMessages() {
      String body = ANTHROPIC_MINIMAL.replace("\"content\":\"Hello\"", "\"content\":\"Hello\",\"name\":\"bob\"");
      assertThat(RequestSchemas.violations(RequestSchemas.ANTHROPIC_MESSAGE, body)).isNotEmpty();
    }

    @Test
    void geminiAcceptsUnknownTopLevelAndNestedFields() {
      assertThat(RequestSchemas.violations(RequestSchemas.GEMINI_GENERATE_CONTENT, withExtraField(GEMINI_MINIMAL))).isEmpty();
      assertThat(RequestSchemas.violations(RequestSchemas.GEMINI_BATCH_EMBED, withExtraField(GEMINI_BATCH_EMBED))).isEmpty();
      // So a snake_case spelling is not caught by the schema: check field names in the provider tests.
      String snake = GEMINI_MINIMAL.replace("\"maxOutputTokens\":64", "\"max_output_tokens\":\"not even a number\"");
      assertThat(RequestSchemas.violations(RequestSchemas.GEMINI_GENERATE_CONTENT, snake)).isEmpty();
    }

    private static String withExtraField(String body) {
      return body.replaceFirst("\\{", "{\"passthrough_extra\":{\"x\":1},");
    }
  }

  @Nested
  class GeneratedFiles {
    @ParameterizedTest
    @ValueSource(strings = {
        RequestSchemas.OPENAI_CHAT, RequestSchemas.OPENAI_EMBEDDING, RequestSchemas.ANTHROPIC_MESSAGE,
        RequestSchemas.GEMINI_GENERATE_CONTENT, RequestSchemas.GEMINI_BATCH_EMBED})
    void areSelfContainedDraft202012Schemas(String name) throws IOException {
      String text = resource("specs/" + name + ".schema.json");
      assertThat(text)
          .contains("\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"")
          .contains("\"$defs\"")
          .doesNotContain("\"$ref\":\"#/components/")
          .doesNotContain("\"nullable\":true")
          .doesNotContain("\"discriminator\":{")
          .doesNotContain("\"x-stainless", "\"x-oai", "\"x-google")
          .doesNotContain("\"description\":\"");
      assertThatCode(() -> RequestSchemas.schema(name)).doesNotThrowAnyException();
    }

    @Test
    void sourcesNameEveryGeneratedFile() throws IOException {
      String sources = resource("specs/SOURCES.md");
      for (String name : List.of(RequestSchemas.OPENAI_CHAT, RequestSchemas.OPENAI_EMBEDDING,
          RequestSchemas.ANTHROPIC_MESSAGE, RequestSchemas.GEMINI_GENERATE_CONTENT, RequestSchemas.GEMINI_BATCH_EMBED)) {
        assertThat(sources).contains(name + ".schema.json");
      }
    }

    private String resource(String path) throws IOException {
      try (InputStream in = RequestSchemasTest.class.getClassLoader().getResourceAsStream(path)) {
        assertThat(in).as(path).isNotNull();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  private static void assertFails(Consumer<String> check, String body, String field) {
    assertThatThrownBy(() -> check.accept(body))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(field);
  }
}
