package dev.aigw.core.routing;

import static dev.aigw.core.Driver.awaitTrue;
import static dev.aigw.core.Driver.drive;
import static dev.aigw.core.Driver.result;
import static dev.aigw.core.Driver.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.Attempt;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.Capability;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ContentPart;
import dev.aigw.api.Cost;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.Message;
import dev.aigw.api.NoRouteAvailableException;
import dev.aigw.api.RouteHints;
import dev.aigw.api.Target;
import dev.aigw.api.ToolSpec;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.catalog.ModelCatalog;
import dev.aigw.core.catalog.ModelInfo;
import dev.aigw.core.pricing.Prices;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Routing policies, route hints, context-window rules and pricing of answers. */
class RoutePolicyTest {
  private final ManualClock clock = new ManualClock();

  /**
   * A catalog of four made-up models, priced per million tokens (input/output):
   * p/tiny 8k window, $0.10/$0.40, text only; p/small 32k, $0.50/$1.50, tools;
   * p/large 128k, $2.50/$10, tools+vision+json_schema; p/huge 1M, $10/$30, everything.
   */
  private static final ModelCatalog CATALOG = ModelCatalog.builder()
      .model(ModelInfo.builder("p", "tiny").contextWindow(8_000).maxOutputTokens(2_000)
          .prices(Prices.perMillionTokens("0.10", "0.40")).build())
      .model(ModelInfo.builder("p", "small").contextWindow(32_000).maxOutputTokens(4_000)
          .capabilities(Capability.TOOLS).prices(Prices.perMillionTokens("0.50", "1.50")).build())
      .model(ModelInfo.builder("p", "large").contextWindow(128_000).maxOutputTokens(16_000)
          .capabilities(Capability.TOOLS, Capability.VISION, Capability.JSON_SCHEMA)
          .prices(Prices.perMillionTokens("2.50", "10")).build())
      .model(ModelInfo.builder("p", "huge").contextWindow(1_000_000).maxOutputTokens(64_000)
          .capabilities(Capability.TOOLS, Capability.VISION, Capability.JSON_SCHEMA, Capability.REASONING)
          .prices(Prices.perMillionTokens("10", "30")).build())
      .build();

  private static final Resilience NO_RETRY = Resilience.custom().maxAttempts(1).build();

  private FakeChatProvider echo(String id) {
    return FakeChatProvider.builder().id(id).timeSource(clock).build();
  }

  private AiGateway.Builder gateway(FakeChatProvider... providers) {
    AiGateway.Builder b = AiGateway.builder().clock(clock).catalog(CATALOG).resilience(NO_RETRY);
    for (FakeChatProvider p : providers) {
      b.provider(p);
    }
    return b;
  }

  private static String words(int n) {
    return "word ".repeat(n);
  }

  /** Records the candidates of each call. */
  private static final class Candidates implements GatewayListener {
    final List<List<Target>> seen = new ArrayList<>();

    @Override
    public synchronized void route(CallInfo call, String model, List<Target> candidates) {
      seen.add(candidates);
    }
  }

  @Test
  void aWeightedRouteSplitsCallsWithinStatisticalBounds() {
    FakeChatProvider a = echo("a");
    FakeChatProvider b = echo("b");
    try (AiGateway gateway = gateway(a, b)
        .route("chat", Route.weighted().arm(90, "a/m").arm(10, "b/m").build()).build()) {
      int calls = 10_000;
      for (int i = 0; i < calls; i++) {
        gateway.chat(ChatRequest.of("chat", "hi"));
      }
      // binomial(10000, 0.1): mean 1000, sd 30; 5 sd either side fails once in ~3.5 million runs
      assertThat(b.requestCount()).isBetween(850, 1150);
      assertThat(a.requestCount() + b.requestCount()).isEqualTo(calls);
    }
  }

