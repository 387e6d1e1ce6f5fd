package dev.aigw.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigw.api.ProviderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import okhttp3.Headers;

/**
 * Fuzzes what every provider does with an error answer (a status of 400 or more): {@link
 * HttpTransport} reads the body as the shared error envelope, leniently, and {@link
 * ErrorMapping#fromResponse} picks the exception, reading retry delays from the headers and from
 * Gemini's {@code details}. Contract: it returns a {@link ProviderException} for any answer, never
 * throws, and its message never holds the credential.
 *
 * <p>An input is written like an HTTP answer: a status line (a number; anything else reads as
 * 500), header lines {@code name: value}, a blank line, the body.
 */
class ErrorMappingFuzzTest {
  static final String KEY = "fuzz-secret-0123456789abcdef";
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @FuzzTest
  @DictionaryEntries({"[null]", "null", "retry-after: ", "retry-after-ms: ", "x-ratelimit-reset-requests: ", "x-ratelimit-reset-tokens: ",
      "anthropic-ratelimit-tokens-reset: ", "\"error\"", "\"message\"", "\"type\"", "\"code\"", "\"status\"",
      "\"details\"", "\"@type\"", "RetryInfo", "\"retryDelay\"", "99999999999999999999h", "1.5s", "insufficient_quota",
      "context_length_exceeded", "RESOURCE_EXHAUSTED", "Bearer ", "sk-", "AIza", "Wed, 21 Oct 2015 07:28:00 GMT"})
  void errorResponse(byte[] input) {
    String answer = new String(input, StandardCharsets.UTF_8);
    int headerEnd = answer.indexOf("\n\n");
    String head = headerEnd < 0 ? answer : answer.substring(0, headerEnd);
    String raw = headerEnd < 0 ? "" : answer.substring(headerEnd + 2);
    String[] lines = head.split("\n", -1);
    int status = status(lines[0]);
    Headers.Builder headers = new Headers.Builder();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        try {
          headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        } catch (IllegalArgumentException notAHeaderOkHttpWouldReceive) {
          // OkHttp never hands such a header to the transport
        }
      }
    }
    // as HttpTransport.open reads an error answer
    ErrorBody parsed;
    try {
      parsed = Json.read(raw, ErrorBody.class);
    } catch (IOException notJson) {
      parsed = null;
    }
    ProviderException mapped = ErrorMapping.fromResponse("fuzz", status, headers.build(), parsed, raw, KEY, NOW);
    // a timeout (408, 504) is a ProviderTimeoutException, which carries no status
    mapped.statusCode().ifPresent(code -> assertThat(code).isEqualTo(status));
    assertThat(mapped.getMessage()).doesNotContain(KEY);
    mapped.retryAfter().ifPresent(delay -> assertThat(delay.isNegative()).isFalse());
  }

  private static int status(String line) {
    try {
      int status = Integer.parseInt(line.trim());
      return status >= 400 && status <= 599 ? status : 500;
    } catch (NumberFormatException e) {
      return 500;
    }
  }
}
