package dev.aigw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.Target;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import dev.aigw.core.routing.Route;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deadlines and cancellation, driven by a manual clock: the test advances time past the deadline
 * once the provider is known to be waiting, so nothing depends on real time passing.
 */
class DeadlineAndCancellationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final ManualClock clock = new ManualClock();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final RecordingListener listener = new RecordingListener();
  private final CountDownLatch attemptStarted = new CountDownLatch(1);
  private final CountDownLatch callEnded = new CountDownLatch(1);

  @AfterEach
  void shutDown() {
    callers.shutdownNow();
  }

  private AiGateway.Builder gateway(ChatProvider... providers) {
    AiGateway.Builder builder = AiGateway.builder().clock(clock).listener(listener).listener(new GatewayListener() {
      @Override
      public void attemptStart(CallInfo call, Target target, int attempt) {
        attemptStarted.countDown();
      }

      @Override
      public void callFailed(CallInfo call, dev.aigw.api.AiGatewayException error) {
        callEnded.countDown();
      }
    });
    for (ChatProvider provider : providers) {
      builder.provider(provider);
    }
    return builder;
  }

  private static CallContext withTimeout() {
    return CallContext.builder().timeout(TIMEOUT).build();
  }

  private void awaitAttempt() throws InterruptedException {
    assertThat(attemptStarted.await(10, TimeUnit.SECONDS)).as("an attempt started").isTrue();
  }

  /** Waits (without sleeping) until the provider has received the call, so cancelling reaches it. */
  private static void awaitCalled(FakeChatProvider provider) {
    Driver.awaitTrue("the provider was called", () -> provider.requestCount() > 0);
  }

  @Test
  void aBlockingCallEndsAtItsDeadlineAndCancelsTheProvider() throws Exception {
    FakeChatProvider hanging = FakeChatProvider.builder().id("a").reply(FakeReply.hang()).build();
    try (AiGateway gateway = gateway(hanging).build()) {
      Future<ChatResponse> call = callers.submit(() -> gateway.chat(ChatRequest.of("a/m", "hi"), withTimeout()));
      awaitCalled(hanging);

      clock.advance(TIMEOUT);

      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(DeadlineExceededException.class,
              e -> assertThat(e.timeout()).isEqualTo(TIMEOUT));
      assertThat(hanging.cancellations()).isEqualTo(1);
      assertThat(listener.events()).last().isEqualTo("callFailed DeadlineExceededException");
    }
  }

  @Test
  void anAsyncCallsFutureFailsAtTheDeadlineWhileTheProviderStillWaits() throws Exception {
    FakeChatProvider hanging = FakeChatProvider.builder().id("a").reply(FakeReply.hang()).build();
    try (AiGateway gateway = gateway(hanging).build()) {
      CompletableFuture<ChatResponse> future = gateway.chatAsync(ChatRequest.of("a/m", "hi"), withTimeout());
      awaitCalled(hanging);
      assertThat(future).isNotDone();

      clock.advance(TIMEOUT);

      assertThat(future).isCompletedExceptionally();
      assertThatThrownBy(future::join).cause().isInstanceOf(DeadlineExceededException.class);
      assertThat(callEnded.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(hanging.cancellations()).isEqualTo(1);
    }
  }

  @Test
  void aStreamEndsAtItsDeadlineWhileWaitingForTheNextChunkAndTheUpstreamIsClosed() throws Exception {
    StallingStreamProvider stalling = new StallingStreamProvider();
    try (AiGateway gateway = gateway(stalling).build()) {
      ChatStream stream = gateway.stream(ChatRequest.of("stall/m", "hi"), withTimeout());
      Iterator<ChatChunk> chunks = stream.iterator();
      assertThat(chunks.next().text()).isEqualTo("first");
      Future<Boolean> reader = callers.submit(chunks::hasNext);
      assertThat(stalling.stalled.await(10, TimeUnit.SECONDS)).isTrue();

      clock.advance(TIMEOUT);

      assertThatThrownBy(() -> reader.get(10, TimeUnit.SECONDS))
          .cause().isInstanceOf(DeadlineExceededException.class);
      assertThat(stalling.closes.get()).isPositive();
      assertThat(listener.events()).containsSubsequence("firstChunk", "callFailed DeadlineExceededException");
      stream.close();
    }
  }

  @Test
  void aDeadlineThatHasAlreadyPassedFailsTheCallWithoutCallingTheProvider() {
    FakeChatProvider provider = FakeChatProvider.builder().id("a").reply(FakeReply.text("late")).build();
    try (AiGateway gateway = gateway(provider).build()) {
      CallContext expired = CallContext.builder().deadline(clock.now().minusSeconds(1)).build();

      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("a/m", "hi"), expired))
          .isInstanceOf(DeadlineExceededException.class);
      assertThatThrownBy(() -> gateway.stream(ChatRequest.of("a/m", "hi"), expired))
          .isInstanceOf(DeadlineExceededException.class);
      assertThat(provider.requestCount()).isZero();
    }
  }

  @Test
  void noFallbackIsTriedOnceTheDeadlineHasPassed() throws Exception {
    FakeChatProvider hanging = FakeChatProvider.builder().id("a").reply(FakeReply.hang()).build();
    FakeChatProvider backup = FakeChatProvider.builder().id("b").reply(FakeReply.text("too late")).build();
    try (AiGateway gateway = gateway(hanging, backup).route("chat", Route.fallback("a/m", "b/m")).build()) {
      Future<ChatResponse> call = callers.submit(() -> gateway.chat(ChatRequest.of("chat", "hi"), withTimeout()));
      awaitCalled(hanging);

      clock.advance(TIMEOUT);

      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(DeadlineExceededException.class);
      assertThat(backup.requestCount()).isZero();
    }
  }

  @Test
  void theEarlierOfDeadlineAndTimeoutApplies() throws Exception {
    FakeChatProvider hanging = FakeChatProvider.builder().id("a").reply(FakeReply.hang()).build();
    try (AiGateway gateway = gateway(hanging).build()) {
      CallContext context = CallContext.builder()
          .deadline(clock.now().plusSeconds(2))
          .timeout(Duration.ofSeconds(60))
          .build();
      Future<ChatResponse> call = callers.submit(() -> gateway.chat(ChatRequest.of("a/m", "hi"), context));
      awaitCalled(hanging);

      clock.advance(Duration.ofSeconds(2));

      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause()
          .isInstanceOfSatisfying(DeadlineExceededException.class, e -> assertThat(e.timeout()).hasSeconds(2));
    }
  }

  @Test
  void aSuccessfulCallDisarmsItsDeadlineTimer() {
    FakeChatProvider provider = FakeChatProvider.builder().id("a").reply(FakeReply.text("ok")).build();
    try (AiGateway gateway = gateway(provider).build()) {
      gateway.chat(ChatRequest.of("a/m", "hi"), withTimeout());
      try (ChatStream stream = gateway.stream(ChatRequest.of("a/m", "hi"), withTimeout())) {
        stream.collect();
      }

      assertThat(clock.pendingTimers()).isZero();
    }
  }

  @Test
  void theCallersCancellationTokenCancelsABlockingCallAndReachesTheProvider() throws Exception {
    FakeChatProvider hanging = FakeChatProvider.builder().id("a").reply(FakeReply.hang()).build();
    CancellationToken token = CancellationToken.create();
    try (AiGateway gateway = gateway(hanging).build()) {
      Future<ChatResponse> call = callers.submit(
          () -> gateway.chat(ChatRequest.of("a/m", "hi"), CallContext.builder().cancellation(token).build()));
      awaitCalled(hanging);

      token.cancel();

      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(CallCancelledException.class);
      assertThat(hanging.cancellations()).isEqualTo(1);
    }
  }

  @Test
  void cancellingAnAsyncFutureCancelsTheUpstreamCall() throws Exception {
    FakeChatProvider hanging = FakeChatProvider.builder().id("a").reply(FakeReply.hang()).build();
    try (AiGateway gateway = gateway(hanging).build()) {
      CompletableFuture<ChatResponse> future = gateway.chatAsync(ChatRequest.of("a/m", "hi"));
      awaitCalled(hanging);

      assertThat(future.cancel(true)).isTrue();

      assertThat(callEnded.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(hanging.cancellations()).isEqualTo(1);
      assertThat(listener.events()).last().isEqualTo("callFailed CallCancelledException");
    }
  }

  @Test
  void closingAStreamEarlyCancelsTheUpstreamAndReportsTheCallAsCancelled() {
    FakeChatProvider provider = FakeChatProvider.builder().id("a").chunkSize(1)
        .reply(FakeReply.text("a long answer that streams one letter at a time")).build();
    try (AiGateway gateway = gateway(provider).build()) {
      ChatStream stream = gateway.stream(ChatRequest.of("a/m", "hi"));
      Iterator<ChatChunk> chunks = stream.iterator();
      chunks.next();
      chunks.next();

      stream.close();
      stream.close();

      assertThat(chunks.hasNext()).isFalse();
      assertThat(provider.cancellations()).isEqualTo(1);
      assertThat(listener.events()).containsExactly(
          "callStart", "attemptStart a/m #1", "attemptEnd a/m #1", "firstChunk", "callFailed CallCancelledException");
    }
  }

  @Test
  void aGatewayStreamPublishesOnTheGatewaysExecutorAndHonoursDemand() throws Exception {
    FakeChatProvider provider = FakeChatProvider.builder().id("a").chunkSize(2).reply(FakeReply.text("abcdef")).build();
    try (AiGateway gateway = gateway(provider).build()) {
      ChatStream stream = gateway.stream(ChatRequest.of("a/m", "hi"));
      StringBuilder text = new StringBuilder();
      CountDownLatch done = new CountDownLatch(1);
      AtomicInteger received = new AtomicInteger();
      String[] thread = new String[1];
      stream.toPublisher().subscribe(new java.util.concurrent.Flow.Subscriber<>() {
        private java.util.concurrent.Flow.Subscription subscription;

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
          subscription = s;
          s.request(1);
        }

        @Override
        public void onNext(ChatChunk item) {
          thread[0] = Thread.currentThread().getName();
          received.incrementAndGet();
          text.append(item.text());
          subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
          done.countDown();
        }

        @Override
        public void onComplete() {
          done.countDown();
        }
      });

      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(text).hasToString("abcdef");
      assertThat(thread[0]).startsWith("aigw-async-");
      assertThat(listener.events()).last().isEqualTo("callEnd");
    }
  }

  /** Streams one chunk, then blocks in next() until the stream is closed. */
  private static final class StallingStreamProvider implements ChatProvider {
    final CountDownLatch stalled = new CountDownLatch(1);
    final AtomicInteger closes = new AtomicInteger();

    @Override
    public String id() {
      return "stall";
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      throw new UnsupportedOperationException("stream only");
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      CountDownLatch closed = new CountDownLatch(1);
      return ChatStream.of(new ChatStream.Source() {
        private boolean sentFirst;

        @Override
        public @Nullable ChatChunk next() {
          if (!sentFirst) {
            sentFirst = true;
            return ChatChunk.builder().id("s-1").model(request.model()).text("first").build();
          }
          stalled.countDown();
          try {
            closed.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        }

        @Override
        public void close() {
          closes.incrementAndGet();
          closed.countDown();
        }
      });
    }
  }
}
