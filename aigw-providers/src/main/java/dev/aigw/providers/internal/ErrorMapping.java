package dev.aigw.providers.internal;

import dev.aigw.api.AuthenticationException;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.QuotaExhaustedException;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.api.RateLimitedException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Turns a provider's failure into the api's exceptions, once, for every provider: which class,
 * and whether it is retryable. Messages are redacted of credentials.
 */
public final class ErrorMapping {
  private static final List<String> CONTEXT_WINDOW = List.of(
      "context_length_exceeded", "maximum context length", "context window", "context length",
      "prompt is too long", "too many tokens", "exceeds the maximum number of tokens", "input token count",
      "reduce the length of the messages", "tokens exceeds the model", "input is too long", "exceed context limit");
  private static final List<String> CONTENT_FILTER = List.of(
      "content_filter", "content_policy_violation", "responsibleaipolicyviolation", "safety");
  private static final Pattern KEY_LIKE = Pattern.compile(
      "(?<![A-Za-z0-9_-])(sk-[A-Za-z0-9_\\-*]{6,}|AIza[0-9A-Za-z_\\-]{20,})|Bearer\\s+[A-Za-z0-9._\\-]{8,}");

  private ErrorMapping() {}

  /**
   * The exception for an HTTP error answer.
   *
   * @param provider the provider id
   * @param status the HTTP status
   * @param headers the response headers (for retry delays)
   * @param body the error body, or null when it was not JSON
   * @param rawBody the body text (used when it was not JSON), redacted before use
   * @param secret the credential in use, redacted from messages
   * @param now the current time, for reset timestamps
   */
  public static ProviderException fromResponse(
      String provider, int status, Headers headers, @Nullable ErrorBody body, String rawBody,
      @Nullable String secret, Instant now) {
    String message = body != null && !body.text().isEmpty() ? body.text() : rawBody;
    String kinds = body != null ? body.kinds() : "";
    Duration retryAfter = RetryAfter.fromHeaders(headers, now);
    if (retryAfter == null && body != null) {
      retryAfter = RetryAfter.fromGeminiDetails(body);
    }
    return classify(provider, status, kinds, redact(message, secret), retryAfter);
  }

  /**
   * The exception for an error event inside a stream (status 0): the type or status word
   * decides, as it would for the matching HTTP status.
   */
  public static ProviderException fromStreamError(String provider, ErrorBody body, @Nullable String secret) {
    String kinds = body.kinds();
    return classify(provider, statusFromKinds(kinds, body), kinds, redact(body.text(), secret),
        RetryAfter.fromGeminiDetails(body));
  }

  /** A transport failure: timeouts are {@link ProviderTimeoutException}, the rest retryable. */
  public static ProviderException fromIo(String provider, IOException e) {
    String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    if (e instanceof java.net.SocketTimeoutException || e instanceof java.io.InterruptedIOException
        && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")) {
      return new ProviderTimeoutException(provider, "provider '" + provider + "' timed out (" + what + ")", e);
    }
    return new ProviderException(provider, 0, true, "provider '" + provider + "' could not be reached or dropped the connection (" + what + ")", e);
  }

  /**
   * A body that is not what the provider documents. Retryable: proxies and overloaded servers send such bodies.
   * A Jackson {@code cause} is replaced by its class and location (see {@link #withoutContent}).
   */
  public static ProviderException malformed(String provider, int status, String what, @Nullable Throwable cause) {
    return new ProviderException(provider, status, true, "provider '" + provider + "' sent a malformed response: " + what,
        withoutContent(cause));
  }

  /**
   * {@code cause}, or for a Jackson failure an {@link IOException} naming only its class and
   * location, with its stack trace: Jackson's messages (and their causes) quote the text they choke
   * on, an unrecognised token or a string that is not a number, which may be a credential or
   * personal data that a server or proxy echoed.
   */
  static @Nullable Throwable withoutContent(@Nullable Throwable cause) {
    if (!(cause instanceof com.fasterxml.jackson.core.JsonProcessingException json)) {
      return cause;
    }
    com.fasterxml.jackson.core.JsonLocation at = json.getLocation();
    IOException safe = new IOException(json.getClass().getName()
        + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + " (its message quotes the response; left out)");
    safe.setStackTrace(json.getStackTrace());
    return safe;
  }

  private static int statusFromKinds(String kinds, ErrorBody body) {
    if (body.error() != null && body.error().code() instanceof Number n && n.intValue() >= 400) {
      return n.intValue();
    }
    if (has(kinds, "rate_limit", "resource_exhausted")) {
      return 429;
    }
    if (has(kinds, "overloaded")) {
      return 529;
    }
    if (has(kinds, "authentication", "unauthenticated")) {
      return 401;
    }
    if (has(kinds, "permission", "permission_denied")) {
      return 403;
    }
    if (has(kinds, "not_found")) {
      return 404;
    }
    if (has(kinds, "billing")) {
      return 402;
    }
    if (has(kinds, "request_too_large")) {
      return 413;
    }
    if (has(kinds, "invalid_request", "invalid_argument", "request_too_large", "failed_precondition")) {
      return 400;
    }
    if (has(kinds, "unavailable")) {
      return 503;
    }
    if (has(kinds, "deadline_exceeded", "timeout")) {
      return 504;
    }
    return 500;
  }

  private static ProviderException classify(
      String provider, int status, String kinds, String message, @Nullable Duration retryAfter) {
    String text = message.toLowerCase(Locale.ROOT);
    String said = "provider '" + provider + "' answered " + status + ": " + message;
    // OpenAI's exhausted quota does not come back by waiting; Gemini words its per-minute quota
    // the same way but sends a retry delay, so that one is a rate limit.
    if (has(kinds, "insufficient_quota") || has(text, "exceeded your current quota") && retryAfter == null) {
      return new QuotaExhaustedException(provider, status, said + " (quota exhausted; not retryable)");
    }
    if (status == 429) {
      return new RateLimitedException(provider, retryAfter, said);
    }
    if (status == 401 || status == 403 || has(text, "api key not valid")) {
      return new AuthenticationException(provider, status, said);
    }
    if (has(kinds, CONTENT_FILTER.toArray(String[]::new)) || has(text, "content management policy", "content filter")) {
      return new ContentFilteredException(provider, status, said);
    }
    if ((status == 400 || status == 413 || status == 422) && (has(kinds, CONTEXT_WINDOW.toArray(String[]::new))
        || has(text, CONTEXT_WINDOW.toArray(String[]::new)))) {
      return new ContextWindowExceededException(provider, status, said);
    }
    if (status == 408 || status == 504) {
      return new ProviderTimeoutException(provider, said, null);
    }
    boolean retryable = status == 409 || status >= 500;
    // a 503 or 529 (overloaded) may say when to come back; the router waits that long before a retry
    return new ProviderException(provider, status, retryable, retryable ? retryAfter : null, said, null);
  }

  private static boolean has(String haystack, String... needles) {
    for (String needle : needles) {
      if (haystack.contains(needle)) {
        return true;
      }
    }
    return false;
  }

  /** {@code text} without {@code secret} and without anything shaped like an API key or bearer token. */
  public static String redact(String text, @Nullable String secret) {
    String out = text;
    if (secret != null && secret.length() >= 4) {
      out = out.replace(secret, "[REDACTED]");
    }
    out = KEY_LIKE.matcher(out).replaceAll("[REDACTED]");
    return out.length() > 2000 ? out.substring(0, 2000) + "…" : out;
  }
}
