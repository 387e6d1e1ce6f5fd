package dev.aigw.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.Message;
import dev.aigw.api.Role;
import dev.aigw.core.AiGateway;
import dev.aigw.examples.testing.SupportBot.Outcome;
import dev.aigw.examples.testing.SupportBot.Reply;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import dev.aigw.testkit.RecordedRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How to unit-test an application that uses aigw, with {@code aigw-testkit}: the gateway is built
 * as in production ({@link SupportBot#configure}) but over {@link FakeChatProvider}s, which answer
 * from scripts, fail on demand and record every request, and on a {@link ManualClock}, so rate
 * limits and deadlines are tested without waiting. No network, no keys, no sleeps.
 */
class SupportBotTest {
  private final ManualClock clock = new ManualClock();
  private AiGateway gateway;

  private SupportBot bot(FakeChatProvider openAi, FakeChatProvider anthropic) {
    gateway = SupportBot.configure(AiGateway.builder().provider(openAi).provider(anthropic).clock(clock)).build();
    return new SupportBot(gateway);
  }

  @AfterEach
  void close() {
    gateway.close();
  }

  private static FakeChatProvider answering(String id, String text) {
    return FakeChatProvider.builder().id(id).reply(FakeReply.text(text)).build();
  }

  /** A provider that is rate limited for longer than the gateway waits to retry, so the route moves on at once. */
  private static FakeChatProvider rateLimited(String id) {
    return FakeChatProvider.builder().id(id).reply(FakeReply.rateLimited(Duration.ofMinutes(1))).build();
  }

  @Test
  void answersWithTheModelsTextAndSendsTheSystemPromptAsTheCustomer() {
    FakeChatProvider openAi = answering("openai", "Your rocket ships on Monday.");
    SupportBot bot = bot(openAi, answering("anthropic", "unused"));

    Reply reply = bot.answer("customer-42", "When does my rocket ship?");

    assertThat(reply).isEqualTo(new Reply("Your rocket ships on Monday.", Outcome.ANSWERED));
    // what the application sent, as the provider received it
    RecordedRequest sent = openAi.requests().get(0);
    ChatRequest request = (ChatRequest) sent.request();
    assertThat(request.messages()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER);
    assertThat(request.messages().get(0).text()).isEqualTo(SupportBot.SYSTEM_PROMPT);
    assertThat(request.lastUserText()).isEqualTo("When does my rocket ship?");
    assertThat(sent.context().user()).contains("customer-42");
  }

  @Test
  void fallsBackToAnthropicWhenOpenAiIsRateLimited() {
    FakeChatProvider anthropic = answering("anthropic", "It ships on Monday.");
    SupportBot bot = bot(rateLimited("openai"), anthropic);

    assertThat(bot.answer("customer-42", "When does it ship?").outcome()).isEqualTo(Outcome.ANSWERED);
    assertThat(anthropic.requestCount()).isEqualTo(1);
  }

  @Test
  void handsOverToAHumanWhenNoModelAnswers() {
    SupportBot bot = bot(rateLimited("openai"), rateLimited("anthropic"));

    assertThat(bot.answer("customer-42", "Where is my order?").outcome()).isEqualTo(Outcome.HANDED_OVER);
  }

  @Test
  void asksACustomerWhoAsksTooOftenToSlowDownUntilTheMinuteHasPassed() {
    FakeChatProvider openAi = answering("openai", "Sure.");
    SupportBot bot = bot(openAi, answering("anthropic", "unused"));

    for (int i = 0; i < SupportBot.QUESTIONS_PER_MINUTE; i++) {
      assertThat(bot.answer("customer-42", "Question " + i).outcome()).isEqualTo(Outcome.ANSWERED);
    }
    assertThat(bot.answer("customer-42", "One more?").outcome()).isEqualTo(Outcome.SLOW_DOWN);
    assertThat(openAi.requestCount()).as("the denied question never reached a model").isEqualTo(3);
    assertThat(bot.answer("customer-7", "Another customer").outcome()).as("limits are per customer").isEqualTo(Outcome.ANSWERED);

    clock.advance(Duration.ofMinutes(1));   // no sleeping: the gateway's time is the test's
    assertThat(bot.answer("customer-42", "One more?").outcome()).isEqualTo(Outcome.ANSWERED);
  }

  @Test
  void handsOverWhenTheModelDoesNotAnswerBeforeTheDeadline() throws Exception {
    // hang(): the fake never answers until the call is cancelled, here by the gateway's deadline
    SupportBot bot = bot(FakeChatProvider.builder().id("openai").reply(FakeReply.hang()).build(), answering("anthropic", "unused"));

    CompletableFuture<Reply> reply = CompletableFuture.supplyAsync(() -> bot.answer("customer-42", "Are you there?"));
    awaitPendingTimer();                    // the call started and armed its deadline on the clock
    clock.advance(SupportBot.TIMEOUT);      // ... which this fires at once

    assertThat(reply.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.HANDED_OVER);
  }

  /** Waits (spinning, bounded in real time) until something has scheduled a timer on the clock. */
  private void awaitPendingTimer() {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (clock.pendingTimers() == 0) {
      assertThat(System.nanoTime()).as("a timer was scheduled").isLessThan(giveUp);
      Thread.onSpinWait();
    }
  }
}
