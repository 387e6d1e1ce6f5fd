package dev.aigw.core.context;

import static dev.aigw.core.context.Fixtures.A2;
import static dev.aigw.core.context.Fixtures.CONVERSATION;
import static dev.aigw.core.context.Fixtures.MEDIUM;
import static dev.aigw.core.context.Fixtures.S;
import static dev.aigw.core.context.Fixtures.SUM;
import static dev.aigw.core.context.Fixtures.U2;
import static dev.aigw.core.context.Fixtures.U3;
import static dev.aigw.core.context.Fixtures.gateway;
import static dev.aigw.core.context.Fixtures.received;
import static dev.aigw.core.context.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.Message;
import dev.aigw.api.Target;
import dev.aigw.core.AiGateway;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent calls that need the summary of the same segment: they wait for the one summariser
 * call in flight, and summarise themselves when the call making it is cancelled. Latches only.
 */
class SummaryConcurrencyTest {
  private static final CallContext C1 = CallContext.builder().tenant("acme").conversation("c1").build();
  private static final Message SUMMARY = Message.user(ContextPolicy.SUMMARY_PREFIX + "brief brief brief");

  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final FakeChatProvider p = FakeChatProvider.builder().id("p").build();
  private final Summariser summariser = new Summariser();
  private final CountDownLatch secondAttemptStarted = new CountDownLatch(1);

  @AfterEach
  void stop() {
    summariser.release.countDown();
    pool.shutdownNow();
  }

  /**
   * A summariser whose first call blocks until released (answering) or cancelled (failing with
   * the reason), and whose later calls answer at once.
   */
  private static final class Summariser implements ChatProvider {
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch summarising = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String id() {
      return "s";
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      if (calls.incrementAndGet() == 1) {
        CancellationToken token = context.cancellation().orElseThrow();
        try (CancellationToken.Registration ignored = token.onCancel(release::countDown)) {
          summarising.countDown();
          if (!release.await(10, TimeUnit.SECONDS)) {
            throw new AiGatewayException("never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CallCancelledException("interrupted");
        }
        if (token.isCancelled()) {
          throw token.reason().orElseThrow();
        }
      }
      return ChatResponse.builder().id("s-" + calls.get()).model(request.model()).message(Message.assistant("brief brief brief")).build();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      throw new UnsupportedOperationException();
    }
  }

  private AiGateway support() {
    AtomicInteger attempts = new AtomicInteger();
    return gateway(p).provider(summariser)
        .route("support", Route.target("p/" + MEDIUM))
        .route("summariser", Route.target("s/" + SUM))
        .contextFitting(ContextFitting.builder().route("support", ContextPolicy.summarize("summariser").maxSummaryTokens(10)).build())
        .listener(new GatewayListener() {
          @Override
          public void attemptStart(CallInfo call, Target target, int attempt) {
            if (target.provider().equals("p") && attempts.incrementAndGet() == 2) {
              secondAttemptStarted.countDown();
            }
          }
        })
        .build();
  }

  @Test
  void concurrentCallsWaitForTheOneSummariserCallOfTheirSegment() throws Exception {
    try (AiGateway gateway = support()) {
      Future<ChatResponse> first = pool.submit(() -> gateway.chat(request("support", CONVERSATION), C1));
      assertThat(summariser.summarising.await(10, TimeUnit.SECONDS)).isTrue();
      Future<ChatResponse> second = pool.submit(() -> gateway.chat(request("support", CONVERSATION), C1));
      assertThat(secondAttemptStarted.await(10, TimeUnit.SECONDS)).isTrue();
      summariser.release.countDown();

      assertThat(first.get(10, TimeUnit.SECONDS).metadata().attributes().get(ContextFitting.SUMMARIZED)).contains(true);
      assertThat(second.get(10, TimeUnit.SECONDS).metadata().attributes().get(ContextFitting.SUMMARIZED)).contains(true);
      assertThat(summariser.calls).hasValue(1);
      assertThat(received(p, MEDIUM)).extracting(ChatRequest::messages).hasSize(2).containsOnly(List.of(S, SUMMARY, U2, A2, U3));
    }
  }

  @Test
  void whenTheCallSummarisingIsCancelledAWaitingCallSummarisesItself() throws Exception {
    CancellationToken cancelFirst = CancellationToken.create();
    try (AiGateway gateway = support()) {
      Future<ChatResponse> first = pool.submit(() -> gateway.chat(request("support", CONVERSATION),
          C1.toBuilder().cancellation(cancelFirst).build()));
      assertThat(summariser.summarising.await(10, TimeUnit.SECONDS)).isTrue();
      Future<ChatResponse> second = pool.submit(() -> gateway.chat(request("support", CONVERSATION), C1));
      assertThat(secondAttemptStarted.await(10, TimeUnit.SECONDS)).isTrue();
      cancelFirst.cancel();

      assertThat(second.get(10, TimeUnit.SECONDS).metadata().attributes().get(ContextFitting.SUMMARIZED)).contains(true);
      assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CallCancelledException.class);
      assertThat(summariser.calls).hasValue(2);
      assertThat(received(p, MEDIUM)).extracting(ChatRequest::messages).containsExactly(List.of(S, SUMMARY, U2, A2, U3));
    }
  }
}
