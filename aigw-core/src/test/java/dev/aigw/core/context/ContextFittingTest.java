package dev.aigw.core.context;

import static dev.aigw.core.context.Fixtures.A1;
import static dev.aigw.core.context.Fixtures.A2;
import static dev.aigw.core.context.Fixtures.BIG;
import static dev.aigw.core.context.Fixtures.CONVERSATION;
import static dev.aigw.core.context.Fixtures.S;
import static dev.aigw.core.context.Fixtures.SMALL;
import static dev.aigw.core.context.Fixtures.U1;
import static dev.aigw.core.context.Fixtures.U2;
import static dev.aigw.core.context.Fixtures.U3;
import static dev.aigw.core.context.Fixtures.gateway;
import static dev.aigw.core.context.Fixtures.received;
import static dev.aigw.core.context.Fixtures.request;
import static dev.aigw.core.context.Fixtures.say;
import static dev.aigw.core.context.Fixtures.tokens;
import static dev.aigw.core.context.Fixtures.weatherCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.Attempt;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.Message;
import dev.aigw.api.NoRouteAvailableException;
import dev.aigw.api.Role;
import dev.aigw.api.Target;
import dev.aigw.core.AiGateway;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Context fitting through the whole gateway, with exact token counts: what each target received,
 * message by message, and its size against its budget (window - max output - margin).
 */
class ContextFittingTest {
  private static final ContextFitting DROP = ContextFitting.builder().route("chat", ContextPolicy.dropOldest()).build();

  @BeforeAll
  static void wordsAreOneTokenEach() {
    Fixtures.checkWords("rule", "red", "blue", "green", "gold", "pink", "sun", "weather");
  }

  private static FakeChatProvider fake() {
    return FakeChatProvider.builder().id("p").build();
  }

  private static AiGateway smallChat(FakeChatProvider provider, ContextFitting fitting) {
    return gateway(provider).route("chat", Route.target("p/" + SMALL)).contextFitting(fitting).build();
  }

  @Test
  void theConversationAddsUpAsDocumented() {
    assertThat(tokens(CONVERSATION)).isEqualTo(3 + 8 + 14 + 14 + 14 + 14 + 9).isEqualTo(76);
    assertThat(tokens(List.of(S, U2, A2, U3))).isEqualTo(48);
    assertThat(tokens(List.of(S, U3))).isEqualTo(20);
    assertThat(tokens(List.of(weatherCall("c")))).isEqualTo(3 + 12);
  }

  @Test
  void dropOldestDropsTheFewestOldestTurnsThatMakeItFit() {
    FakeChatProvider p = fake();
    try (AiGateway gateway = smallChat(p, DROP)) {
      ChatResponse response = gateway.chat(request("chat", CONVERSATION));

      // budget 60 = window 60: 76 does not fit; without [U1, A1] 48 does
      ChatRequest sent = received(p, SMALL).get(0);
      assertThat(sent.messages()).containsExactly(S, U2, A2, U3);
      assertThat(tokens(sent.messages())).isEqualTo(48).isLessThanOrEqualTo(60);
      assertThat(response.metadata().attributes().get(ContextFitting.DROPPED_MESSAGES)).contains(2);
      assertThat(response.metadata().attributes().get(ContextFitting.SUMMARIZED)).isEmpty();
    }
  }

  @Test
  void theMarginAndTheMaxOutputTokensComeOffTheWindow() {
    FakeChatProvider p = fake();
    try (AiGateway gateway = smallChat(p, ContextFitting.builder().route("chat", ContextPolicy.dropOldest()).margin(12).build())) {
      gateway.chat(request("chat", CONVERSATION)); // budget 48: 48 fits exactly
      gateway.chat(ChatRequest.builder().model("chat").messages(CONVERSATION).maxOutputTokens(1).build()); // budget 47

      assertThat(received(p, SMALL).get(0).messages()).containsExactly(S, U2, A2, U3);
      assertThat(received(p, SMALL).get(1).messages()).containsExactly(S, U3);
      assertThat(tokens(List.of(S, U3))).isEqualTo(20).isLessThanOrEqualTo(47);
    }
  }

