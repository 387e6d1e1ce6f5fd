package dev.aigw.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.ToolCall;
import dev.aigw.api.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeChatProviderScriptTest {
  private static final CallContext CONTEXT = CallContext.empty();

  private static String answer(FakeChatProvider fake, String model, String userText) {
    return fake.chat(ChatRequest.of(model, userText), CONTEXT).text();
  }

  @Test
  void withoutScriptsEchoesTheFirstFortyCharactersOfTheLastUserMessage() {
    FakeChatProvider fake = FakeChatProvider.builder().build();
    ChatRequest request = ChatRequest.builder()
        .model("m")
        .user("an earlier question")
        .message(Message.assistant("an earlier answer"))
        .user("0123456789012345678901234567890123456789-cut here")
        .build();

    assertThat(fake.chat(request, CONTEXT).text())
        .isEqualTo("fake answer to: 0123456789012345678901234567890123456789");
    assertThat(answer(fake, "m", "short")).isEqualTo("fake answer to: short");
  }

  @Test
  void theDefaultScriptAnswersEveryModel() {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text("always")).build();

    assertThat(answer(fake, "a", "x")).isEqualTo("always");
    assertThat(answer(fake, "b", "y")).isEqualTo("always");
  }

  @Test
  void repliesInAScriptAreUsedInOrderAndTheLastOneRepeats() {
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply(FakeReply.text("one"), FakeReply.text("two"), FakeReply.text("three"))
        .build();

    assertThat(answer(fake, "m", "?")).isEqualTo("one");
    assertThat(answer(fake, "m", "?")).isEqualTo("two");
    assertThat(answer(fake, "m", "?")).isEqualTo("three");
    assertThat(answer(fake, "m", "?")).isEqualTo("three");
    assertThat(answer(fake, "m", "?")).isEqualTo("three");
  }

  @Test
  void aModelScriptWinsOverTheDefaultForItsModelOnly() {
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply(FakeReply.text("default"))
        .reply("gpt-4o-mini", FakeReply.text("mini"))
        .build();

    assertThat(answer(fake, "gpt-4o-mini", "?")).isEqualTo("mini");
    assertThat(answer(fake, "gpt-4o", "?")).isEqualTo("default");
  }

  @Test
  void aModelScriptWithoutADefaultLeavesOtherModelsEchoing() {
    FakeChatProvider fake = FakeChatProvider.builder().reply("a", FakeReply.text("for a")).build();

    assertThat(answer(fake, "a", "?")).isEqualTo("for a");
    assertThat(answer(fake, "b", "hi")).isEqualTo("fake answer to: hi");
  }

  @Test
  void predicateScriptsWinOverModelScriptsAndAreTriedInRegistrationOrder() {
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply("m", FakeReply.text("by model"))
        .replyWhen(r -> r.lastUserText().contains("weather"), FakeReply.text("weather"))
        .replyWhen(r -> r.lastUserText().contains("w"), FakeReply.text("any w"))
        .build();

    assertThat(answer(fake, "m", "what is the weather")).isEqualTo("weather");
    assertThat(answer(fake, "m", "wow")).isEqualTo("any w");
    assertThat(answer(fake, "m", "hello")).isEqualTo("by model");
  }

  @Test
  void eachScriptKeepsItsOwnPosition() {
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply("a", FakeReply.text("a1"), FakeReply.text("a2"))
        .reply("b", FakeReply.text("b1"), FakeReply.text("b2"))
        .build();

    assertThat(answer(fake, "a", "?")).isEqualTo("a1");
    assertThat(answer(fake, "b", "?")).isEqualTo("b1");
    assertThat(answer(fake, "a", "?")).isEqualTo("a2");
    assertThat(answer(fake, "b", "?")).isEqualTo("b2");
  }

  @Test
  void fakesBuiltFromOneBuilderDoNotShareScriptPositions() {
    FakeChatProvider.Builder builder = FakeChatProvider.builder().reply(FakeReply.text("1"), FakeReply.text("2"));
    FakeChatProvider first = builder.build();
    FakeChatProvider second = builder.build();

    assertThat(answer(first, "m", "?")).isEqualTo("1");
    assertThat(answer(second, "m", "?")).isEqualTo("1");
  }

  @Test
  void aTextAnswerCarriesIdModelFinishReasonAndEstimatedUsage() {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text("Paris.")).build();
    ChatRequest request = ChatRequest.builder().model("gpt-4o").system("Be brief.").user("Capital of France?").build();

    ChatResponse first = fake.chat(request, CONTEXT);
    ChatResponse second = fake.chat(request, CONTEXT);

    assertThat(first.id()).isEqualTo("fake-1");
    assertThat(second.id()).isEqualTo("fake-2");
    assertThat(first.model()).isEqualTo("gpt-4o");
    assertThat(first.text()).isEqualTo("Paris.");
    assertThat(first.toolCalls()).isEmpty();
    assertThat(first.reasoning()).isEmpty();
    assertThat(first.finishReason()).isEqualTo(FinishReason.STOP);
    // input: "Be brief." (9) + "Capital of France?" (18) = 27 chars -> 7 tokens; output: 6 chars -> 2 tokens
    assertThat(first.usage()).contains(Usage.of(7, 2));
  }

  @Test
  void theUsageEstimateIsNeverZeroForNonEmptyText() {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text("k")).build();

    assertThat(fake.chat(ChatRequest.of("m", "?"), CONTEXT).usage()).contains(Usage.of(1, 1));
  }

  @Test
  void reasoningIsReportedAndCountedAsReasoningTokens() {
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply(FakeReply.text("12345678").withReasoning("thinking hard"))
        .build();

    ChatResponse response = fake.chat(ChatRequest.of("m", "abcd"), CONTEXT);

    assertThat(response.reasoning()).isEqualTo("thinking hard");
    // text 8 chars -> 2 tokens, reasoning 13 chars -> 4 tokens
    assertThat(response.usage()).contains(new Usage(1, 6, 0, 0, 4));
  }

  @Test
  void toolCallAnswersFinishWithToolCallsUnlessOverridden() {
    ToolCall call = new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}");
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply(FakeReply.toolCalls(call), FakeReply.toolCalls(call).withText("Checking.").withFinishReason(FinishReason.OTHER))
        .build();

    ChatResponse first = fake.chat(ChatRequest.of("m", "weather?"), CONTEXT);
    ChatResponse second = fake.chat(ChatRequest.of("m", "weather?"), CONTEXT);

    assertThat(first.toolCalls()).containsExactly(call);
    assertThat(first.text()).isEmpty();
    assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    // "weather" (7) + arguments (15) = 22 chars -> 6 tokens
    assertThat(first.usage().orElseThrow().outputTokens()).isEqualTo(6);
    assertThat(second.text()).isEqualTo("Checking.");
    assertThat(second.toolCalls()).containsExactly(call);
    assertThat(second.finishReason()).isEqualTo(FinishReason.OTHER);
  }

  @Test
  void scriptedUsageAndFinishReasonReplaceTheDefaults() {
    Usage usage = new Usage(100, 50, 80, 0, 10);
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply(FakeReply.text("cut").withUsage(usage).withFinishReason(FinishReason.LENGTH))
        .build();

    ChatResponse response = fake.chat(ChatRequest.of("m", "?"), CONTEXT);

    assertThat(response.usage()).contains(usage);
    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void recordsEveryCallWithItsContextAndWhetherItStreamed() {
    FakeChatProvider fake = FakeChatProvider.builder().build();
    ChatRequest chat = ChatRequest.of("m", "one");
    ChatRequest streamed = ChatRequest.of("m", "two");
    EmbeddingRequest embedding = EmbeddingRequest.of("e", "three");
    CallContext acme = CallContext.tenant("acme");

    fake.chat(chat, acme);
    fake.stream(streamed, CONTEXT).collect();
    fake.embed(embedding, acme);

    assertThat(fake.requestCount()).isEqualTo(3);
    assertThat(fake.requests()).containsExactly(
        new RecordedRequest(chat, acme, false),
        new RecordedRequest(streamed, CONTEXT, true),
        new RecordedRequest(embedding, acme, false));
  }

  @Test
  void requestsIsAnImmutableSnapshot() {
    FakeChatProvider fake = FakeChatProvider.builder().build();
    fake.chat(ChatRequest.of("m", "one"), CONTEXT);

    List<RecordedRequest> snapshot = fake.requests();
    fake.chat(ChatRequest.of("m", "two"), CONTEXT);

    assertThat(snapshot).hasSize(1);
    assertThatThrownBy(() -> snapshot.add(snapshot.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void resetForgetsRecordsButKeepsScriptPositions() {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text("1"), FakeReply.text("2")).build();
    fake.chat(ChatRequest.of("m", "?"), CONTEXT);

    fake.reset();

    assertThat(fake.requests()).isEmpty();
    assertThat(fake.requestCount()).isZero();
    assertThat(fake.cancellations()).isZero();
    assertThat(answer(fake, "m", "?")).isEqualTo("2");
  }

  @Test
  void closeIsRecordedAndTheFakeKeepsAnswering() {
    FakeChatProvider fake = FakeChatProvider.builder().id("openai").build();
    assertThat(fake.id()).isEqualTo("openai");
    assertThat(fake.isClosed()).isFalse();

    fake.close();

    assertThat(fake.isClosed()).isTrue();
    assertThat(answer(fake, "m", "hi")).isEqualTo("fake answer to: hi");
  }
}
