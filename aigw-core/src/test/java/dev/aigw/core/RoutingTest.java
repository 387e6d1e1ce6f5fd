package dev.aigw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.Attempt;
import dev.aigw.api.AuthenticationException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.NoRouteAvailableException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.QuotaExhaustedException;
import dev.aigw.api.RateLimitedException;
import dev.aigw.api.RouteHints;
import dev.aigw.api.Target;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.time.Duration;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/** Fallback semantics without retries (retries are covered in {@code routing.ResilienceTest}). */
class RoutingTest {
  private static final Resilience NO_RETRY = Resilience.custom().maxAttempts(1).build();

  private static FakeChatProvider fake(String id, FakeReply... replies) {
    return FakeChatProvider.builder().id(id).reply(replies).build();
  }

  @Test
  void aRetryableFailureFallsBackToTheNextTargetAndTheMetadataListsEveryAttempt() {
    RecordingListener listener = new RecordingListener();
    try (AiGateway gateway = AiGateway.builder().resilience(NO_RETRY)
        .provider(fake("a", FakeReply.rateLimited(Duration.ofSeconds(2))))
        .provider(fake("b", FakeReply.serverError(502)))
        .provider(fake("c", FakeReply.text("from c")))
        .route("chat", Route.fallback("a/m1", "b/m2", "c/m3"))
        .listener(listener)
        .build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("chat", "hello"));

      assertThat(response.text()).isEqualTo("from c");
      assertThat(response.metadata().target()).contains(new Target("c", "m3"));
      assertThat(response.metadata().attempts()).extracting(Attempt::target, Attempt::outcome).containsExactly(
          org.assertj.core.groups.Tuple.tuple(Target.parse("a/m1"), Attempt.Outcome.FAILURE),
          org.assertj.core.groups.Tuple.tuple(Target.parse("b/m2"), Attempt.Outcome.FAILURE),
          org.assertj.core.groups.Tuple.tuple(Target.parse("c/m3"), Attempt.Outcome.SUCCESS));
      assertThat(response.metadata().attempts().get(0).errorType()).contains(RateLimitedException.class.getName());
      assertThat(listener.events()).containsExactly(
          "callStart",
          "attemptStart a/m1 #1", "attemptFailed a/m1 #1 RateLimitedException", "fallback a/m1 -> b/m2",
          "attemptStart b/m2 #2", "attemptFailed b/m2 #2 ProviderException", "fallback b/m2 -> c/m3",
          "attemptStart c/m3 #3", "attemptEnd c/m3 #3",
          "usage " + response.usage().orElseThrow().totalTokens(),
          "callEnd");
    }
  }

  @Test
  void aNonRetryableFailureFailsFastWithoutTryingTheNextTarget() {
    FakeChatProvider b = fake("b", FakeReply.text("never"));
    try (AiGateway gateway = AiGateway.builder().resilience(NO_RETRY)
        .provider(fake("a", FakeReply.authenticationFailed()))
        .provider(b)
        .route("chat", Route.fallback("a/m1", "b/m2"))
        .build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chat", "hello")))
          .isInstanceOf(AuthenticationException.class);
      assertThat(b.requestCount()).isZero();
    }
  }

  @Test
  void anExhaustedQuotaFallsBackToTheNextTargetWithoutRetrying() {
    FakeChatProvider a = fake("a", FakeReply.error(new QuotaExhaustedException("a", 429, "quota exhausted")));
    try (AiGateway gateway = AiGateway.builder().resilience(Resilience.custom().maxAttempts(3).build())
        .provider(a)
        .provider(fake("b", FakeReply.text("from b")))
        .route("chat", Route.fallback("a/m1", "b/m2"))
        .build()) {
      assertThat(gateway.chat(ChatRequest.of("chat", "hello")).text()).isEqualTo("from b");
      assertThat(a.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void contextWindowExceededFallsBackToTheNextTarget() {
    try (AiGateway gateway = AiGateway.builder().resilience(NO_RETRY)
        .provider(fake("small", FakeReply.contextWindowExceeded()))
        .provider(fake("large", FakeReply.text("fits")))
        .route("chat", Route.fallback("small/m", "large/m"))
        .build()) {
      assertThat(gateway.chat(ChatRequest.of("chat", "long prompt")).text()).isEqualTo("fits");
    }
  }

  @Test
  void whenEveryTargetOfARouteFailsTheCallEndsWithNoRouteAvailableListingEachAttempt() {
    try (AiGateway gateway = AiGateway.builder().resilience(NO_RETRY)
        .provider(fake("a", FakeReply.serverError(500)))
        .provider(fake("b", FakeReply.timeout()))
        .route("chat", Route.fallback("a/m1", "b/m2"))
        .build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chat", "hello")))
          .isInstanceOfSatisfying(NoRouteAvailableException.class, e -> {
            assertThat(e.attempts()).extracting(Attempt::target).containsExactly(Target.parse("a/m1"), Target.parse("b/m2"));
            assertThat(e.getCause()).isInstanceOf(dev.aigw.api.ProviderTimeoutException.class);
            assertThat(e.getSuppressed()).hasSize(1);
            assertThat(e.getMessage()).contains("a/m1", "b/m2");
          });
    }
  }

  @Test
  void aSingleTargetRouteEndsWithTheTargetsOwnException() {
    try (AiGateway gateway = AiGateway.builder().resilience(NO_RETRY)
        .provider(fake("a", FakeReply.rateLimited(Duration.ofMillis(1500))))
        .route("chat", Route.fallback("a/m1"))
        .build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chat", "hello")))
          .isInstanceOfSatisfying(RateLimitedException.class,
              e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(1500)));
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("a/m1", "hello")))
          .isInstanceOf(RateLimitedException.class);
    }
  }

  @Test
  void providerSlashModelAddressesATargetDirectlyAndTheProviderSeesItsOwnModelName() {
    FakeChatProvider pool = fake("pool", FakeReply.text("ok"));
    try (AiGateway gateway = AiGateway.builder().provider(pool).build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("pool/meta-llama/Llama-3.1-8B-Instruct", "hi"));

      assertThat(response.metadata().target()).contains(new Target("pool", "meta-llama/Llama-3.1-8B-Instruct"));
      assertThat(pool.requests().get(0).request().model()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    }
  }

  @Test
  void anUnknownModelEndsWithNoRouteAvailableNamingTheAliasesAndProviders() {
    try (AiGateway gateway = AiGateway.builder().resilience(NO_RETRY)
        .provider(fake("a", FakeReply.text("ok")))
        .route("chat", Route.fallback("a/m1"))
        .build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("gpt-4o", "hi")))
          .isInstanceOf(NoRouteAvailableException.class)
          .hasMessageContaining("'gpt-4o'").hasMessageContaining("[chat]").hasMessageContaining("[a]");
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("nope/m1", "hi")))
          .isInstanceOf(NoRouteAvailableException.class);
    }
  }

  @Test
  void routeHintsExcludeProvidersAndPutPreferredTargetsFirst() {
    FakeChatProvider a = fake("a", FakeReply.text("from a"));
    FakeChatProvider b = fake("b", FakeReply.text("from b"));
    try (AiGateway gateway = AiGateway.builder().resilience(NO_RETRY)
        .provider(a)
        .provider(b)
        .route("chat", Route.fallback("a/m1", "b/m2"))
        .build()) {
      ChatRequest request = ChatRequest.of("chat", "hi");
      assertThat(gateway.chat(request, CallContext.builder().routeHints(RouteHints.excluding("a")).build()).text())
          .isEqualTo("from b");
      assertThat(gateway.chat(request, CallContext.builder().routeHints(RouteHints.preferring("b/m2")).build()).text())
          .isEqualTo("from b");
      assertThat(gateway.chat(request, CallContext.builder().routeHints(RouteHints.preferring("x/unknown")).build()).text())
          .isEqualTo("from a");
      assertThatThrownBy(() -> gateway.chat(request, CallContext.builder().routeHints(RouteHints.excluding("a", "b")).build()))
          .isInstanceOf(NoRouteAvailableException.class).hasMessageContaining("excluded");
    }
  }

  @Test
  void aStreamThatFailsBeforeItsFirstChunkFallsBack() {
    try (AiGateway gateway = AiGateway.builder().resilience(NO_RETRY)
        .provider(fake("a", FakeReply.text("never seen").failMidStream(0, new ProviderException("a", 500, true, "boom"))))
        .provider(fake("b", FakeReply.text("streamed by b")))
        .route("chat", Route.fallback("a/m1", "b/m2"))
        .build();
        ChatStream stream = gateway.stream(ChatRequest.of("chat", "hi"))) {
      ChatResponse response = stream.collect();

      assertThat(response.text()).isEqualTo("streamed by b");
      assertThat(response.metadata().target()).contains(Target.parse("b/m2"));
      assertThat(response.metadata().attempts()).hasSize(2);
      assertThat(response.metadata().timeToFirstToken()).isPresent();
    }
  }

  @Test
  void aStreamThatFailsAfterItsFirstChunkSurfacesTheErrorInTheStream() {
    FakeChatProvider b = fake("b", FakeReply.text("never"));
    RecordingListener listener = new RecordingListener();
    try (AiGateway gateway = AiGateway.builder().resilience(NO_RETRY)
        .provider(FakeChatProvider.builder().id("a").chunkSize(2)
            .reply(FakeReply.text("partial answer").failMidStream(2, new ProviderException("a", 500, true, "boom")))
            .build())
        .provider(b)
        .route("chat", Route.fallback("a/m1", "b/m2"))
        .listener(listener)
        .build();
        ChatStream stream = gateway.stream(ChatRequest.of("chat", "hi"))) {
      Iterator<ChatChunk> chunks = stream.iterator();
      assertThat(chunks.hasNext()).isTrue();
      chunks.next();
      assertThat(chunks.hasNext()).isTrue();
      chunks.next();
      assertThatThrownBy(chunks::hasNext).isInstanceOf(ProviderException.class).hasMessageContaining("boom");
      assertThat(b.requestCount()).isZero();
      assertThat(listener.events()).endsWith("firstChunk", "callFailed ProviderException");
    }
  }

  @Test
  void embeddingsAreRoutedWithFallback() {
    try (AiGateway gateway = AiGateway.builder().resilience(NO_RETRY)
        .provider(FakeChatProvider.builder().id("a").failureRate(1.0, FakeReply.serverError(503)).build())
        .provider(FakeChatProvider.builder().id("b").embeddingDimensions(4).build())
        .route("embed", Route.fallback("a/e1", "b/e2"))
        .build()) {
      EmbeddingResponse response = gateway.embed(EmbeddingRequest.of("embed", "one", "two"));

      assertThat(response.embeddings()).hasSize(2);
      assertThat(response.embeddings().get(0).dimensions()).isEqualTo(4);
      assertThat(response.metadata().target()).contains(Target.parse("b/e2"));
    }
  }

  @Test
  void aContextWindowErrorCarriesItsStatusAndIsNotRetryable() {
    ContextWindowExceededException e = new ContextWindowExceededException("a", 400, "too long");
    assertThat(e.retryable()).isFalse();
    assertThat(e.statusCode()).hasValue(400);
  }
}