  @Test
  void aRequestThatFitsIsSentAsItIs() {
    FakeChatProvider p = fake();
    try (AiGateway gateway = smallChat(p, DROP)) {
      List<Message> fits = List.of(S, U2, A2, U3); // 48 <= 60
      ChatResponse response = gateway.chat(request("chat", fits));

      assertThat(received(p, SMALL).get(0).messages()).isEqualTo(fits);
      assertThat(response.metadata().attributes().get(ContextFitting.DROPPED_MESSAGES)).isEmpty();
    }
  }

  @Test
  void systemMessagesAnywhereAreNeverDropped() {
    FakeChatProvider p = fake();
    Message s2 = Message.system(say("rule", 2)); // 6
    try (AiGateway gateway = smallChat(p, DROP)) {
      gateway.chat(request("chat", List.of(S, U1, A1, s2, U2, A2, U3))); // 82

      ChatRequest sent = received(p, SMALL).get(0);
      assertThat(sent.messages()).containsExactly(S, s2, U2, A2, U3);
      assertThat(tokens(sent.messages())).isEqualTo(54);
    }
  }

  @Test
  void theLastTurnIsNeverDroppedAndWhatCannotFitFailsWithTheCounts() {
    FakeChatProvider p = fake();
    Message huge = Message.user(say("pink", 50)); // 54
    try (AiGateway gateway = smallChat(p, DROP)) {
      assertThat(tokens(List.of(S, huge))).isEqualTo(65);

      assertThatThrownBy(() -> gateway.chat(request("chat", List.of(S, U1, A1, U2, A2, huge))))
          .isInstanceOf(ContextWindowExceededException.class)
          .hasMessageContaining("p/" + SMALL).hasMessageContaining("has 121 input tokens")
          .hasMessageContaining("budget of 60 = context window 60")
          .hasMessageContaining("even without its 2 earlier turns it has 65 tokens");
      assertThat(p.requestCount()).isZero();
    }
  }

  @Test
  void aToolCallAndItsResultsAreDroppedTogetherEvenAcrossAUserMessage() {
    FakeChatProvider p = fake();
    Message interjection = Message.user(say("green", 3)); // 7
    Message result = Message.tool("call_1", say("sun", 10)); // 14
    Message answer = Message.assistant(say("gold", 5)); // 9
    List<Message> conversation = List.of(S, U1, weatherCall("call_1"), interjection, result, answer, U3);
    try (AiGateway gateway = smallChat(p, DROP)) {
      assertThat(tokens(conversation)).isEqualTo(3 + 8 + 14 + 12 + 7 + 14 + 9 + 9).isEqualTo(76);
      gateway.chat(request("chat", conversation));

      // dropping the first turn alone (50 tokens) would leave the result without its call
      ChatRequest sent = received(p, SMALL).get(0);
      assertThat(sent.messages()).containsExactly(S, U3);
      assertThat(sent.messages()).extracting(Message::role).doesNotContain(Role.TOOL);
    }
  }

  @Test
  void aToolCallAndItsResultsAreKeptTogetherOrDroppedTogether() {
    Message call = weatherCall("call_1"); // 12
    Message result = Message.tool("call_1", say("sun", 3)); // 7
    Message after = Message.assistant(say("gold", 3)); // 7
    Message question = Message.user(say("green", 3)); // 7
    Message last = Message.user(say("pink", 3)); // 7
    List<Message> conversation = List.of(S, U1, A1, question, call, result, after, last);
    assertThat(tokens(conversation)).isEqualTo(79);

    FakeChatProvider kept = fake();
    try (AiGateway gateway = smallChat(kept, DROP)) {
      gateway.chat(request("chat", conversation));
      List<Message> sent = received(kept, SMALL).get(0).messages();
      assertThat(sent).containsExactly(S, question, call, result, after, last);
      assertThat(tokens(sent)).isEqualTo(51).isLessThanOrEqualTo(60);
    }
    FakeChatProvider dropped = fake();
    try (AiGateway gateway = smallChat(dropped, ContextFitting.builder().route("chat", ContextPolicy.dropOldest()).margin(20).build())) {
      gateway.chat(request("chat", conversation)); // budget 40: 51 does not fit
      List<Message> sent = received(dropped, SMALL).get(0).messages();
      assertThat(sent).containsExactly(S, last);
      assertThat(tokens(sent)).isEqualTo(18);
    }
  }

