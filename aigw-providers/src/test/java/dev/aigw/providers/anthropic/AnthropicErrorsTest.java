package dev.aigw.providers.anthropic;

import static dev.aigw.providers.anthropic.Fixtures.KEY;
import static dev.aigw.providers.anthropic.Fixtures.MODEL;
import static dev.aigw.providers.anthropic.Fixtures.error;
import static dev.aigw.providers.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AuthenticationException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.RateLimitedException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicErrorsTest {
  private final MockWebServer server = new MockWebServer();
  private AnthropicProvider provider;

  @BeforeEach
  void start() throws Exception {
    server.start();
    provider = Fixtures.provider(server);
  }

  @AfterEach
  void stop() {
    provider.close();
    server.close();
  }

  private ProviderException failure() {
    try {
      provider.chat(ChatRequest.of(MODEL, "hi"), CallContext.empty());
    } catch (ProviderException e) {
      assertThat(e.provider()).isEqualTo("anthropic");
      assertThat(e.getMessage()).doesNotContain(KEY);
      return e;
    }
    throw new AssertionError("the call did not fail");
  }

  @Test
  void aPromptTooLongIsContextWindowExceeded() {
    server.enqueue(error(400, "invalid_request_error", "prompt is too long: 215304 tokens > 200000 maximum"));

    assertThat(failure())
        .isInstanceOf(ContextWindowExceededException.class)
        .hasMessageContaining("prompt is too long")
        .satisfies(e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.statusCode()).hasValue(400);
        });
  }

  @Test
  void anotherBadRequestFailsFast() {
    server.enqueue(error(400, "invalid_request_error", "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"));

    assertThat(failure())
        .isExactlyInstanceOf(ProviderException.class)
        .satisfies(e -> assertThat(e.retryable()).isFalse());
  }

  @Test
  void aRejectedKeyIsAnAuthenticationErrorThatNeverShowsTheKey() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return error(401, "authentication_error", "invalid x-api-key: " + request.getHeaders().get("x-api-key"));
      }
    });

    assertThat(failure())
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("invalid x-api-key: [REDACTED]")
        .satisfies(e -> assertThat(e.retryable()).isFalse());
  }

  @Test
  void aPermissionErrorIsAnAuthenticationError() {
    server.enqueue(error(403, "permission_error", "Your API key does not have permission to use the specified resource."));

    assertThat(failure()).isInstanceOf(AuthenticationException.class);
  }

  @Test
  void aRateLimitCarriesTheRetryAfterDelay() {
    server.enqueue(new MockResponse.Builder(error(429, "rate_limit_error",
            "This request would exceed the rate limit for your organization of 50 requests per minute."))
        .addHeader("retry-after", "17")
        .addHeader("anthropic-ratelimit-requests-limit", "50")
        .addHeader("anthropic-ratelimit-requests-remaining", "0")
        .addHeader("anthropic-ratelimit-requests-reset", Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS).toString())
        .build());

    assertThat(failure())
        .isInstanceOf(RateLimitedException.class)
        .satisfies(e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(((RateLimitedException) e).retryAfter()).contains(Duration.ofSeconds(17));
        });
  }

  @Test
  void aRateLimitWithoutRetryAfterUsesTheRatelimitResetHeaders() {
    server.enqueue(new MockResponse.Builder(error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"))
        .addHeader("anthropic-ratelimit-tokens-reset", Instant.now().plus(Duration.ofHours(1)).toString())
        .build());

    RateLimitedException e = (RateLimitedException) failure();

    assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofHours(1)));
  }

  @Test
  void overloadedIsARetryable529() {
    server.enqueue(error(529, "overloaded_error", "Overloaded"));

    assertThat(failure())
        .isExactlyInstanceOf(ProviderException.class)
        .satisfies(e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.statusCode()).hasValue(529);
        });
  }

  @Test
  void anInternalServerErrorIsRetryable() {
    server.enqueue(error(500, "api_error", "Internal server error"));

    assertThat(failure())
        .satisfies(e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.statusCode()).hasValue(500);
        });
  }

  @Test
  void aBodyThatIsNotTheDocumentedJsonIsARetryableMalformedResponse() {
    server.enqueue(json("<html><body>502 Bad Gateway</body></html>"));

    assertThat(failure())
        .hasMessageContaining("malformed")
        .satisfies(e -> assertThat(e.retryable()).isTrue());
  }

  @Test
  void aMessageWithoutIdIsMalformed() {
    server.enqueue(json("{\"type\":\"message\",\"content\":[],\"stop_reason\":\"end_turn\"}"));

    assertThat(failure())
        .hasMessageContaining("malformed")
        .satisfies(e -> assertThat(e.retryable()).isTrue());
  }
}
