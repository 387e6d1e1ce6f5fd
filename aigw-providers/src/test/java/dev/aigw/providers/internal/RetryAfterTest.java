package dev.aigw.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
  /** Wed, 21 Oct 2015 07:28:00 GMT. */
  static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

  private static Duration from(String... namesAndValues) {
    return RetryAfter.fromHeaders(Headers.of(namesAndValues), NOW);
  }

  @Test
  void noHeadersSayNothing() {
    assertThat(from()).isNull();
    assertThat(from("content-type", "application/json", "x-ratelimit-remaining-requests", "0")).isNull();
  }

  @Nested
  class RetryAfterMs {
    @Test
    void wholeMilliseconds() {
      assertThat(from("retry-after-ms", "1500")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void fractionalMilliseconds() {
      assertThat(from("retry-after-ms", "20.5")).isEqualTo(Duration.ofNanos(20_500_000));
      assertThat(from("retry-after-ms", " 0.25 ")).isEqualTo(Duration.ofNanos(250_000));
    }

    @Test
    void negativeIsZero() {
      assertThat(from("retry-after-ms", "-5")).isEqualTo(Duration.ZERO);
    }

    @Test
    void malformedFallsThroughToTheNextHeader() {
      assertThat(from("retry-after-ms", "soon", "retry-after", "3")).isEqualTo(Duration.ofSeconds(3));
      assertThat(from("retry-after-ms", "soon")).isNull();
    }
  }

  @Nested
  class RetryAfterHeader {
    @Test
    void seconds() {
      assertThat(from("retry-after", "120")).isEqualTo(Duration.ofSeconds(120));
      assertThat(from("retry-after", "0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void fractionalSeconds() {
      assertThat(from("retry-after", "1.5")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void httpDateRelativeToNow() {
      assertThat(from("retry-after", "Wed, 21 Oct 2015 07:28:30 GMT")).isEqualTo(Duration.ofSeconds(30));
      assertThat(from("retry-after", "Wed, 21 Oct 2015 08:28:00 GMT")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void httpDateInThePastIsZero() {
      assertThat(from("retry-after", "Wed, 21 Oct 2015 07:00:00 GMT")).isEqualTo(Duration.ZERO);
    }

    @Test
    void malformedFallsThroughToTheResetHeaders() {
      assertThat(from("retry-after", "whenever", "x-ratelimit-reset-requests", "2s")).isEqualTo(Duration.ofSeconds(2));
      assertThat(from("retry-after", "whenever")).isNull();
    }
  }

  @Nested
  class OpenAiResetDurations {
    @ParameterizedTest
    @CsvSource({
        "1s, PT1S",
        "6m0s, PT6M",
        "20ms, PT0.02S",
        "1h2m3.5s, PT1H2M3.5S",
        "0.5s, PT0.5S",
        "17ms, PT0.017S",
        "2m, PT2M",
        "0s, PT0S",
    })
    void goDurations(String value, Duration expected) {
      assertThat(RetryAfter.parseGoDuration(value)).isEqualTo(expected);
      assertThat(from("x-ratelimit-reset-requests", value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "soon", "5", "5x", "-1s", "1s garbage", "garbage 1s", "1.s", ".5s", "s", "1h 2m", "500us"})
    void malformedDurationsAreIgnored(String value) {
      assertThat(RetryAfter.parseGoDuration(value)).isNull();
      assertThat(from("x-ratelimit-reset-tokens", value)).isNull();
    }

    @Test
    void theLongerOfRequestsAndTokensWins() {
      assertThat(from("x-ratelimit-reset-requests", "1s", "x-ratelimit-reset-tokens", "6m0s")).isEqualTo(Duration.ofMinutes(6));
      assertThat(from("x-ratelimit-reset-requests", "6m0s", "x-ratelimit-reset-tokens", "1s")).isEqualTo(Duration.ofMinutes(6));
    }

    @Test
    void aMalformedOneDoesNotHideTheOther() {
      assertThat(from("x-ratelimit-reset-requests", "bogus", "x-ratelimit-reset-tokens", "20ms")).isEqualTo(Duration.ofMillis(20));
    }
  }

  @Nested
  class AnthropicResetInstants {
    @Test
    void rfc3339InstantRelativeToNow() {
      assertThat(from("anthropic-ratelimit-requests-reset", "2015-10-21T07:28:45Z")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void rfc3339InstantWithAnOffset() {
      assertThat(from("anthropic-ratelimit-tokens-reset", "2015-10-21T09:29:00+02:00")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theLongestOfAllResetHeadersWins() {
      assertThat(from(
          "anthropic-ratelimit-requests-reset", "2015-10-21T07:28:05Z",
          "anthropic-ratelimit-tokens-reset", "2015-10-21T07:28:50Z",
          "anthropic-ratelimit-input-tokens-reset", "2015-10-21T07:28:20Z",
          "anthropic-ratelimit-output-tokens-reset", "2015-10-21T07:28:10Z"))
          .isEqualTo(Duration.ofSeconds(50));
    }

    @Test
    void aResetInThePastIsZero() {
      assertThat(from("anthropic-ratelimit-requests-reset", "2015-10-21T07:00:00Z")).isEqualTo(Duration.ZERO);
    }

    @Test
    void aPastResetDoesNotBeatAFutureOne() {
      assertThat(from("anthropic-ratelimit-requests-reset", "2015-10-21T07:00:00Z",
          "anthropic-ratelimit-tokens-reset", "2015-10-21T07:28:03Z")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void malformedInstantsAreIgnored() {
      assertThat(from("anthropic-ratelimit-requests-reset", "tomorrow")).isNull();
      assertThat(from("anthropic-ratelimit-requests-reset", "tomorrow",
          "anthropic-ratelimit-output-tokens-reset", "2015-10-21T07:28:07Z")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void competesWithOpenAiStyleDurations() {
      assertThat(from("x-ratelimit-reset-tokens", "10s", "anthropic-ratelimit-tokens-reset", "2015-10-21T07:28:04Z"))
          .isEqualTo(Duration.ofSeconds(10));
    }
  }

  @Nested
  class GeminiRetryInfo {
    private ErrorBody body(String json) throws IOException {
      return Json.read(json, ErrorBody.class);
    }

    @Test
    void readsTheRetryDelayDetail() throws IOException {
      ErrorBody body = body("""
          {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
           "details":[
             {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"m","quotaId":"q"}]},
             {"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"d","url":"https://ai.google.dev"}]},
             {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}""");
      assertThat(RetryAfter.fromGeminiDetails(body)).isEqualTo(Duration.ofSeconds(37));
    }

    @Test
    void fractionalDelay() throws IOException {
      assertThat(RetryAfter.fromGeminiDetails(body(
          "{\"error\":{\"code\":429,\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"1.5s\"}]}}")))
          .isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void noDetailsNoRetryInfoOrNoErrorSayNothing() throws IOException {
      assertThat(RetryAfter.fromGeminiDetails(body("{\"error\":{\"code\":429}}"))).isNull();
      assertThat(RetryAfter.fromGeminiDetails(body(
          "{\"error\":{\"code\":429,\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"X\"}]}}"))).isNull();
      assertThat(RetryAfter.fromGeminiDetails(body("{\"message\":\"plain\"}"))).isNull();
    }

    @Test
    void aMalformedDelayIsIgnored() throws IOException {
      assertThat(RetryAfter.fromGeminiDetails(body(
          "{\"error\":{\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"later\"}]}}"))).isNull();
    }
  }

  @Nested
  class Precedence {
    @Test
    void retryAfterMsBeatsEverythingElse() {
      assertThat(from(
          "retry-after-ms", "250",
          "retry-after", "30",
          "x-ratelimit-reset-requests", "6m0s",
          "anthropic-ratelimit-tokens-reset", "2015-10-21T08:00:00Z"))
          .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void retryAfterBeatsTheResetHeadersEvenWhenShorter() {
      assertThat(from("retry-after", "2", "x-ratelimit-reset-tokens", "6m0s",
          "anthropic-ratelimit-tokens-reset", "2015-10-21T08:00:00Z"))
          .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void resetHeadersAreUsedOnlyWithoutRetryAfter() {
      assertThat(from("x-ratelimit-reset-tokens", "6m0s", "anthropic-ratelimit-tokens-reset", "2015-10-21T07:38:00Z"))
          .isEqualTo(Duration.ofMinutes(10));
    }
  }
}
