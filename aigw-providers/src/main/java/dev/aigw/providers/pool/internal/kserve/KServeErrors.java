package dev.aigw.providers.pool.internal.kserve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigw.api.ProviderException;
import dev.aigw.providers.internal.ErrorBody;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.internal.HttpTransport;
import dev.aigw.providers.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Maps KServe v2 and Triton failures to the api's exceptions through {@link ErrorMapping}. Both
 * answer an HTTP error with {@code {"error": "message"}}; Triton also reports the failure of a
 * streamed request as a message alone (an SSE event with an {@code error} field, a gRPC stream
 * message with {@code error_message}), which is classified here by its words.
 */
public final class KServeErrors {
  private KServeErrors() {}

  /** The exception for an HTTP answer with an error status. */
  public static ProviderException fromHttp(String provider, HttpTransport.Answer answer, @Nullable String secret) {
    String raw = new String(answer.body(), StandardCharsets.UTF_8);
    String message = errorText(raw);
    return ErrorMapping.fromResponse(provider, answer.status(), answer.headers(),
        new ErrorBody(null, message == null ? raw : message), raw, secret, Instant.now());
  }

  /** The {@code error} of a JSON error body, or null when the body is not one. */
  static @Nullable String errorText(String body) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      JsonNode error = node == null ? null : node.get("error");
      if (error == null || error.isNull()) {
        return null;
      }
      if (error.isTextual()) {
        return error.asText();
      }
      JsonNode message = error.get("message");
      return message != null && message.isTextual() ? message.asText() : error.toString();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The exception for an error reported inside a stream, after the status was sent: classified by
   * its words as the matching status would be (an unknown model is not retryable, nor is an
   * invalid input or a prompt longer than the context window; a full queue is a rate limit; the
   * rest, failures of the server or its backend, are retryable).
   */
  public static ProviderException fromStreamMessage(String provider, String message, @Nullable String secret) {
    return ErrorMapping.fromStreamError(provider,
        new ErrorBody(new ErrorBody.Detail(message, kind(message), null, null, null), null), secret);
  }

  /** The error kind {@link ErrorMapping} understands, guessed from a message. */
  static String kind(String message) {
    String text = message.toLowerCase(Locale.ROOT);
    if (text.contains("queue") && (text.contains("exceed") || text.contains("full"))
        || text.contains("resource exhausted") || text.contains("too many requests")) {
      return "rate_limit";
    }
    if (text.contains("unknown model") || text.contains("not found")) {
      return "not_found";
    }
    if (text.contains("timed out") || text.contains("timeout")) {
      return "timeout";
    }
    if (text.contains("context length") || text.contains("context window") || text.contains("too long")
        || text.contains("unexpected inference") || text.contains("invalid") || text.contains("unable to parse")
        || text.contains("expected") || text.contains("must be") || text.contains("not supported")
        || text.contains("exceeds the max") || text.contains("maximum model length")) {
      return "invalid_argument";
    }
    if (text.contains("unavailable") || text.contains("not ready")) {
      return "unavailable";
    }
    return "internal";
  }
}
