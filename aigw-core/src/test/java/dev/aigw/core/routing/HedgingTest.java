package dev.aigw.core.routing;

import static dev.aigw.core.Driver.awaitTrue;
import static dev.aigw.core.Driver.result;
import static dev.aigw.core.Driver.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.Attempt;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.NoRouteAvailableException;
import dev.aigw.api.Target;
import dev.aigw.core.AiGateway;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Hedged routes: a second attempt beside a slow one, first answer wins, the loser is cancelled. */
class HedgingTest {
  private final ManualClock clock = new ManualClock();
  private final RouteOptions hedgeAfterOneSecond = RouteOptions.builder().hedging(Hedging.after(Duration.ofSeconds(1))).build();

  private FakeChatProvider slow(String id, Duration latency) {
    return FakeChatProvider.builder().id(id).timeSource(clock).latency(latency).build();
  }

  /** Records hedge and attempt events, in order. */
  private static final class Events implements GatewayListener {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void attemptStart(CallInfo call, Target target, int attempt) {
      seen.add("start " + target);
    }

    @Override
    public void hedge(CallInfo call, Target from, Target to) {
      seen.add("hedge " + from + " -> " + to);
    }

    @Override
    public void attemptEnd(CallInfo call, Target target, int attempt, Duration latency) {
      seen.add("end " + target);
    }

    @Override
    public void attemptFailed(CallInfo call, Target target, int attempt, Duration latency, AiGatewayException error) {
      seen.add("failed " + target);
    }
  }

