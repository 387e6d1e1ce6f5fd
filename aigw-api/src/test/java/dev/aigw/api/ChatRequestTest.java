package dev.aigw.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

  private static final ToolSpec WEATHER = ToolSpec.of("get_weather", "Weather for a city",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
  private static final ToolSpec TIME = ToolSpec.of("get_time", "The current time");

  private static ChatRequest.Builder minimal() {
    return ChatRequest.builder().model("chat").user("hello");
  }

  /** Asserts that {@code call} throws an InvalidRequestException whose field() is {@code field}. */
  private static InvalidRequestException assertRejects(ThrowingCallable call, String field) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call);
    assertThat(e).as("expected an InvalidRequestException for field %s", field).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.getMessage()).startsWith(field + ": ");
    return e;
  }

  private static ChatRequest full() {
    return ChatRequest.builder()
        .model("openai/gpt-4o")
        .system("You answer in one sentence.")
        .user("What is the capital of France?")
        .message(Message.assistant("", List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))))
        .message(Message.tool("call_1", "{\"temp\":21}"))
        .tool(WEATHER)
        .tool(TIME)
        .toolChoice(ToolChoice.tool("get_weather"))
        .responseFormat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}", true))
        .temperature(0.2)
        .topP(0.9)
        .maxOutputTokens(100)
        .stop("END", "STOP")
        .seed(42L)
        .extra(Map.of("logprobs", true, "metadata", Map.of("k", List.of(1, "two"))))
        .build();
  }

  @Nested
  class HappyPath {
    @Test
  void withModelChangesOnlyTheModelAndEqualsTheBuilderForm() {
    ChatRequest base = ChatRequest.builder().model("chat").system("be brief").user("hi").temperature(0.3)
        .stop("END").extra(java.util.Map.of("logprobs", true)).build();

    ChatRequest moved = base.withModel("gpt-4o-mini");

    assertThat(moved).isEqualTo(base.toBuilder().model("gpt-4o-mini").build());
    assertThat(moved.messages()).isSameAs(base.messages());
    assertThat(base.model()).isEqualTo("chat");
    assertThatThrownBy(() -> base.withModel(" ")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
    void builderSetsEveryField() {
      ChatRequest r = full();

      assertThat(r.model()).isEqualTo("openai/gpt-4o");
      assertThat(r.messages()).extracting(Message::role)
          .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL);
      assertThat(r.messages().get(1).text()).isEqualTo("What is the capital of France?");
      assertThat(r.tools()).containsExactly(WEATHER, TIME);
      assertThat(r.toolChoice()).contains(ToolChoice.tool("get_weather"));
      assertThat(r.responseFormat().type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
      assertThat(r.temperature()).hasValue(0.2);
      assertThat(r.topP()).hasValue(0.9);
      assertThat(r.maxOutputTokens()).hasValue(100);
      assertThat(r.stop()).containsExactly("END", "STOP");
      assertThat(r.seed()).hasValue(42L);
      assertThat(r.extra()).containsEntry("logprobs", true)
          .containsEntry("metadata", Map.of("k", List.of(1, "two")));
      assertThat(r.lastUserText()).isEqualTo("What is the capital of France?");
    }

    @Test
    void unsetOptionalParametersAreEmptyAndFormatIsText() {
      ChatRequest r = ChatRequest.of("chat", "hi");

      assertThat(r.messages()).containsExactly(Message.user("hi"));
      assertThat(r.tools()).isEmpty();
      assertThat(r.toolChoice()).isEmpty();
      assertThat(r.responseFormat()).isEqualTo(ResponseFormat.text());
      assertThat(r.temperature()).isEmpty();
      assertThat(r.topP()).isEmpty();
      assertThat(r.maxOutputTokens()).isEmpty();
      assertThat(r.stop()).isEmpty();
      assertThat(r.seed()).isEmpty();
      assertThat(r.extra()).isEmpty();
    }

    @Test
    void rangeBoundsAreInclusive() {
      ChatRequest low = minimal().temperature(0.0).topP(0.0).maxOutputTokens(1).build();
      ChatRequest high = minimal().temperature(2.0).topP(1.0).build();

      assertThat(low.temperature()).hasValue(0.0);
      assertThat(low.topP()).hasValue(0.0);
      assertThat(low.maxOutputTokens()).hasValue(1);
      assertThat(high.temperature()).hasValue(2.0);
      assertThat(high.topP()).hasValue(1.0);
    }

    @Test
    void toBuilderRoundTripGivesAnEqualRequest() {
      ChatRequest r = full();
      ChatRequest copy = r.toBuilder().build();

      assertThat(copy).isEqualTo(r).hasSameHashCodeAs(r).isNotSameAs(r);
    }

    @Test
    void changingTheToBuilderDoesNotChangeTheOriginal() {
      ChatRequest r = full();
      ChatRequest changed = r.toBuilder().user("another question").temperature(1.5).stop("X").build();

      assertThat(changed).isNotEqualTo(r);
      assertThat(r.messages()).hasSize(4);
      assertThat(r.temperature()).hasValue(0.2);
      assertThat(r.stop()).containsExactly("END", "STOP");
      assertThat(changed.messages()).hasSize(5);
      assertThat(changed.lastUserText()).isEqualTo("another question");
    }

    @Test
    void requestsDifferingInOneParameterAreNotEqual() {
      ChatRequest base = minimal().build();

      assertThat(minimal().build()).isEqualTo(base).hasSameHashCodeAs(base);
      assertThat(minimal().temperature(0.5).build()).isNotEqualTo(base);
      assertThat(minimal().seed(1).build()).isNotEqualTo(base);
      assertThat(minimal().extra(Map.of("a", 1)).build()).isNotEqualTo(base);
      assertThat(base.toBuilder().model("other").build()).isNotEqualTo(base);
    }

    @Test
    void messagesAndToolsSettersReplaceRatherThanAppend() {
      ChatRequest r = minimal()
          .messages(List.of(Message.system("s"), Message.user("u")))
          .tool(WEATHER)
          .tools(List.of(TIME))
          .build();

      assertThat(r.messages()).containsExactly(Message.system("s"), Message.user("u"));
      assertThat(r.tools()).containsExactly(TIME);
    }

    @Test
    void lastUserTextIsEmptyWithoutAUserMessage() {
      ChatRequest r = ChatRequest.builder().model("chat").system("only a system prompt").build();

      assertThat(r.lastUserText()).isEmpty();
    }

    @Test
    void toolChoiceAutoAndNoneNeedNoTools() {
      assertThat(minimal().toolChoice(ToolChoice.auto()).build().toolChoice()).contains(ToolChoice.auto());
      assertThat(minimal().toolChoice(ToolChoice.none()).build().toolChoice()).contains(ToolChoice.none());
    }
  }

  @Nested
  class Validation {
    @Test
    void unsetModelIsRejectedAtBuild() {
      assertRejects(() -> ChatRequest.builder().user("hi").build(), "model");
    }

    @Test
    void blankOrNullModelIsRejectedNamingTheField() {
      assertRejects(() -> ChatRequest.builder().model(""), "model");
      assertRejects(() -> ChatRequest.builder().model("   "), "model");
      assertRejects(() -> ChatRequest.builder().model(null), "model");
    }

    @Test
    void requestWithoutMessagesIsRejected() {
      assertRejects(() -> ChatRequest.builder().model("chat").build(), "messages");
      assertRejects(() -> minimal().messages(List.of()).build(), "messages");
    }

    @Test
    void nullMessageIsRejectedNamingItsIndex() {
      assertRejects(() -> minimal().message(null), "messages[1]");
      List<Message> withNull = new ArrayList<>();
      withNull.add(Message.user("a"));
      withNull.add(null);
      assertRejects(() -> minimal().messages(withNull), "messages[1]");
    }

    @Test
    void temperatureOutsideRangeIsRejectedNamingTheField() {
      assertRejects(() -> minimal().temperature(-0.01), "temperature");
      assertRejects(() -> minimal().temperature(2.01), "temperature");
      assertRejects(() -> minimal().temperature(Double.POSITIVE_INFINITY), "temperature");
    }

    @Test
    void temperatureNaNIsRejected() {
      assertRejects(() -> minimal().temperature(Double.NaN), "temperature");
    }

    @Test
    void topPOutsideRangeOrNaNIsRejectedNamingTheField() {
      assertRejects(() -> minimal().topP(-0.1), "topP");
      assertRejects(() -> minimal().topP(1.0001), "topP");
      assertRejects(() -> minimal().topP(Double.NaN), "topP");
    }

    @Test
    void nonPositiveMaxOutputTokensIsRejected() {
      assertRejects(() -> minimal().maxOutputTokens(0), "maxOutputTokens");
      assertRejects(() -> minimal().maxOutputTokens(-5), "maxOutputTokens");
    }

    @Test
    void emptyStopStringIsRejectedNamingItsIndex() {
      assertRejects(() -> minimal().stop("END", ""), "stop[1]");
      assertRejects(() -> minimal().stop(List.of("")), "stop[0]");
    }

    @Test
    void nullStopStringInAListIsRejectedNamingItsIndex() {
      List<String> stops = new ArrayList<>();
      stops.add("END");
      stops.add(null);
      assertRejects(() -> minimal().stop(stops), "stop[1]");
    }

    @Test
    void nullStopStringInVarargsIsRejectedNamingItsIndex() {
      // The class Javadoc promises InvalidRequestException naming the field from every setter.
      assertRejects(() -> minimal().stop("END", null), "stop[1]");
    }

    @Test
    void duplicateToolNamesAreRejectedNamingTheSecond() {
      ToolSpec again = ToolSpec.of("get_weather", "same name, other description");
      InvalidRequestException e = assertRejects(
          () -> minimal().tool(WEATHER).tool(TIME).tool(again).build(), "tools[2].name");
      assertThat(e.getMessage()).contains("get_weather");
    }

    @Test
    void nullToolIsRejectedNamingItsIndex() {
      assertRejects(() -> minimal().tool(WEATHER).tool(null), "tools[1]");
    }

    @Test
    void requiredToolChoiceWithoutToolsIsRejected() {
      assertRejects(() -> minimal().toolChoice(ToolChoice.required()).build(), "toolChoice");
    }

    @Test
    void namedToolChoiceWithoutToolsIsRejected() {
      assertRejects(() -> minimal().toolChoice(ToolChoice.tool("get_weather")).build(), "toolChoice");
    }

    @Test
    void toolChoiceNamingAMissingToolIsRejected() {
      InvalidRequestException e = assertRejects(
          () -> minimal().tool(WEATHER).toolChoice(ToolChoice.tool("get_stock_price")).build(), "toolChoice");
      assertThat(e.getMessage()).contains("get_stock_price");
    }

    @Test
    void nullToolChoiceAndResponseFormatAreRejected() {
      assertRejects(() -> minimal().toolChoice(null), "toolChoice");
      assertRejects(() -> minimal().responseFormat(null), "responseFormat");
    }
  }

  @Nested
  class Extra {
    @Test
    void unsupportedValueTypeIsRejectedNamingThePath() {
      InvalidRequestException e = assertRejects(
          () -> minimal().extra(Map.of("when", new java.util.Date())), "extra.when");
      assertThat(e.getMessage()).contains("java.util.Date");
    }

    @Test
    void unsupportedValueNestedInAListIsRejectedNamingTheIndex() {
      assertRejects(
          () -> minimal().extra(Map.of("opts", List.of("ok", new Object()))), "extra.opts[1]");
    }

    @Test
    void nanAndInfiniteNumbersAreRejected() {
      assertRejects(() -> minimal().extra(Map.of("x", Double.NaN)), "extra.x");
      assertRejects(() -> minimal().extra(Map.of("x", Double.NEGATIVE_INFINITY)), "extra.x");
      assertRejects(() -> minimal().extra(Map.of("x", Float.NaN)), "extra.x");
      assertRejects(() -> minimal().extra(Map.of("n", Map.of("y", Double.NaN))), "extra.n.y");
    }

    @Test
    void nullValuesAreRejectedAtAnyDepth() {
      Map<String, Object> top = new HashMap<>();
      top.put("x", null);
      assertRejects(() -> minimal().extra(top), "extra.x");

      List<Object> list = new ArrayList<>();
      list.add(null);
      assertRejects(() -> minimal().extra(Map.of("l", list)), "extra.l[0]");

      Map<String, Object> inner = new HashMap<>();
      inner.put("deep", null);
      assertRejects(() -> minimal().extra(Map.of("m", inner)), "extra.m.deep");
    }

    @Test
    void nullOrBlankKeysAreRejected() {
      Map<String, Object> nullKey = new HashMap<>();
      nullKey.put(null, 1);
      assertRejects(() -> minimal().extra(nullKey), "extra");
      assertRejects(() -> minimal().extra(Map.of(" ", 1)), "extra");

      Map<Object, Object> nonStringKey = new HashMap<>();
      nonStringKey.put(7, "x");
      assertRejects(() -> minimal().extra(Map.of("m", nonStringKey)), "extra.m");
    }

    @Test
    void nullExtraIsRejected() {
      assertRejects(() -> minimal().extra(null), "extra");
    }

    @Test
    void nestedMapsAndListsAreDeepCopied() {
      List<Object> list = new ArrayList<>(List.of(1, 2));
      Map<String, Object> inner = new LinkedHashMap<>();
      inner.put("list", list);
      Map<String, Object> top = new LinkedHashMap<>();
      top.put("inner", inner);

      ChatRequest r = minimal().extra(top).build();
      list.add(3);
      inner.put("added", "later");
      top.put("alsoAdded", true);

      assertThat(r.extra()).containsOnlyKeys("inner");
      assertThat(r.extra().get("inner")).isEqualTo(Map.of("list", List.of(1, 2)));
    }

    @Test
    void extraIsUnmodifiableAtEveryDepth() {
      ChatRequest r = minimal()
          .extra(Map.of("inner", new HashMap<>(Map.of("list", new ArrayList<>(List.of(1))))))
          .build();

      @SuppressWarnings("unchecked")
      Map<String, Object> inner = (Map<String, Object>) r.extra().get("inner");
      @SuppressWarnings("unchecked")
      List<Object> list = (List<Object>) inner.get("list");

      assertThatThrownBy(() -> r.extra().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> inner.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> list.add(2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void supportedScalarTypesAreKept() {
      ChatRequest r = minimal()
          .extra(Map.of("s", "x", "b", false, "i", 3, "d", 0.5, "big", new java.math.BigDecimal("1.25")))
          .build();

      assertThat(r.extra()).containsEntry("s", "x").containsEntry("b", false).containsEntry("i", 3)
          .containsEntry("d", 0.5).containsEntry("big", new java.math.BigDecimal("1.25"));
    }
  }

  @Nested
  class Immutability {
    @Test
    void returnedListsAreUnmodifiable() {
      ChatRequest r = full();

      assertThatThrownBy(() -> r.messages().add(Message.user("x"))).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> r.tools().clear()).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> r.stop().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void listsPassedToTheBuilderAreCopied() {
      List<Message> messages = new ArrayList<>(List.of(Message.user("a")));
      List<ToolSpec> tools = new ArrayList<>(List.of(WEATHER));
      List<String> stop = new ArrayList<>(List.of("END"));
      ChatRequest r = ChatRequest.builder().model("chat").messages(messages).tools(tools).stop(stop).build();

      messages.add(Message.user("b"));
      tools.add(TIME);
      stop.add("MORE");

      assertThat(r.messages()).hasSize(1);
      assertThat(r.tools()).containsExactly(WEATHER);
      assertThat(r.stop()).containsExactly("END");
    }

    @Test
    void buildingAgainFromTheSameBuilderDoesNotChangeEarlierRequests() {
      ChatRequest.Builder b = minimal();
      ChatRequest first = b.build();
      b.user("second").tool(WEATHER);

      assertThat(first.messages()).hasSize(1);
      assertThat(first.tools()).isEmpty();
    }
  }

  @Nested
  class ToStringHidesContent {
    @Test
    void toStringNeverContainsMessageTextToolArgumentsOrExtraValues() {
      ChatRequest r = ChatRequest.builder()
          .model("chat")
          .system("system SECRET-1111")
          .user("user SECRET-4242")
          .message(Message.assistant("assistant SECRET-2222",
              List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"SECRET-3333\"}"))))
          .message(Message.tool("call_1", "tool result SECRET-5555"))
          .message(Message.user(ContentPart.text("part SECRET-6666"), ContentPart.imageUrl("https://x/SECRET-7777.png")))
          .tool(WEATHER)
          .stop("SECRET-8888")
          .extra(Map.of("apiHint", "SECRET-9999", "nested", Map.of("k", List.of("SECRET-0000"))))
          .build();

      String s = r.toString();

      assertThat(s).doesNotContain("SECRET");
      assertThat(s).contains("chat", "SYSTEM", "USER", "ASSISTANT", "TOOL", "get_weather", "apiHint");
    }

    @Test
    void toStringShowsParameters() {
      String s = full().toString();

      assertThat(s).contains("temperature=0.2", "topP=0.9", "maxOutputTokens=100", "seed=42");
    }
  }
}
