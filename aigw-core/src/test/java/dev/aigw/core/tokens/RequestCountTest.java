package dev.aigw.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.ContentPart;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolChoice;
import dev.aigw.api.ToolSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-message rule, tools, images and response formats in {@link TokenCounter#count(ChatRequest)}. */
class RequestCountTest {
  private static final TokenCounter O200K = TokenCounter.o200k();
  private static final TokenCounter CL100K = TokenCounter.cl100k();

  static ChatRequest conversation() {
    return ChatRequest.builder()
        .model("gpt-4o")
        .system("You are a bot.")
        .user("What is the weather in Paris?")
        .message(Message.assistantToolCalls(List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))))
        .message(Message.tool("call_1", "{\"temp_c\":18,\"sky\":\"cloudy\"}"))
        .message(Message.assistant("It is 18°C and cloudy in Paris."))
        .build();
  }

  @Test
  void theMessageRuleAgainstAHandComputedTotal() {
    // Content tokens (the same in both encodings; cross-checked with JTokkit):
    //   "You are a bot."                  5
    //   "What is the weather in Paris?"   7
    //   "get_weather" 2 + {"city":"Paris"} 5, plus 6 for the call   13
    //   {"temp_c":18,"sky":"cloudy"}      11
    //   "It is 18°C and cloudy in Paris." 10
    // Messages: 5 x (3 framing + 1 role) = 20. Reply priming: 3.
    int expected = 5 + 7 + 13 + 11 + 10 + 20 + 3;
    assertThat(expected).isEqualTo(69);
    assertThat(O200K.count(conversation())).isEqualTo(69);
    assertThat(CL100K.count(conversation())).isEqualTo(69);
  }

  /**
   * Whole-request {@code prompt_tokens} that the OpenAI API reported for one-message requests:
   * the fixtures of github.com/pamelafox/openai-messages-token-helper (tests/messages.py, checked
   * against the live API by its tests/verify_openai.py), where "count" is for the cl100k models
   * and "count_omni" for gpt-4o. They pin the 3 + 1 + content + 3 rule exactly.
   */
  @ParameterizedTest(name = "{0} {1}: cl100k {2}, o200k {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      system    | You are a bot.                        | 12 | 12
      system    | You are a helpful, pattern-following assistant that translates corporate jargon into plain English. | 25 | 24
      system    | Assistant helps the company employees with their healthcare plan questions, and questions about the employee handbook. Be brief in your answers. | 31 | 31
      system    | á                                     |  8 |  8
      user      | Hello, how are you?                   | 13 | 13
      user      | What happens in a performance review? | 14 | 14
      user      | Is there a dress code?                | 13 | 13
      assistant | Yes, there is a dress code at Contoso Electronics. Look sharp! [employee_handbook-1.pdf] | 30 | 30
      """)
  void oneMessageRequestsMatchTheApisReportedPromptTokens(String role, String text, int cl100k, int o200k) {
    Message message = switch (role) {
      case "system" -> Message.system(text);
      case "user" -> Message.user(text);
      default -> Message.assistant(text);
    };
    ChatRequest request = ChatRequest.builder().model("m").message(message).build();
    assertThat(CL100K.count(request)).isEqualTo(cl100k);
    assertThat(O200K.count(request)).isEqualTo(o200k);
  }

  /**
   * Tool definitions against the OpenAI API's reported {@code prompt_tokens} for a system message
   * "You are a bot." and one tool: the fixtures of pamelafox/openai-messages-token-helper
   * (tests/functions.py, checked against the live API by tests/verify_functions.py). Our
   * rendering (name, description, compact JSON schema, fixed overheads) is an approximation, so
   * the check is the documented band: never below the API, at most 22 tokens above it.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      search_sources auto | search_sources | Retrieve sources from the Azure AI Search index | {"type":"object","properties":{"search_query":{"type":"string","description":"Query string to retrieve documents from azure search eg: 'Health care plan'"}},"required":["search_query"]} | auto | 66
      search_sources none | search_sources | Retrieve sources from the Azure AI Search index | {"type":"object","properties":{"search_query":{"type":"string","description":"Query string to retrieve documents from azure search eg: 'Health care plan'"}},"required":["search_query"]} | none | 67
      search_sources named | search_sources | Retrieve sources from the Azure AI Search index | {"type":"object","properties":{"search_query":{"type":"string","description":"Query string to retrieve documents from azure search eg: 'Health care plan'"}},"required":["search_query"]} | named | 75
      integer_enum | data_demonstration | This is the main function description | {"type":"object","properties":{"integer_enum":{"type":"integer","enum":[-1,1]}}} | none | 54
      integer_enum named | data_demonstration | This is the main function description | {"type":"object","properties":{"integer_enum":{"type":"integer","enum":[-1,1]}}} | named | 64
      no_parameters | search_sources | Retrieve sources from the Azure AI Search index | {"type":"object","properties":{}} | auto | 42
      no_parameters named | search_sources | Retrieve sources from the Azure AI Search index | {"type":"object","properties":{}} | named | 51
      no_parameter_description_or_required | search_sources | Retrieve sources from the Azure AI Search index | {"type":"object","properties":{"search_query":{"type":"string"}}} | auto | 49
      no_parameter_description | search_sources | Retrieve sources from the Azure AI Search index | {"type":"object","properties":{"search_query":{"type":"string"}},"required":["search_query"]} | auto | 49
      string_enum | summarize_order | Summarize the customer order request | {"type":"object","properties":{"product_name":{"type":"string","description":"Product name ordered by customer"},"quantity":{"type":"integer","description":"Quantity ordered by customer"},"unit":{"type":"string","enum":["meals","days"],"description":"unit of measurement of the customer order"}},"required":["product_name","quantity","unit"]} | none | 86
      inner_object | data_demonstration | This is the main function description | {"type":"object","properties":{"object_1":{"type":"object","description":"The object data type as a property","properties":{"string1":{"type":"string"}}}},"required":["object_1"]} | none | 65
      inner_object_with_enum_only | data_demonstration | This is the main function description | {"type":"object","properties":{"object_1":{"type":"object","description":"The object data type as a property","properties":{"string_2a":{"type":"string","enum":["Happy","Sad"]}}}},"required":["object_1"]} | none | 73
      inner_object_with_enum | data_demonstration | This is the main function description | {"type":"object","properties":{"object_1":{"type":"object","description":"The object data type as a property","properties":{"string_2a":{"type":"string","enum":["Happy","Sad"]},"string_2b":{"type":"string","description":"Description in a second object is lost"}}}},"required":["object_1"]} | none | 89
      inner_object_and_string | data_demonstration | This is the main function description | {"type":"object","properties":{"object_1":{"type":"object","description":"The object data type as a property","properties":{"string_2a":{"type":"string","enum":["Happy","Sad"]},"string_2b":{"type":"string","description":"Description in a second object is lost"}}},"string_1":{"type":"string","description":"Not required gets a question mark"}},"required":["object_1"]} | none | 103
      boolean | human_escalation | Check if user wants to escalate to a human | {"type":"object","properties":{"requires_escalation":{"type":"boolean","description":"If user is showing signs of frustration or anger in the query. Also if the user says they want to talk to a real person and not a chat bot."}},"required":["requires_escalation"]} | none | 89
      array | get_coordinates | Get the latitude and longitude of multiple mailing addresses | {"type":"object","properties":{"addresses":{"type":"array","description":"The mailing addresses to be located","items":{"type":"string"}}},"required":["addresses"]} | none | 59
      null | get_null | Get the null value | {"type":"object","properties":{"null_value":{"type":"null","description":"The null value to be returned"}},"required":["null_value"]} | none | 55
      no_type | get_no_type | Get the no type value | {"type":"object","properties":{"no_type_value":{"description":"The no type value to be returned"}},"required":["no_type_value"]} | none | 59
      """)
  void toolDefinitionsStayWithinTheDocumentedBandOfTheApisCount(
      String label, String name, String description, String schema, String choice, int apiPromptTokens) {
    ChatRequest.Builder builder = ChatRequest.builder()
        .model("m")
        .system("You are a bot.")
        .tool(ToolSpec.of(name, description, schema));
    switch (choice) {
      case "none" -> builder.toolChoice(ToolChoice.none());
      case "named" -> builder.toolChoice(ToolChoice.tool(name));
      default -> builder.toolChoice(ToolChoice.auto());
    }
    ChatRequest request = builder.build();
    for (TokenCounter counter : List.of(O200K, CL100K)) {
      assertThat(counter.count(request))
          .as("%s with %s", label, counter.name())
          .isBetween(apiPromptTokens, apiPromptTokens + 22);
    }
  }

  @Test
  void toolsAddTheirRenderingPlusFixedOverheads() {
    String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
    ToolSpec weather = ToolSpec.of("get_weather", "Current weather for a city.", schema);
    ToolSpec time = ToolSpec.of("get_time", "Local time for a city.", schema);
    ChatRequest plain = conversation();
    ChatRequest oneTool = plain.toBuilder().tool(weather).build();
    ChatRequest twoTools = plain.toBuilder().tool(weather).tool(time).build();
    ChatRequest noSystem = ChatRequest.builder().model("m").user("What is the weather in Paris?").build();

    for (TokenCounter c : List.of(O200K, CL100K)) {
      int weatherText = c.count("get_weather") + c.count("Current weather for a city.") + c.count(schema);
      int timeText = c.count("get_time") + c.count("Local time for a city.") + c.count(schema);
      // With a system message: 6 - 4 per request, 10 per tool.
      assertThat(c.count(oneTool) - c.count(plain)).isEqualTo(2 + 10 + weatherText);
      assertThat(c.count(twoTools) - c.count(plain)).isEqualTo(2 + 10 + weatherText + 10 + timeText);
      // Without one: the full 6.
      assertThat(c.count(noSystem.toBuilder().tool(weather).build()) - c.count(noSystem)).isEqualTo(6 + 10 + weatherText);
    }
  }

  @Test
  void aPrettyPrintedSchemaCountsLikeItsCompactForm() {
    String compact = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"a  city\"}}}";
    String pretty = "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"city\": {\n      \"type\": \"string\",\n"
        + "      \"description\": \"a  city\"\n    }\n  }\n}";
    ChatRequest base = ChatRequest.of("m", "hi");
    assertThat(O200K.count(base.toBuilder().tool(ToolSpec.of("t", "d", pretty)).build()))
        .isEqualTo(O200K.count(base.toBuilder().tool(ToolSpec.of("t", "d", compact)).build()));
  }

  @Test
  void eachImageAddsTheDocumentedConstant() {
    ContentPart.Image url = ContentPart.imageUrl("https://example.com/cat.png");
    ContentPart.Image bytes = ContentPart.imageBytes(new byte[] {1, 2, 3}, "image/png");
    ChatRequest text = ChatRequest.builder().model("m").message(Message.user(ContentPart.text("Describe this picture:"))).build();
    ChatRequest one = ChatRequest.builder().model("m").message(Message.user(ContentPart.text("Describe this picture:"), url)).build();
    ChatRequest two = ChatRequest.builder().model("m").message(Message.user(ContentPart.text("Describe this picture:"), url, bytes)).build();
    assertThat(TokenCounter.IMAGE_TOKENS).isEqualTo(765);
    for (TokenCounter c : List.of(O200K, CL100K)) {
      assertThat(c.count(text)).isEqualTo(3 + 1 + 4 + 3);
      assertThat(c.count(one) - c.count(text)).isEqualTo(765);
      assertThat(c.count(two) - c.count(text)).isEqualTo(2 * 765);
    }
    // An estimate scales images too: (11 + 765) * 1.3 = 1008.8 -> 1009.
    assertThat(TokenCounter.forModel("claude-3-5-sonnet").count(one)).isEqualTo(1009);
  }

  @Test
  void textPartsAreCountedSeparately() {
    ChatRequest split = ChatRequest.builder()
        .model("m")
        .message(Message.user(ContentPart.text("hello"), ContentPart.text(" world")))
        .build();
    assertThat(O200K.count(split)).isEqualTo(3 + 1 + 1 + 1 + 3);
  }

  @Test
  void toolChoiceAndResponseFormat() {
    ChatRequest base = conversation().toBuilder().tool(ToolSpec.of("get_weather", "Weather.")).build();
    int auto = O200K.count(base);
    assertThat(O200K.count(base.toBuilder().toolChoice(ToolChoice.auto()).build())).isEqualTo(auto);
    assertThat(O200K.count(base.toBuilder().toolChoice(ToolChoice.none()).build())).isEqualTo(auto + 1);
    assertThat(O200K.count(base.toBuilder().toolChoice(ToolChoice.required()).build())).isEqualTo(auto + 7);
    assertThat(O200K.count(base.toBuilder().toolChoice(ToolChoice.tool("get_weather")).build())).isEqualTo(auto + 7 + 2);

    String schema = "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"}}}";
    int plain = O200K.count(conversation());
    assertThat(O200K.count(conversation().toBuilder().responseFormat(ResponseFormat.jsonObject()).build())).isEqualTo(plain);
    assertThat(O200K.count(conversation().toBuilder().responseFormat(ResponseFormat.jsonSchema("answer", schema, true)).build()))
        .isEqualTo(plain + 10 + O200K.count("answer") + O200K.count(schema));
  }

  @Test
  void parametersThatAreNotPromptDoNotCount() {
    ChatRequest plain = conversation();
    ChatRequest tuned = plain.toBuilder().maxOutputTokens(4000).temperature(0.3).stop("END").seed(7).build();
    assertThat(O200K.count(tuned)).isEqualTo(O200K.count(plain));
  }

  @Test
  void estimatesScaleTheWholeRequest() {
    int base = O200K.count(conversation());
    assertThat(TokenCounter.forModel("claude-sonnet-4-5").count(conversation())).isEqualTo((int) Math.ceil(base * 1.3));
    assertThat(TokenCounter.forModel("gemini-2.5-pro").count(conversation())).isEqualTo((int) Math.ceil(base * 1.2));
  }
}