  @Test
  void aSlowAttemptIsHedgedAndTheLoserIsCancelled() throws Throwable {
    FakeChatProvider a = slow("a", Duration.ofSeconds(5));
    FakeChatProvider b = slow("b", Duration.ofMillis(200));
    Events events = new Events();
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock).listener(events)
        .route("chat", Route.fallback("a/m", "b/m"), hedgeAfterOneSecond).build()) {
      CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("chat", "hi")));
      awaitTrue("a waits and the hedge is armed", () -> a.requestCount() == 1 && clock.pendingTimers() == 2);

      clock.advance(Duration.ofSeconds(1));
      awaitTrue("b was called", () -> b.requestCount() == 1 && clock.pendingTimers() == 2);
      clock.advance(Duration.ofMillis(200));

      ChatResponse response = result(call);
      assertThat(response.metadata().target()).contains(Target.parse("b/m"));
      assertThat(response.metadata().attempts()).extracting(Attempt::target, Attempt::outcome).containsExactly(
          Tuple.tuple(Target.parse("b/m"), Attempt.Outcome.SUCCESS),
          Tuple.tuple(Target.parse("a/m"), Attempt.Outcome.CANCELLED));
      awaitTrue("a was cancelled", () -> a.cancellations() == 1);
      assertThat(events.seen).containsExactly("start a/m", "hedge a/m -> b/m", "start b/m", "end b/m");
      assertThat(clock.pendingTimers()).isZero();
    }
  }

  @Test
  void hedgesDoNotWaitBehindTheAsyncCallsThatWaitForThem() throws Throwable {
    FakeChatProvider a = slow("a", Duration.ofSeconds(5));
    FakeChatProvider b = slow("b", Duration.ZERO);
    java.util.concurrent.ExecutorService oneThread = java.util.concurrent.Executors.newSingleThreadExecutor();
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock).executor(oneThread)
        .route("chat", Route.fallback("a/m", "b/m"), hedgeAfterOneSecond).build()) {
      CompletableFuture<ChatResponse> call = gateway.chatAsync(ChatRequest.of("chat", "hi"));
      awaitTrue("a waits and the hedge is armed", () -> a.requestCount() == 1 && clock.pendingTimers() == 2);

      clock.advance(Duration.ofSeconds(1));

      assertThat(result(call).metadata().target()).contains(Target.parse("b/m"));
    } finally {
      oneThread.shutdownNow();
    }
  }

  @Test
  void aFastAttemptIsNeverHedged() throws Throwable {
    FakeChatProvider a = slow("a", Duration.ofMillis(300));
    FakeChatProvider b = slow("b", Duration.ofMillis(10));
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock)
        .route("chat", Route.fallback("a/m", "b/m"), hedgeAfterOneSecond).build()) {
      CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("chat", "hi")));
      awaitTrue("a waits and the hedge is armed", () -> a.requestCount() == 1 && clock.pendingTimers() == 2);
      clock.advance(Duration.ofMillis(300));

      assertThat(result(call).metadata().target()).contains(Target.parse("a/m"));
      assertThat(b.requestCount()).isZero();
    }
  }

  @Test
  void aFailureBeforeTheHedgeDelayMovesOnAtOnce() throws Throwable {
    FakeChatProvider a = FakeChatProvider.builder().id("a").reply(FakeReply.serverError(503)).build();
    FakeChatProvider b = slow("b", Duration.ZERO);
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock)
        .route("chat", Route.fallback("a/m", "b/m"), hedgeAfterOneSecond).build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("chat", "hi"));

      assertThat(response.metadata().target()).contains(Target.parse("b/m"));
      assertThat(response.metadata().attempts()).extracting(Attempt::outcome)
          .containsExactly(Attempt.Outcome.FAILURE, Attempt.Outcome.SUCCESS);
    }
  }

  @Test
  void whenEveryHedgedAttemptFailsTheCallListsThemAll() {
    FakeChatProvider a = FakeChatProvider.builder().id("a").reply(FakeReply.serverError(503)).build();
    FakeChatProvider b = FakeChatProvider.builder().id("b").reply(FakeReply.serverError(502)).build();
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock)
        .route("chat", Route.fallback("a/m", "b/m"), hedgeAfterOneSecond).build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chat", "hi")))
          .isInstanceOfSatisfying(NoRouteAvailableException.class, e -> assertThat(e.attempts()).hasSize(2));
    }
  }

  @Test
  void aHedgedStreamTakesTheFirstStreamToDeliverAChunkAndClosesTheOther() throws Throwable {
    FakeChatProvider a = FakeChatProvider.builder().id("a").reply(FakeReply.text("from a")).timeSource(clock)
        .timeToFirstChunk(Duration.ofSeconds(10)).build();
    FakeChatProvider b = FakeChatProvider.builder().id("b").reply(FakeReply.text("from b")).timeSource(clock).build();
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock)
        .route("chat", Route.fallback("a/m", "b/m"), hedgeAfterOneSecond).build()) {
      CompletableFuture<String> call = start(() -> {
        try (ChatStream stream = gateway.stream(ChatRequest.of("chat", "hi"))) {
          return stream.collect().text();
        }
      });
      awaitTrue("a waits and the hedge is armed", () -> a.requestCount() == 1 && clock.pendingTimers() == 2);
      clock.advance(Duration.ofSeconds(1));

      assertThat(result(call)).isEqualTo("from b");
      awaitTrue("a's stream was cancelled", () -> a.cancellations() == 1);
    }
  }

  @Test
  void adaptiveHedgingWaitsForTheTargetsLatencyPercentile() throws Throwable {
    FakeReply[] twentyAnswersThenAHang = new FakeReply[21];
    java.util.Arrays.fill(twentyAnswersThenAHang, FakeReply.text("from a"));
    twentyAnswersThenAHang[20] = FakeReply.hang();
    FakeChatProvider a = FakeChatProvider.builder().id("a").timeSource(clock).latency(Duration.ofMillis(100))
        .reply(twentyAnswersThenAHang).build();
    FakeChatProvider b = slow("b", Duration.ZERO);
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock)
        .route("chat", Route.fallback("a/m", "b/m"),
            RouteOptions.builder().hedging(Hedging.atPercentile(0.9, Duration.ofSeconds(10))).build()).build()) {
      for (int i = 0; i < 20; i++) {
        CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("chat", "hi")));
        awaitTrue("a was called", () -> a.requestCount() > 0 && clock.pendingTimers() == 2);
        clock.advance(Duration.ofMillis(100));
        assertThat(result(call).metadata().target()).contains(Target.parse("a/m"));
      }
      // a now has 20 samples of 100 ms: the hedge fires at 100 ms, not at the 10 s fallback delay
      CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("chat", "hi")));
      awaitTrue("a was called and the hedge armed", () -> a.requestCount() == 21 && clock.pendingTimers() == 2);
      clock.advance(Duration.ofMillis(100));
      ChatResponse response = result(call);
      assertThat(response.metadata().target()).contains(Target.parse("b/m"));
      awaitTrue("the hanging attempt was cancelled", () -> a.cancellations() == 1);
    }
  }
}
