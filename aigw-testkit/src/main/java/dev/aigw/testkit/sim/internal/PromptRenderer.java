package dev.aigw.testkit.sim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * Renders a chat request into the text the simulated model "reads", the way a chat template
 * does: tool definitions first (when present), then each message as {@code <|role|>\n} followed
 * by its content and a newline, then the generation prompt {@code <|assistant|>\n}. Text content
 * parts are concatenated, an image part is {@code <|image|>}, and an assistant message's tool
 * calls follow its content as {@code name(arguments)}. The token count is {@code ceil(length /
 * 4)} of the rendered text, and prefix-cache blocks cover 64 of its characters each.
 */
final class PromptRenderer {
  private PromptRenderer() {}

  static String chat(JsonNode messages, @Nullable JsonNode tools) {
    StringBuilder sb = new StringBuilder(256);
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      sb.append("<|tools|>\n").append(tools).append('\n');
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      if (!m.isObject() || !m.path("role").isTextual()) {
        throw new BadRequest("messages[" + i + "] must be an object with a string 'role'", "messages");
      }
      sb.append("<|").append(m.get("role").asText()).append("|>\n");
      appendContent(sb, m.get("content"), i);
      JsonNode calls = m.get("tool_calls");
      if (calls != null && calls.isArray()) {
        for (JsonNode call : calls) {
          JsonNode f = call.path("function");
          sb.append(f.path("name").asText("")).append('(').append(f.path("arguments").asText("")).append(')');
        }
      }
      sb.append('\n');
    }
    sb.append("<|assistant|>\n");
    return sb.toString();
  }

  private static void appendContent(StringBuilder sb, @Nullable JsonNode content, int index) {
    if (content == null || content.isNull()) {
      return;
    }
    if (content.isTextual()) {
      sb.append(content.asText());
      return;
    }
    if (!content.isArray()) {
      throw new BadRequest("messages[" + index + "].content must be a string or a list of parts", "messages");
    }
    for (JsonNode part : content) {
      String type = part.path("type").asText("");
      if (type.equals("text")) {
        sb.append(part.path("text").asText(""));
      } else if (type.equals("image_url") || type.equals("input_image") || type.equals("image")) {
        sb.append("<|image|>");
      } else if (part.isTextual()) {
        sb.append(part.asText());
      } else {
        throw new BadRequest("messages[" + index + "].content has a part of unknown type '" + type + "'", "messages");
      }
    }
  }

  /** A request the simulator rejects with 400 (or another status). */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final @Nullable String param;

    BadRequest(String message, @Nullable String param) {
      this(400, message, param);
    }

    BadRequest(int status, String message, @Nullable String param) {
      super(message, null, false, false);
      this.status = status;
      this.param = param;
    }
  }
}
