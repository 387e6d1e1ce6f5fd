package dev.aigw.core.internal;

import dev.aigw.api.ChatResponse;
import dev.aigw.api.Message;
import dev.aigw.api.ToolCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One call's reversible placeholders: a value masked on its way to the provider becomes {@code
 * <TYPE_n>} (the same value, the same placeholder), and the answer gets the value back. Only
 * placeholders this call created are restored, written exactly as they were sent.
 */
final class Placeholders {
  private final Map<String, String> placeholderOf = new HashMap<>();
  private final Map<String, String> valueOf = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private int longest;

  /** The placeholder for {@code value} of {@code type}, created on first use. */
  synchronized String mask(String type, String value) {
    return placeholderOf.computeIfAbsent(type + '\u0000' + value, k -> {
      int n = counts.merge(type, 1, Integer::sum);
      String placeholder = "<" + type + "_" + n + ">";
      valueOf.put(placeholder, value);
      longest = Math.max(longest, placeholder.length());
      return placeholder;
    });
  }

  synchronized boolean isEmpty() {
    return valueOf.isEmpty();
  }

  /** {@code text} with this call's placeholders replaced by their values. */
  synchronized String unmask(String text) {
    if (valueOf.isEmpty() || text.indexOf('<') < 0) {
      return text;
    }
    StringBuilder out = null;
    int copied = 0;
    int from = 0;
    while (true) {
      int open = text.indexOf('<', from);
      if (open < 0) {
        break;
      }
      int close = text.indexOf('>', open + 1);
      if (close < 0 || close - open + 1 > longest) {
        from = open + 1;
        continue;
      }
      String value = valueOf.get(text.substring(open, close + 1));
      if (value == null) {
        from = open + 1;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 32);
      }
      out.append(text, copied, open).append(value);
      copied = close + 1;
      from = copied;
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /** Restores placeholders in a text that arrives in pieces, holding back a piece's end that may be the start of one. */
  Stream stream() {
    return new Stream();
  }

  /** One streamed text (an answer, its reasoning, or one tool call's arguments). */
  final class Stream {
    private String held = "";

    /** The text that can be released after {@code piece}, placeholders restored. */
    String feed(String piece) {
      if (piece.isEmpty() && held.isEmpty()) {
        return piece;
      }
      String text = held.isEmpty() ? piece : held + piece;
      int cut = pendingStart(text);
      held = text.substring(cut);
      return unmask(text.substring(0, cut));
    }

    /** Whatever is still held back, at the end of the stream. */
    String flush() {
      String rest = held;
      held = "";
      return unmask(rest);
    }

    /** Where a possible unfinished placeholder starts at the end of {@code text} (its length when there is none). */
    private int pendingStart(String text) {
      int open = text.lastIndexOf('<');
      if (open < 0 || text.indexOf('>', open) >= 0) {
        return text.length();
      }
      int max;
      synchronized (Placeholders.this) {
        max = longest;
      }
      if (text.length() - open >= max) {
        return text.length();
      }
      for (int i = open + 1; i < text.length(); i++) {
        char c = text.charAt(i);
        if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
          return text.length();
        }
      }
      return open;
    }
  }

  /**
   * {@code response} with every value this call masked replaced by its placeholder again (the
   * answer as the model wrote it), for observers that must never see the values.
   */
  ChatResponse remask(ChatResponse response) {
    List<ToolCall> calls = response.toolCalls();
    List<ToolCall> masked = new ArrayList<>(calls.size());
    for (ToolCall call : calls) {
      masked.add(new ToolCall(call.id(), call.name(), remask(call.arguments())));
    }
    Message message = response.message();
    String text = remask(message.text());
    Message remasked = masked.isEmpty() ? Message.assistant(text) : Message.assistant(text, masked);
    return response.toBuilder().message(remasked).reasoning(remask(response.reasoning())).build();
  }

  /** {@code text} with every masked value replaced by its placeholder, longest values first. */
  synchronized String remask(String text) {
    if (valueOf.isEmpty() || text.isEmpty()) {
      return text;
    }
    List<Map.Entry<String, String>> byLength = new ArrayList<>(valueOf.entrySet());
    byLength.sort((a, b) -> Integer.compare(b.getValue().length(), a.getValue().length()));
    String out = text;
    for (Map.Entry<String, String> e : byLength) {
      if (!e.getValue().isEmpty()) {
        out = out.replace(e.getValue(), e.getKey());
      }
    }
    return out;
  }
}
