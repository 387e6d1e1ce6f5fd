package dev.aigw.providers.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The delay a provider asks for before a retry, from the first of: {@code retry-after-ms},
 * {@code retry-after} (seconds or an HTTP date), OpenAI's {@code x-ratelimit-reset-requests} /
 * {@code x-ratelimit-reset-tokens} ({@code 1s}, {@code 6m0s}, {@code 20ms}), Anthropic's {@code
 * anthropic-ratelimit-*-reset} (RFC 3339 instants), and Gemini's {@code RetryInfo.retryDelay}.
 */
public final class RetryAfter {
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
  private static final List<String> RESET_DURATIONS = List.of("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens");
  private static final List<String> RESET_INSTANTS = List.of(
      "anthropic-ratelimit-requests-reset", "anthropic-ratelimit-tokens-reset",
      "anthropic-ratelimit-input-tokens-reset", "anthropic-ratelimit-output-tokens-reset");

  private RetryAfter() {}

  /** The delay from the headers, or null when none says. */
  public static @Nullable Duration fromHeaders(Headers headers, Instant now) {
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        return nonNegative(Duration.ofNanos((long) (Double.parseDouble(ms.trim()) * 1_000_000)));
      } catch (NumberFormatException ignored) {
        // fall through to the next header
      }
    }
    String after = headers.get("retry-after");
    if (after != null) {
      Duration d = parseRetryAfter(after.trim(), now);
      if (d != null) {
        return d;
      }
    }
    Duration longest = null;
    for (String name : RESET_DURATIONS) {
      Duration d = parseGoDuration(headers.get(name));
      if (d != null && (longest == null || d.compareTo(longest) > 0)) {
        longest = d;
      }
    }
    for (String name : RESET_INSTANTS) {
      String value = headers.get(name);
      if (value != null) {
        try {
          Duration d = nonNegative(Duration.between(now, Instant.parse(value.trim())));
          if (longest == null || d.compareTo(longest) > 0) {
            longest = d;
          }
        } catch (DateTimeParseException ignored) {
          // an unreadable reset header says nothing
        }
      }
    }
    return longest;
  }

  /** Gemini's {@code RetryInfo.retryDelay} ("37s", "1.5s"), or null. */
  public static @Nullable Duration fromGeminiDetails(ErrorBody body) {
    if (body.error() == null || body.error().details() == null) {
      return null;
    }
    for (Map<String, Object> detail : body.error().details()) {
      String delay = detail == null ? null : retryDelayOf(detail);
      if (delay != null) {
        return parseGoDuration(delay);
      }
    }
    return null;
  }

  /** The {@code retryDelay} of a Gemini {@code RetryInfo} detail, or null for other details. */
  private static @Nullable String retryDelayOf(Map<String, Object> detail) {
    Object type = detail.get("@type");
    if (type != null && type.toString().endsWith("RetryInfo") && detail.get("retryDelay") != null) {
      return detail.get("retryDelay").toString();
    }
    return null;
  }

  private static @Nullable Duration parseRetryAfter(String value, Instant now) {
    try {
      return nonNegative(Duration.ofMillis((long) (Double.parseDouble(value) * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        return nonNegative(Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  /** Parses Go-style durations such as {@code 1h2m3.5s}, {@code 6m0s} or {@code 20ms}. */
  static @Nullable Duration parseGoDuration(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Matcher m = GO_DURATION.matcher(value.trim());
    long nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      double amount = Double.parseDouble(m.group(1));
      long part = (long) (amount * switch (m.group(2)) {
        case "h" -> 3_600_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "s" -> 1_000_000_000L;
        default -> 1_000_000L;
      });
      // both are at least 0; a sum past Long.MAX_VALUE would wrap to a negative delay
      nanos = part > Long.MAX_VALUE - nanos ? Long.MAX_VALUE : nanos + part;
      end = m.end();
    }
    return end == value.trim().length() && end > 0 ? Duration.ofNanos(nanos) : null;
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
