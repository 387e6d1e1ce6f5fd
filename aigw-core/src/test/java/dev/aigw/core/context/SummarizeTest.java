package dev.aigw.core.context;

import static dev.aigw.core.context.Fixtures.A1;
import static dev.aigw.core.context.Fixtures.A2;
import static dev.aigw.core.context.Fixtures.CONVERSATION;
import static dev.aigw.core.context.Fixtures.MEDIUM;
import static dev.aigw.core.context.Fixtures.S;
import static dev.aigw.core.context.Fixtures.SUM;
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

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.Message;
import dev.aigw.api.ProviderException;
import dev.aigw.core.AiGateway;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SUMMARIZE policy: which turns are summarised and where the summary goes (exact counts on a
 * window of 70 with 10 tokens kept for the summary), one summariser call per conversation
 * segment, failures, and streams.
 */
class SummarizeTest {
  private static final ContextPolicy SUMMARIZE = ContextPolicy.summarize("summariser").maxSummaryTokens(10);
  private static final Message A3 = Message.assistant(say("gray", 10)); // 14
  private static final Message U4 = Message.user(say("rain", 5)); // 9
  private static final CallContext C1 = CallContext.builder().tenant("acme").conversation("c1").build();

  @BeforeAll
  static void wordsAreOneTokenEach() {
    Fixtures.checkWords("rule", "red", "blue", "green", "gold", "pink", "gray", "rain", "brief", "snow", "sun");
  }

  private static Message summary(String text) {
    return Message.user(ContextPolicy.SUMMARY_PREFIX + text);
  }

  private static AiGateway support(FakeChatProvider p) {
    return gateway(p)
        .route("support", Route.target("p/" + MEDIUM))
        .route("summariser", Route.target("p/" + SUM))
        .contextFitting(ContextFitting.builder().route("support", SUMMARIZE).build())
        .build();
  }

  private static FakeChatProvider summarising(FakeReply... summaries) {
    return FakeChatProvider.builder().id("p").reply(SUM, summaries).build();
  }

  @Test
  void theOldestTurnsThatMustGoAreReplacedByOneSummaryAfterTheSystemPrompt() {
    FakeChatProvider p = summarising(FakeReply.text("brief brief brief"));
    try (AiGateway gateway = support(p)) {
      ChatResponse response = gateway.chat(request("support", CONVERSATION), C1);

      // budget 70: 76 does not fit; without [U1, A1] and with room for the summary (an empty summary
      // message, 11, plus the 10 kept for its text) 48 + 11 + 10 = 69 does.
      assertThat(tokens(List.of(S, summary(""), U2, A2, U3))).isEqualTo(59);
      List<Message> sent = received(p, MEDIUM).get(0).messages();
      assertThat(sent).containsExactly(S, summary("brief brief brief"), U2, A2, U3);
      assertThat(tokens(sent)).isEqualTo(61).isLessThanOrEqualTo(70);
      assertThat(response.metadata().attributes().get(ContextFitting.DROPPED_MESSAGES)).contains(2);
      assertThat(response.metadata().attributes().get(ContextFitting.SUMMARIZED)).contains(true);

      ChatRequest asked = received(p, SUM).get(0);
      assertThat(asked.messages()).containsExactly(
          Message.system(ContextPolicy.DEFAULT_INSTRUCTIONS),
          Message.user("user: " + say("red", 10) + "\n\nassistant: " + say("blue", 10)));
      assertThat(asked.maxOutputTokens()).hasValue(10);
    }
  }

  @Test
  void theSummariserIsCalledOncePerConversationSegment() {
    FakeChatProvider p = summarising(FakeReply.text("brief brief brief"), FakeReply.text("snow snow"));
    try (AiGateway gateway = support(p)) {
      gateway.chat(request("support", CONVERSATION), C1);
      gateway.chat(request("support", CONVERSATION), C1);

      assertThat(received(p, SUM)).as("the same segment is summarised once").hasSize(1);
      assertThat(received(p, MEDIUM)).extracting(ChatRequest::messages).containsOnly(List.of(S, summary("brief brief brief"), U2, A2, U3));

      List<Message> longer = new ArrayList<>(CONVERSATION);
      longer.add(A3);
      longer.add(U4);
      assertThat(tokens(longer)).isEqualTo(99);
      gateway.chat(request("support", longer), C1);

      // one turn less leaves 82 + 10 > 70; without two turns 54 + 10 <= 70: a new, longer segment
      assertThat(received(p, SUM)).hasSize(2);
      assertThat(received(p, SUM).get(1).messages().get(1).text()).isEqualTo("user: " + say("red", 10) + "\n\nassistant: "
          + say("blue", 10) + "\n\nuser: " + say("green", 10) + "\n\nassistant: " + say("gold", 10));
      List<Message> sent = received(p, MEDIUM).get(2).messages();
      assertThat(sent).containsExactly(S, summary("snow snow"), U3, A3, U4);
      assertThat(tokens(sent)).isEqualTo(55);

      gateway.chat(request("support", CONVERSATION), C1);
      assertThat(received(p, SUM)).as("both segments are cached").hasSize(2);
      assertThat(received(p, MEDIUM).get(3).messages()).containsExactly(S, summary("brief brief brief"), U2, A2, U3);
    }
  }

