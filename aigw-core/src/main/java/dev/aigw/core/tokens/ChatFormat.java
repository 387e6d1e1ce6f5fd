package dev.aigw.core.tokens;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.ContentPart;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.Role;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolChoice;
import dev.aigw.api.ToolSpec;
import java.util.List;

/**
 * How a {@link ChatRequest} becomes prompt tokens in OpenAI's chat format: one walk over the
 * request, parameterized by how text is measured, so that {@link TokenCounter#count(ChatRequest)}
 * (tokenize) and {@link TokenCounter#upperBound(ChatRequest)} (UTF-8 bytes) add exactly the same
 * overheads. The constants are documented on {@link TokenCounter}.
 */
final class ChatFormat {
  /** Framing of every message ({@code <|start|>}, separator, {@code <|end|>}): OpenAI's published rule. */
  static final int TOKENS_PER_MESSAGE = 3;
  /** The role name; "system", "user", "assistant" and "tool" are one token each in both encodings. */
  static final int TOKENS_PER_ROLE = 1;
  /** Every reply is primed with {@code <|start|>assistant<|message|>}: OpenAI's published rule. */
  static final int REPLY_PRIMING = 3;
  /** Per tool definition: its wrapper in OpenAI's hidden tool prompt. */
  static final int TOKENS_PER_TOOL = 10;
  /** Once per request with tools: the tool prompt's header and footer. */
  static final int TOOLS_OVERHEAD = 6;
  /** Subtracted from {@link #TOOLS_OVERHEAD} when the request has a system message, which the tool prompt then shares. */
  static final int TOOLS_SHARED_WITH_SYSTEM = 4;
  /** Per tool call in an assistant message, besides its name and arguments (the id is not counted). */
  static final int TOKENS_PER_TOOL_CALL = 6;
  /** Tool choice {@code none}. */
  static final int TOOL_CHOICE_NONE = 1;
  /** Tool choice {@code required}, or a named tool (plus the name's tokens). */
  static final int TOOL_CHOICE_FORCED = 7;
  /** A JSON-schema response format, besides its name and schema. */
  static final int RESPONSE_SCHEMA_OVERHEAD = 10;

  private ChatFormat() {}

  /** How text is measured: in tokens, or by a bound on them. */
  interface TextMeasure {
    /** The measure of plain text. */
    long text(String text);

    /** The measure of a JSON document (a schema), which counting compacts first. */
    long json(String json);
  }

  /** UTF-8 length: each byte-level BPE token covers at least one byte, so this bounds the token count. */
  static final TextMeasure UTF8_BOUND = new TextMeasure() {
    @Override
    public long text(String text) {
      return utf8Bound(text);
    }

    @Override
    public long json(String json) {
      // Compacting only removes bytes, so the bound of the original bounds the compacted count too.
      return utf8Bound(json);
    }
  };

  /** The prompt tokens of {@code request}, measured with {@code m}; may exceed an int. */
  static long measure(ChatRequest request, TextMeasure m) {
    long n = REPLY_PRIMING;
    boolean hasSystem = false;
    List<Message> messages = request.messages();
    for (int i = 0, size = messages.size(); i < size; i++) {
      Message message = messages.get(i);
      hasSystem |= message.role() == Role.SYSTEM;
      n += TOKENS_PER_MESSAGE + TOKENS_PER_ROLE;
      List<ContentPart> parts = message.content();
      for (int j = 0, partCount = parts.size(); j < partCount; j++) {
        ContentPart part = parts.get(j);
        n += part instanceof ContentPart.Text t ? m.text(t.text()) : TokenCounter.IMAGE_TOKENS;
      }
      List<ToolCall> calls = message.toolCalls();
      for (int j = 0, callCount = calls.size(); j < callCount; j++) {
        ToolCall call = calls.get(j);
        n += TOKENS_PER_TOOL_CALL + m.text(call.name()) + m.text(call.arguments());
      }
    }

    List<ToolSpec> tools = request.tools();
    if (!tools.isEmpty()) {
      n += hasSystem ? TOOLS_OVERHEAD - TOOLS_SHARED_WITH_SYSTEM : TOOLS_OVERHEAD;
      for (int i = 0, size = tools.size(); i < size; i++) {
        ToolSpec tool = tools.get(i);
        n += TOKENS_PER_TOOL + m.text(tool.name()) + m.text(tool.description()) + m.json(tool.parametersSchema());
      }
    }

    ToolChoice choice = request.toolChoice().orElse(null);
    if (choice != null) {
      switch (choice.mode()) {
        case NONE -> n += TOOL_CHOICE_NONE;
        case REQUIRED -> n += TOOL_CHOICE_FORCED;
        case TOOL -> n += TOOL_CHOICE_FORCED + m.text(choice.toolName().orElse(""));
        case AUTO -> { }
      }
    }

    ResponseFormat format = request.responseFormat();
    if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
      n += RESPONSE_SCHEMA_OVERHEAD + m.text(format.name().orElse("")) + m.json(format.schema().orElse(""));
    }
    return n;
  }

  /** {@code n} as an int, at most {@link Integer#MAX_VALUE}. */
  static int saturate(long n) {
    return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
  }

  /**
   * An upper bound on the UTF-8 length of {@code s}, exact for well-formed text: 1 byte below
   * U+0080, 2 below U+0800, 3 otherwise; a surrogate pair (4 bytes) counts 3 + 3, which also
   * covers a lone surrogate however it is encoded.
   */
  static long utf8Bound(String s) {
    int len = s.length();
    long bytes = len;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        bytes += c >= 0x800 ? 2 : 1;
      }
    }
    return bytes;
  }

  /**
   * {@code json} without the whitespace between tokens (outside strings), as OpenAI re-renders
   * schemas anyway. Returns {@code json} itself when there is nothing to remove. Does not
   * validate; the api layer already checked the syntax.
   */
  static String compactJson(String json) {
    int first = firstInsignificantWhitespace(json);
    if (first < 0) {
      return json;
    }
    StringBuilder sb = new StringBuilder(json.length());
    sb.append(json, 0, first);
    boolean inString = false;
    for (int i = first; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        sb.append(c);
        if (c == '\\' && i + 1 < json.length()) {
          sb.append(json.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (!isJsonWhitespace(c)) {
        sb.append(c);
        inString = c == '"';
      }
    }
    return sb.toString();
  }

  private static int firstInsignificantWhitespace(String json) {
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (isJsonWhitespace(c)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isJsonWhitespace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }
}
