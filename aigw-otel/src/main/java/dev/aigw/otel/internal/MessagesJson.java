package dev.aigw.otel.internal;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentPart;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.Role;
import dev.aigw.api.ToolCall;
import java.util.List;
import java.util.Locale;

/**
 * Writes messages in the JSON shapes of the GenAI conventions ({@code gen_ai.input.messages},
 * {@code gen_ai.output.messages}, {@code gen_ai.system_instructions}): messages with a role and
 * parts ({@code text}, {@code tool_call}, {@code tool_call_response}, {@code reasoning}, {@code
 * uri}); image bytes are described by their media type and size, never copied. Tool-call
 * arguments are written as the JSON string the model produced (it may be partial or invalid),
 * which the conventions allow. Hand-written because the module depends on the OpenTelemetry API
 * only; it writes strings, numbers are never needed.
 */
public final class MessagesJson {
  private MessagesJson() {}

  /** The system messages' parts as {@code gen_ai.system_instructions}; empty when there are none. */
  public static String systemInstructions(ChatRequest request) {
    StringBuilder out = new StringBuilder("[");
    boolean any = false;
    for (Message m : request.messages()) {
      if (m.role() == Role.SYSTEM) {
        for (ContentPart part : m.content()) {
          any = part(out, part, any);
        }
      }
    }
    return any ? out.append(']').toString() : "";
  }

  /** Every message but the system ones, as {@code gen_ai.input.messages}. */
  public static String inputMessages(ChatRequest request) {
    StringBuilder out = new StringBuilder("[");
    boolean first = true;
    for (Message m : request.messages()) {
      if (m.role() == Role.SYSTEM) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append("{\"role\":");
      string(out, m.role().name().toLowerCase(Locale.ROOT));
      out.append(",\"parts\":[");
      boolean any = false;
      if (m.role() == Role.TOOL) {
        out.append("{\"type\":\"tool_call_response\",\"id\":");
        string(out, m.toolCallId().orElse(""));
        out.append(",\"response\":");
        string(out, m.text());
        out.append('}');
        any = true;
      } else {
        for (ContentPart part : m.content()) {
          any = part(out, part, any);
        }
      }
      toolCalls(out, m.toolCalls(), any);
      out.append("]}");
    }
    return out.append(']').toString();
  }

  /** The answer as {@code gen_ai.output.messages}: one assistant message with its finish reason. */
  public static String outputMessages(ChatResponse response) {
    StringBuilder out = new StringBuilder("[{\"role\":\"assistant\",\"parts\":[");
    boolean any = false;
    if (!response.reasoning().isEmpty()) {
      out.append("{\"type\":\"reasoning\",\"content\":");
      string(out, response.reasoning());
      out.append('}');
      any = true;
    }
    if (!response.text().isEmpty()) {
      out.append(any ? "," : "").append("{\"type\":\"text\",\"content\":");
      string(out, response.text());
      out.append('}');
      any = true;
    }
    toolCalls(out, response.toolCalls(), any);
    out.append("],\"finish_reason\":");
    string(out, finishReason(response.finishReason()));
    return out.append("}]").toString();
  }

  /** The conventions' spelling of a finish reason. */
  public static String finishReason(FinishReason reason) {
    return switch (reason) {
      case STOP -> "stop";
      case LENGTH -> "length";
      case TOOL_CALLS -> "tool_call";
      case CONTENT_FILTER -> "content_filter";
      case OTHER -> "other";
    };
  }

  private static boolean part(StringBuilder out, ContentPart part, boolean any) {
    if (any) {
      out.append(',');
    }
    if (part instanceof ContentPart.Text text) {
      out.append("{\"type\":\"text\",\"content\":");
      string(out, text.text());
      out.append('}');
    } else if (part instanceof ContentPart.Image image) {
      String url = image.url().orElse("");
      if (!url.isEmpty() && !url.regionMatches(true, 0, "data:", 0, 5)) {
        out.append("{\"type\":\"uri\",\"modality\":\"image\",\"uri\":");
        string(out, withoutQuery(url));
        out.append('}');
      } else {
        out.append("{\"type\":\"image\",\"mime_type\":");
        string(out, image.mediaType().orElse("application/octet-stream"));
        out.append(",\"size\":\"").append(image.bytes().map(b -> b.length).orElse(0)).append(" bytes\"}");
      }
    }
    return true;
  }

  /** A URL without its query and fragment, where signed URLs carry their credentials. */
  private static String withoutQuery(String url) {
    int cut = url.length();
    int q = url.indexOf('?');
    int h = url.indexOf('#');
    if (q >= 0) {
      cut = q;
    }
    if (h >= 0 && h < cut) {
      cut = h;
    }
    return url.substring(0, cut);
  }

  private static void toolCalls(StringBuilder out, List<ToolCall> calls, boolean any) {
    for (ToolCall call : calls) {
      if (any) {
        out.append(',');
      }
      any = true;
      out.append("{\"type\":\"tool_call\",\"id\":");
      string(out, call.id());
      out.append(",\"name\":");
      string(out, call.name());
      out.append(",\"arguments\":");
      string(out, call.arguments());
      out.append('}');
    }
  }

  /** Appends {@code s} as a JSON string (RFC 8259 escapes). */
  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
