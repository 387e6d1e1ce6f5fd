package dev.aigw.otel;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AuthenticationException;
import dev.aigw.api.BudgetExceededException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.GuardrailViolationException;
import dev.aigw.api.NoRouteAvailableException;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.guardrail.DenyListGuardrail;
import dev.aigw.core.guardrail.PiiGuardrail;
import dev.aigw.core.routing.Hedging;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.RouteOptions;
import dev.aigw.core.routing.Route;
import dev.aigw.otel.internal.GenAiNames;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GenAiTelemetryTest {
  @RegisterExtension
  static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  private static final GenAiNames N = new GenAiNames(GenAiNames.Version.V1_41);
  private static final Resilience NO_RETRY = Resilience.custom().maxAttempts(1).build();

  private final ManualClock clock = new ManualClock();

  private GenAiTelemetry telemetry(boolean captureContent) {
    return GenAiTelemetry.builder(otel.getOpenTelemetry()).clock(clock).captureContent(captureContent).build();
  }

  private Endpointed provider(String id, String endpoint, FakeReply... replies) {
    return new Endpointed(FakeChatProvider.builder().id(id).providerName(id).reply(replies).build(), endpoint, clock,
        Duration.ofMillis(250));
  }

  private AiGateway.Builder gateway(boolean captureContent, Endpointed... providers) {
    AiGateway.Builder b = AiGateway.builder().clock(clock).resilience(NO_RETRY).listenerFactory(telemetry(captureContent));
    for (Endpointed p : providers) {
      b.provider(p);
    }
    return b;
  }

  private static SpanData only(String name) {
    List<SpanData> spans = otel.getSpans().stream().filter(s -> s.getName().equals(name)).toList();
    Assertions.assertThat(spans).as("spans named '%s' in %s", name, otel.getSpans()).hasSize(1);
    return spans.get(0);
  }

  private static List<SpanData> children(SpanData parent) {
    return otel.getSpans().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
        .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
  }

  private static MetricData metric(String name) {
    return otel.getMetrics().stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + otel.getMetrics().stream().map(MetricData::getName).toList()));
  }

  private static List<String> eventNames(SpanData span) {
    return span.getEvents().stream().map(EventData::getName).toList();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void aBlockingCallIsOneClientSpanWithExactlyTheConventionsAttributesAndNoContent() {
    Endpointed openai = provider("openai", "https://llm.example.test/v1",
        FakeReply.text("Hello there").withUsage(new Usage(12, 5, 4, 0, 2)));
    try (AiGateway gateway = gateway(false, openai).build()) {
      ChatResponse response = gateway.chat(ChatRequest.builder().model("openai/gpt-4o-mini")
          .system("Be brief.").user("hi, my name is Ada").maxOutputTokens(100).temperature(0.2).build());

      SpanData span = only("chat gpt-4o-mini");
      double cost = response.metadata().cost().orElseThrow().amount().doubleValue();
      assertThat(span).hasKind(SpanKind.CLIENT).hasParentSpanId("0000000000000000").hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
          .hasAttributes(Attributes.builder()
              .put(N.operationName, "chat")
              .put(N.providerName, "openai")
              .put(N.requestModel, "gpt-4o-mini")
              .put(N.serverAddress, "llm.example.test")
              .put(N.serverPort, 443L)
              .put(N.requestMaxTokens, 100L)
              .put(N.requestTemperature, 0.2)
              .put(N.responseId, response.id())
              .put(N.responseModel, "gpt-4o-mini")
              .put(N.responseFinishReasons, List.of("stop"))
              .put(N.usageInputTokens, 12L)
              .put(N.usageOutputTokens, 5L)
              .put(N.usageCacheReadInputTokens, 4L)
              .put(N.usageReasoningOutputTokens, 2L)
              .put(N.target, "openai/gpt-4o-mini")
              .put(N.attempts, 1L)
              .put(N.cost, cost)
              .put(N.currency, "USD")
              .build());
      Assertions.assertThat(span.getEndEpochNanos() - span.getStartEpochNanos()).isEqualTo(Duration.ofMillis(250).toNanos());
      Assertions.assertThat(span.toString()).doesNotContain("Ada").doesNotContain("Be brief").doesNotContain("Hello there");

      List<SpanData> attempts = children(span);
      Assertions.assertThat(attempts).hasSize(1);
      assertThat(attempts.get(0)).hasName("attempt openai/gpt-4o-mini").hasKind(SpanKind.INTERNAL)
          .hasAttribute(N.attemptNumber, 1L).hasAttribute(N.attemptOutcome, "success").hasAttribute(N.serverAddress, "llm.example.test");
      Assertions.assertThat(openai.currentSpans).singleElement()
          .as("the attempt's span is current while the provider runs").isEqualTo(attempts.get(0).getSpanContext());
    }
  }

  @Test
  void aStreamsSpanEndsAfterItsLastChunkAndCarriesTimeToFirstChunk() {
    Endpointed openai = provider("openai", "http://10.0.0.7:8000", FakeReply.text("one two three four").withUsage(Usage.of(7, 4)));
    try (AiGateway gateway = gateway(false, openai).build();
         ChatStream stream = gateway.stream(ChatRequest.of("openai/gpt-4o-mini", "count"))) {
      Iterator<ChatChunk> chunks = stream.iterator();
      Assertions.assertThat(chunks.hasNext()).isTrue();
      chunks.next();
      clock.advance(Duration.ofMillis(40));
      Assertions.assertThat(otel.getSpans()).noneMatch(s -> s.getName().equals("chat gpt-4o-mini"));
      while (chunks.hasNext()) {
        chunks.next();
      }

      SpanData span = only("chat gpt-4o-mini");
      assertThat(span).hasAttribute(N.requestStream, true).hasAttribute(N.responseTimeToFirstChunk, 0.25)
          .hasAttribute(N.serverAddress, "10.0.0.7").hasAttribute(N.serverPort, 8000L)
          .hasAttribute(N.usageOutputTokens, 4L);
      Assertions.assertThat(span.getEndEpochNanos() - span.getStartEpochNanos()).isEqualTo(Duration.ofMillis(290).toNanos());
      assertThat(children(span).get(0)).hasAttribute(N.attemptOutcome, "success").hasAttribute(N.requestModel, "gpt-4o-mini")
          .endsAt(span.getEndEpochNanos());
      assertThat(metric(N.timeToFirstChunk)).hasUnit("s").hasHistogramSatisfying(h -> h.hasPointsSatisfying(
          p -> p.hasSum(0.25).hasCount(1).hasBucketBoundaries(N.timeToFirstChunkBuckets.stream().mapToDouble(d -> d).toArray())));
    }
  }

  @Test
  void aFailedCallSetsErrorTypeAndErrorStatusAndCountsTheDurationWithIt() {
    Endpointed openai = provider("openai", "https://llm.example.test", FakeReply.authenticationFailed());
    try (AiGateway gateway = gateway(false, openai).build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("openai/gpt-4o-mini", "hi"))).isInstanceOf(AuthenticationException.class);

      SpanData span = only("chat gpt-4o-mini");
      assertThat(span).hasStatusSatisfying(s -> s.hasCode(StatusCode.ERROR))
          .hasAttribute(N.errorType, AuthenticationException.class.getName())
          .hasAttribute(N.attempts, 1L);
      assertThat(children(span).get(0)).hasStatusSatisfying(s -> s.hasCode(StatusCode.ERROR))
          .hasAttribute(N.attemptOutcome, "failure");
      assertThat(metric(N.operationDuration)).hasHistogramSatisfying(h -> h.hasPointsSatisfying(p -> p
          .hasSum(0.25).hasAttributesSatisfying(a -> Assertions.assertThat(a.get(N.errorType)).isEqualTo(AuthenticationException.class.getName()))));
    }
  }

  @Test
  void aCallThatFellBackTwiceReadsAsThreeAttemptSpansUnderOneCallSpanWithTwoFallbackEvents() {
    Endpointed a = provider("a", "https://a.example.test", FakeReply.serverError(503));
    Endpointed b = provider("b", "https://b.example.test", FakeReply.rateLimited(Duration.ofSeconds(1)));
    Endpointed c = provider("c", "https://c.example.test", FakeReply.text("from c"));
    try (AiGateway gateway = gateway(false, a, b, c).route("chat", Route.fallback("a/m1", "b/m2", "c/m3")).build()) {
      gateway.chat(ChatRequest.of("chat", "hello"));

      SpanData span = only("chat chat");
      assertThat(span).hasAttribute(N.route, "chat").hasAttribute(N.target, "c/m3").hasAttribute(N.providerName, "c")
          .hasAttribute(N.serverAddress, "c.example.test").hasAttribute(N.attempts, 3L)
          .hasAttribute(N.routeCandidates, List.of("a/m1", "b/m2", "c/m3"));
      Assertions.assertThat(children(span)).extracting(SpanData::getName)
          .containsExactly("attempt a/m1", "attempt b/m2", "attempt c/m3");
      Assertions.assertThat(children(span)).extracting(s -> s.getAttributes().get(N.attemptOutcome))
          .containsExactly("failure", "failure", "success");
      Assertions.assertThat(span.getEvents()).filteredOn(e -> e.getName().equals(N.eventFallback))
          .extracting(e -> e.getAttributes().get(N.fallbackFrom) + " -> " + e.getAttributes().get(N.fallbackTo))
          .containsExactly("a/m1 -> b/m2", "b/m2 -> c/m3");
      Assertions.assertThat(a.currentSpans.get(0)).isEqualTo(children(span).get(0).getSpanContext());
      Assertions.assertThat(c.currentSpans.get(0)).isEqualTo(children(span).get(2).getSpanContext());
      assertThat(metric(N.fallbacksMetric)).hasLongSumSatisfying(s -> s.isMonotonic().hasPointsSatisfying(
          p -> p.hasValue(1).hasAttributes(Attributes.of(N.fallbackFrom, "a/m1", N.fallbackTo, "b/m2",
              N.errorType, "dev.aigw.api.ProviderException", N.requestModel, "chat")),
          p -> p.hasValue(1).hasAttributes(Attributes.of(N.fallbackFrom, "b/m2", N.fallbackTo, "c/m3",
              N.errorType, "dev.aigw.api.RateLimitedException", N.requestModel, "chat"))));
    }
  }

  @Test
  void aCacheHitHasNoAttemptsNoUsageAndIsCountedAsAHit() {
    Endpointed openai = provider("openai", "https://llm.example.test", FakeReply.text("cached answer").withUsage(Usage.of(9, 3)));
    try (AiGateway gateway = gateway(false, openai).cache(ResponseCache.builder().ttl(Duration.ofMinutes(5)).build()).build()) {
      ChatRequest request = ChatRequest.builder().model("openai/gpt-4o-mini").user("same question").temperature(0).build();
      gateway.chat(request);
      otel.clearSpans();
      gateway.chat(request);

      SpanData span = only("chat gpt-4o-mini");
      assertThat(span).hasAttribute(N.cacheStatus, "hit");
      Assertions.assertThat(span.getAttributes().get(N.usageInputTokens)).isNull();
      Assertions.assertThat(span.getAttributes().get(N.attempts)).isNull();
      Assertions.assertThat(children(span)).isEmpty();
      Assertions.assertThat(eventNames(span)).contains(N.eventCacheHit);
      assertThat(metric(N.cacheLookupsMetric)).hasLongSumSatisfying(s -> s.hasPointsSatisfying(
          p -> p.hasValue(1).hasAttributes(Attributes.of(N.cacheStatus, "miss", N.operationName, "chat", N.requestModel, "gpt-4o-mini")),
          p -> p.hasValue(1).hasAttributes(Attributes.of(N.cacheStatus, "hit", N.operationName, "chat", N.requestModel, "gpt-4o-mini"))));
      assertThat(metric(N.tokenUsage)).hasHistogramSatisfying(h -> h.hasPointsSatisfying(
          p -> p.hasCount(1).hasSum(9), p -> p.hasCount(1).hasSum(3)));
    }
  }

  @Test
  void aGuardrailBlockRecordsTheDecisionByTypeNeverTheTextEvenWithContentCaptureOn() {
    Endpointed openai = provider("openai", "https://llm.example.test", FakeReply.text("never"));
    try (AiGateway gateway = gateway(true, openai)
        .guardrail(DenyListGuardrail.builder().name("banned").type("FORBIDDEN_TOPIC").inputPhrases("project nightingale").build())
        .build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("openai/gpt-4o-mini", "tell me about Project Nightingale now")))
          .isInstanceOf(GuardrailViolationException.class);

      SpanData span = only("chat gpt-4o-mini");
      assertThat(span).hasStatusSatisfying(s -> s.hasCode(StatusCode.ERROR))
          .hasAttribute(N.errorType, GuardrailViolationException.class.getName());
      EventData event = span.getEvents().stream().filter(e -> e.getName().equals(N.eventGuardrail)).findFirst().orElseThrow();
      Assertions.assertThat(event.getAttributes().asMap()).isEqualTo(Attributes.builder()
          .put(N.guardrailName, "banned").put(N.guardrailDirection, "input").put(N.guardrailAction, "block")
          .put(N.guardrailTypes, List.of("FORBIDDEN_TOPIC")).build().asMap());
      Assertions.assertThat(span.getAttributes().get(N.inputMessages)).as("a blocked request is never recorded").isNull();
      Assertions.assertThat(otel.getSpans().toString()).doesNotContainIgnoringCase("nightingale");
      Assertions.assertThat(openai.fake.requestCount()).isZero();
      assertThat(metric(N.guardrailActionsMetric)).hasLongSumSatisfying(s -> s.hasPointsSatisfying(p -> p.hasValue(1)
          .hasAttributes(Attributes.of(N.guardrailName, "banned", N.guardrailDirection, "input", N.guardrailAction, "block"))));
    }
  }

  @Test
  void aBudgetDenialIsAnEventAndAMetricAndKeepsUserKeysOut() {
    Endpointed openai = provider("openai", "https://llm.example.test", FakeReply.text("ok"));
    try (AiGateway gateway = gateway(false, openai).budget(Budget.perUser().requestsPerMinute(1)).build()) {
      CallContext user = CallContext.builder().user("ada@example.com").build();
      gateway.chat(ChatRequest.of("openai/gpt-4o-mini", "first"), user);
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("openai/gpt-4o-mini", "second"), user))
          .isInstanceOf(BudgetExceededException.class);

      List<SpanData> calls = otel.getSpans().stream().filter(s -> s.getName().equals("chat gpt-4o-mini")).toList();
      Assertions.assertThat(eventNames(calls.get(0))).containsSubsequence(N.eventBudgetReserved, N.eventBudgetReconciled);
      SpanData denied = calls.get(1);
      assertThat(denied).hasAttribute(N.errorType, BudgetExceededException.class.getName());
      EventData event = denied.getEvents().stream().filter(e -> e.getName().equals(N.eventBudgetExceeded)).findFirst().orElseThrow();
      Assertions.assertThat(event.getAttributes().get(N.budgetScope)).isEqualTo("user");
      Assertions.assertThat(event.getAttributes().get(N.budgetAction)).isEqualTo("reject");
      Assertions.assertThat(event.getAttributes().get(N.budgetMeasure)).isEqualTo("requests");
      Assertions.assertThat(otel.getSpans().toString()).doesNotContain("ada@example.com");
      Assertions.assertThat(children(denied)).isEmpty();
      assertThat(metric(N.budgetExceededMetric)).hasLongSumSatisfying(s -> s.hasPointsSatisfying(p -> p.hasValue(1)
          .hasAttributesSatisfying(a -> Assertions.assertThat(a.get(N.budgetAction)).isEqualTo("reject"))));
    }
  }

  @Test
  void thePromptTemplateAndTheConversationAreOnTheCallSpan() {
    Endpointed openai = provider("openai", "https://llm.example.test", FakeReply.text("ok"));
    try (AiGateway gateway = gateway(false, openai).build()) {
      gateway.chat(ChatRequest.builder().model("openai/gpt-4o-mini").user("hi")
              .prompt(new dev.aigw.api.PromptRef("support-reply", "v2")).build(),
          CallContext.builder().conversation("conv-42").build());

      assertThat(only("chat gpt-4o-mini"))
          .hasAttribute(N.promptName, "support-reply")
          .hasAttribute(N.promptVersion, "v2")
          .hasAttribute(N.conversationId, "conv-42");
    }
  }

  @Test
  void aSharedStoreOutageIsAnEventOnTheCallSpan() {
    Endpointed openai = provider("openai", "https://llm.example.test", FakeReply.text("ok"));
    dev.aigw.core.cache.CacheStore away = new dev.aigw.core.cache.CacheStore() {
      @Override
      public java.util.Optional<dev.aigw.core.cache.CachedResponse> get(dev.aigw.core.cache.CacheKey key) {
        throw new dev.aigw.api.StoreUnavailableException("cache", true, "redis://127.0.0.1:6379/0 did not answer within 100 ms", null);
      }

      @Override
      public void put(dev.aigw.core.cache.CacheKey key, dev.aigw.core.cache.CachedResponse value, java.time.Duration ttl) {}

      @Override
      public void invalidate(dev.aigw.core.cache.CacheKey key) {}

      @Override
      public void invalidatePartition(String partition) {}

      @Override
      public dev.aigw.core.cache.CacheStats stats() {
        return dev.aigw.core.cache.CacheStats.EMPTY;
      }
    };
    try (AiGateway gateway = gateway(false, openai).cache(dev.aigw.core.cache.ResponseCache.builder().store(away).build()).build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("openai/gpt-4o-mini", "hi")))
          .isInstanceOf(dev.aigw.api.StoreUnavailableException.class);
      SpanData call = only("chat gpt-4o-mini");
      assertThat(call).hasAttribute(N.errorType, dev.aigw.api.StoreUnavailableException.class.getName());
      EventData event = call.getEvents().stream().filter(e -> e.getName().equals(N.eventStoreUnavailable)).findFirst().orElseThrow();
      Assertions.assertThat(event.getAttributes().get(N.storeKind)).isEqualTo("cache");
      Assertions.assertThat(event.getAttributes().get(N.storeFailedClosed)).isTrue();
    }
  }

  @Test
  void metricsHaveTheConventionsNamesUnitsAndBucketBoundaries() {
    Endpointed openai = provider("openai", "https://llm.example.test", FakeReply.text("fine").withUsage(Usage.of(20, 6)));
    try (AiGateway gateway = gateway(false, openai).build()) {
      gateway.chat(ChatRequest.of("openai/gpt-4o-mini", "hello"));

      Attributes common = Attributes.builder().put(N.operationName, "chat").put(N.providerName, "openai")
          .put(N.requestModel, "gpt-4o-mini").put(N.responseModel, "gpt-4o-mini")
          .put(N.serverAddress, "llm.example.test").put(N.serverPort, 443L).build();
      assertThat(metric("gen_ai.client.operation.duration")).hasUnit("s").hasHistogramSatisfying(h -> h.hasPointsSatisfying(
          p -> p.hasSum(0.25).hasCount(1).hasAttributes(common)
              .hasBucketBoundaries(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92)));
      List<Double> tokenBounds = List.of(1d, 4d, 16d, 64d, 256d, 1024d, 4096d, 16384d, 65536d, 262144d, 1048576d, 4194304d,
          16777216d, 67108864d);
      MetricData tokens = metric("gen_ai.client.token.usage");
      assertThat(tokens).hasUnit("{token}");
      Map<String, HistogramPointData> byType = tokens.getHistogramData().getPoints().stream()
          .collect(Collectors.toMap(p -> p.getAttributes().get(N.tokenType), Function.identity()));
      Assertions.assertThat(byType.keySet()).containsExactlyInAnyOrder("input", "output");
      Assertions.assertThat(byType.get("input").getSum()).isEqualTo(20);
      Assertions.assertThat(byType.get("input").getBoundaries()).isEqualTo(tokenBounds);
      Assertions.assertThat(byType.get("input").getAttributes()).isEqualTo(common.toBuilder().put(N.tokenType, "input").build());
      Assertions.assertThat(byType.get("output").getSum()).isEqualTo(6);
      Assertions.assertThat(byType.get("output").getBoundaries()).isEqualTo(tokenBounds);
      MetricData cost = metric("aigw.cost");
      Assertions.assertThat(cost.getDoubleSumData().getPoints()).singleElement().satisfies(p -> {
        Assertions.assertThat(p.getValue()).isPositive();
        Assertions.assertThat(p.getAttributes().asMap()).isEqualTo(Attributes.builder().put(N.operationName, "chat")
            .put(N.responseModel, "gpt-4o-mini").put(N.currency, "USD").put(N.providerName, "openai").build().asMap());
      });
      Assertions.assertThat(otel.getMetrics()).extracting(MetricData::getName)
          .noneMatch(name -> name.equals(N.timeToFirstChunk)).as("time to first chunk is for streams only");
    }
  }

  @Test
  void theCostMetricCarriesTheTenantOnlyWhenAskedTo() {
    Endpointed openai = provider("openai", "https://llm.example.test", FakeReply.text("fine").withUsage(Usage.of(20, 6)));
    GenAiTelemetry byTenant = GenAiTelemetry.builder(otel.getOpenTelemetry()).clock(clock).costByTenant(true).build();
    try (AiGateway gateway = AiGateway.builder().clock(clock).provider(openai).listenerFactory(byTenant).build()) {
      gateway.chat(ChatRequest.of("openai/gpt-4o-mini", "hello"), CallContext.tenant("acme"));

      Assertions.assertThat(metric("aigw.cost").getDoubleSumData().getPoints()).singleElement()
          .satisfies(p -> Assertions.assertThat(p.getAttributes().get(N.tenant)).isEqualTo("acme"));
      Assertions.assertThat(only("chat gpt-4o-mini").getAttributes().get(N.tenant)).isEqualTo("acme");
    }
  }

  @Test
  void contentCaptureRecordsTheConventionsJsonAndMaskedValuesStayMasked() {
    Endpointed openai = new Endpointed(FakeChatProvider.builder().id("openai").providerName("openai")
        .replyWhen(r -> true, FakeReply.text("I will write to <EMAIL_1> today.")).build(), "https://llm.example.test", clock, Duration.ZERO);
    try (AiGateway gateway = gateway(true, openai).guardrail(PiiGuardrail.defaults()).build()) {
      ChatResponse response = gateway.chat(ChatRequest.builder().model("openai/gpt-4o-mini")
          .system("You are terse.").user("Mail \"ada@example.com\" about\nthe launch").build());

      Assertions.assertThat(response.text()).as("the caller gets the value back").isEqualTo("I will write to ada@example.com today.");
      SpanData span = only("chat gpt-4o-mini");
      Assertions.assertThat(span.getAttributes().get(N.systemInstructions)).isEqualTo("[{\"type\":\"text\",\"content\":\"You are terse.\"}]");
      Assertions.assertThat(span.getAttributes().get(N.inputMessages)).isEqualTo(
          "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Mail \\\"<EMAIL_1>\\\" about\\nthe launch\"}]}]");
      Assertions.assertThat(span.getAttributes().get(N.outputMessages)).isEqualTo(
          "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"I will write to <EMAIL_1> today.\"}],\"finish_reason\":\"stop\"}]");
      Assertions.assertThat(otel.getSpans().toString()).doesNotContain("ada@example.com");
    }
  }

  @Test
  void contentIsCapturedForStreamsAndFailuresRecordTheInputOnly() {
    Endpointed openai = provider("openai", "https://llm.example.test", FakeReply.text("streamed words"), FakeReply.authenticationFailed());
    try (AiGateway gateway = gateway(true, openai).build()) {
      try (ChatStream stream = gateway.stream(ChatRequest.of("openai/gpt-4o-mini", "first"))) {
        stream.forEach(c -> { });
      }
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("openai/gpt-4o-mini", "second"))).isInstanceOf(AuthenticationException.class);

      List<SpanData> calls = otel.getSpans().stream().filter(s -> s.getName().equals("chat gpt-4o-mini")).toList();
      Assertions.assertThat(calls.get(0).getAttributes().get(N.outputMessages)).contains("streamed words");
      Assertions.assertThat(calls.get(1).getAttributes().get(N.inputMessages)).contains("second");
      Assertions.assertThat(calls.get(1).getAttributes().get(N.outputMessages)).isNull();
    }
  }

  @Test
  void anEmbeddingsCallIsAnEmbeddingsSpanWithItsDimensionCount() {
    Endpointed openai = new Endpointed(FakeChatProvider.builder().id("openai").providerName("openai").embeddingDimensions(8).build(),
        "https://llm.example.test", clock, Duration.ofMillis(20));
    try (AiGateway gateway = gateway(false, openai).build()) {
      gateway.embed(EmbeddingRequest.of("openai/text-embedding-3-small", "a", "b"));

      SpanData span = only("embeddings text-embedding-3-small");
      assertThat(span).hasKind(SpanKind.CLIENT).hasAttribute(N.operationName, "embeddings")
          .hasAttribute(N.embeddingsDimensionCount, 8L);
      Assertions.assertThat(span.getAttributes().get(N.usageOutputTokens)).isNull();
      Assertions.assertThat(openai.currentSpans).singleElement().isEqualTo(children(span).get(0).getSpanContext());
    }
  }

  @Test
  void theCallSpanIsAChildOfTheCallersCurrentSpanAlsoForAsyncCalls() throws Exception {
    Endpointed openai = provider("openai", "https://llm.example.test", FakeReply.text("ok"));
    try (AiGateway gateway = gateway(false, openai).build()) {
      io.opentelemetry.api.trace.Span request = otel.getOpenTelemetry().getTracer("app").spanBuilder("GET /answer").startSpan();
      try (var ignored = request.makeCurrent()) {
        gateway.chatAsync(ChatRequest.of("openai/gpt-4o-mini", "hi")).get();
      } finally {
        request.end();
      }
      assertThat(only("chat gpt-4o-mini")).hasParentSpanId(request.getSpanContext().getSpanId())
          .hasTraceId(request.getSpanContext().getTraceId());
    }
  }

  @Test
  void aHedgedAttemptRunsUnderItsOwnSpanOnTheHedgingThreadAndTheLoserEndsCancelled() throws Exception {
    Endpointed a = new Endpointed(FakeChatProvider.builder().id("a").providerName("a").timeSource(clock)
        .latency(Duration.ofSeconds(5)).build(), "https://a.example.test", clock, Duration.ZERO);
    Endpointed b = new Endpointed(FakeChatProvider.builder().id("b").providerName("b").timeSource(clock)
        .latency(Duration.ofMillis(200)).build(), "https://b.example.test", clock, Duration.ZERO);
    try (AiGateway gateway = gateway(false, a, b).route("chat", Route.fallback("a/m", "b/m"),
        RouteOptions.builder().hedging(Hedging.after(Duration.ofSeconds(1))).build()).build()) {
      CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(() -> gateway.chat(ChatRequest.of("chat", "hi")));
      awaitTrue(() -> a.fake.requestCount() == 1 && clock.pendingTimers() == 2);
      clock.advance(Duration.ofSeconds(1));
      awaitTrue(() -> b.fake.requestCount() == 1 && clock.pendingTimers() == 2);
      clock.advance(Duration.ofMillis(200));
      call.get(10, TimeUnit.SECONDS);
    }
    SpanData span = only("chat chat");
    List<SpanData> attempts = children(span);
    Assertions.assertThat(attempts).extracting(SpanData::getName).containsExactly("attempt a/m", "attempt b/m");
    Assertions.assertThat(attempts).extracting(s -> s.getAttributes().get(N.attemptOutcome)).containsExactly("cancelled", "success");
    Assertions.assertThat(eventNames(span)).contains(N.eventHedge);
    Assertions.assertThat(a.currentSpans).singleElement().isEqualTo(attempts.get(0).getSpanContext());
    Assertions.assertThat(b.currentSpans).singleElement().isEqualTo(attempts.get(1).getSpanContext());
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void anUnroutableModelStillEndsItsSpanWithTheError() {
    try (AiGateway gateway = gateway(false, provider("openai", "https://llm.example.test", FakeReply.text("ok"))).build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("nowhere", "hi"))).isInstanceOf(NoRouteAvailableException.class);
      assertThat(only("chat nowhere")).hasAttribute(N.errorType, NoRouteAvailableException.class.getName());
    }
  }

  @Test
  void theOptInVariableSelectsTheLatestExperimentalConventions() {
    Assertions.assertThat(GenAiNames.Version.fromOptIn(null)).isEqualTo(GenAiNames.Version.V1_41);
    Assertions.assertThat(GenAiNames.Version.fromOptIn("http")).isEqualTo(GenAiNames.Version.V1_41);
    Assertions.assertThat(GenAiNames.Version.fromOptIn("http, gen_ai_latest_experimental")).isEqualTo(GenAiNames.Version.LATEST_EXPERIMENTAL);
    Assertions.assertThat(GenAiNames.Version.V1_41.schemaUrl).isEqualTo("https://opentelemetry.io/schemas/1.41.0");
    Assertions.assertThat(GenAiTelemetry.builder(otel.getOpenTelemetry()).latestExperimentalConventions(true).build().toString())
        .contains("LATEST_EXPERIMENTAL");
  }

  @Test
  void contentCaptureIsOffUnlessAskedFor() {
    Assertions.assertThat(GenAiTelemetry.create(otel.getOpenTelemetry()).capturesContent())
        .isEqualTo(Optional.ofNullable(System.getenv(GenAiTelemetry.CAPTURE_ENV)).map("true"::equalsIgnoreCase).orElse(false));
    Assertions.assertThat(telemetry(true).capturesContent()).isTrue();
  }
}
