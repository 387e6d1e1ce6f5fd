package dev.aigw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GuardrailViolationException;
import dev.aigw.api.Interceptor;
import dev.aigw.api.Target;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.core.routing.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InterceptorChainTest {
  private final List<String> trace = Collections.synchronizedList(new ArrayList<>());

  private static FakeChatProvider fake(String id, FakeReply... replies) {
    return FakeChatProvider.builder().id(id).reply(replies).build();
  }

  @Test
  void interceptorsRunInBuilderOrderAroundTheProviderAndUnwindInReverse() {
    try (AiGateway gateway = AiGateway.builder()
        .provider(fake("a", FakeReply.text("hi")))
        .route("chat", Route.fallback("a/m1"))
        .interceptor(new TracingInterceptor("app1", trace))
        .interceptor(new TracingInterceptor("app2", trace))
        .attemptInterceptor(new TracingInterceptor("try1", trace))
        .attemptInterceptor(new TracingInterceptor("try2", trace))
        .build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("chat", "hello"));

      assertThat(response.text()).isEqualTo("hi");
      assertThat(trace).containsExactly(
          "app1>", "app2>", "try1@a/m1>", "try2@a/m1>", "<try2@a/m1", "<try1@a/m1", "<app2", "<app1");
    }
  }

  @Test
  void anInterceptorThatDoesNotProceedShortCircuitsTheProvider() {
    FakeChatProvider provider = fake("a", FakeReply.text("from provider"));
    Interceptor cacheLike = new Interceptor() {
      @Override
      public ChatResponse intercept(Chain chain) {
        return ChatResponse.builder().id("cached-1").model("m1").text("from interceptor").build();
      }

      @Override
      public ChatStream interceptStream(Chain chain) {
        return ChatStream.of(ChatChunk.text("from "), ChatChunk.text("interceptor"));
      }
    };
    RecordingListener listener = new RecordingListener();
    try (AiGateway gateway = AiGateway.builder()
        .provider(provider)
        .route("chat", Route.fallback("a/m1"))
        .interceptor(cacheLike)
        .attemptInterceptor(new TracingInterceptor("try", trace))
        .listener(listener)
        .build()) {
      ChatResponse blocking = gateway.chat(ChatRequest.of("chat", "hello"));
      String streamed;
      try (ChatStream stream = gateway.stream(ChatRequest.of("chat", "hello"))) {
        streamed = stream.collect().text();
      }

      assertThat(blocking.text()).isEqualTo("from interceptor");
      assertThat(blocking.metadata().target()).isEmpty();
      assertThat(blocking.metadata().attempts()).isEmpty();
      assertThat(streamed).isEqualTo("from interceptor");
      assertThat(provider.requestCount()).isZero();
      assertThat(trace).isEmpty();
      assertThat(listener.events()).containsExactly("callStart", "callEnd", "callStart", "firstChunk", "callEnd");
    }
  }

  @Test
  void anInterceptorMayProceedSeveralTimesAndEachProceedIsAFullAttempt() {
    FakeChatProvider provider = fake("a", FakeReply.text("first"), FakeReply.text("second"));
    Interceptor reAsk = new Interceptor() {
      @Override
      public ChatResponse intercept(Chain chain) {
        ChatResponse first = chain.proceed(chain.request());
        ChatRequest again = chain.request().toBuilder()
            .message(first.message())
            .user("try again")
            .build();
        return chain.proceed(again);
      }

      @Override
      public ChatStream interceptStream(Chain chain) {
        return chain.proceedStream(chain.request());
      }
    };
    try (AiGateway gateway = AiGateway.builder()
        .provider(provider)
        .route("chat", Route.fallback("a/m1"))
        .interceptor(reAsk)
        .attemptInterceptor(new TracingInterceptor("try", trace))
        .build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("chat", "hello"));

      assertThat(response.text()).isEqualTo("second");
      assertThat(provider.requestCount()).isEqualTo(2);
      assertThat(trace).containsExactly("try@a/m1>", "<try@a/m1", "try@a/m1>", "<try@a/m1");
      assertThat(provider.requests().get(1).chat().messages()).hasSize(3);
    }
  }

  @Test
  void applicationInterceptorsRunOncePerCallAndAttemptInterceptorsOncePerAttempt() {
    List<String> seenModels = Collections.synchronizedList(new ArrayList<>());
    Interceptor modelSpy = new Interceptor() {
      @Override
      public ChatResponse intercept(Chain chain) {
        seenModels.add(chain.target().map(Target::toString).orElse("app") + ":" + chain.request().model());
        return chain.proceed(chain.request());
      }

      @Override
      public ChatStream interceptStream(Chain chain) {
        seenModels.add(chain.target().map(Target::toString).orElse("app") + ":" + chain.request().model());
        return chain.proceedStream(chain.request());
      }
    };
    try (AiGateway gateway = AiGateway.builder()
        .provider(fake("a", FakeReply.serverError(503)))
        .provider(fake("b", FakeReply.text("from b")))
        .route("chat", Route.fallback("a/m1", "b/m2"))
        .resilience(dev.aigw.core.routing.Resilience.custom().maxAttempts(1).build())
        .interceptor(new TracingInterceptor("app", trace))
        .interceptor(modelSpy)
        .attemptInterceptor(new TracingInterceptor("try", trace))
        .attemptInterceptor(modelSpy)
        .build()) {
      ChatResponse response = gateway.chat(ChatRequest.of("chat", "hello"));

      assertThat(response.text()).isEqualTo("from b");
      assertThat(trace).containsExactly("app>", "try@a/m1>", "<try@a/m1", "try@b/m2>", "<try@b/m2", "<app");
      assertThat(seenModels).containsExactly("app:chat", "a/m1:m1", "b/m2:m2");
    }
  }

  @Test
  void anInterceptorCanTransformAStream() {
    Interceptor upperCase = new Interceptor() {
      @Override
      public ChatResponse intercept(Chain chain) {
        ChatResponse r = chain.proceed(chain.request());
        return r.toBuilder().text(r.text().toUpperCase()).build();
      }

      @Override
      public ChatStream interceptStream(Chain chain) {
        return chain.proceedStream(chain.request())
            .map(c -> c.toBuilder().text(c.text().toUpperCase()).build());
      }
    };
    FakeChatProvider provider = FakeChatProvider.builder().id("a").chunkSize(3)
        .reply(FakeReply.text("hello streaming world")).build();
    try (AiGateway gateway = AiGateway.builder()
        .provider(provider)
        .route("chat", Route.fallback("a/m1"))
        .interceptor(upperCase)
        .build()) {
      List<String> pieces = new ArrayList<>();
      try (ChatStream stream = gateway.stream(ChatRequest.of("chat", "hi"))) {
        for (ChatChunk chunk : stream) {
          if (!chunk.text().isEmpty()) {
            pieces.add(chunk.text());
          }
        }
      }

      assertThat(pieces).hasSizeGreaterThan(3);
      assertThat(String.join("", pieces)).isEqualTo("HELLO STREAMING WORLD");
      assertThat(gateway.chat(ChatRequest.of("chat", "hi")).text()).isEqualTo("HELLO STREAMING WORLD");
    }
  }

  @Test
  void blockingAsyncAndStreamingCallsPassTheSameInterceptors() throws Exception {
    AtomicInteger blocking = new AtomicInteger();
    AtomicInteger streaming = new AtomicInteger();
    Interceptor counter = new Interceptor() {
      @Override
      public ChatResponse intercept(Chain chain) {
        blocking.incrementAndGet();
        return chain.proceed(chain.request());
      }

      @Override
      public ChatStream interceptStream(Chain chain) {
        streaming.incrementAndGet();
        return chain.proceedStream(chain.request());
      }
    };
    try (AiGateway gateway = AiGateway.builder()
        .provider(fake("a", FakeReply.text("ok")))
        .route("chat", Route.fallback("a/m1"))
        .interceptor(counter)
        .attemptInterceptor(counter)
        .build()) {
      gateway.chat(ChatRequest.of("chat", "1"));
      assertThat(gateway.chatAsync(ChatRequest.of("chat", "2")).get(10, TimeUnit.SECONDS).text()).isEqualTo("ok");
      try (ChatStream stream = gateway.stream(ChatRequest.of("chat", "3"))) {
        assertThat(stream.collect().text()).isEqualTo("ok");
      }

      assertThat(blocking).hasValue(4);
      assertThat(streaming).hasValue(2);
    }
  }

  @Test
  void anExceptionThrownByAnInterceptorEndsTheCallWithoutReachingTheProvider() {
    FakeChatProvider provider = fake("a", FakeReply.text("never"));
    Interceptor blocker = new Interceptor() {
      @Override
      public ChatResponse intercept(Chain chain) {
        throw new GuardrailViolationException("deny-list", "blocked word");
      }

      @Override
      public ChatStream interceptStream(Chain chain) {
        throw new GuardrailViolationException("deny-list", "blocked word");
      }
    };
    RecordingListener listener = new RecordingListener();
    try (AiGateway gateway = AiGateway.builder()
        .provider(provider)
        .route("chat", Route.fallback("a/m1"))
        .interceptor(blocker)
        .listener(listener)
        .build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chat", "x"))).isInstanceOf(GuardrailViolationException.class);
      assertThatThrownBy(() -> gateway.stream(ChatRequest.of("chat", "x"))).isInstanceOf(GuardrailViolationException.class);
      assertThat(provider.requestCount()).isZero();
      assertThat(listener.events()).containsExactly(
          "callStart", "callFailed GuardrailViolationException", "callStart", "callFailed GuardrailViolationException");
    }
  }

  @Test
  void unexpectedRuntimeExceptionsAreWrappedSoCallersOnlySeeAiGatewayExceptions() {
    Interceptor buggy = new Interceptor() {
      @Override
      public ChatResponse intercept(Chain chain) {
        throw new IllegalStateException("bug");
      }

      @Override
      public ChatStream interceptStream(Chain chain) {
        return null;
      }
    };
    try (AiGateway gateway = AiGateway.builder()
        .provider(fake("a", FakeReply.text("ok")))
        .route("chat", Route.fallback("a/m1"))
        .interceptor(buggy)
        .build()) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chat", "x")))
          .isExactlyInstanceOf(AiGatewayException.class)
          .hasCauseInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> gateway.stream(ChatRequest.of("chat", "x")))
          .isExactlyInstanceOf(AiGatewayException.class)
          .rootCause().isInstanceOf(NullPointerException.class).hasMessageContaining("returned a null stream");
    }
  }

  @Test
  void theContextSeenByInterceptorsAndProvidersCarriesTheCallsTokenAndDeadline() {
    FakeChatProvider provider = fake("a", FakeReply.text("ok"));
    List<CallContext> seen = new ArrayList<>();
    Interceptor spy = new Interceptor() {
      @Override
      public ChatResponse intercept(Chain chain) {
        seen.add(chain.context());
        return chain.proceed(chain.request());
      }

      @Override
      public ChatStream interceptStream(Chain chain) {
        return chain.proceedStream(chain.request());
      }
    };
    try (AiGateway gateway = AiGateway.builder()
        .provider(provider)
        .route("chat", Route.fallback("a/m1"))
        .interceptor(spy)
        .build()) {
      gateway.chat(ChatRequest.of("chat", "x"), CallContext.builder().tenant("acme").timeout(Duration.ofSeconds(30)).build());

      CallContext context = seen.get(0);
      assertThat(context.tenant()).contains("acme");
      assertThat(context.cancellation()).isPresent();
      assertThat(context.deadline()).isPresent();
      assertThat(provider.requests().get(0).context().cancellation()).isEqualTo(context.cancellation());
    }
  }
}
