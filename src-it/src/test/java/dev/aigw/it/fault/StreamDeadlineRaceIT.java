package dev.aigw.it.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.budget.InMemoryBudgetStore;
import dev.aigw.core.budget.Window;
import dev.aigw.core.routing.Route;
import dev.aigw.core.tokens.TokenCounter;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A chunk on its way when the deadline fires: the provider's stream may still hand it over after
 * the gateway cancelled it (an HTTP stream parses an event whose bytes were already buffered).
 * The call has already failed by then ({@code callFailed} sent, budget settled to what was
 * delivered), so the caller must get the deadline, not that chunk.
 */
@Isolated
class StreamDeadlineRaceIT {
  private static final Duration DEADLINE = Duration.ofMillis(200);

  /** Streams "Paris", then blocks until the gateway closes it, and then still returns " is". */
  private static final class LateChunkProvider implements ChatProvider {
    final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public String id() {
      return "late";
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      return ChatStream.of(new ChatStream.Source() {
        private int sent;

        @Override
        public @Nullable ChatChunk next() {
          if (sent++ == 0) {
            return ChatChunk.text(ProviderKind.HEAD);
          }
          try {
            closed.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(new InterruptedIOException());
          }
          return ChatChunk.text(" is");
        }

        @Override
        public void close() {
          closed.countDown();
        }
      });
    }
  }

  @Test
  void aChunkThatArrivesAfterTheDeadlineFiredIsNotDeliveredAndTheLedgerMatchesWhatWas() {
    InMemoryBudgetStore budgets = new InMemoryBudgetStore();
    LateChunkProvider provider = new LateChunkProvider();
    try (AiGateway gateway = AiGateway.builder().provider(provider).route("chat", Route.target("late/gpt-4o-mini"))
        .budgetStore(budgets).budget(Budget.perTenant().tokensPerDay(1_000_000)).build();
        ChatStream stream = gateway.stream(FaultKit.REQUEST, CallContext.builder().tenant("acme").timeout(DEADLINE).build())) {
      Iterator<ChatChunk> chunks = stream.iterator();
      assertThat(chunks.next().text()).isEqualTo(ProviderKind.HEAD);

      assertThatThrownBy(chunks::hasNext).as("the chunk that came after the deadline").isInstanceOf(DeadlineExceededException.class);

      TokenCounter counter = TokenCounter.forModel("gpt-4o-mini");
      assertThat(budgets.used("tenant:acme:total_tokens", Window.day(), Instant.now()))
          .as("charged the input and what the caller received")
          .isEqualTo(counter.count(FaultKit.REQUEST) + counter.count(ProviderKind.HEAD));
    }
  }
}