  @Test
  void summariesAreKeptPerConversationOrByTheSegmentAloneWithoutOne() {
    FakeChatProvider p = summarising(FakeReply.text("brief brief brief"));
    try (AiGateway gateway = support(p)) {
      gateway.chat(request("support", CONVERSATION), C1);
      gateway.chat(request("support", CONVERSATION), CallContext.builder().tenant("acme").conversation("c2").build());
      assertThat(received(p, SUM)).hasSize(2);

      gateway.chat(request("support", CONVERSATION));
      gateway.chat(request("support", CONVERSATION));
      assertThat(received(p, SUM)).hasSize(3);
    }
  }

  @Test
  void theSummariserCallIsItsOwnCallWithTheCallersTenantAndNoConversation() {
    FakeChatProvider p = summarising(FakeReply.text("brief brief brief"));
    try (AiGateway gateway = support(p)) {
      gateway.chat(request("support", CONVERSATION), C1);

      RecordedRequest asked = p.requests().stream().filter(r -> r.chat().model().equals(SUM)).findFirst().orElseThrow();
      assertThat(asked.context().tenant()).contains("acme");
      assertThat(asked.context().conversation()).isEmpty();
    }
  }

  @Test
  void toolCallsAndResultsAreWrittenOutForTheSummariser() {
    FakeChatProvider p = summarising(FakeReply.text("brief"));
    List<Message> conversation = List.of(S, U1, weatherCall("call_1"), Message.tool("call_1", say("sun", 25)), U3);
    try (AiGateway gateway = support(p)) {
      assertThat(tokens(conversation)).isEqualTo(3 + 8 + 14 + 12 + 29 + 9).isEqualTo(75);
      gateway.chat(request("support", conversation), C1);

      assertThat(received(p, SUM).get(0).messages().get(1).text()).isEqualTo("user: " + say("red", 10)
          + "\n\nassistant called tool weather (call_1) with {}\n\ntool result for call_1: " + say("sun", 25));
      assertThat(received(p, MEDIUM).get(0).messages()).containsExactly(S, summary("brief"), U3);
      assertThat(tokens(received(p, MEDIUM).get(0).messages())).isEqualTo(31);
    }
  }

  @Test
  void aFailedSummaryFailsTheAttemptAndIsNotCached() {
    FakeChatProvider p = summarising(FakeReply.serverError(500), FakeReply.text("brief brief brief"));
    try (AiGateway gateway = support(p)) {
      assertThatThrownBy(() -> gateway.chat(request("support", CONVERSATION), C1))
          .isInstanceOf(ContextWindowExceededException.class)
          .hasMessageContaining("the summariser 'summariser' failed to summarise 2 earlier messages")
          .satisfies(e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(ProviderException.class));
      assertThat(received(p, MEDIUM)).isEmpty();

      gateway.chat(request("support", CONVERSATION), C1);
      assertThat(received(p, SUM)).hasSize(2);
      assertThat(received(p, MEDIUM)).hasSize(1);
    }
  }

  @Test
  void aSummaryLongerThanItsRoomFailsTheAttempt() {
    FakeChatProvider p = summarising(FakeReply.text(say("brief", 30)));
    try (AiGateway gateway = support(p)) {
      assertThatThrownBy(() -> gateway.chat(request("support", CONVERSATION), C1))
          .isInstanceOf(ContextWindowExceededException.class)
          .hasMessageContaining("it still has 88 tokens; the summary is longer than the 10 tokens kept for it");
      assertThat(received(p, MEDIUM)).isEmpty();
    }
  }

  @Test
  void whenNotEvenTheLastTurnAndAnEmptySummaryLeaveRoomTheAttemptFails() {
    FakeChatProvider p = summarising(FakeReply.text("brief"));
    List<Message> conversation = List.of(S, U1, A1, Message.user(say("pink", 50)));
    try (AiGateway gateway = support(p)) {
      assertThatThrownBy(() -> gateway.chat(request("support", conversation), C1))
          .isInstanceOf(ContextWindowExceededException.class)
          .hasMessageContaining("even without its 1 earlier turn it has 76 tokens with an empty summary");
      assertThat(p.requestCount()).isZero();
    }
  }

  @Test
  void aStreamIsSummarisedTheSameWay() {
    FakeChatProvider p = summarising(FakeReply.text("brief brief brief"));
    try (AiGateway gateway = support(p); ChatStream stream = gateway.stream(request("support", CONVERSATION), C1)) {
      ChatResponse response = stream.collect();

      assertThat(received(p, MEDIUM)).singleElement().extracting(ChatRequest::messages)
          .isEqualTo(List.of(S, summary("brief brief brief"), U2, A2, U3));
      assertThat(p.requests()).extracting(RecordedRequest::streaming).containsExactly(false, true);
      assertThat(response.metadata().attributes().get(ContextFitting.SUMMARIZED)).contains(true);
    }
  }
}
