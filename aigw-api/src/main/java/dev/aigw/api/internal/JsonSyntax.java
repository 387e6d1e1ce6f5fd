package dev.aigw.api.internal;

import dev.aigw.api.InvalidRequestException;

/**
 * A strict RFC 8259 syntax check, so that JSON-schema strings are rejected when a request is
 * built rather than when a provider answers 400. It checks syntax only and builds nothing.
 */
public final class JsonSyntax {
  private final String text;
  private int pos;

  private JsonSyntax(String text) {
    this.text = text;
  }

  /** Throws {@link InvalidRequestException} naming {@code field} when {@code json} is not a JSON object. */
  public static String requireObject(String json, String field) {
    JsonSyntax parser = new JsonSyntax(json);
    try {
      parser.skipWhitespace();
      if (parser.peek() != '{') {
        throw parser.error("expected a JSON object");
      }
      parser.value(0);
      parser.skipWhitespace();
      if (parser.pos != json.length()) {
        throw parser.error("unexpected text after the JSON value");
      }
    } catch (SyntaxError e) {
      throw new InvalidRequestException(field, "is not valid JSON: " + e.getMessage());
    }
    return json;
  }

  private static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }

  private SyntaxError error(String what) {
    return new SyntaxError(what + " at offset " + pos);
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private void expect(char c) {
    if (peek() != c || pos >= text.length()) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void value(int depth) {
    if (depth > 512) {
      throw error("nesting deeper than 512");
    }
    skipWhitespace();
    char c = peek();
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          number();
        } else {
          throw error("unexpected character '" + c + "'");
        }
      }
    }
  }

  private void object(int depth) {
    expect('{');
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      skipWhitespace();
      string();
      skipWhitespace();
      expect(':');
      value(depth + 1);
      skipWhitespace();
      if (peek() == ',') {
        pos++;
      } else {
        expect('}');
        return;
      }
    }
  }

  private void array(int depth) {
    expect('[');
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return;
    }
    while (true) {
      value(depth + 1);
      skipWhitespace();
      if (peek() == ',') {
        pos++;
      } else {
        expect(']');
        return;
      }
    }
  }

  private void string() {
    expect('"');
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return;
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in string");
      }
      if (c == '\\') {
        char e = peek();
        pos++;
        if (e == 'u') {
          for (int i = 0; i < 4; i++) {
            char h = peek();
            if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) {
              throw error("bad \\u escape");
            }
            pos++;
          }
        } else if ("\"\\/bfnrt".indexOf(e) < 0 || e == '\0') {
          pos--;
          throw error("bad escape");
        }
      }
    }
    throw error("unterminated string");
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
  }

  private void number() {
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else {
      digits();
    }
    if (peek() == '.') {
      pos++;
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      digits();
    }
  }

  private void digits() {
    int start = pos;
    while (peek() >= '0' && peek() <= '9' && pos < text.length()) {
      pos++;
    }
    if (pos == start) {
      throw error("expected a digit");
    }
  }
}
