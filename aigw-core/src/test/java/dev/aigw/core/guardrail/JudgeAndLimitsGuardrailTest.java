package dev.aigw.core.guardrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContentPart;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.GuardrailFinding;
import dev.aigw.api.GuardrailViolationException;
import dev.aigw.api.Message;
import dev.aigw.api.Role;
import dev.aigw.core.AiGateway;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The model-as-judge guardrail against a judge gateway, and request limits. */
class JudgeAndLimitsGuardrailTest {
  private final FakeChatProvider app = FakeChatProvider.builder().id("app").reply(FakeReply.text("an answer")).build();

  private static AiGateway judgeGateway(FakeChatProvider guard) {
    return AiGateway.builder().provider(guard).route("guard", Route.target("guard/llama-guard")).build();
  }

  private AiGateway gateway(Guardrail guardrail) {
    return AiGateway.builder().provider(app).guardrail(guardrail).build();
  }

  @Test
  void anUnsafeVerdictBlocksTheRequestBeforeTheProviderWithItsCategories() {
    FakeChatProvider guard = FakeChatProvider.builder().id("guard").reply(FakeReply.text("unsafe\nS1,S10")).build();
    try (AiGateway judges = judgeGateway(guard);
        AiGateway gateway = gateway(JudgeGuardrail.builder(judges::chat, "guard").build())) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("app/m", "something bad")))
          .isInstanceOfSatisfying(GuardrailViolationException.class, e -> assertThat(e.findings())
              .extracting(GuardrailFinding::type).containsExactly("UNSAFE_S1", "UNSAFE_S10"));
      assertThat(app.requestCount()).isZero();
      ChatRequest judged = guard.requests().get(0).chat();
      assertThat(judged.messages()).extracting(Message::text).containsExactly("something bad");
    }
  }

  @Test
  void aSafeVerdictLetsTheCallThroughAndOutputJudgingSeesTheAnswerAndHoldsTheStream() {
    FakeChatProvider guard = FakeChatProvider.builder().id("guard").reply(FakeReply.text("safe")).build();
    try (AiGateway judges = judgeGateway(guard);
        AiGateway gateway = gateway(JudgeGuardrail.builder(judges::chat, "guard").output(true)
            .instructions("Classify the conversation.").build())) {
      assertThat(gateway.chat(ChatRequest.of("app/m", "hello")).text()).isEqualTo("an answer");
      try (ChatStream stream = gateway.stream(ChatRequest.of("app/m", "hello"))) {
        assertThat(stream.collect().text()).isEqualTo("an answer");
      }
      assertThat(guard.requestCount()).as("input and output, twice").isEqualTo(4);
      ChatRequest outputCheck = guard.requests().get(1).chat();
      assertThat(outputCheck.messages()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT);
      assertThat(outputCheck.messages().get(2).text()).isEqualTo("an answer");
    }
  }

  @Test
  void aJudgeThatFailsBlocksByDefaultOrFlagsWhenItFailsOpen() {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    JudgeGuardrail.Judge timingOut = (request, context) -> {
      seen.set(context);
      throw new DeadlineExceededException(Duration.ofMillis(250));
    };
    try (AiGateway closed = gateway(JudgeGuardrail.builder(timingOut, "guard").timeout(Duration.ofMillis(250)).build())) {
      assertThatThrownBy(() -> closed.chat(ChatRequest.of("app/m", "hi"), CallContext.tenant("acme")))
          .isInstanceOfSatisfying(GuardrailViolationException.class,
              e -> assertThat(e.findings()).extracting(GuardrailFinding::type).containsExactly("JUDGE_UNAVAILABLE"));
      assertThat(seen.get().timeout()).contains(Duration.ofMillis(250));
      assertThat(seen.get().tenant()).contains("acme");
      assertThat(seen.get().cancellation()).as("the call's cancellation reaches the judge").isPresent();
    }
    FakeChatProvider gibberish = FakeChatProvider.builder().id("guard").reply(FakeReply.text("I think it is fine?")).build();
    try (AiGateway judges = judgeGateway(gibberish);
        AiGateway open = gateway(JudgeGuardrail.builder(judges::chat, "guard").failOpen().build())) {
      ChatResponse answer = open.chat(ChatRequest.of("app/m", "hi"));
      assertThat(answer.text()).isEqualTo("an answer");
      assertThat(answer.metadata().guardrailFindings()).extracting(GuardrailFinding::toString)
          .containsExactly("judge:JUDGE_UNAVAILABLE FLAG in input");
    }
  }

  @Test
  void theLlamaGuardParserReadsItsFormatAndNothingElse() {
    assertThat(JudgeGuardrail.llamaGuardVerdict("safe")).isEqualTo(new JudgeGuardrail.Verdict(true, List.of()));
    assertThat(JudgeGuardrail.llamaGuardVerdict("\n unsafe \nS2, S11\n")).isEqualTo(new JudgeGuardrail.Verdict(false, List.of("S2", "S11")));
    assertThat(JudgeGuardrail.llamaGuardVerdict("unsafe")).isEqualTo(new JudgeGuardrail.Verdict(false, List.of()));
    assertThat(JudgeGuardrail.llamaGuardVerdict("probably safe")).isNull();
    assertThatThrownBy(() -> JudgeGuardrail.builder((r, c) -> null, "g").action(GuardrailAction.MASK))
        .hasMessageContaining("not mask");
  }

  @Test
  void limitsBlockRequestsThatAreTooLargeAndFlagWhenAskedTo() {
    List<Message> many = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      many.add(Message.user("message " + i));
    }
    ChatRequest fiveMessages = ChatRequest.builder().model("app/m").messages(many).build();
    ChatRequest images = ChatRequest.builder().model("app/m")
        .message(Message.user(ContentPart.text("look"), ContentPart.imageUrl("https://example.com/a.png"),
            ContentPart.imageUrl("https://example.com/b.png"))).build();
    ChatRequest longText = ChatRequest.of("app/m", "word ".repeat(400));
    try (AiGateway gateway = gateway(LimitsGuardrail.builder().maxMessages(4).maxImages(1).maxCharacters(1_000).maxInputTokens(300).build())) {
      assertThatThrownBy(() -> gateway.chat(fiveMessages)).isInstanceOfSatisfying(GuardrailViolationException.class,
          e -> assertThat(e.findings()).extracting(GuardrailFinding::type).containsExactly("TOO_MANY_MESSAGES"));
      assertThatThrownBy(() -> gateway.chat(images)).isInstanceOfSatisfying(GuardrailViolationException.class,
          e -> assertThat(e.findings()).as("each image counts 765 tokens").extracting(GuardrailFinding::type)
              .containsExactly("TOO_MANY_IMAGES", "TOO_MANY_TOKENS"));
      assertThatThrownBy(() -> gateway.chat(longText)).isInstanceOfSatisfying(GuardrailViolationException.class,
          e -> assertThat(e.findings()).extracting(GuardrailFinding::type).containsExactly("TOO_MANY_CHARACTERS", "TOO_MANY_TOKENS"));
      assertThat(gateway.chat(ChatRequest.of("app/m", "short")).text()).isEqualTo("an answer");
      assertThat(app.requestCount()).isEqualTo(1);
    }
    try (AiGateway flagging = gateway(LimitsGuardrail.builder().maxMessages(4).action(GuardrailAction.FLAG).build())) {
      assertThat(flagging.chat(fiveMessages).metadata().guardrailFindings()).extracting(GuardrailFinding::type)
          .containsExactly("TOO_MANY_MESSAGES");
    }
    assertThatThrownBy(() -> LimitsGuardrail.builder().build()).hasMessageContaining("at least one limit");
    assertThatThrownBy(() -> LimitsGuardrail.builder().maxMessages(0)).hasMessageContaining("maxMessages must be positive");
  }
}
