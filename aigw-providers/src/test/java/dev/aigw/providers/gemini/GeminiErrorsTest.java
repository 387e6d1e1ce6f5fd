package dev.aigw.providers.gemini;

import static dev.aigw.providers.gemini.GeminiFixtures.KEY;
import static dev.aigw.providers.gemini.GeminiFixtures.error;
import static dev.aigw.providers.gemini.GeminiFixtures.take;
import static dev.aigw.providers.gemini.GeminiFixtures.textAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AuthenticationException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.api.RateLimitedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP errors as Gemini sends them, mapped by the shared error mapping; key hygiene; cancellation. */
class GeminiErrorsTest {
  MockWebServer server;
  GeminiProvider gemini;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    gemini = GeminiFixtures.provider(server);
  }

  @AfterEach
  void stop() {
    gemini.close();
    server.close();
  }

  private ProviderException fail(int status, String body) {
    server.enqueue(error(status, body));
    try {
      gemini.chat(ChatRequest.of("gemini-2.0-flash", "Hello"), CallContext.empty());
    } catch (ProviderException e) {
      return e;
    }
    throw new AssertionError("the call did not fail");
  }

  @Test
  void resourceExhaustedIsARateLimitWithTheRetryInfoDelay() {
    ProviderException e = fail(429, """
        {"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED",
          "details": [
            {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count", "quotaId": "GenerateContentPaidTierInputTokensPerModelPerMinute"}]},
            {"@type": "type.googleapis.com/google.rpc.Help", "links": [{"description": "Learn more about Gemini API quotas", "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}]}}""");

    assertThat(e).isInstanceOfSatisfying(RateLimitedException.class, r -> {
      assertThat(r.retryAfter()).contains(Duration.ofSeconds(37));
      assertThat(r.retryable()).isTrue();
      assertThat(r.provider()).isEqualTo("gemini");
    });
  }

  /**
   * Gemini's free-tier per-minute limit uses OpenAI's "exceeded your current quota" wording, but
   * with a RetryInfo delay: a rate limit, not an exhausted balance.
   */
  @Test
  void freeTierQuotaWordingWithARetryDelayIsARateLimit() {
    ProviderException e = fail(429, """
        {"error": {"code": 429,
          "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 10, model: gemini-2.0-flash\\nPlease retry in 36.9s.",
          "status": "RESOURCE_EXHAUSTED",
          "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "36s"}]}}""");

    assertThat(e).isInstanceOfSatisfying(RateLimitedException.class, r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(36)));
  }

  @Test
  void tooManyInputTokensIsAContextWindowError() {
    ProviderException e = fail(400, """
        {"error": {"code": 400, "message": "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).",
          "status": "INVALID_ARGUMENT"}}""");

    assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    assertThat(e.retryable()).isFalse();
    assertThat(e.statusCode()).hasValue(400);
  }

  @Test
  void permissionDeniedIsAnAuthenticationError() {
    ProviderException e = fail(403, """
        {"error": {"code": 403, "message": "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
          "status": "PERMISSION_DENIED"}}""");

    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void unauthenticatedIsAnAuthenticationError() {
    ProviderException e = fail(401, """
        {"error": {"code": 401, "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
          "status": "UNAUTHENTICATED"}}""");

    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.statusCode()).hasValue(401);
  }

  static final String INVALID_KEY = """
      {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT",
        "details": [
          {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com",
           "metadata": {"service": "generativelanguage.googleapis.com"}},
          {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": "API key not valid. Please pass a valid API key."}]}}""";

  @Test
  void anInvalidKeyFailsFast() {
    ProviderException e = fail(400, INVALID_KEY);

    assertThat(e.retryable()).isFalse();
    assertThat(e.statusCode()).hasValue(400);
  }

  /** Gemini answers a wrong key with 400 INVALID_ARGUMENT and ErrorInfo reason API_KEY_INVALID; see the report. */
  @Test
  void anInvalidKeyIsAnAuthenticationError() {
    assertThat(fail(400, INVALID_KEY)).isInstanceOf(AuthenticationException.class);
  }

  @Test
  void unavailableIsRetryable() {
    ProviderException e = fail(503, """
        {"error": {"code": 503, "message": "The model is overloaded. Please try again later.", "status": "UNAVAILABLE"}}""");

    assertThat(e.retryable()).isTrue();
    assertThat(e.statusCode()).hasValue(503);
  }

  @Test
  void internalIsRetryable() {
    ProviderException e = fail(500, """
        {"error": {"code": 500, "message": "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
          "status": "INTERNAL"}}""");

    assertThat(e.retryable()).isTrue();
    assertThat(e.statusCode()).hasValue(500);
  }

  @Test
  void deadlineExceededIsAProviderTimeout() {
    ProviderException e = fail(504, """
        {"error": {"code": 504, "message": "The request timed out. Please try again.", "status": "DEADLINE_EXCEEDED"}}""");

    assertThat(e).isInstanceOf(ProviderTimeoutException.class);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void anUnknownModelFailsFast() {
    ProviderException e = fail(404, """
        {"error": {"code": 404, "message": "models/gemini-0.9-nano is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.",
          "status": "NOT_FOUND"}}""");

    assertThat(e.retryable()).isFalse();
    assertThat(e.statusCode()).hasValue(404);
    assertThat(e).isNotInstanceOf(ContentFilteredException.class);
  }

  @Test
  void anInvalidArgumentFailsFast() {
    ProviderException e = fail(400, """
        {"error": {"code": 400, "message": "* GenerateContentRequest.generation_config.stop_sequences: the number of stop sequences must not exceed 5\\n",
          "status": "INVALID_ARGUMENT"}}""");

    assertThat(e).isExactlyInstanceOf(ProviderException.class);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void theKeyTravelsOnlyInTheHeaderAndNeverAppearsInUrlToStringOrMessages() throws Exception {
    server.enqueue(error(400, """
        {"error": {"code": 400, "message": "API key not valid: '%s'. Please pass a valid API key.", "status": "INVALID_ARGUMENT"}}"""
        .formatted(KEY)));

    assertThatThrownBy(() -> gemini.chat(ChatRequest.of("gemini-2.0-flash", "Hello"), CallContext.empty()))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.getMessage()).doesNotContain(KEY).contains("[REDACTED]");
          assertThat(String.valueOf(e)).doesNotContain(KEY);
        });

    RecordedRequest request = take(server);
    assertThat(request.getHeaders().get("x-goog-api-key")).isEqualTo(KEY);
    assertThat(request.getUrl().toString()).doesNotContain(KEY).doesNotContain("key=");
    assertThat(request.getHeaders().get("Authorization")).isNull();
    assertThat(gemini.toString()).doesNotContain(KEY).contains("gemini");
  }

  @Test
  void aBodyThatIsNotJsonIsARetryableMalformedResponse() {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html").body("<html>proxy</html>").build());

    assertThatThrownBy(() -> gemini.chat(ChatRequest.of("gemini-2.0-flash", "Hello"), CallContext.empty()))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue());
  }

  @Test
  void aCancellationTokenEndsAnInFlightRequestWithItsReason() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        release.await(10, TimeUnit.SECONDS);
        return GeminiFixtures.ok(textAnswer("too late", "STOP"));
      }
    });
    CancellationToken token = CancellationToken.create();
    CallCancelledException reason = new CallCancelledException("the user left the page");
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(
          () -> gemini.chat(ChatRequest.of("gemini-2.0-flash", "Hello"), CallContext.builder().cancellation(token).build()),
          executor);
      take(server); // the request is in flight
      token.cancel(reason);

      assertThatThrownBy(call::join).isInstanceOf(CompletionException.class).cause().isSameAs(reason);
    } finally {
      release.countDown();
      executor.shutdownNow();
    }
  }

  @Test
  void anAlreadyCancelledTokenSendsNothingUseful() {
    CancellationToken token = CancellationToken.create();
    CallCancelledException reason = new CallCancelledException("cancelled before it started");
    token.cancel(reason);

    assertThatThrownBy(() -> gemini.chat(ChatRequest.of("gemini-2.0-flash", "Hello"), CallContext.builder().cancellation(token).build()))
        .isSameAs(reason);
  }
}
