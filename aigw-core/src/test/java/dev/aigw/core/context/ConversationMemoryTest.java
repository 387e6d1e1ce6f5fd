package dev.aigw.core.context;

import static dev.aigw.core.context.Fixtures.A1;
import static dev.aigw.core.context.Fixtures.A2;
import static dev.aigw.core.context.Fixtures.BIG;
import static dev.aigw.core.context.Fixtures.COUNTER;
import static dev.aigw.core.context.Fixtures.S;
import static dev.aigw.core.context.Fixtures.SMALL;
import static dev.aigw.core.context.Fixtures.U1;
import static dev.aigw.core.context.Fixtures.U2;
import static dev.aigw.core.context.Fixtures.U3;
import static dev.aigw.core.context.Fixtures.gateway;
import static dev.aigw.core.context.Fixtures.received;
import static dev.aigw.core.context.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.BudgetUsage;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.Message;
import dev.aigw.api.ProviderException;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conversation memory through the gateway: blocking calls, streams, failures, budgets and fitting. */
class ConversationMemoryTest {
  private static final Message SYSTEM = Message.system("Be brief.");
  private static final CallContext C1 = CallContext.builder().tenant("acme").conversation("c1").build();

  private final InMemoryConversationMemory memory = InMemoryConversationMemory.create();

  private AiGateway chat(FakeChatProvider p) {
    return gateway(p).route("chat", Route.target("p/" + BIG)).conversationMemory(memory).build();
  }

  private static ChatRequest turn(String text) {
    return request("chat", List.of(SYSTEM, Message.user(text)));
  }

  @Test
  void theSecondTurnSendsOnlyItsMessageAndTheProviderSeesTheWholeConversation() {
    FakeChatProvider p = FakeChatProvider.builder().id("p").reply(FakeReply.text("first answer"), FakeReply.text("second answer")).build();
    try (AiGateway gateway = chat(p)) {
      gateway.chat(turn("hello"), C1);
      assertThat(memory.load("c1")).containsExactly(Message.user("hello"), Message.assistant("first answer"));

      ChatResponse second = gateway.chat(turn("again"), C1);

      assertThat(second.text()).isEqualTo("second answer");
      assertThat(received(p, BIG)).extracting(ChatRequest::messages).containsExactly(
          List.of(SYSTEM, Message.user("hello")),
          List.of(SYSTEM, Message.user("hello"), Message.assistant("first answer"), Message.user("again")));
      assertThat(memory.load("c1")).as("system messages are never stored").containsExactly(
          Message.user("hello"), Message.assistant("first answer"), Message.user("again"), Message.assistant("second answer"));
    }
  }

  @Test
  void aCallWithoutAConversationIdLeavesTheMemoryAlone() {
    FakeChatProvider p = FakeChatProvider.builder().id("p").build();
    memory.append("c1", List.of(Message.user("hello"), Message.assistant("hi")));
    try (AiGateway gateway = chat(p)) {
      gateway.chat(turn("unrelated"), CallContext.tenant("acme"));

      assertThat(received(p, BIG).get(0).messages()).containsExactly(SYSTEM, Message.user("unrelated"));
      assertThat(memory.load("c1")).hasSize(2);
    }
  }

  @Test
  void aStreamAppendsWhenItCompletesAndNothingWhenItIsClosedEarly() {
    FakeChatProvider p = FakeChatProvider.builder().id("p").chunkSize(4)
        .reply(FakeReply.text("a streamed answer"), FakeReply.text("never finished")).build();
    try (AiGateway gateway = chat(p)) {
      try (ChatStream stream = gateway.stream(turn("stream it"), C1)) {
        Iterator<ChatChunk> chunks = stream.iterator();
        assertThat(chunks.next().text()).isEqualTo("a st");
        assertThat(memory.load("c1")).as("nothing before the stream completes").isEmpty();
        chunks.forEachRemaining(c -> { });
      }
      assertThat(memory.load("c1")).containsExactly(Message.user("stream it"), Message.assistant("a streamed answer"));

      try (ChatStream stream = gateway.stream(turn("cut short"), C1)) {
        stream.iterator().next();
      }
      assertThat(received(p, BIG).get(1).messages()).containsExactly(
          SYSTEM, Message.user("stream it"), Message.assistant("a streamed answer"), Message.user("cut short"));
      assertThat(memory.load("c1")).as("an abandoned stream appends nothing").hasSize(2);
    }
  }