  @Test
  void aWeightedArmCanBeAFallbackChainAndTheOtherArmFollowsIt() {
    FakeChatProvider a = FakeChatProvider.builder().id("a").reply(FakeReply.serverError(503)).build();
    FakeChatProvider b = echo("b");
    FakeChatProvider c = echo("c");
    Candidates candidates = new Candidates();
    try (AiGateway gateway = gateway(a, b, c).listener(candidates)
        .route("chat", Route.weighted().arm(1, Route.fallback("a/m", "b/m")).arm(0, "c/m").build()).build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("chat", "hi"));

      assertThat(response.metadata().target()).contains(Target.parse("b/m"));
      assertThat(candidates.seen.get(0)).containsExactly(Target.parse("a/m"), Target.parse("b/m"), Target.parse("c/m"));
    }
  }

  @Test
  void leastBusySendsNewCallsToTheTargetWithFewerCallsInFlight() throws Throwable {
    FakeChatProvider a = FakeChatProvider.builder().id("a").reply(FakeReply.hang()).timeSource(clock).build();
    FakeChatProvider b = echo("b");
    try (AiGateway gateway = gateway(a, b).route("chat", Route.leastBusy("a/m", "b/m")).build()) {
      CallContext fiveSeconds = CallContext.builder().timeout(Duration.ofSeconds(5)).build();
      List<CompletableFuture<ChatResponse>> stuck = new ArrayList<>();
      for (int tries = 0; a.requestCount() < 1; tries++) {
        // with both idle either may be picked; keep calling until a holds a call
        assertThat(tries).as("a was picked at least once in 100 calls").isLessThan(100);
        int before = a.requestCount();
        CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("chat", "hi"), fiveSeconds));
        awaitTrue("the call reached a target", () -> a.requestCount() > before || call.isDone());
        if (!call.isDone()) {
          stuck.add(call);
        }
      }

      for (int i = 0; i < 20; i++) {
        assertThat(gateway.chat(ChatRequest.of("chat", "hi")).metadata().target()).contains(Target.parse("b/m"));
      }
      clock.advance(Duration.ofSeconds(5));
      for (CompletableFuture<ChatResponse> call : stuck) {
        assertThatThrownBy(() -> result(call)).isInstanceOf(dev.aigw.api.DeadlineExceededException.class);
      }
    }
  }

  @Test
  void lowestLatencyPrefersTheFasterTargetOnceBothAreMeasured() throws Throwable {
    FakeChatProvider slow = FakeChatProvider.builder().id("a").timeSource(clock).latency(Duration.ofMillis(800)).build();
    FakeChatProvider fast = FakeChatProvider.builder().id("b").timeSource(clock).latency(Duration.ofMillis(100)).build();
    try (AiGateway gateway = gateway(slow, fast)
        .route("chat", Route.lowestLatency("a/m", "b/m").withExploration(0)).build()) {
      for (int i = 0; i < 2; i++) {
        // unmeasured targets count as fastest, so the first calls measure a, then b
        CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("chat", "hi")));
        drive(clock, call, Duration.ofMillis(100));
        result(call);
      }
      assertThat(slow.requestCount()).isEqualTo(1);
      assertThat(fast.requestCount()).isEqualTo(1);

      for (int i = 0; i < 5; i++) {
        CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("chat", "hi")));
        drive(clock, call, Duration.ofMillis(100));
        assertThat(result(call).metadata().target()).contains(Target.parse("b/m"));
      }
    }
  }

  @Test
  void lowestLatencyTriesASlowTargetAgainOnceItsMeasurementHasDecayed() throws Throwable {
    FakeChatProvider slow = FakeChatProvider.builder().id("a").timeSource(clock).latency(Duration.ofMillis(800)).build();
    FakeChatProvider fast = FakeChatProvider.builder().id("b").timeSource(clock).latency(Duration.ofMillis(100)).build();
    try (AiGateway gateway = gateway(slow, fast)
        .route("chat", Route.lowestLatency("a/m", "b/m").withExploration(0).withDecay(Duration.ofSeconds(10))).build()) {
      for (int i = 0; i < 3; i++) {
        CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("chat", "hi")));
        drive(clock, call, Duration.ofMillis(100));
        result(call);
      }
      assertThat(slow.requestCount()).isEqualTo(1);

      // b keeps serving (fresh samples, 100 ms) while a's one sample (800 ms) halves every 10 s idle:
      // a is tried again once its decayed estimate drops to b's, after about 40 s
      int probedAt = -1;
      for (int i = 1; i <= 8 && probedAt < 0; i++) {
        clock.advance(Duration.ofSeconds(10));
        CompletableFuture<ChatResponse> call = start(() -> gateway.chat(ChatRequest.of("chat", "hi")));
        drive(clock, call, Duration.ofMillis(100));
        if (result(call).metadata().target().orElseThrow().equals(Target.parse("a/m"))) {
          probedAt = i;
        }
      }
      assertThat(probedAt).isBetween(4, 5);
    }
  }

  /**
   * The cheapest target that fits, for a table of requests. A request of n words counts about
   * n + 10 tokens; max output tokens are set so the cost can be bounded.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "plain short request                 | 100    | 500  | -     | -      | p/tiny",
      "needs tools                         | 100    | 500  | tools | -      | p/small",
      "needs vision                        | 100    | 500  | image | -      | p/large",
      "too long for tiny and small         | 40000  | 1000 | -     | -      | p/large",
      "too long for all but huge           | 200000 | 1000 | -     | -      | p/huge",
      "cost cap rules out huge             | 200000 | 1000 | -     | 0.5    | none",
      "cost cap keeps large                | 40000  | 1000 | -     | 0.2    | p/large",
      "output alone overflows tiny         | 100    | 7950 | -     | -      | p/small",
  })
  void cheapestCapablePicksTheCheapestTargetThatFits(
      String name, int words, int maxOutput, String needs, String maxCost, String expected) {
    FakeChatProvider p = echo("p");
    Route.CheapestCapable route = Route.cheapestCapable("p/huge", "p/large", "p/small", "p/tiny");
    if (!maxCost.equals("-")) {
      route = route.withMaxCostPerCall(Cost.usd(maxCost));
    }
    ChatRequest.Builder request = ChatRequest.builder().model("chat").maxOutputTokens(maxOutput);
    switch (needs) {
      case "tools" -> request.user(words(words)).tool(new ToolSpec("lookup", "looks up", "{\"type\":\"object\"}"));
      case "image" -> request.message(Message.user(List.of(ContentPart.text(words(words)), ContentPart.imageUrl("https://example.invalid/cat.png"))));
      default -> request.user(words(words));
    }
    try (AiGateway gateway = gateway(p).route("chat", route).build()) {
      if (expected.equals("none")) {
        assertThatThrownBy(() -> gateway.chat(request.build()))
            .isInstanceOf(NoRouteAvailableException.class)
            .hasMessageContaining("p/huge: estimated cost");
        assertThat(p.requestCount()).isZero();
      } else {
        assertThat(gateway.chat(request.build()).metadata().target()).contains(Target.parse(expected));
      }
    }
  }

  @Test
  void cheapestCapableSkipsTargetsOutsideTheLatencySlo() throws Throwable {
    FakeChatProvider cheapButSlow = FakeChatProvider.builder().id("p").timeSource(clock).latency(Duration.ofSeconds(3)).build();
    try (AiGateway gateway = gateway(cheapButSlow)
        .route("chat", Route.cheapestCapable("p/tiny", "p/small").withLatencySlo(Duration.ofSeconds(1))).build()) {
      CompletableFuture<ChatResponse> first = start(() -> gateway.chat(ChatRequest.builder().model("chat").user("hi").maxOutputTokens(10).build()));
      drive(clock, first, Duration.ofMillis(500));
      assertThat(result(first).metadata().target()).contains(Target.parse("p/tiny"));

      CompletableFuture<ChatResponse> second = start(() -> gateway.chat(ChatRequest.builder().model("chat").user("hi").maxOutputTokens(10).build()));
      drive(clock, second, Duration.ofMillis(500));
      assertThat(result(second).metadata().target()).as("tiny measured 3 s, above the SLO").contains(Target.parse("p/small"));
    }
  }

  @Test
  void aConditionalRouteChoosesByTenantTagOrPredicate() {
    FakeChatProvider p = echo("p");
    try (AiGateway gateway = gateway(p).route("chat", Route.conditional()
        .whenTenant("acme", Route.target("p/huge"))
        .whenTag("beta", Route.target("p/large"))
        .when("has tools", (request, context) -> request instanceof ChatRequest c && !c.tools().isEmpty(), Route.target("p/small"))
        .otherwise(Route.target("p/tiny"))
        .build()).build()) {
      assertThat(gateway.chat(ChatRequest.of("chat", "hi"), CallContext.tenant("acme")).metadata().target())
          .contains(Target.parse("p/huge"));
      assertThat(gateway.chat(ChatRequest.of("chat", "hi"), CallContext.builder().tag("beta").build()).metadata().target())
          .contains(Target.parse("p/large"));
      assertThat(gateway.chat(ChatRequest.builder().model("chat").user("hi")
          .tool(new ToolSpec("t", "d", "{\"type\":\"object\"}")).build()).metadata().target()).contains(Target.parse("p/small"));
      assertThat(gateway.chat(ChatRequest.of("chat", "hi")).metadata().target()).contains(Target.parse("p/tiny"));
    }
  }

  @Test
  void aConditionalRouteWithoutAMatchOrOtherwiseFailsClearly() {
    try (AiGateway gateway = gateway(echo("p"))
        .route("chat", Route.conditional().whenTenant("acme", Route.target("p/huge")).build()).build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chat", "hi")))
          .isInstanceOf(NoRouteAvailableException.class).hasMessageContaining("no condition matched");
    }
  }

  @Test
  void candidatesWhoseWindowCannotFitTheCountedRequestAreSkippedBeforeAnyCall() {
    FakeChatProvider p = echo("p");
    Candidates candidates = new Candidates();
    try (AiGateway gateway = gateway(p).listener(candidates)
        .route("chat", Route.fallback("p/tiny", "p/small", "p/large")).build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("chat", words(40_000)));

      assertThat(response.metadata().target()).contains(Target.parse("p/large"));
      assertThat(response.metadata().attempts()).hasSize(1);
      assertThat(candidates.seen.get(0)).containsExactly(Target.parse("p/large"));
      assertThat(p.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void aContextWindowFailureFallsBackOnlyToTargetsWithALargerWindow() {
    FakeChatProvider p = FakeChatProvider.builder().id("p")
        .reply("small", FakeReply.contextWindowExceeded())
        .reply("tiny", FakeReply.text("tiny never"))
        .reply("huge", FakeReply.text("from huge"))
        .build();
    try (AiGateway gateway = gateway(p).route("chat", Route.fallback("p/small", "p/tiny", "p/huge")).build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("chat", "hi"));

      assertThat(response.text()).isEqualTo("from huge");
      assertThat(response.metadata().attempts()).extracting(Attempt::target)
          .containsExactly(Target.parse("p/small"), Target.parse("p/huge"));
    }
  }

  @Test
  void aContentFilterRefusalEndsTheCallUnlessTheRouteOptsIntoFallback() {
    FakeChatProvider a = FakeChatProvider.builder().id("a").reply(FakeReply.contentFiltered()).build();
    FakeChatProvider b = echo("b");
    try (AiGateway strict = gateway(a, b).route("chat", Route.fallback("a/m", "b/m")).build()) {
      assertThatThrownBy(() -> strict.chat(ChatRequest.of("chat", "hi"))).isInstanceOf(ContentFilteredException.class);
    }
    try (AiGateway lenient = gateway(a, b).route("chat", Route.fallback("a/m", "b/m"),
        RouteOptions.builder().fallbackOnContentFilter(true).build()).build()) {
      assertThat(lenient.chat(ChatRequest.of("chat", "hi")).metadata().target()).contains(Target.parse("b/m"));
    }
  }

  @Test
  void routeHintsNarrowAndReorderTheCandidates() {
    FakeChatProvider p = echo("p");
    FakeChatProvider q = echo("q");
    Candidates candidates = new Candidates();
    try (AiGateway gateway = gateway(p, q).listener(candidates)
        .route("chat", Route.fallback("p/tiny", "p/large", "q/x")).build()) {
      gateway.chat(ChatRequest.of("chat", "hi"), CallContext.builder()
          .routeHints(RouteHints.builder().require(Capability.VISION).build()).build());
      gateway.chat(ChatRequest.builder().model("chat").user("hi").maxOutputTokens(1000).build(), CallContext.builder()
          .routeHints(RouteHints.builder().maxCostPerCall(Cost.usd("0.001")).build()).build());
      gateway.chat(ChatRequest.of("chat", "hi"), CallContext.builder()
          .routeHints(RouteHints.builder().preferProviders("q").build()).build());

      assertThat(candidates.seen).containsExactly(
          List.of(Target.parse("p/large")),
          List.of(Target.parse("p/tiny")),
          List.of(Target.parse("q/x"), Target.parse("p/tiny"), Target.parse("p/large")));
    }
  }

  @Test
  void everyAnswerIsPricedFromTheCatalogAndAnUnknownModelHasNoCost() {
    Usage usage = new Usage(1_000_000, 100_000, 0, 0, 0);
    FakeChatProvider p = FakeChatProvider.builder().id("p").reply(FakeReply.text("priced").withUsage(usage)).build();
    try (AiGateway gateway = gateway(p).build()) {
      // p/large: 1M input x $2.50/M + 100k output x $10/M = 2.50 + 1.00
      assertThat(gateway.chat(ChatRequest.of("p/large", "hi")).metadata().cost()).contains(Cost.usd("3.5"));
      try (ChatStream stream = gateway.stream(ChatRequest.of("p/large", "hi"))) {
        stream.collect();
        assertThat(stream.metadata().cost()).contains(Cost.usd("3.5"));
      }
      assertThat(gateway.chat(ChatRequest.of("p/unknown", "hi")).metadata().cost()).isEmpty();
    }
  }

  @Test
  void theDefaultCatalogPricesARealModelByTheProvidersNameWhateverItsId() {
    FakeChatProvider openAiLike = new FakeChatProviderNamed("primary", "openai", new Usage(1000, 100, 0, 0, 0)).provider;
    try (AiGateway gateway = AiGateway.builder().provider(openAiLike).build()) {
      // gpt-4o-mini: $0.15/M input, $0.60/M output: 1000 x 0.00000015 + 100 x 0.0000006 = 0.00015 + 0.00006
      assertThat(gateway.chat(ChatRequest.of("primary/gpt-4o-mini", "hi")).metadata().cost()).contains(Cost.usd("0.00021"));
    }
  }

  /** A fake whose provider name differs from its id, as a real client's does. */
  private static final class FakeChatProviderNamed {
    final FakeChatProvider provider;

    FakeChatProviderNamed(String id, String name, Usage usage) {
      this.provider = FakeChatProvider.builder().id(id).providerName(name).reply(FakeReply.text("x").withUsage(usage)).build();
    }
  }

  @Test
  void routesAreCheckedWhenBuilt() {
    assertThatThrownBy(() -> Route.weighted().arm(0, "a/m").build()).hasMessageContaining("positive weight");
    assertThatThrownBy(() -> Route.weighted().arm(-1, "a/m")).hasMessageContaining("negative");
    assertThatThrownBy(() -> Route.leastBusy("a/m", "a/m")).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> Route.lowestLatency("a/m").withExploration(1.5)).hasMessageContaining("exploration");
    assertThatThrownBy(() -> Route.conditional().build()).hasMessageContaining("at least one case");
    assertThatThrownBy(() -> Route.cheapestCapable("a/m").withLatencySlo(Duration.ZERO)).hasMessageContaining("latencySlo");
    assertThat(Route.fallback(Route.target("a/m"), Route.weighted().arm(1, "b/m").arm(1, "c/m").build()).targets())
        .containsExactly(Target.parse("a/m"), Target.parse("b/m"), Target.parse("c/m"));
  }
}
