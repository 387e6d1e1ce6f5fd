package dev.aigw.testkit.sim.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/** The simulator's JSON: one shared mapper, error bodies and string escaping. */
public final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static JsonNode read(byte[] body) throws IOException {
    return MAPPER.readTree(body);
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code s} escaped for the inside of a JSON string. */
  static String escape(String s) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(s));
  }

  /** The OpenAI error envelope vLLM sends: {@code {"error":{"message","type","param","code"}}}. */
  public static byte[] error(int status, String type, String message) {
    return error(status, type, message, null);
  }

  static byte[] error(int status, String type, String message, @Nullable String param) {
    ObjectNode root = object();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    if (param == null) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    error.put("code", status);
    return bytes(root);
  }

  /** The error type vLLM and OpenAI name for a status. */
  static String errorType(int status) {
    return switch (status) {
      case 400 -> "BadRequestError";
      case 401 -> "AuthenticationError";
      case 404 -> "NotFoundError";
      case 408 -> "TimeoutError";
      case 429 -> "RateLimitError";
      case 500 -> "InternalServerError";
      case 503 -> "ServiceUnavailableError";
      default -> status >= 500 ? "InternalServerError" : "BadRequestError";
    };
  }
}
