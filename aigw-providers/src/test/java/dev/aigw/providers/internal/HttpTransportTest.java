package dev.aigw.providers.internal;

import dev.aigw.providers.testing.GatedBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AuthenticationException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatStream;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.api.RateLimitedException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared HTTP layer against a real local server. Tests that wait on the server or on another
 * thread carry a {@link Timeout} only as a hang guard: no test depends on how long anything takes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpTransportTest {
  static final String KEY = "sk-test-abcdefghijklmnop1234";
  static final Headers AUTH = Headers.of("Authorization", "Bearer " + KEY);
  static final long MAX_BODY = 32L * 1024 * 1024; // HttpTransport.MAX_BODY

  /** A tiny wire record. */
  public record Greeting(String text, int count) {}

  /** A tiny request record. */
  public record Ask(String question) {}

  private MockWebServer server;
  /** Released at teardown so a server thread never outlives its test. */
  private final GatedBody serverMayFinish = new GatedBody("data: one\n\n", "data: two\n\nevent: done\ndata: {}\n\n");

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    serverMayFinish.release();
    server.close();
  }

  private static HttpTransport transport(Duration readTimeout) {
    return new HttpTransport("test", new HttpSettings(Duration.ofSeconds(10), readTimeout, Duration.ZERO,
        Map.of("X-Extra", "extra-value")), () -> KEY);
  }

  private static HttpTransport transport() {
    return transport(Duration.ofSeconds(20));
  }

  private String url() {
    return server.url("/v1/test").toString();
  }

  private Greeting post(HttpTransport transport, CallContext context) {
    return transport.postJson(url(), AUTH, KEY, new Ask("hello?"), context, Greeting.class);
  }

  @Nested
  class PostJson {
    @Test
    void postsTheBodyAndReadsTheAnswer() throws Exception {
      server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .body("{\"text\":\"hi\",\"count\":2,\"unknown\":true}").build());

      Greeting answer = post(transport(), CallContext.empty());

      assertThat(answer).isEqualTo(new Greeting("hi", 2));
      RecordedRequest request = server.takeRequest();
      assertThat(request.getMethod()).isEqualTo("POST");
      assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/test");
      assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
      assertThat(request.getHeaders().get("X-Extra")).isEqualTo("extra-value");
      assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
      assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
      assertThat(request.getBody().utf8()).isEqualTo("{\"question\":\"hello?\"}");
    }

    @Test
    void mapsAnErrorStatusAndRedactsTheKey() {
      server.enqueue(new MockResponse.Builder().code(401).body(
          "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")
          .build());

      assertThatThrownBy(() -> post(transport(), CallContext.empty()))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("401")
          .hasMessageContaining("Incorrect API key provided")
          .hasMessageNotContaining(KEY)
          .hasMessageNotContaining("abcdefghijklmnop");
    }

    @Test
    void mapsARateLimitWithItsDelay() {
      server.enqueue(new MockResponse.Builder().code(429).addHeader("retry-after", "7")
          .body("{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}").build());

      assertThatThrownBy(() -> post(transport(), CallContext.empty()))
          .isInstanceOfSatisfying(RateLimitedException.class,
              e -> assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7)));
    }

    @Test
    void mapsANonJsonErrorBody() {
      server.enqueue(new MockResponse.Builder().code(503).body("<html>upstream connect error</html>").build());

      assertThatThrownBy(() -> post(transport(), CallContext.empty()))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.statusCode()).hasValue(503);
          })
          .hasMessageContaining("upstream connect error");
    }

    @Test
    void rejectsABodyOverTheLimit() {
      Buffer huge = new Buffer().writeUtf8("{\"text\":\"");
      huge.write(new byte[(int) MAX_BODY]);
      server.enqueue(new MockResponse.Builder().code(200).body(huge).build());

      assertThatThrownBy(() -> post(transport(), CallContext.empty()))
          .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("malformed")
          .hasMessageContaining("larger than " + MAX_BODY);
    }

    @Test
    void acceptsABodyOfExactlyTheLimit() {
      String json = "{\"text\":\"hi\",\"count\":1}";
      Buffer body = new Buffer().writeUtf8(json).writeUtf8(" ".repeat((int) MAX_BODY - json.length()));
      assertThat(body.size()).isEqualTo(MAX_BODY);
      server.enqueue(new MockResponse.Builder().code(200).body(body).build());

      assertThat(post(transport(), CallContext.empty())).isEqualTo(new Greeting("hi", 1));
    }

    @Test
    void malformedJsonIsARetryableMalformedResponse() {
      server.enqueue(new MockResponse.Builder().code(200).body("{\"text\": \"hi\", oops").build());

      assertThatThrownBy(() -> post(transport(), CallContext.empty()))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.statusCode()).hasValue(200);
          })
          .hasMessageContaining("malformed");
    }

    @Test
    void anEmptyBodyIsMalformed() {
      server.enqueue(new MockResponse.Builder().code(200).body("").build());

      assertThatThrownBy(() -> post(transport(), CallContext.empty()))
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("malformed");
    }

    @Test
    void aJsonNullBodyIsMalformedRatherThanANullResult() {
      server.enqueue(new MockResponse.Builder().code(200).body("null").build());

      assertThatThrownBy(() -> post(transport(), CallContext.empty()))
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining("malformed");
    }

    @Test
    void aRefusedConnectionIsRetryable() throws IOException {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      HttpTransport transport = transport();

      assertThatThrownBy(() -> transport.postJson("http://127.0.0.1:" + port + "/v1/test", AUTH, KEY, new Ask("?"),
          CallContext.empty(), Greeting.class))
          .isExactlyInstanceOf(ProviderException.class)
          .satisfies(e -> assertThat(((ProviderException) e).retryable()).isTrue())
          .hasMessageContaining("could not be reached");
    }

    @Test
    void aSilentServerHitsTheReadTimeout() {
      server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

      assertThatThrownBy(() -> post(transport(Duration.ofMillis(200)), CallContext.empty()))
          .isInstanceOfSatisfying(ProviderTimeoutException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("timed out");
    }

    @Test
    void aTokenFiredFromAnotherThreadCancelsTheWaitingCall() throws Exception {
      server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
      CancellationToken token = CancellationToken.create();
      DeadlineExceededException reason = new DeadlineExceededException(Duration.ofSeconds(1));
      CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
        try {
          server.takeRequest(); // the request is on the server, which withholds the answer
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        token.cancel(reason);
      });

      // The read timeout (20 s) is far away: only the cancellation can end this call (the class-level
      // @Timeout is a hang guard should it not).
      assertThatThrownBy(() -> post(transport(), CallContext.builder().cancellation(token).build()))
          .isSameAs(reason);
      canceller.get();
    }

    @Test
    void anAlreadyFiredTokenFailsAtOnceWithItsReason() {
      server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
      CancellationToken token = CancellationToken.create();
      token.cancel();

      assertThatThrownBy(() -> post(transport(), CallContext.builder().cancellation(token).build()))
          .isSameAs(token.reason().orElseThrow())
          .isInstanceOf(CallCancelledException.class);
    }

    @Test
    void aTokenThatNeverFiresDoesNotDisturbTheCall() {
      server.enqueue(new MockResponse.Builder().code(200).body("{\"text\":\"ok\",\"count\":0}").build());
      CancellationToken token = CancellationToken.create();

      assertThat(post(transport(), CallContext.builder().cancellation(token).build())).isEqualTo(new Greeting("ok", 0));
      token.cancel(); // after the call: must not throw or affect anything
    }
  }

  @Nested
  class Secret {
    @Test
    void returnsTheSuppliedKey() {
      assertThat(transport().secret()).isEqualTo(KEY);
    }

    @Test
    void isNullWithoutASupplier() {
      assertThat(new HttpTransport("local", new HttpSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO,
          Map.of()), null).secret()).isNull();
    }

    @Test
    void aBlankKeyIsANonRetryableConfigurationError() {
      HttpTransport transport = new HttpTransport("openai", new HttpSettings(Duration.ofSeconds(1), Duration.ofSeconds(1),
          Duration.ZERO, Map.of()), () -> " ");
      assertThatThrownBy(transport::secret)
          .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("no API key");
    }
  }

  /** Emits {@code message} events as text chunks; an event named {@code done} completes the stream. */
  static class TestDecoder implements StreamDecoder {
    boolean complete;
    final List<SseEvent> seen = new ArrayList<>();

    @Override
    public void onEvent(SseEvent event, Consumer<ChatChunk> out) {
      seen.add(event);
      if (event.event().equals("done")) {
        complete = true;
      } else {
        out.accept(ChatChunk.text(event.data()));
      }
    }

    @Override
    public boolean isComplete() {
      return complete;
    }
  }

  private ChatStream stream(StreamDecoder decoder, CallContext context) {
    return transport().postStream(url(), AUTH, KEY, new Ask("stream?"), context, decoder);
  }

  @Nested
  class PostStream {
    @Test
    void decodesEachEventAsItArrives() throws Exception {
      GatedBody firstConsumed = new GatedBody("data: one\n\n", "data: two\n\nevent: done\ndata: {}\n\n");
      server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
          .body(firstConsumed).build());
      TestDecoder decoder = new TestDecoder();

      try (ChatStream stream = stream(decoder, CallContext.empty())) {
        Iterator<ChatChunk> chunks = stream.iterator();
        // The server sends the rest only after this chunk was consumed: a reader that waited for
        // more than the first event would never get here (the @Timeout guards the hang).
        assertThat(chunks.next().text()).isEqualTo("one");
        firstConsumed.release();
        assertThat(chunks.next().text()).isEqualTo("two");
        assertThat(chunks.hasNext()).isFalse();
      }
      assertThat(decoder.complete).isTrue();
      assertThat(server.takeRequest().getHeaders().get("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void collectsAWholeStream() {
      server.enqueue(new MockResponse.Builder().code(200)
          .body("data: Hel\n\ndata: lo\n\n: keep-alive\n\nevent: done\ndata: {}\n\n").build());

      assertThat(stream(new TestDecoder(), CallContext.empty()).collect().text()).isEqualTo("Hello");
    }

    @Test
    void aBodyEndingBeforeTheFinalEventIsARetryableCutOff() {
      server.enqueue(new MockResponse.Builder().code(200).body("data: one\n\ndata: two\n\n").build());

      try (ChatStream stream = stream(new TestDecoder(), CallContext.empty())) {
        Iterator<ChatChunk> chunks = stream.iterator();
        assertThat(chunks.next().text()).isEqualTo("one");
        assertThat(chunks.next().text()).isEqualTo("two");
        assertThatThrownBy(chunks::hasNext)
            .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue())
            .hasMessageContaining("cut off");
      }
    }

    @Test
    void aDecoderMayCompleteTheStreamAtTheEndOfTheBody() {
      server.enqueue(new MockResponse.Builder().code(200).body("data: only\n\n").build());
      TestDecoder decoder = new TestDecoder() {
        @Override
        public void onEnd(Consumer<ChatChunk> out) {
          out.accept(ChatChunk.text("[estimated usage]"));
          complete = true;
        }
      };

      assertThat(stream(decoder, CallContext.empty()).collect().text()).isEqualTo("only[estimated usage]");
    }

    @Test
    void anErrorStatusIsMappedBeforeAnyStreamExists() {
      server.enqueue(new MockResponse.Builder().code(529)
          .body("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}").build());

      assertThatThrownBy(() -> stream(new TestDecoder(), CallContext.empty()))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.statusCode()).hasValue(529);
          });
    }

    @Test
    void closingCancelsTheCallAndLaterReadsThrowCallCancelled() throws Exception {
      server.enqueue(new MockResponse.Builder().code(200)
          .body(serverMayFinish).build());

      ChatStream stream = stream(new TestDecoder(), CallContext.empty());
      Iterator<ChatChunk> chunks = stream.iterator();
      assertThat(chunks.next().text()).isEqualTo("one");

      stream.close();

      assertThatThrownBy(chunks::hasNext).isInstanceOf(CallCancelledException.class).hasMessageContaining("closed");
      stream.close(); // idempotent
    }

    @Test
    void closingFromAnotherThreadEndsAWaitingReadWithCallCancelled() throws Exception {
      server.enqueue(new MockResponse.Builder().code(200)
          .body(serverMayFinish).build());

      ChatStream stream = stream(new TestDecoder(), CallContext.empty());
      Iterator<ChatChunk> chunks = stream.iterator();
      assertThat(chunks.next().text()).isEqualTo("one");
      // The consumer waits for an event the server withholds; whether close() lands before or
      // while it waits, the outcome must be the same.
      CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(chunks::hasNext);
      stream.close();

      assertThat(waiting).failsWithin(Duration.ofSeconds(20))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(CallCancelledException.class);
    }

    @Test
    void aTokenFiredMidStreamEndsItWithTheTokensReason() throws Exception {
      server.enqueue(new MockResponse.Builder().code(200)
          .body(serverMayFinish).build());
      CancellationToken token = CancellationToken.create();
      DeadlineExceededException reason = new DeadlineExceededException(Duration.ofSeconds(5));

      try (ChatStream stream = stream(new TestDecoder(), CallContext.builder().cancellation(token).build())) {
        Iterator<ChatChunk> chunks = stream.iterator();
        assertThat(chunks.next().text()).isEqualTo("one");
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(chunks::hasNext);
        token.cancel(reason);

        assertThat(waiting).failsWithin(Duration.ofSeconds(20))
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .havingCause()
            .isSameAs(reason);
      }
    }

    @Test
    void aDecoderErrorEndsTheStream() {
      server.enqueue(new MockResponse.Builder().code(200)
          .body("data: one\n\nevent: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")
          .build());
      TestDecoder decoder = new TestDecoder() {
        @Override
        public void onEvent(SseEvent event, Consumer<ChatChunk> out) {
          if (event.event().equals("error")) {
            try {
              throw ErrorMapping.fromStreamError("anthropic", Json.read(event.data(), ErrorBody.class), KEY);
            } catch (IOException e) {
              throw new AssertionError(e);
            }
          }
          super.onEvent(event, out);
        }
      };

      try (ChatStream stream = stream(decoder, CallContext.empty())) {
        Iterator<ChatChunk> chunks = stream.iterator();
        assertThat(chunks.next().text()).isEqualTo("one");
        assertThatThrownBy(chunks::hasNext)
            .isInstanceOfSatisfying(ProviderException.class, e -> {
              assertThat(e.statusCode()).hasValue(529);
              assertThat(e.retryable()).isTrue();
            });
      }
    }
  }
}
