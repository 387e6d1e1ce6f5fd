package dev.aigw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.ModelResponse;
import dev.aigw.api.Target;
import dev.aigw.api.Usage;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import dev.aigw.core.routing.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ListenerAndBuilderTest {
  private static FakeChatProvider fake(String id, FakeReply... replies) {
    FakeChatProvider.Builder builder = FakeChatProvider.builder().id(id);
    return (replies.length == 0 ? builder : builder.reply(replies)).build();
  }

  /** Throws from every event. */
  private static final class ThrowingListener implements GatewayListener {
    @Override
    public void callStart(CallInfo call) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void attemptStart(CallInfo call, Target target, int attempt) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void attemptEnd(CallInfo call, Target target, int attempt, Duration latency) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void firstChunk(CallInfo call, Duration timeToFirstChunk) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void usage(CallInfo call, Usage usage) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void callEnd(CallInfo call, ModelResponse response) {
      throw new IllegalStateException("listener bug");
    }
  }

  @Test
  void aListenerThatThrowsNeverBreaksACallOrTheListenersAfterIt() throws Exception {
    RecordingListener after = new RecordingListener();
    try (AiGateway gateway = AiGateway.builder()
        .provider(fake("a", FakeReply.text("ok")))
        .listener(new ThrowingListener())
        .listenerFactory(call -> {
          throw new IllegalStateException("factory bug");
        })
        .listener(after)
        .build()) {
      assertThat(gateway.chat(ChatRequest.of("a/m", "hi")).text()).isEqualTo("ok");
      assertThat(gateway.chatAsync(ChatRequest.of("a/m", "hi")).get(10, TimeUnit.SECONDS).text()).isEqualTo("ok");
      try (ChatStream stream = gateway.stream(ChatRequest.of("a/m", "hi"))) {
        assertThat(stream.collect().text()).isEqualTo("ok");
      }

      List<String> oneCall = List.of("callStart", "attemptStart a/m #1", "attemptEnd a/m #1");
      assertThat(after.events()).startsWith(oneCall.toArray(String[]::new));
      assertThat(after.events()).filteredOn("callEnd"::equals).hasSize(3);
    }
  }

  @Test
  void aListenerFactoryGetsOneListenerPerCallWithThatCallsInfo() {
    List<Long> ids = new ArrayList<>();
    List<ModelResponse> ends = new ArrayList<>();
    try (AiGateway gateway = AiGateway.builder()
        .provider(fake("a", FakeReply.text("ok")))
        .listenerFactory(call -> {
          ids.add(call.id());
          return new GatewayListener() {
            @Override
            public void callEnd(CallInfo info, ModelResponse response) {
              assertThat(info.id()).isEqualTo(call.id());
              ends.add(response);
            }
          };
        })
        .build()) {
      gateway.chat(ChatRequest.of("a/m", "one"));
      gateway.chat(ChatRequest.of("a/m", "two"));

      assertThat(ids).hasSize(2).doesNotHaveDuplicates();
      assertThat(ends).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOf(ChatResponse.class));
    }
  }

  @Test
  void aStreamsCallEndCarriesTheAssembledResponseWithUsage() {
    List<ModelResponse> ends = new ArrayList<>();
    try (AiGateway gateway = AiGateway.builder()
        .provider(FakeChatProvider.builder().id("a").chunkSize(2)
            .reply(FakeReply.text("streamed").withUsage(Usage.of(11, 7))).build())
        .listener(new GatewayListener() {
          @Override
          public void callEnd(CallInfo call, ModelResponse response) {
            ends.add(response);
          }
        })
        .build();
        ChatStream stream = gateway.stream(ChatRequest.of("a/m", "hi"))) {
      stream.collect();

      assertThat(ends).singleElement().isInstanceOfSatisfying(ChatResponse.class, r -> {
        assertThat(r.text()).isEqualTo("streamed");
        assertThat(r.usage()).contains(Usage.of(11, 7));
        assertThat(r.metadata().target()).contains(Target.parse("a/m"));
      });
    }
  }

  @Test
  void latencyAndTimeToFirstTokenAreMeasuredWithTheGatewaysClock() {
    ManualClock clock = new ManualClock();
    GatewayListener ticking = new GatewayListener() {
      @Override
      public void attemptStart(CallInfo call, Target target, int attempt) {
        clock.advance(Duration.ofMillis(120));
      }
    };
    try (AiGateway gateway = AiGateway.builder()
        .provider(fake("a", FakeReply.text("ok")))
        .clock(clock)
        .listener(ticking)
        .build()) {
      ChatResponse blocking = gateway.chat(ChatRequest.of("a/m", "hi"));
      ChatResponse streamed;
      try (ChatStream stream = gateway.stream(ChatRequest.of("a/m", "hi"))) {
        streamed = stream.collect();
      }

      assertThat(blocking.metadata().latency()).isEqualTo(Duration.ofMillis(120));
      assertThat(streamed.metadata().timeToFirstToken()).contains(Duration.ofMillis(120));
      assertThat(streamed.metadata().latency()).isEqualTo(Duration.ofMillis(120));
    }
  }

  @Test
  void theBuilderRejectsBadConfigurationNamingWhatIsWrong() {
    FakeChatProvider a = fake("a");
    assertThatThrownBy(() -> AiGateway.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no provider");
    assertThatThrownBy(() -> AiGateway.builder().provider(a).provider(fake("a")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' is registered twice");
    assertThatThrownBy(() -> AiGateway.builder().provider(fake("Open AI")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Open AI'");
    assertThatThrownBy(() -> AiGateway.builder().provider(a).route("chat", Route.fallback("b/m")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("route 'chat'").hasMessageContaining("'b'");
    assertThatThrownBy(() -> AiGateway.builder().route("a/b", Route.fallback("a/m")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/b'");
    assertThatThrownBy(() -> AiGateway.builder().route("chat", Route.fallback("a/m")).route("chat", Route.fallback("a/n")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'chat' is registered twice");
    assertThatThrownBy(() -> AiGateway.builder().clock(new ManualClock()).clock(new ManualClock()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("clock was already set");
    assertThatThrownBy(() -> AiGateway.builder().interceptor(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("interceptor");
    assertThatThrownBy(() -> Route.fallback(new String[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one target");
    assertThatThrownBy(() -> Route.fallback("gpt-4o"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'provider/model'");
    assertThatThrownBy(() -> Route.fallback("a/m", "a/m"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
  }

  @Test
  void aClosedGatewayRefusesCallsAndClosesItsProviders() {
    List<String> closed = new ArrayList<>();
    dev.aigw.api.ChatProvider provider = new dev.aigw.api.ChatProvider() {
      @Override
      public String id() {
        return "p";
      }

      @Override
      public ChatResponse chat(ChatRequest request, dev.aigw.api.CallContext context) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ChatStream stream(ChatRequest request, dev.aigw.api.CallContext context) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {
        closed.add(id());
      }
    };
    AiGateway gateway = AiGateway.builder().provider(provider).build();
    gateway.close();
    gateway.close();

    assertThat(closed).containsExactly("p");
    assertThatThrownBy(() -> gateway.chat(ChatRequest.of("p/m", "hi")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void asyncCallsWaitingInASuppliedExecutorStillRunAndTheExecutorIsNotShutDown() throws Exception {
    java.util.concurrent.ExecutorService mine = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      AiGateway gateway = AiGateway.builder().provider(fake("a", FakeReply.text("ok"))).executor(mine).build();
      CompletableFuture<ChatResponse> f = gateway.chatAsync(ChatRequest.of("a/m", "hi"));
      assertThat(f.get(10, TimeUnit.SECONDS).text()).isEqualTo("ok");
      gateway.close();
      assertThat(mine.isShutdown()).isFalse();
    } finally {
      mine.shutdownNow();
    }
  }

  @Test
  void failuresReachListenersAsAiGatewayExceptions() {
    List<AiGatewayException> failures = new ArrayList<>();
    try (AiGateway gateway = AiGateway.builder()
        .provider(fake("a", FakeReply.serverError(500)))
        .listener(new GatewayListener() {
          @Override
          public void callFailed(CallInfo call, AiGatewayException error) {
            failures.add(error);
          }
        })
        .build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("a/m", "hi"))).isInstanceOf(AiGatewayException.class);
      assertThat(failures).singleElement().isInstanceOf(dev.aigw.api.ProviderException.class);
    }
  }
}
