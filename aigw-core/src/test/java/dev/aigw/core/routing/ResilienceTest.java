package dev.aigw.core.routing;

import static dev.aigw.core.Driver.awaitTrue;
import static dev.aigw.core.Driver.drive;
import static dev.aigw.core.Driver.result;
import static dev.aigw.core.Driver.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.Attempt;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.api.RateLimitedException;
import dev.aigw.api.Target;
import dev.aigw.api.TargetUnavailableException;
import dev.aigw.core.AiGateway;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Per-target retries, retry budget, circuit breaker, bulkhead and attempt time limits, on a manual clock. */
class ResilienceTest {
  private final ManualClock clock = new ManualClock();

  private FakeChatProvider fake(String id, FakeReply... replies) {
    return FakeChatProvider.builder().id(id).reply(replies).timeSource(clock).build();
  }

  private static Resilience.Builder noJitter() {
    return Resilience.custom().jitter(0);
  }

  /** Records retry and attempt events. */
  private static final class Events implements GatewayListener {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void retry(CallInfo call, Target target, int attempt, Duration delay, AiGatewayException cause) {
      seen.add("retry " + target + " #" + attempt + " after " + delay.toMillis() + "ms (" + cause.getClass().getSimpleName() + ")");
    }

    @Override
    public void fallback(CallInfo call, Target from, Target to, AiGatewayException cause) {
      seen.add("fallback " + from + " -> " + to);
    }
  }

  @Test
  void aRetryAfterFromTheProviderIsWaitedOutExactlyBeforeTheSameTargetIsTriedAgain() throws Throwable {
    FakeChatProvider a = fake("a", FakeReply.rateLimited(Duration.ofSeconds(2)), FakeReply.text("second try"));
    Events events = new Events();
    try (AiGateway gateway = AiGateway.builder().provider(a).clock(clock).listener(events).build()) {
      CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("a/m", "hi")));
      awaitTrue("the retry wait started", () -> a.requestCount() == 1 && clock.pendingTimers() == 1);

      clock.advance(Duration.ofMillis(1999));
      assertThat(call).isNotDone();
      assertThat(a.requestCount()).isEqualTo(1);
      clock.advance(Duration.ofMillis(1));

