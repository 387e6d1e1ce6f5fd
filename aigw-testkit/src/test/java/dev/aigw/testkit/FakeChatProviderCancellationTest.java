package dev.aigw.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.EmbeddingRequest;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FakeChatProviderCancellationTest {
  private static final ChatRequest REQUEST = ChatRequest.of("m", "hello");
  private static final Duration FOREVER = Duration.ofDays(1);

  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  /** The exception {@code future} failed with; fails the test if it does not end within the safety limit. */
  private static Throwable failureOf(Future<?> future) throws InterruptedException {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("the call did not end after it was cancelled", e);
    }
    throw new AssertionError("the call completed instead of failing");
  }

  private static CallContext withToken(CancellationToken token) {
    return CallContext.builder().cancellation(token).build();
  }

  @ParameterizedTest(name = "cancel after the call was recorded: {0}")
  @ValueSource(booleans = {false, true})
  void hangEndsWithCallCancelledWhenTheTokenIsCancelledFromAnotherThread(boolean afterRecorded) throws Exception {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.hang()).build();
    CancellationToken token = CancellationToken.create();

    Future<ChatResponse> call = executor.submit(() -> fake.chat(REQUEST, withToken(token)));
    if (afterRecorded) {
      Await.until("the fake received the call", () -> fake.requestCount() == 1);
    }
    token.cancel();

    assertThat(failureOf(call)).isInstanceOf(CallCancelledException.class);
    assertThat(fake.cancellations()).isOne();
  }

  @Test
  void hangThrowsTheTokensOwnReason() throws Exception {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.hang()).build();
    CancellationToken token = CancellationToken.create();
    DeadlineExceededException deadline = new DeadlineExceededException(Duration.ofSeconds(5));

    Future<ChatResponse> call = executor.submit(() -> fake.chat(REQUEST, withToken(token)));
    token.cancel(deadline);

    assertThat(failureOf(call)).isSameAs(deadline);
  }

  @Test
  void aTokenThatFiredBeforeTheCallEndsItAtOnce() {
    FakeChatProvider fake = FakeChatProvider.builder().build();
    CancellationToken token = CancellationToken.create();
    token.cancel();

    assertThatThrownBy(() -> fake.chat(REQUEST, withToken(token))).isInstanceOf(CallCancelledException.class);
    assertThatThrownBy(() -> fake.stream(REQUEST, withToken(token))).isInstanceOf(CallCancelledException.class);
    assertThatThrownBy(() -> fake.embed(EmbeddingRequest.of("e", "x"), withToken(token)))
        .isInstanceOf(CallCancelledException.class);
    assertThat(fake.requestCount()).isEqualTo(3);
    assertThat(fake.cancellations()).isEqualTo(3);
  }

  @Test
  void aTokenThatNeverFiresLetsTheCallComplete() {
    FakeChatProvider fake = FakeChatProvider.builder().build();

    ChatResponse response = fake.chat(REQUEST, withToken(CancellationToken.create()));

    assertThat(response.text()).isEqualTo("fake answer to: hello");
    assertThat(fake.cancellations()).isZero();
  }

  @Test
  void aLatencyWaitEndsAsSoonAsTheTokenFires() throws Exception {
    FakeChatProvider fake = FakeChatProvider.builder().latency(FOREVER).build();
    CancellationToken token = CancellationToken.create();

    Future<ChatResponse> call = executor.submit(() -> fake.chat(REQUEST, withToken(token)));
    token.cancel();

    assertThat(failureOf(call)).isInstanceOf(CallCancelledException.class);
    assertThat(fake.cancellations()).isOne();
  }

  @Test
  void hangInStreamBlocksBeforeTheStreamStarts() throws Exception {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.hang()).build();
    CancellationToken token = CancellationToken.create();

    Future<ChatStream> call = executor.submit(() -> fake.stream(REQUEST, withToken(token)));
    token.cancel();

    assertThat(failureOf(call)).isInstanceOf(CallCancelledException.class);
    assertThat(fake.cancellations()).isOne();
  }

  @Test
  void closingAStreamFromAnotherThreadUnblocksAPendingRead() throws Exception {
    ManualClock clock = new ManualClock();
    FakeChatProvider fake = FakeChatProvider.builder().timeSource(clock).timeToFirstChunk(FOREVER).build();
    ChatStream stream = fake.stream(REQUEST, CallContext.empty());

    Future<Boolean> read = executor.submit(() -> stream.iterator().hasNext());
    Await.until("the reader waits for the first chunk", () -> clock.pendingTimers() == 1);
    stream.close();

    assertThat(failureOf(read)).isInstanceOf(CallCancelledException.class);
    assertThat(fake.cancellations()).isOne();
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void closingAStreamRightAwayEndsAReadThatHasNotStartedWaitingYet() throws Exception {
    FakeChatProvider fake = FakeChatProvider.builder().timeToFirstChunk(FOREVER).build();
    ChatStream stream = fake.stream(REQUEST, CallContext.empty());

    Future<Boolean> read = executor.submit(() -> stream.iterator().hasNext());
    stream.close();

    assertThat(failureOf(read)).isInstanceOf(CallCancelledException.class);
    assertThat(fake.cancellations()).isOne();
  }

  @Test
  void aTokenFiringDuringAStreamEndsThePendingReadWithItsReason() throws Exception {
    FakeChatProvider fake = FakeChatProvider.builder().chunkInterval(FOREVER).build();
    CancellationToken token = CancellationToken.create();
    ChatStream stream = fake.stream(REQUEST, withToken(token));
    Iterator<ChatChunk> chunks = stream.iterator();
    chunks.next();
    DeadlineExceededException deadline = new DeadlineExceededException(Duration.ofSeconds(1));

    Future<Boolean> read = executor.submit(chunks::hasNext);
    token.cancel(deadline);

    assertThat(failureOf(read)).isSameAs(deadline);
    stream.close();
    assertThat(fake.cancellations()).isOne();
  }

  @Test
  void aTokenThatFiresAfterTheStreamEndedChangesNothing() {
    FakeChatProvider fake = FakeChatProvider.builder().build();
    CancellationToken token = CancellationToken.create();

    ChatResponse response = fake.stream(REQUEST, withToken(token)).collect();
    token.cancel();

    assertThat(response.text()).isEqualTo("fake answer to: hello");
    assertThat(fake.cancellations()).isZero();
  }

  @Test
  void interruptingAWaitingThreadEndsTheCallAndKeepsTheInterruptFlag() throws Exception {
    FakeChatProvider fake = FakeChatProvider.builder().latency(FOREVER).build();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        fake.chat(REQUEST, CallContext.empty());
      } catch (AiGatewayException e) {
        failure.set(e);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    caller.start();

    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(caller.isAlive()).isFalse();
    assertThat(failure.get()).isInstanceOf(CallCancelledException.class);
    assertThat(stillInterrupted).isTrue();
    assertThat(fake.cancellations()).isOne();
  }

  @Test
  void latencyOnAManualClockEndsOnlyWhenTheClockReachesIt() throws Exception {
    ManualClock clock = new ManualClock();
    FakeChatProvider fake = FakeChatProvider.builder().timeSource(clock).latency(Duration.ofSeconds(5)).build();

    Future<ChatResponse> call = executor.submit(() -> fake.chat(REQUEST, CallContext.empty()));
    Await.until("the call waits on the clock", () -> clock.pendingTimers() == 1);
    clock.advance(Duration.ofSeconds(4));
    assertThat(call).isNotDone();
    clock.advance(Duration.ofSeconds(1));

    assertThat(call.get(30, TimeUnit.SECONDS).text()).isEqualTo("fake answer to: hello");
  }

  @Test
  void streamCadenceFollowsTheTimeSource() throws Exception {
    ManualClock clock = new ManualClock();
    FakeChatProvider fake = FakeChatProvider.builder()
        .timeSource(clock)
        .reply(FakeReply.text("0123456789abcdefghij"))
        .chunkSize(10)
        .timeToFirstChunk(Duration.ofSeconds(1))
        .chunkInterval(Duration.ofMillis(100))
        .build();
    ChatStream stream = fake.stream(REQUEST, CallContext.empty());

    Future<ChatResponse> collected = executor.submit(stream::collect);
    Await.until("the reader waits for the first chunk", () -> clock.pendingTimers() == 1);
    clock.advance(Duration.ofSeconds(1));
    int intervals = 0;
    while (true) {
      Await.until("the reader waits or is done", () -> clock.pendingTimers() == 1 || collected.isDone());
      if (collected.isDone()) {
        break;
      }
      clock.advance(Duration.ofMillis(100));
      intervals++;
    }

    assertThat(collected.get().text()).isEqualTo("0123456789abcdefghij");
    // two text chunks and the final chunk: two intervals after the first chunk, none for the end
    assertThat(intervals).isEqualTo(2);
  }
}