  @Test
  void afterABigWindowFailsTheSmallFallbackGetsATrimmedRequest() {
    FakeChatProvider p = FakeChatProvider.builder().id("p")
        .reply(BIG, FakeReply.serverError(503)).reply(SMALL, FakeReply.text("from small")).build();
    Fixtures.Events events = new Fixtures.Events();
    try (AiGateway gateway = gateway(p).listener(events).contextFitting(DROP)
        .route("chat", Route.fallback("p/" + BIG, "p/" + SMALL)).build()) {
      ChatResponse response = gateway.chat(request("chat", CONVERSATION));

      assertThat(response.text()).isEqualTo("from small");
      assertThat(received(p, BIG)).singleElement().extracting(ChatRequest::messages).isEqualTo(CONVERSATION);
      assertThat(received(p, SMALL)).singleElement().extracting(ChatRequest::messages).isEqualTo(List.of(S, U2, A2, U3));
      assertThat(response.metadata().attempts()).extracting(Attempt::target)
          .containsExactly(Target.parse("p/" + BIG), Target.parse("p/" + SMALL));
      assertThat(response.metadata().attributes().get(ContextFitting.DROPPED_MESSAGES)).contains(2);
    }
  }

  @Test
  void afterATrimmedSmallWindowFailsTheBigFallbackGetsTheWholeConversation() {
    FakeChatProvider p = FakeChatProvider.builder().id("p")
        .reply(SMALL, FakeReply.serverError(503)).reply(BIG, FakeReply.text("from big")).build();
    try (AiGateway gateway = gateway(p).contextFitting(DROP).route("chat", Route.fallback("p/" + SMALL, "p/" + BIG)).build()) {
      ChatResponse response = gateway.chat(request("chat", CONVERSATION));

      assertThat(response.text()).isEqualTo("from big");
      assertThat(received(p, SMALL)).singleElement().extracting(ChatRequest::messages).isEqualTo(List.of(S, U2, A2, U3));
      assertThat(received(p, BIG)).singleElement().extracting(ChatRequest::messages).isEqualTo(CONVERSATION);
      assertThat(response.metadata().attributes().get(ContextFitting.DROPPED_MESSAGES)).isEmpty();
    }
  }

  @Test
  void aShrinkingPolicyKeepsTheCandidatesTheRouterWouldSkipForTheirWindow() {
    FakeChatProvider p = fake();
    try (AiGateway gateway = gateway(p).contextFitting(DROP).route("chat", Route.fallback("p/" + SMALL, "p/" + BIG)).build();
        AiGateway unfitted = gateway(fake()).route("chat", Route.fallback("p/" + SMALL, "p/" + BIG)).build()) {
      assertThat(gateway.chat(request("chat", CONVERSATION)).metadata().target()).contains(Target.parse("p/" + SMALL));
      assertThat(unfitted.chat(request("chat", CONVERSATION)).metadata().target()).contains(Target.parse("p/" + BIG));
    }
  }