      ChatResponse response = result(call);
      assertThat(response.text()).isEqualTo("second try");
      assertThat(response.metadata().attempts()).extracting(Attempt::outcome, Attempt::retryDelay).containsExactly(
          org.assertj.core.groups.Tuple.tuple(Attempt.Outcome.FAILURE, java.util.Optional.of(Duration.ofSeconds(2))),
          org.assertj.core.groups.Tuple.tuple(Attempt.Outcome.SUCCESS, java.util.Optional.empty()));
      assertThat(events.seen).containsExactly("retry a/m #1 after 2000ms (RateLimitedException)");
    }
  }

  @Test
  void withoutARetryDelayTheBackoffGrowsExponentially() throws Throwable {
    FakeChatProvider a = fake("a", FakeReply.serverError(503), FakeReply.serverError(502), FakeReply.text("third"));
    Resilience r = noJitter().backoff(Duration.ofMillis(100), 3, Duration.ofSeconds(5)).build();
    try (AiGateway gateway = AiGateway.builder().provider(a).clock(clock).resilience(r).build()) {
      CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("a/m", "hi")));

      drive(clock, call, Duration.ofMillis(100));

      assertThat(result(call).metadata().attempts()).extracting(Attempt::retryDelay).containsExactly(
          java.util.Optional.of(Duration.ofMillis(100)), java.util.Optional.of(Duration.ofMillis(300)), java.util.Optional.empty());
    }
  }

  @Test
  void jitterKeepsEachBackoffWithinItsBounds() throws Throwable {
    Resilience r = Resilience.custom().backoff(Duration.ofMillis(1000), 2, Duration.ofSeconds(5)).jitter(0.25).build();
    java.util.Set<Duration> seen = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      FakeChatProvider a = fake("a", FakeReply.serverError(503), FakeReply.text("ok"));
      try (AiGateway gateway = AiGateway.builder().provider(a).clock(clock).resilience(r).build()) {
        CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("a/m", "hi")));
        drive(clock, call, Duration.ofMillis(50));
        Duration delay = result(call).metadata().attempts().get(0).retryDelay().orElseThrow();
        assertThat(delay).isBetween(Duration.ofMillis(750), Duration.ofMillis(1250));
        seen.add(delay);
      }
    }
    assertThat(seen).as("the delays are randomised").hasSizeGreaterThan(1);
  }

  @Test
  void aRetryDelayLongerThanTheCapMovesOnToTheNextTargetAtOnce() {
    FakeChatProvider a = fake("a", FakeReply.rateLimited(Duration.ofSeconds(60)));
    FakeChatProvider b = fake("b", FakeReply.text("from b"));
    Events events = new Events();
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock).listener(events)
        .route("chat", Route.fallback("a/m", "b/m")).build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("chat", "hi"));

      assertThat(response.text()).isEqualTo("from b");
      assertThat(a.requestCount()).isEqualTo(1);
      assertThat(events.seen).containsExactly("fallback a/m -> b/m");
    }
  }

  @Test
  void aRetryThatWouldEndAfterTheCallsDeadlineIsNotWaitedFor() {
    FakeChatProvider a = fake("a", FakeReply.rateLimited(Duration.ofSeconds(3)), FakeReply.text("too late"));
    try (AiGateway gateway = AiGateway.builder().provider(a).clock(clock).build()) {
      CallContext twoSeconds = CallContext.builder().timeout(Duration.ofSeconds(2)).build();

      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("a/m", "hi"), twoSeconds))
          .isInstanceOf(RateLimitedException.class);
      assertThat(a.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void clientErrorsFailFastWithoutRetryOrFallback() {
    FakeChatProvider a = fake("a", FakeReply.error(new ProviderException("a", 400, false, "bad request")));
    FakeChatProvider b = fake("b", FakeReply.text("never"));
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock)
        .route("chat", Route.fallback("a/m", "b/m")).build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chat", "hi")))
          .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.statusCode()).hasValue(400));
      assertThat(a.requestCount()).isEqualTo(1);
      assertThat(b.requestCount()).isZero();
    }
  }

  @Test
  void theRetryBudgetStopsRetriesDuringAnOutage() throws Throwable {
    FakeChatProvider a = fake("a", FakeReply.serverError(503));
    Resilience r = noJitter().maxAttempts(3).backoff(Duration.ofMillis(10), 1, Duration.ofMillis(10)).retryBudget(4, 1).build();
    try (AiGateway gateway = AiGateway.builder().provider(a).clock(clock).resilience(r).build()) {
      List<Integer> requestsPerCall = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int before = a.requestCount();
        CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("a/m", "hi")));
        drive(clock, call, Duration.ofMillis(10));
        assertThatThrownBy(() -> result(call)).isInstanceOf(ProviderException.class);
        requestsPerCall.add(a.requestCount() - before);
      }
      // 4 tokens, retries allowed while more than 2 remain: the first call retries once (4 -> 3 -> 2),
      // after that every failure leaves too few tokens and calls are not retried
      assertThat(requestsPerCall).containsExactly(2, 1, 1, 1);
    }
  }

  @Test
  void withoutARetryBudgetEveryCallUsesAllItsAttempts() throws Throwable {
    FakeChatProvider a = fake("a", FakeReply.serverError(503));
    Resilience r = noJitter().maxAttempts(3).backoff(Duration.ofMillis(10), 1, Duration.ofMillis(10)).noRetryBudget()
        .noCircuitBreaker().build();
    try (AiGateway gateway = AiGateway.builder().provider(a).clock(clock).resilience(r).build()) {
      for (int i = 0; i < 4; i++) {
        CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("a/m", "hi")));
        drive(clock, call, Duration.ofMillis(10));
        assertThatThrownBy(() -> result(call)).isInstanceOf(ProviderException.class);
      }
      assertThat(a.requestCount()).isEqualTo(12);
    }
  }

  @Test
  void theCircuitBreakerOpensAfterFailuresThenLetsAProbeThroughAfterItsWaitAndClosesOnSuccess() {
    FakeChatProvider a = fake("a", FakeReply.serverError(503), FakeReply.serverError(503), FakeReply.serverError(503),
        FakeReply.serverError(503), FakeReply.text("a recovered"));
    FakeChatProvider b = fake("b", FakeReply.text("from b"));
    Resilience r = Resilience.custom().maxAttempts(1).circuitBreaker(CircuitBreakerConfig.custom()
        .failureRateThreshold(50).slidingWindowSize(4).minimumNumberOfCalls(4)
        .waitDurationInOpenState(Duration.ofSeconds(10)).permittedNumberOfCallsInHalfOpenState(1).build()).build();
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock).resilience(r)
        .route("chat", Route.fallback("a/m", "b/m")).build()) {
      for (int i = 0; i < 4; i++) {
        assertThat(gateway.chat(ChatRequest.of("chat", "hi")).text()).isEqualTo("from b");
      }
      assertThat(a.requestCount()).isEqualTo(4);

      ChatResponse whileOpen = gateway.chat(ChatRequest.of("chat", "hi"));
      assertThat(a.requestCount()).as("an open breaker sends nothing").isEqualTo(4);
      assertThat(whileOpen.metadata().attempts().get(0).errorType()).contains(TargetUnavailableException.class.getName());

      clock.advance(Duration.ofSeconds(10).plusMillis(1));
      ChatResponse probe = gateway.chat(ChatRequest.of("chat", "hi"));
      assertThat(probe.text()).isEqualTo("a recovered");

      assertThat(gateway.chat(ChatRequest.of("chat", "hi")).metadata().target()).contains(Target.parse("a/m"));
      assertThat(a.requestCount()).isEqualTo(6);
    }
  }

  @Test
  void anOpenBreakerOnASingleTargetEndsTheCallWithTargetUnavailable() {
    FakeChatProvider a = fake("a", FakeReply.serverError(503));
    Resilience r = Resilience.custom().maxAttempts(1).circuitBreaker(CircuitBreakerConfig.custom()
        .slidingWindowSize(2).minimumNumberOfCalls(2).build()).build();
    try (AiGateway gateway = AiGateway.builder().provider(a).clock(clock).resilience(r).build()) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> gateway.chat(ChatRequest.of("a/m", "hi"))).isInstanceOf(ProviderException.class);
      }
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("a/m", "hi")))
          .isInstanceOfSatisfying(TargetUnavailableException.class, e -> {
            assertThat(e.reason()).isEqualTo(TargetUnavailableException.Reason.CIRCUIT_OPEN);
            assertThat(e.target()).isEqualTo(Target.parse("a/m"));
          });
      assertThat(a.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void aFullBulkheadRejectsWithoutCallingAndTheRouterMovesOn() throws Throwable {
    FakeChatProvider a = fake("a", FakeReply.hang(), FakeReply.text("a is free again"));
    FakeChatProvider b = fake("b", FakeReply.text("from b"));
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock)
        .resilience("a", Resilience.custom().maxConcurrentCalls(1).build())
        .route("chat", Route.fallback("a/m", "b/m")).build()) {
      CallContext first = CallContext.builder().timeout(Duration.ofSeconds(5)).build();
      CompletableFuture<ChatResponse> hanging = start(() -> gateway.chat(ChatRequest.of("chat", "hi"), first));
      awaitTrue("the first call holds a's only slot", () -> a.requestCount() == 1);

      ChatResponse second = gateway.chat(ChatRequest.of("chat", "hi"));

      assertThat(second.text()).isEqualTo("from b");
      assertThat(a.requestCount()).isEqualTo(1);
      assertThat(second.metadata().attempts().get(0).errorType()).contains(TargetUnavailableException.class.getName());

      clock.advance(Duration.ofSeconds(5));
      assertThatThrownBy(() -> result(hanging)).isInstanceOf(dev.aigw.api.DeadlineExceededException.class);
      ChatResponse third = gateway.chat(ChatRequest.of("chat", "hi"));
      assertThat(third.text()).as("the slot was released").isEqualTo("a is free again");
    }
  }

  @Test
  void anAttemptTimeoutCancelsTheSlowTargetAndFallsBack() throws Throwable {
    FakeChatProvider a = fake("a", FakeReply.hang());
    FakeChatProvider b = fake("b", FakeReply.text("from b"));
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock)
        .resilience("a/m", Resilience.custom().maxAttempts(1).attemptTimeout(Duration.ofSeconds(1)).build())
        .route("chat", Route.fallback("a/m", "b/m")).build()) {
      CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("chat", "hi")));
      awaitTrue("a was called", () -> a.requestCount() == 1);

      clock.advance(Duration.ofSeconds(1));

      ChatResponse response = result(call);
      assertThat(response.text()).isEqualTo("from b");
      assertThat(response.metadata().attempts().get(0).errorType()).contains(ProviderTimeoutException.class.getName());
      assertThat(a.cancellations()).isEqualTo(1);
    }
  }

  @Test
  void aStreamWithoutAFirstChunkInTimeFailsOverBeforeTheCallerSeesAnything() throws Throwable {
    FakeChatProvider slow = FakeChatProvider.builder().id("a").reply(FakeReply.text("late")).timeSource(clock)
        .timeToFirstChunk(Duration.ofSeconds(30)).build();
    FakeChatProvider b = fake("b", FakeReply.text("from b"));
    try (AiGateway gateway = AiGateway.builder().provider(slow).provider(b).clock(clock)
        .resilience(Resilience.custom().maxAttempts(1).firstChunkTimeout(Duration.ofSeconds(2)).build())
        .route("chat", Route.fallback("a/m", "b/m")).build()) {
      CompletableFuture<String> call = start(() -> {
        try (ChatStream stream = gateway.stream(ChatRequest.of("chat", "hi"))) {
          return stream.collect().text();
        }
      });
      awaitTrue("a was called", () -> slow.requestCount() == 1);

      clock.advance(Duration.ofSeconds(2));

      assertThat(result(call)).isEqualTo("from b");
      assertThat(slow.cancellations()).isEqualTo(1);
    }
  }

  @Test
  void aStreamBelowItsThroughputFloorFailsInTheStreamAfterItsFirstChunk() throws Throwable {
    FakeChatProvider dripping = FakeChatProvider.builder().id("a").reply(FakeReply.text("abcdefghij")).timeSource(clock)
        .chunkSize(1).chunkInterval(Duration.ofSeconds(1)).build();
    FakeChatProvider b = fake("b", FakeReply.text("never"));
    try (AiGateway gateway = AiGateway.builder().provider(dripping).provider(b).clock(clock)
        .resilience(Resilience.custom().maxAttempts(1).minStreamThroughput(3, Duration.ofSeconds(2)).build())
        .route("chat", Route.fallback("a/m", "b/m")).build()) {
      ChatStream stream = gateway.stream(ChatRequest.of("chat", "hi"));
      Iterator<ChatChunk> chunks = stream.iterator();
      assertThat(chunks.next().text()).isEqualTo("a");

      CompletableFuture<Object> rest = start(() -> {
        StringBuilder sb = new StringBuilder();
        chunks.forEachRemaining(c -> sb.append(c.text()));
        return sb.toString();
      });
      drive(clock, rest, Duration.ofSeconds(1));

      assertThatThrownBy(() -> result(rest)).isInstanceOf(ProviderTimeoutException.class)
          .hasMessageContaining("below its floor of 3");
      assertThat(b.requestCount()).as("no failover after the first chunk").isZero();
      stream.close();
    }
  }

  @Test
  void aFailureAfterTheFirstChunkSurfacesInTheStreamWithoutFailover() {
    FakeChatProvider a = fake("a", FakeReply.text("one two three four").failMidStream(2, new ProviderException("a", 502, true, "reset")));
    FakeChatProvider b = fake("b", FakeReply.text("never"));
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).clock(clock)
        .route("chat", Route.fallback("a/m", "b/m")).build();
         ChatStream stream = gateway.stream(ChatRequest.of("chat", "hi"))) {
      assertThatThrownBy(stream::collect).isInstanceOfSatisfying(ProviderException.class,
          e -> assertThat(e.statusCode()).hasValue(502));
      assertThat(b.requestCount()).isZero();
      assertThat(a.requestCount()).as("not retried either").isEqualTo(1);
    }
  }

  @Test
  void aBlockingCallNeverOutlivesItsDeadlineWhileWaitingToRetry() throws Throwable {
    FakeChatProvider a = fake("a", FakeReply.serverError(503));
    Resilience r = noJitter().maxAttempts(5).backoff(Duration.ofSeconds(1), 1, Duration.ofSeconds(1)).noRetryBudget().build();
    try (AiGateway gateway = AiGateway.builder().provider(a).clock(clock).resilience(r).build()) {
      CallContext deadline = CallContext.builder().timeout(Duration.ofMillis(2500)).build();
      CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("a/m", "hi"), deadline));

      for (int retry = 1; retry <= 2; retry++) {
        int sent = retry;
        awaitTrue("waiting to retry (deadline timer + retry timer)", () -> a.requestCount() == sent && clock.pendingTimers() == 2);
        clock.advance(Duration.ofSeconds(1));
      }

      assertThatThrownBy(() -> result(call)).as("ends at 2 s, without waiting for a retry at 3 s")
          .isInstanceOf(ProviderException.class);
      assertThat(a.requestCount()).isEqualTo(3);
      assertThat(clock.pendingTimers()).as("no timer left behind").isZero();
    }
  }

  @Test
  void theStateOfTargetsIdleForAnHourIsForgottenOnceThereAreVeryMany() {
    FakeChatProvider p = FakeChatProvider.builder().id("p").reply("broken", FakeReply.serverError(503)).build();
    Resilience r = Resilience.custom().maxAttempts(1).circuitBreaker(CircuitBreakerConfig.custom()
        .slidingWindowSize(2).minimumNumberOfCalls(2).waitDurationInOpenState(Duration.ofDays(1)).build()).build();
    try (AiGateway gateway = AiGateway.builder().provider(p).clock(clock).resilience(r).build()) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> gateway.chat(ChatRequest.of("p/broken", "hi"))).isInstanceOf(ProviderException.class);
      }
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("p/broken", "hi"))).isInstanceOf(TargetUnavailableException.class);

      clock.advance(Duration.ofHours(2));
      for (int i = 0; i < 10_000; i++) {
        gateway.chat(ChatRequest.of("p/model-" + i, "hi")); // callers choosing model strings
      }

      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("p/broken", "hi")))
          .as("the idle target's open breaker was forgotten, so the call reached the provider again")
          .isInstanceOf(ProviderException.class).isNotInstanceOf(TargetUnavailableException.class);
      assertThat(p.requests().stream().filter(q -> q.request().model().equals("broken")).count()).isEqualTo(3);
    }
  }

  @Test
  void resilienceSettingsAreCheckedAsTheyAreSet() {
    assertThatThrownBy(() -> Resilience.custom().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> Resilience.custom().jitter(1)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> Resilience.custom().backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)))
        .hasMessageContaining("max");
    assertThatThrownBy(() -> Resilience.custom().attemptTimeout(Duration.ZERO)).hasMessageContaining("attemptTimeout");
    assertThatThrownBy(() -> Resilience.custom().retryBudget(0, 0.1)).hasMessageContaining("tokens");
    assertThatThrownBy(() -> AiGateway.builder().provider(fake("a", FakeReply.text("x"))).resilience("zz", Resilience.defaults()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no provider 'zz'");
  }
}
