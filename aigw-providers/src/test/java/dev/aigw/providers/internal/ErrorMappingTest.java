package dev.aigw.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.AuthenticationException;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.QuotaExhaustedException;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.api.RateLimitedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorMappingTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Headers NO_HEADERS = Headers.of();

  private static ErrorBody parse(String json) {
    try {
      return Json.read(json, ErrorBody.class);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ProviderException respond(String provider, int status, String json) {
    return respond(provider, status, NO_HEADERS, json, null);
  }

  private static ProviderException respond(String provider, int status, Headers headers, String json, @Nullable String secret) {
    ErrorBody body;
    try {
      body = Json.read(json, ErrorBody.class);
    } catch (IOException notJson) {
      body = null;
    }
    return ErrorMapping.fromResponse(provider, status, headers, body, json, secret, NOW);
  }

  @Nested
  class StatusCodes {
    @ParameterizedTest(name = "{0} -> {1}, retryable={2}")
    @CsvSource({
        "400, ProviderException, false",
        "401, AuthenticationException, false",
        "403, AuthenticationException, false",
        "404, ProviderException, false",
        "408, ProviderTimeoutException, true",
        "409, ProviderException, true",
        "413, ProviderException, false",
        "422, ProviderException, false",
        "429, RateLimitedException, true",
        "500, ProviderException, true",
        "502, ProviderException, true",
        "503, ProviderException, true",
        "504, ProviderTimeoutException, true",
        "529, ProviderException, true",
    })
    void mapToClassAndRetryability(int status, String type, boolean retryable) {
      ProviderException e = respond("openai", status, "{\"error\":{\"message\":\"something went wrong\",\"type\":\"x\"}}");
      assertThat(e.getClass().getSimpleName()).isEqualTo(type);
      assertThat(e.retryable()).isEqualTo(retryable);
      assertThat(e.provider()).isEqualTo("openai");
      assertThat(e.getMessage()).contains("something went wrong").contains("openai");
      if (!(e instanceof ProviderTimeoutException)) {
        assertThat(e.statusCode()).hasValue(status);
      }
    }

    /** Gemini answers a bad key with 400 INVALID_ARGUMENT and an ErrorInfo reason API_KEY_INVALID. */
    @Test
    void geminiInvalidKeyIsAnAuthenticationErrorDespiteItsStatus400() {
      ProviderException e = respond("gemini", 400, """
          {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
           "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com",
                       "metadata":{"service":"generativelanguage.googleapis.com"}}]}}""");
      assertThat(e).isInstanceOf(AuthenticationException.class);
      assertThat(e.retryable()).isFalse();
      assertThat(e.statusCode()).hasValue(400);
    }

    @Test
    void aNonJsonBodyIsUsedAsTheMessage() {
      ProviderException e = respond("vllm", 502, NO_HEADERS, "<html>Bad Gateway</html>", null);
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("<html>Bad Gateway</html>");
    }

    @Test
    void aTopLevelMessageIsUsedWhenThereIsNoErrorObject() {
      // vLLM's and some OpenAI-compatible servers' older shape.
      ProviderException e = respond("vllm", 400,
          "{\"object\":\"error\",\"message\":\"The model `x` does not exist.\",\"type\":\"NotFoundError\",\"code\":404}");
      assertThat(e.getMessage()).contains("The model `x` does not exist.");
    }

    @Test
    void rateLimitCarriesTheDelayFromTheHeaders() {
      ProviderException e = respond("openai", 429, Headers.of("retry-after-ms", "1200", "retry-after", "2"),
          "{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}", null);
      assertThat(e).isInstanceOfSatisfying(RateLimitedException.class,
          r -> assertThat(r.retryAfter()).hasValue(Duration.ofMillis(1200)));
    }

    @Test
    void rateLimitCarriesTheDelayFromGeminiRetryInfo() {
      ProviderException e = respond("gemini", 429, """
          {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
           "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}""");
      assertThat(e).isInstanceOfSatisfying(RateLimitedException.class,
          r -> assertThat(r.retryAfter()).hasValue(Duration.ofSeconds(37)));
    }

    @Test
    void headersWinOverGeminiRetryInfo() {
      ProviderException e = respond("gemini", 429, Headers.of("retry-after", "5"),
          "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"slow down\","
              + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"37s\"}]}}", null);
      assertThat(((RateLimitedException) e).retryAfter()).hasValue(Duration.ofSeconds(5));
    }

    @Test
    void anOverloadedAnswerCarriesItsRetryDelayToo() {
      ProviderException e = respond("anthropic", 529, Headers.of("retry-after", "7"),
          "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", null);
      assertThat(e.retryable()).isTrue();
      assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
    }

    @Test
    void rateLimitWithoutAnyDelay() {
      ProviderException e = respond("anthropic", 429,
          "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}");
      assertThat(e).isInstanceOfSatisfying(RateLimitedException.class, r -> assertThat(r.retryAfter()).isEmpty());
    }
  }

  @Nested
  class ContextWindow {
    @Test
    void openAi() {
      ProviderException e = respond("openai", 400, """
          {"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.",
           "type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""");
      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
      assertThat(e.retryable()).isFalse();
      assertThat(e.statusCode()).hasValue(400);
    }

    @Test
    void openAiByCodeAlone() {
      assertThat(respond("openai", 400, "{\"error\":{\"message\":\"Input too large.\",\"code\":\"context_length_exceeded\"}}"))
          .isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void anthropic() {
      ProviderException e = respond("anthropic", 400,
          "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}");
      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
      assertThat(e.retryable()).isFalse();
    }

    /** Anthropic's other context error: the prompt fits, but prompt plus max_tokens does not. */
    @Test
    void anthropicInputPlusMaxTokensOverTheContextLimit() {
      ProviderException e = respond("anthropic", 400, """
          {"type":"error","error":{"type":"invalid_request_error",
           "message":"input length and `max_tokens` exceed context limit: 178959 + 64000 > 200000, decrease input length or `max_tokens` and try again"}}""");
      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void gemini() {
      ProviderException e = respond("gemini", 400,
          "{\"error\":{\"code\":400,\"message\":\"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).\",\"status\":\"INVALID_ARGUMENT\"}}");
      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void vllm() {
      ProviderException e = respond("vllm", 400, """
          {"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
           "type":"BadRequestError","param":null,"code":400}""");
      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void vllmNewerEnvelope() {
      ProviderException e = respond("vllm", 400,
          "{\"error\":{\"message\":\"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}");
      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void onlyForClientErrorStatuses() {
      // The same words in a 500 are a server failure, retryable.
      ProviderException e = respond("openai", 500, "{\"error\":{\"message\":\"maximum context length lookup failed\"}}");
      assertThat(e).isNotInstanceOf(ContextWindowExceededException.class);
      assertThat(e.retryable()).isTrue();
    }

    @Test
    void anOrdinaryBadRequestIsNotAContextWindowError() {
      ProviderException e = respond("openai", 400,
          "{\"error\":{\"message\":\"Invalid value for 'temperature': expected a number.\",\"type\":\"invalid_request_error\",\"param\":\"temperature\"}}");
      assertThat(e).isExactlyInstanceOf(ProviderException.class);
      assertThat(e.retryable()).isFalse();
    }
  }

  @Nested
  class Quota {
    @Test
    void openAiInsufficientQuotaIsNotRetryable() {
      ProviderException e = respond("openai", 429, Headers.of("retry-after", "1"), """
          {"error":{"message":"You exceeded your current quota, please check your plan and billing details.",
           "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""", null);
      assertThat(e).isExactlyInstanceOf(QuotaExhaustedException.class);
      assertThat(e.retryable()).isFalse();
      assertThat(e.statusCode()).hasValue(429);
      assertThat(e.getMessage()).contains("quota");
    }

    @Test
    void insufficientQuotaByCodeAlone() {
      ProviderException e = respond("openai", 429, "{\"error\":{\"message\":\"nope\",\"code\":\"insufficient_quota\"}}");
      assertThat(e).isExactlyInstanceOf(QuotaExhaustedException.class);
      assertThat(e.retryable()).isFalse();
    }

    /**
     * Gemini's per-minute free-tier limit answers 429 RESOURCE_EXHAUSTED with OpenAI's quota
     * wording ("You exceeded your current quota...") and a RetryInfo saying when to retry. It is a
     * rate limit, not an exhausted balance.
     */
    @Test
    void geminiQuotaWordingWithARetryDelayIsARateLimit() {
      ProviderException e = respond("gemini", 429, """
          {"error":{"code":429,
           "message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 10, model: gemini-2.5-flash\\nPlease retry in 37.4s.",
           "status":"RESOURCE_EXHAUSTED",
           "details":[
             {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},
             {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}""");
      assertThat(e).isInstanceOfSatisfying(RateLimitedException.class,
          r -> assertThat(r.retryAfter()).hasValue(Duration.ofSeconds(37)));
    }
  }

  @Nested
  class ContentFilter {
    @Test
    void azureContentFilterCode() {
      ProviderException e = respond("azure-openai", 400, """
          {"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
           "type":null,"param":"prompt","code":"content_filter","status":400}}""");
      assertThat(e).isInstanceOf(ContentFilteredException.class);
      assertThat(e.retryable()).isFalse();
    }

    @Test
    void responsibleAiPolicyViolation() {
      assertThat(respond("azure-openai", 400, "{\"error\":{\"message\":\"blocked\",\"code\":\"ResponsibleAIPolicyViolation\"}}"))
          .isInstanceOf(ContentFilteredException.class);
    }

    @Test
    void contentPolicyViolation() {
      assertThat(respond("openai", 400,
          "{\"error\":{\"message\":\"Your request was rejected as a result of our safety system.\",\"type\":\"invalid_request_error\",\"code\":\"content_policy_violation\"}}"))
          .isInstanceOf(ContentFilteredException.class);
    }

    @Test
    void contentFilterWordingWithoutACode() {
      assertThat(respond("openai", 400, "{\"error\":{\"message\":\"Blocked by the content filter.\"}}"))
          .isInstanceOf(ContentFilteredException.class);
    }
  }

  @Nested
  class StreamErrors {
    @Test
    void anthropicOverloadedIs529AndRetryable() {
      ProviderException e = ErrorMapping.fromStreamError("anthropic",
          parse("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"), null);
      assertThat(e).isExactlyInstanceOf(ProviderException.class);
      assertThat(e.statusCode()).hasValue(529);
      assertThat(e.retryable()).isTrue();
    }

    @Test
    void anthropicRateLimitIsRateLimited() {
      ProviderException e = ErrorMapping.fromStreamError("anthropic",
          parse("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Rate limited\"}}"), null);
      assertThat(e).isInstanceOf(RateLimitedException.class);
      assertThat(e.retryable()).isTrue();
    }

    @Test
    void anthropicApiErrorIsA500() {
      ProviderException e = ErrorMapping.fromStreamError("anthropic",
          parse("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}"), null);
      assertThat(e.statusCode()).hasValue(500);
      assertThat(e.retryable()).isTrue();
    }

    @Test
    void anthropicInvalidRequestWithTooLongPromptIsAContextWindowError() {
      ProviderException e = ErrorMapping.fromStreamError("anthropic",
          parse("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}"),
          null);
      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void geminiResourceExhaustedWithRetryDelay() {
      ProviderException e = ErrorMapping.fromStreamError("gemini", parse("""
          {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
           "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"12s"}]}}"""), null);
      assertThat(e).isInstanceOfSatisfying(RateLimitedException.class,
          r -> assertThat(r.retryAfter()).hasValue(Duration.ofSeconds(12)));
    }

    @Test
    void geminiResourceExhaustedWithoutANumericCode() {
      ProviderException e = ErrorMapping.fromStreamError("gemini",
          parse("{\"error\":{\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}"), null);
      assertThat(e).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void geminiUnavailableIsRetryable() {
      ProviderException e = ErrorMapping.fromStreamError("gemini",
          parse("{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}"), null);
      assertThat(e.statusCode()).hasValue(503);
      assertThat(e.retryable()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "authentication_error, 401",
        "permission_error, 403",
        "not_found_error, 404",
        "invalid_request_error, 400",
        "request_too_large, 413",
        "billing_error, 402",
        "unknown_thing, 500",
    })
    void anthropicTypesMapToStatuses(String type, int status) {
      ProviderException e = ErrorMapping.fromStreamError("anthropic",
          parse("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"m\"}}"), null);
      assertThat(e.statusCode()).hasValue(status);
    }

    @ParameterizedTest
    @CsvSource({
        "UNAUTHENTICATED, 401",
        "PERMISSION_DENIED, 403",
        "NOT_FOUND, 404",
        "INVALID_ARGUMENT, 400",
        "FAILED_PRECONDITION, 400",
        "UNAVAILABLE, 503",
        "DEADLINE_EXCEEDED, 504",
        "INTERNAL, 500",
    })
    void geminiStatusesMapToStatusesWithoutANumericCode(String status, int expected) {
      ProviderException e = ErrorMapping.fromStreamError("gemini",
          parse("{\"error\":{\"message\":\"m\",\"status\":\"" + status + "\"}}"), null);
      if (expected == 504) {
        assertThat(e).isInstanceOf(ProviderTimeoutException.class);
      } else {
        assertThat(e.statusCode()).hasValue(expected);
      }
    }

    @Test
    void streamErrorMessagesAreRedacted() {
      ProviderException e = ErrorMapping.fromStreamError("anthropic",
          parse("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"bad key sk-ant-api03-abcdefghijklmnop\"}}"), null);
      assertThat(e.getMessage()).doesNotContain("sk-ant-api03-abcdefghijklmnop").contains("[REDACTED]");
    }
  }

  @Nested
  class Redaction {
    @Test
    void removesTheGivenSecretEverywhere() {
      String secret = "my-custom-proxy-token-123";
      ProviderException e = respond("openai", 401, NO_HEADERS,
          "{\"error\":{\"message\":\"Token my-custom-proxy-token-123 rejected (my-custom-proxy-token-123)\"}}", secret);
      assertThat(e).isInstanceOf(AuthenticationException.class);
      assertThat(e.getMessage()).doesNotContain(secret).contains("[REDACTED]");
    }

    @Test
    void removesTheSecretFromANonJsonBody() {
      String secret = "zzz-secret-value";
      ProviderException e = respond("proxy", 502, NO_HEADERS, "upstream said: key=zzz-secret-value", secret);
      assertThat(e.getMessage()).doesNotContain(secret);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwxyz012345. You can find your API key at ... | sk-proj-abcdefghijklmnopqrstuvwxyz012345",
        "Incorrect API key provided: sk-proj-********************************************abcd. | sk-proj-********************************************abcd",
        "invalid x-api-key sk-ant-api03-AbCdEf_gh-IjKlMnOp | sk-ant-api03-AbCdEf_gh-IjKlMnOp",
        "key AIzaSyA1234567890abcdefghijklmnopqrstuv is invalid | AIzaSyA1234567890abcdefghijklmnopqrstuv",
        "header was Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc_def-ghi | eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc_def-ghi",
    })
    void removesKeyShapedStrings(String text, String key) {
      String redacted = ErrorMapping.redact(text, null);
      assertThat(redacted).doesNotContain(key).contains("[REDACTED]");
    }

    @Test
    void leavesOrdinaryTextAlone() {
      String text = "The model `gpt-4o` does not exist or you do not have access to it. Bearer tokens expire.";
      assertThat(ErrorMapping.redact(text, null)).isEqualTo(text);
    }

    @Test
    void leavesWordsThatMerelyContainSkDashAlone() {
      // "task-specific", "risk-based", "disk-backed": the key pattern must start at a word boundary.
      String text = "This task-specific fine-tune uses a risk-based, disk-backed cache.";
      assertThat(ErrorMapping.redact(text, null)).isEqualTo(text);
    }

    @Test
    void ignoresSecretsTooShortToRedactSafely() {
      assertThat(ErrorMapping.redact("a b c", "a")).isEqualTo("a b c");
    }

    @Test
    void truncatesMessagesOver2000Characters() {
      String longMessage = "x".repeat(5000);
      String redacted = ErrorMapping.redact(longMessage, null);
      assertThat(redacted).hasSize(2001).startsWith("x".repeat(2000)).endsWith("…");
      ProviderException e = respond("openai", 400, "{\"error\":{\"message\":\"" + longMessage + "\"}}");
      assertThat(e.getMessage().length()).isLessThan(2100);
    }

    @Test
    void doesNotTruncateAt2000() {
      assertThat(ErrorMapping.redact("y".repeat(2000), null)).hasSize(2000);
    }

    @Test
    void redactsBeforeTruncating() {
      // A key straddling the cut must not leave a readable prefix of itself.
      String key = "sk-proj-abcdefghijklmnopqrstuvwxyz";
      String text = "x".repeat(1989) + " " + key;
      assertThat(ErrorMapping.redact(text, null)).doesNotContain("sk-proj-ab");
    }
  }

  @Nested
  class TransportFailures {
    @Test
    void socketTimeoutIsAProviderTimeout() {
      assertThat(ErrorMapping.fromIo("openai", new SocketTimeoutException("timeout")))
          .isInstanceOf(ProviderTimeoutException.class)
          .satisfies(e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void okHttpCallTimeoutIsAProviderTimeout() {
      assertThat(ErrorMapping.fromIo("openai", new InterruptedIOException("timeout"))).isInstanceOf(ProviderTimeoutException.class);
    }

    @Test
    void otherFailuresAreRetryable() {
      ProviderException e = ErrorMapping.fromIo("openai", new ConnectException("Connection refused"));
      assertThat(e).isExactlyInstanceOf(ProviderException.class);
      assertThat(e.retryable()).isTrue();
      assertThat(e.statusCode()).isEmpty();
      assertThat(e.getCause()).isInstanceOf(ConnectException.class);
    }

    @Test
    void malformedIsRetryable() {
      ProviderException e = ErrorMapping.malformed("openai", 200, "not JSON", null);
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("malformed");
    }
  }
}
