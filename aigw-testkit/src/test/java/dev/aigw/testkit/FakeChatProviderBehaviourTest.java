package dev.aigw.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FakeChatProviderBehaviourTest {
  private static final ChatRequest REQUEST = ChatRequest.of("m", "hello");

  private static List<String> outcomes(FakeChatProvider fake, int calls) {
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      try {
        outcomes.add(fake.chat(REQUEST, CallContext.empty()).text());
      } catch (ProviderException e) {
        outcomes.add("failed " + e.statusCode().orElse(0));
      }
    }
    return outcomes;
  }

  private static FakeChatProvider halfFailing(long seed) {
    return FakeChatProvider.builder()
        .reply(FakeReply.text("ok"))
        .failureRate(0.5, FakeReply.serverError(503))
        .seed(seed)
        .build();
  }

  @Test
  void aSeededFailureRateFailsTheSameCallsEveryRun() {
    List<String> first = outcomes(halfFailing(42), 200);
    List<String> second = outcomes(halfFailing(42), 200);

    assertThat(first).isEqualTo(second).contains("ok", "failed 503");
    assertThat(first.stream().filter("ok"::equals).count()).isBetween(60L, 140L);
  }

  @Test
  void differentSeedsFailDifferentCalls() {
    assertThat(outcomes(halfFailing(1), 100)).isNotEqualTo(outcomes(halfFailing(2), 100));
  }

  @Test
  void failureRateOneFailsEveryCallAndZeroNone() {
    FakeChatProvider always = FakeChatProvider.builder().failureRate(1.0, FakeReply.timeout()).build();
    FakeChatProvider never = FakeChatProvider.builder().failureRate(0.0, FakeReply.timeout()).build();

    assertThat(outcomes(always, 20)).containsOnly("failed 0");
    assertThat(outcomes(never, 20)).containsOnly("fake answer to: hello");
  }

  @Test
  void injectedFailuresDoNotUseUpScriptedReplies() {
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply(FakeReply.text("first"), FakeReply.text("second"))
        .failureRate(0.5, FakeReply.serverError(500))
        .seed(7)
        .build();

    List<String> answers = outcomes(fake, 50).stream().filter(o -> !o.startsWith("failed")).toList();

    assertThat(answers).first().isEqualTo("first");
    assertThat(answers.subList(1, answers.size())).containsOnly("second");
  }

  @Test
  void aFailureReplyCanBeContent() {
    FakeChatProvider fake = FakeChatProvider.builder().failureRate(1.0, FakeReply.text("degraded")).build();

    assertThat(fake.chat(REQUEST, CallContext.empty()).text()).isEqualTo("degraded");
  }

  @Test
  void aSeededLatencyVarianceIsReproducibleWithAManualClock() throws Exception {
    assertThat(latenciesOnAClock(3)).isEqualTo(latenciesOnAClock(3));
    assertThat(latenciesOnAClock(3)).allSatisfy(nanos ->
        assertThat(nanos).isBetween(Duration.ofMillis(500).toNanos(), Duration.ofMillis(1500).toNanos()));
  }

  /** How far a manual clock must move to release each of five calls with latency 1 s ± 50 %. */
  private static List<Long> latenciesOnAClock(long seed) throws Exception {
    ManualClock clock = new ManualClock();
    FakeChatProvider fake = FakeChatProvider.builder()
        .timeSource(clock)
        .latency(Duration.ofSeconds(1))
        .latencyVariance(0.5)
        .seed(seed)
        .build();
    List<Long> latencies = new ArrayList<>();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < 5; i++) {
        long before = clock.nanoTime();
        Future<?> call = executor.submit(() -> fake.chat(REQUEST, CallContext.empty()));
        Await.until("the call waits on the clock", () -> clock.pendingTimers() == 1);
        while (!call.isDone()) {
          clock.advance(Duration.ofMillis(1));
          if (clock.pendingTimers() == 0) {
            call.get();
          }
        }
        latencies.add(clock.nanoTime() - before);
      }
    } finally {
      executor.shutdownNow();
    }
    return latencies;
  }

  @Test
  void builderSettersRejectInvalidValuesNamingTheArgument() {
    FakeChatProvider.Builder b = FakeChatProvider.builder();

    assertThatThrownBy(() -> b.id("Not Valid")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
    assertThatThrownBy(() -> b.latency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latency");
    assertThatThrownBy(() -> b.latencyVariance(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("variance");
    assertThatThrownBy(() -> b.latencyVariance(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.timeToFirstChunk(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeToFirstChunk");
    assertThatThrownBy(() -> b.chunkInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkInterval");
    assertThatThrownBy(() -> b.chunkSize(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chars");
    assertThatThrownBy(() -> b.failureRate(-0.1, FakeReply.timeout()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate");
    assertThatThrownBy(() -> b.embeddingDimensions(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimensions");
    assertThatThrownBy(() -> b.reply()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replies");
    assertThatThrownBy(() -> b.reply(" ", FakeReply.text("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
    assertThatThrownBy(() -> b.reply(FakeReply.text("x"), null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("replies[1]");
    assertThatThrownBy(() -> b.replyWhen(null, FakeReply.text("x")))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("condition");
  }

  @Test
  void scriptsForTheSameTargetCannotBeSetTwice() {
    FakeChatProvider.Builder b = FakeChatProvider.builder().reply(FakeReply.text("a")).reply("m", FakeReply.text("b"));

    assertThatThrownBy(() -> b.reply(FakeReply.text("c"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> b.reply("m", FakeReply.text("d"))).isInstanceOf(IllegalStateException.class);
  }
}
