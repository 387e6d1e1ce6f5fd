package dev.aigw.providers.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The error envelopes of OpenAI ({@code {"error":{"message","type","code"}}}), Anthropic
 * ({@code {"type":"error","error":{"type","message"}}}) and Gemini ({@code
 * {"error":{"code","message","status","details"}}}) in one lenient shape.
 *
 * @param error the nested error object
 * @param message a top-level message, as some OpenAI-compatible servers send
 */
public record ErrorBody(@Nullable Detail error, @Nullable String message) {

  /**
   * @param message what went wrong
   * @param type OpenAI's or Anthropic's error type
   * @param code OpenAI's error code (text) or Gemini's status code (number)
   * @param status Gemini's status name, such as {@code RESOURCE_EXHAUSTED}
   * @param details Gemini's details, which carry the retry delay
   */
  public record Detail(
      @Nullable String message, @Nullable String type, @Nullable Object code, @Nullable String status,
      @Nullable List<Map<String, Object>> details) {}

  /** The most specific message present, or an empty string. */
  public String text() {
    if (error != null && error.message() != null) {
      return error.message();
    }
    return message != null ? message : "";
  }

  /** The type, code and status words joined, lower-case, for matching. */
  public String kinds() {
    if (error == null) {
      return "";
    }
    return (String.valueOf(error.type()) + " " + error.code() + " " + error.status()).toLowerCase(java.util.Locale.ROOT);
  }
}
