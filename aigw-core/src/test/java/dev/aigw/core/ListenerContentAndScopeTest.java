package dev.aigw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.GuardrailViolationException;
import dev.aigw.api.ModelResponse;
import dev.aigw.api.Target;
import dev.aigw.core.guardrail.DenyListGuardrail;
import dev.aigw.core.guardrail.PiiGuardrail;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The listener hooks for content recording and attempt scopes, and the topology calls describe. */
class ListenerContentAndScopeTest {
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final ThreadLocal<String> current = new ThreadLocal<>();

  private final GatewayListener recorder = new GatewayListener() {
    @Override
    public void content(CallInfo call, ChatRequest request, Optional<ChatResponse> response) {
      seen.add("content " + request.lastUserText() + " -> " + response.map(ChatResponse::text).orElse("(failed)"));
    }

    @Override
    public Scope attemptScope(CallInfo call, Target target, int attempt) {
      current.set("attempt " + attempt);
      seen.add("open " + target + " #" + attempt);
      return () -> {
        current.remove();
        seen.add("close #" + attempt);
      };
    }

    @Override
    public void callEnd(CallInfo call, ModelResponse response) {
      seen.add("callEnd " + ((ChatResponse) response).text());
    }
  };

  @Test
  void contentShowsWhatTheModelSawAndWroteWhileTheCallerGetsTheValuesBack() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").replyWhen(r -> true, FakeReply.text("Sent to <EMAIL_1>.")).build();
    try (AiGateway gateway = AiGateway.builder().provider(provider).guardrail(PiiGuardrail.defaults()).listener(recorder).build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("p/m", "mail ada@example.com"));

      assertThat(response.text()).isEqualTo("Sent to ada@example.com.");
      assertThat(seen).filteredOn(e -> e.startsWith("content") || e.startsWith("callEnd")).containsExactly(
          "content mail <EMAIL_1> -> Sent to <EMAIL_1>.",
          "callEnd Sent to ada@example.com.");
    }
  }

  @Test
  void streamsReportContentAtTheirEndAndABlockedRequestIsNeverReported() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").chunkSize(3).replyWhen(r -> true, FakeReply.text("to <EMAIL_1> ok")).build();
    try (AiGateway gateway = AiGateway.builder().provider(provider).guardrail(PiiGuardrail.defaults())
        .guardrail(DenyListGuardrail.builder().inputPhrases("launch codes").build()).listener(recorder).build()) {
      try (ChatStream stream = gateway.stream(ChatRequest.of("p/m", "write bob@example.org"))) {
        stream.forEach(c -> { });
      }
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("p/m", "the launch codes for bob@example.org")))
          .isInstanceOf(GuardrailViolationException.class);

      assertThat(seen).filteredOn(e -> e.startsWith("content")).containsExactly("content write <EMAIL_1> -> to <EMAIL_1> ok");
    }
  }

  @Test
  void anAttemptScopeIsOpenOnTheProviderThreadWhileItRunsAndClosedAfterEachAttempt() {
    List<String> duringCall = new CopyOnWriteArrayList<>();
    FakeChatProvider a = FakeChatProvider.builder().id("a").replyWhen(r -> {
      duringCall.add("a sees " + current.get());
      return true;
    }, FakeReply.serverError(503)).build();
    FakeChatProvider b = FakeChatProvider.builder().id("b").replyWhen(r -> {
      duringCall.add("b sees " + current.get());
      return true;
    }, FakeReply.text("ok")).build();
    try (AiGateway gateway = AiGateway.builder().provider(a).provider(b).resilience(
            dev.aigw.core.routing.Resilience.custom().maxAttempts(1).build())
        .route("chat", Route.fallback("a/m", "b/m")).listener(recorder).build()) {
      gateway.chat(ChatRequest.of("chat", "hi"));

      assertThat(duringCall).containsExactly("a sees attempt 1", "b sees attempt 2");
      assertThat(seen).filteredOn(e -> e.startsWith("open") || e.startsWith("close"))
          .containsExactly("open a/m #1", "close #1", "open b/m #2", "close #2");
      assertThat(current.get()).isNull();
    }
  }

  @Test
  void aListenerWhoseScopeThrowsDoesNotBreakTheCallOrTheOtherListeners() {
    GatewayListener broken = new GatewayListener() {
      @Override
      public Scope attemptScope(CallInfo call, Target target, int attempt) {
        throw new IllegalStateException("listener bug");
      }
    };
    GatewayListener brokenClose = new GatewayListener() {
      @Override
      public Scope attemptScope(CallInfo call, Target target, int attempt) {
        return () -> {
          throw new IllegalStateException("close bug");
        };
      }
    };
    FakeChatProvider provider = FakeChatProvider.builder().id("p").reply(FakeReply.text("fine")).build();
    try (AiGateway gateway = AiGateway.builder().provider(provider).listener(broken).listener(brokenClose).listener(recorder).build()) {
      assertThat(gateway.chat(ChatRequest.of("p/m", "hi")).text()).isEqualTo("fine");
      assertThat(seen).contains("open p/m #1", "close #1");
    }
  }

  @Test
  void callsDescribeTheGatewaysProvidersAndRoutes() {
    List<CallInfo> calls = new CopyOnWriteArrayList<>();
    FakeChatProvider a = FakeChatProvider.builder().id("a").providerName("openai").build();
    try (AiGateway gateway = AiGateway.builder().provider(a).route("chat", Route.fallback("a/m1", "a/m2"))
        .listener(new GatewayListener() {
          @Override
          public void callStart(CallInfo call) {
            calls.add(call);
          }
        }).build()) {
      gateway.chat(ChatRequest.of("chat", "hi"));

      CallInfo.Topology topology = calls.get(0).topology();
      assertThat(topology.targets("chat")).containsExactly(Target.parse("a/m1"), Target.parse("a/m2"));
      assertThat(topology.targets("a/other")).containsExactly(Target.parse("a/other"));
      assertThat(topology.targets("nowhere")).isEmpty();
      assertThat(topology.provider("a")).get().extracting(p -> p.providerName()).isEqualTo("openai");
      assertThat(topology.provider("b")).isEmpty();
    }
  }
}
