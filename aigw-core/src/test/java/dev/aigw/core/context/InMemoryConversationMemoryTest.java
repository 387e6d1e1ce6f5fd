package dev.aigw.core.context;

import static dev.aigw.core.context.Fixtures.weatherCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.Message;
import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The heap memory on its own: bounds, idle expiry on a manual clock, and atomic appends. */
class InMemoryConversationMemoryTest {
  private static final Message U1 = Message.user("u1");
  private static final Message A1 = Message.assistant("a1");
  private static final Message U2 = Message.user("u2");
  private static final Message A2 = Message.assistant("a2");
  private static final Message U3 = Message.user("u3");
  private static final Message A3 = Message.assistant("a3");

  @Test
  void appendsExchangesInOrderAndForgetsOnClear() {
    InMemoryConversationMemory memory = InMemoryConversationMemory.create();
    assertThat(memory.load("c")).isEmpty();
    memory.append("c", List.of(U1, A1));
    memory.append("c", List.of(U2, A2));
    memory.append("other", List.of(U3));

    assertThat(memory.load("c")).containsExactly(U1, A1, U2, A2);
    assertThatThrownBy(() -> memory.load("c").add(U3)).isInstanceOf(UnsupportedOperationException.class);
    memory.clear("c");
    assertThat(memory.load("c")).isEmpty();
    assertThat(memory.load("other")).containsExactly(U3);
  }

  @Test
  void overItsMessageBoundAConversationLosesItsOldestWholeTurns() {
    InMemoryConversationMemory memory = InMemoryConversationMemory.builder().maxMessages(4).build();
    Message call = weatherCall("call_1");
    Message result = Message.tool("call_1", "sunny");
    memory.append("c", List.of(U1, A1));
    memory.append("c", List.of(U2, call, result, A2)); // 6 > 4: the first turn goes

    assertThat(memory.load("c")).containsExactly(U2, call, result, A2);

    memory.append("c", List.of(U3, A3)); // 6 > 4: the tool call goes with its result and its turn
    assertThat(memory.load("c")).containsExactly(U3, A3);

    List<Message> long_ = List.of(U1, call, result, weatherCall("call_2"), Message.tool("call_2", "rainy"), A1);
    memory.append("c", long_); // the latest turn alone is over the bound: it is kept whole
    assertThat(memory.load("c")).isEqualTo(long_);
  }

  @Test
  void aConversationIdleLongerThanItsExpiryIsForgottenByTheGivenClock() {
    ManualClock clock = new ManualClock();
    InMemoryConversationMemory memory = InMemoryConversationMemory.builder()
        .expireAfterIdle(Duration.ofHours(1)).timeSource(clock).build();
    memory.append("c", List.of(U1, A1));

    clock.advance(Duration.ofMinutes(59));
    assertThat(memory.load("c")).hasSize(2); // a load is a use
    clock.advance(Duration.ofMinutes(59));
    assertThat(memory.load("c")).hasSize(2);
    clock.advance(Duration.ofMinutes(61));
    assertThat(memory.load("c")).isEmpty();
    assertThat(memory.conversationCount()).isZero();
  }

  @Test
  void itKeepsAtMostItsNumberOfConversations() {
    InMemoryConversationMemory memory = InMemoryConversationMemory.builder().maxConversations(2).build();
    for (int i = 0; i < 10; i++) {
      memory.append("c" + i, List.of(U1));
    }
    assertThat(memory.conversationCount()).isEqualTo(2);
  }

  @Test
  void concurrentAppendsToOneConversationKeepEveryExchangeWhole() throws Exception {
    InMemoryConversationMemory memory = InMemoryConversationMemory.builder().maxMessages(10_000).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 100; i++) {
            memory.append("c", List.of(Message.user(thread + ":" + i), Message.assistant(thread + ":" + i)));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Message> all = memory.load("c");
    assertThat(all).hasSize(1_600);
    for (int i = 0; i < all.size(); i += 2) {
      assertThat(all.get(i + 1).text()).isEqualTo(all.get(i).text());
    }
  }

  @Test
  void theBuilderRejectsBadBounds() {
    InMemoryConversationMemory.Builder b = InMemoryConversationMemory.builder();
    assertThatThrownBy(() -> b.maxConversations(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConversations must be positive, was 0");
    assertThatThrownBy(() -> b.maxMessages(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxMessages must be positive, was -1");
    assertThatThrownBy(() -> b.expireAfterIdle(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expireAfterIdle must be positive");
    assertThatThrownBy(() -> b.expireAfterIdle(null)).isInstanceOf(NullPointerException.class).hasMessage("expireAfterIdle");
    assertThatThrownBy(() -> b.timeSource(null)).isInstanceOf(NullPointerException.class).hasMessage("timeSource");
  }
}