  @Test
  void aFailedCallOrStreamAppendsNothing() {
    FakeChatProvider p = FakeChatProvider.builder().id("p").reply(FakeReply.serverError(500),
        FakeReply.text("partial answer").failMidStream(1, new ProviderException("p", 500, true, "broken off"))).build();
    try (AiGateway gateway = chat(p)) {
      assertThatThrownBy(() -> gateway.chat(turn("hello"), C1)).isInstanceOf(ProviderException.class);
      assertThat(memory.load("c1")).isEmpty();

      try (ChatStream stream = gateway.stream(turn("hello"), C1)) {
        assertThatThrownBy(stream::collect).isInstanceOf(ProviderException.class).hasMessageContaining("broken off");
      }
      assertThat(memory.load("c1")).isEmpty();
    }
  }

  @Test
  void budgetsCountTheWholeConversationAndFittingTrimsOnlyWhatIsSent() {
    FakeChatProvider p = FakeChatProvider.builder().id("p").reply(FakeReply.text("done")).build();
    List<BigDecimal> reserved = Collections.synchronizedList(new ArrayList<>());
    memory.append("c1", List.of(U1, A1));
    memory.append("c1", List.of(U2, A2));
    try (AiGateway gateway = gateway(p).route("chat", Route.target("p/" + SMALL)).conversationMemory(memory)
        .budget(Budget.perTenant().tokensPerDay(1_000_000))
        .contextFitting(ContextFitting.builder().route("chat", ContextPolicy.dropOldest()).build())
        .listener(new GatewayListener() {
          @Override
          public void budgetReserved(CallInfo call, BudgetUsage usage, BigDecimal amount) {
            reserved.add(amount);
          }
        })
        .build()) {
      ChatRequest newTurn = ChatRequest.builder().model("chat").message(S).message(U3).maxOutputTokens(10).build();
      gateway.chat(newTurn, C1);

      ChatRequest whole = ChatRequest.builder().model("chat").messages(List.of(S, U1, A1, U2, A2, U3)).maxOutputTokens(10).build();
      assertThat(reserved).containsExactly(BigDecimal.valueOf(COUNTER.upperBound(whole) + 10L));
      // budget on the small window: 60 - 10 = 50; the whole 76 does not fit, without [U1, A1] 48 does
      assertThat(received(p, SMALL).get(0).messages()).containsExactly(S, U2, A2, U3);
      assertThat(memory.load("c1")).containsExactly(U1, A1, U2, A2, U3, Message.assistant("done"));
    }
  }

  @Test
  void aMemoryThatCannotLoadFailsTheCallAndOneThatCannotAppendIsReported() {
    List<StoreUnavailableException> reported = new ArrayList<>();
    ConversationMemory broken = new ConversationMemory() {
      @Override
      public List<Message> load(String conversation) {
        if (conversation.equals("unreadable")) {
          throw new IllegalStateException("down");
        }
        return List.of();
      }

      @Override
      public void append(String conversation, List<Message> exchange) {
        throw new IllegalStateException("read-only");
      }

      @Override
      public void clear(String conversation) {}
    };
    FakeChatProvider p = FakeChatProvider.builder().id("p").reply(FakeReply.text("answered")).build();
    try (AiGateway gateway = gateway(p).route("chat", Route.target("p/" + BIG)).conversationMemory(broken)
        .listener(new GatewayListener() {
          @Override
          public void storeUnavailable(CallInfo call, StoreUnavailableException error) {
            reported.add(error);
          }
        }).build()) {
      assertThatThrownBy(() -> gateway.chat(turn("hi"), CallContext.builder().conversation("unreadable").build()))
          .isInstanceOfSatisfying(StoreUnavailableException.class, e -> {
            assertThat(e.store()).isEqualTo("memory");
            assertThat(e.failedClosed()).isTrue();
          });
      assertThat(p.requestCount()).isZero();

      assertThat(gateway.chat(turn("hi"), C1).text()).isEqualTo("answered");
      assertThat(reported).singleElement().satisfies(e -> {
        assertThat(e.store()).isEqualTo("memory");
        assertThat(e.failedClosed()).isFalse();
      });
    }
  }
}