  @Test
  void failSkipsWindowsTheRequestDoesNotFitAndFallsBackWhenTheMarginRulesOutAnAttempt() {
    FakeChatProvider p = fake();
    Fixtures.Events events = new Fixtures.Events();
    ContextFitting fail = ContextFitting.builder().margin(20).build(); // FAIL by default; budget on SMALL is 40
    try (AiGateway gateway = gateway(p).listener(events).contextFitting(fail)
        .route("chat", Route.fallback("p/" + SMALL, "p/" + BIG)).build()) {
      ChatResponse skipped = gateway.chat(request("chat", CONVERSATION)); // 76 > 60: skipped by the router, as ever
      assertThat(skipped.metadata().attempts()).extracting(Attempt::target).containsExactly(Target.parse("p/" + BIG));

      List<Message> fortyEight = List.of(S, U2, A2, U3); // 48: fits 60, not 60 - 20
      ChatResponse response = gateway.chat(request("chat", fortyEight));

      assertThat(response.metadata().target()).contains(Target.parse("p/" + BIG));
      assertThat(response.metadata().attempts()).extracting(Attempt::target, a -> a.errorType().orElse("ok"))
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(Target.parse("p/" + SMALL), ContextWindowExceededException.class.getName()),
              org.assertj.core.groups.Tuple.tuple(Target.parse("p/" + BIG), "ok"));
      assertThat(received(p, SMALL)).as("a request that does not fit never reaches the provider").isEmpty();
      assertThat(received(p, BIG)).extracting(ChatRequest::messages).containsExactly(CONVERSATION, fortyEight);
      assertThat(events.seen).contains("attemptFailed p/" + SMALL + " ContextWindowExceededException",
          "fallback p/" + SMALL + " -> p/" + BIG);
    }
  }

  @Test
  void failWithoutALargerWindowEndsTheCallWithTheCounts() {
    FakeChatProvider p = fake();
    try (AiGateway gateway = smallChat(p, ContextFitting.builder().margin(20).build())) {
      assertThatThrownBy(() -> gateway.chat(request("chat", List.of(S, U2, A2, U3))))
          .isInstanceOf(ContextWindowExceededException.class)
          .hasMessageContaining("has 48 input tokens (o200k_base), over its budget of 40 = context window 60 - 20 margin")
          .hasMessageContaining("'chat' has policy FAIL");
      assertThat(p.requestCount()).isZero();
    }
  }

  @Test
  void aDirectCallFollowsTheDefaultPolicy() {
    FakeChatProvider p = fake();
    try (AiGateway gateway = gateway(p).contextFitting(ContextFitting.builder().defaultPolicy(ContextPolicy.dropOldest()).build()).build()) {
      gateway.chat(request("p/" + SMALL, CONVERSATION));
      assertThat(received(p, SMALL).get(0).messages()).containsExactly(S, U2, A2, U3);
    }
  }

  @Test
  void withoutContextFittingTheRouterSkipsSmallWindowsAsBefore() {
    FakeChatProvider p = fake();
    try (AiGateway gateway = gateway(p).route("chat", Route.target("p/" + SMALL)).build()) {
      assertThatThrownBy(() -> gateway.chat(request("chat", CONVERSATION)))
          .isInstanceOf(NoRouteAvailableException.class).hasMessageContaining("does not fit its context window of 60");
    }
  }

  @Test
  void aStreamIsFittedTheSameWay() {
    FakeChatProvider p = FakeChatProvider.builder().id("p")
        .reply(BIG, FakeReply.serverError(503)).reply(SMALL, FakeReply.text("streamed from small")).build();
    try (AiGateway gateway = gateway(p).contextFitting(DROP).route("chat", Route.fallback("p/" + BIG, "p/" + SMALL)).build();
        ChatStream stream = gateway.stream(request("chat", CONVERSATION))) {
      ChatResponse response = stream.collect();

      assertThat(response.text()).isEqualTo("streamed from small");
      assertThat(p.requests()).allSatisfy(r -> assertThat(r.streaming()).isTrue());
      assertThat(received(p, BIG)).singleElement().extracting(ChatRequest::messages).isEqualTo(CONVERSATION);
      assertThat(received(p, SMALL)).singleElement().extracting(ChatRequest::messages).isEqualTo(List.of(S, U2, A2, U3));
      assertThat(response.metadata().attributes().get(ContextFitting.DROPPED_MESSAGES)).contains(2);
    }
  }

  @Test
  void aStreamThatCannotFitFailsBeforeStreaming() {
    FakeChatProvider p = fake();
    try (AiGateway gateway = smallChat(p, DROP)) {
      assertThatThrownBy(() -> gateway.stream(request("chat", List.of(S, Message.user(say("pink", 50))))))
          .isInstanceOf(ContextWindowExceededException.class).hasMessageContaining("65 input tokens");
      assertThat(p.requestCount()).isZero();
    }
  }
}
