package dev.aigw.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MessageTest {

  private static final ToolCall CALL = new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}");

  static void assertRejects(ThrowingCallable call, String field) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call);
    assertThat(e).as("expected an InvalidRequestException for field %s", field).isNotNull();
    assertThat(e.field()).isEqualTo(field);
  }

  @Nested
  class Factories {
    @Test
    void systemUserAndAssistantMessagesCarryTheirRoleAndText() {
      assertThat(Message.system("be brief")).satisfies(m -> {
        assertThat(m.role()).isEqualTo(Role.SYSTEM);
        assertThat(m.text()).isEqualTo("be brief");
        assertThat(m.content()).containsExactly(ContentPart.text("be brief"));
        assertThat(m.toolCalls()).isEmpty();
        assertThat(m.toolCallId()).isEmpty();
      });
      assertThat(Message.user("hi").role()).isEqualTo(Role.USER);
      assertThat(Message.user("hi").text()).isEqualTo("hi");
      assertThat(Message.assistant("hello").role()).isEqualTo(Role.ASSISTANT);
      assertThat(Message.assistant("hello").text()).isEqualTo("hello");
    }

    @Test
    void nullTextIsRejectedNamingTheContent() {
      assertRejects(() -> Message.system(null), "message.content");
      assertRejects(() -> Message.user((String) null), "message.content");
      assertRejects(() -> Message.assistant(null), "message.content");
      assertRejects(() -> Message.tool("call_1", null), "message.content");
    }

    @Test
    void multiPartUserMessageKeepsPartsInOrderAndJoinsOnlyText() {
      ContentPart.Image image = ContentPart.imageUrl("https://example.com/cat.png");
      Message m = Message.user(ContentPart.text("Look: "), image, ContentPart.text("what is it?"));

      assertThat(m.role()).isEqualTo(Role.USER);
      assertThat(m.content()).containsExactly(ContentPart.text("Look: "), image, ContentPart.text("what is it?"));
      assertThat(m.text()).isEqualTo("Look: what is it?");
    }

    @Test
    void userMessageNeedsAtLeastOnePart() {
      assertRejects(() -> Message.user(List.of()), "message.content");
      assertRejects(() -> Message.user(new ContentPart[0]), "message.content");
      assertRejects(() -> Message.user((List<ContentPart>) null), "message.content");
    }

    @Test
    void userMessagePartListWithNullIsRejectedNamingTheIndex() {
      List<ContentPart> parts = new ArrayList<>();
      parts.add(ContentPart.text("a"));
      parts.add(null);
      assertRejects(() -> Message.user(parts), "message.content[1]");
    }

    @Test
    void userMessageVarargsWithNullIsRejectedLikeTheListForm() {
      // user(ContentPart...) is documented as "same as user(List)", which throws
      // InvalidRequestException when the parts hold a null.
      assertRejects(() -> Message.user(ContentPart.text("a"), null), "message.content[1]");
    }

    @Test
    void userMessagePartsAreCopiedAndUnmodifiable() {
      List<ContentPart> parts = new ArrayList<>(List.of(ContentPart.text("a")));
      Message m = Message.user(parts);
      parts.add(ContentPart.text("b"));

      assertThat(m.content()).containsExactly(ContentPart.text("a"));
      assertThatThrownBy(() -> m.content().add(ContentPart.text("c"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void assistantToolCallMessageHasNoContentWhenTextIsEmpty() {
      Message m = Message.assistantToolCalls(List.of(CALL));

      assertThat(m.role()).isEqualTo(Role.ASSISTANT);
      assertThat(m.content()).isEmpty();
      assertThat(m.text()).isEmpty();
      assertThat(m.toolCalls()).containsExactly(CALL);
      assertThat(m).isEqualTo(Message.assistant("", List.of(CALL)));
    }

    @Test
    void assistantMessageMayBothSpeakAndCallTools() {
      Message m = Message.assistant("Let me check.", List.of(CALL));

      assertThat(m.text()).isEqualTo("Let me check.");
      assertThat(m.toolCalls()).containsExactly(CALL);
    }

    @Test
    void assistantToolCallsMustNotBeEmptyOrHoldNull() {
      assertRejects(() -> Message.assistant("x", List.of()), "message.toolCalls");
      assertRejects(() -> Message.assistantToolCalls(List.of()), "message.toolCalls");
      List<ToolCall> withNull = new ArrayList<>();
      withNull.add(null);
      assertRejects(() -> Message.assistantToolCalls(withNull), "message.toolCalls[0]");
    }

    @Test
    void toolMessageAnswersACallById() {
      Message m = Message.tool("call_1", "{\"temp\":21}");

      assertThat(m.role()).isEqualTo(Role.TOOL);
      assertThat(m.toolCallId()).contains("call_1");
      assertThat(m.text()).isEqualTo("{\"temp\":21}");
      assertThat(m.toolCalls()).isEmpty();
    }

    @Test
    void toolMessageNeedsANonBlankToolCallId() {
      assertRejects(() -> Message.tool("", "r"), "message.toolCallId");
      assertRejects(() -> Message.tool("  ", "r"), "message.toolCallId");
      assertRejects(() -> Message.tool(null, "r"), "message.toolCallId");
    }

    @Test
    void withContentKeepsRoleAndToolDataAndReplacesParts() {
      Message tool = Message.tool("call_1", "raw");
      Message rewritten = tool.withContent(List.of(ContentPart.text("redacted")));

      assertThat(rewritten.role()).isEqualTo(Role.TOOL);
      assertThat(rewritten.toolCallId()).contains("call_1");
      assertThat(rewritten.text()).isEqualTo("redacted");
      assertThat(tool.text()).isEqualTo("raw");
    }

    @Test
    void withContentMayEmptyOnlyAToolCallingMessage() {
      assertThat(Message.assistant("x", List.of(CALL)).withContent(List.of()).content()).isEmpty();
      assertRejects(() -> Message.user("x").withContent(List.of()), "message.content");
    }

    @Test
    void equalMessagesHaveEqualHashCodes() {
      assertThat(Message.user("a")).isEqualTo(Message.user("a")).hasSameHashCodeAs(Message.user("a"));
      assertThat(Message.user("a")).isNotEqualTo(Message.system("a"));
      assertThat(Message.tool("c1", "r")).isNotEqualTo(Message.tool("c2", "r"));
    }
  }

  @Nested
  class ContentParts {
    @Test
    void imageByUrlHasUrlAndNoBytes() {
      ContentPart.Image image = ContentPart.imageUrl("https://example.com/a.png");

      assertThat(image.url()).contains("https://example.com/a.png");
      assertThat(image.bytes()).isEmpty();
      assertThat(image.mediaType()).isEmpty();
      assertThat(image.toUrl()).isEqualTo("https://example.com/a.png");
    }

    @Test
    void blankImageUrlIsRejected() {
      assertRejects(() -> ContentPart.imageUrl(" "), "image.url");
      assertRejects(() -> ContentPart.imageUrl(null), "image.url");
    }

    @Test
    void imageBytesAreCopiedOnTheWayIn() {
      byte[] bytes = {1, 2, 3};
      ContentPart.Image image = ContentPart.imageBytes(bytes, "image/png");
      bytes[0] = 99;

      assertThat(image.bytes()).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
    }

    @Test
    void imageBytesAreCopiedOnTheWayOut() {
      ContentPart.Image image = ContentPart.imageBytes(new byte[] {1, 2, 3}, "image/png");
      image.bytes().orElseThrow()[0] = 99;

      assertThat(image.bytes()).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
    }

    @Test
    void inlineImageBecomesABase64DataUrl() {
      byte[] bytes = "PNGDATA".getBytes(StandardCharsets.US_ASCII);
      ContentPart.Image image = ContentPart.imageBytes(bytes, "image/png");

      assertThat(image.url()).isEmpty();
      assertThat(image.mediaType()).contains("image/png");
      assertThat(image.toUrl()).isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(bytes));
    }

    @Test
    void inlineImageNeedsBytesAndAnImageMediaType() {
      assertRejects(() -> ContentPart.imageBytes(new byte[0], "image/png"), "image.bytes");
      assertRejects(() -> ContentPart.imageBytes(null, "image/png"), "image.bytes");
      assertRejects(() -> ContentPart.imageBytes(new byte[] {1}, "application/pdf"), "image.mediaType");
      assertRejects(() -> ContentPart.imageBytes(new byte[] {1}, " "), "image.mediaType");
    }

    @Test
    void imagesWithEqualBytesAreEqual() {
      ContentPart.Image a = ContentPart.imageBytes(new byte[] {1, 2}, "image/png");
      ContentPart.Image b = ContentPart.imageBytes(new byte[] {1, 2}, "image/png");

      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
      assertThat(a).isNotEqualTo(ContentPart.imageBytes(new byte[] {1, 3}, "image/png"));
      assertThat(a).isNotEqualTo(ContentPart.imageBytes(new byte[] {1, 2}, "image/jpeg"));
    }

    @Test
    void textPartRejectsNull() {
      assertRejects(() -> ContentPart.text(null), "text");
    }
  }

  @Nested
  class ToStringHidesContent {
    @Test
    void messageToStringShowsRoleAndSizesOnly() {
      String s = Message.assistant("SECRET-4242 said", List.of(new ToolCall("call_1", "lookup", "{\"q\":\"SECRET-1234\"}")))
          .toString();

      assertThat(s).doesNotContain("SECRET").contains("ASSISTANT", "lookup", "call_1");
    }

    @Test
    void imageToStringHidesTheUrlAndBytes() {
      assertThat(ContentPart.imageUrl("https://host/SECRET-4242.png").toString()).doesNotContain("SECRET");
      assertThat(ContentPart.imageBytes("SECRET-4242".getBytes(StandardCharsets.UTF_8), "image/png").toString())
          .doesNotContain("SECRET").contains("image/png");
    }

    @Test
    void toolCallToStringHidesArguments() {
      ToolCall call = new ToolCall("call_9", "transfer", "{\"iban\":\"SECRET-4242\"}");

      assertThat(call.toString()).doesNotContain("SECRET").contains("call_9", "transfer");
      assertThat(ToolCallDelta.arguments(0, "SECRET-4242").toString()).doesNotContain("SECRET");
    }
  }

  @Nested
  class ToolCalls {
    @Test
    void toolCallNeedsIdAndNameButArgumentsMayBeAnyText() {
      assertThat(new ToolCall("c", "n", "not json {").arguments()).isEqualTo("not json {");
      assertRejects(() -> new ToolCall(" ", "n", "{}"), "toolCall.id");
      assertRejects(() -> new ToolCall("c", "", "{}"), "toolCall.name");
      assertRejects(() -> new ToolCall("c", "n", null), "toolCall.arguments");
    }

    @Test
    void toolCallDeltaRejectsNegativeIndex() {
      assertRejects(() -> ToolCallDelta.arguments(-1, "x"), "toolCallDelta.index");
      assertRejects(() -> ToolCallDelta.start(0, "", "n", "{"), "toolCallDelta.id");
    }
  }
}
