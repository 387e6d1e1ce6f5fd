package dev.aigw.core.guardrail.internal;

import static dev.aigw.core.guardrail.internal.PhraseAutomaton.isWordChar;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reading text that hides other text: base64 and hex runs decoded to printable UTF-8, hex bytes
 * written as tokens, words spelled out letter by letter, and right-to-left overrides. The
 * injection scorer scores what these give back as payloads.
 */
final class EncodedText {
  /** Fewest letters spelled out one by one that are joined. */
  static final int MIN_SPELLED = 4;

  private EncodedText() {}

  static int indexOfOverride(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u202D' || c == '\u202E') {
        return i;
      }
    }
    return -1;
  }

  /**
   * The text with words spelled out letter by letter joined ({@code i g n o r e} → {@code
   * ignore}, {@code i.g.n.o.r.e} → {@code ignore}), or null when there are none.
   */
  static String joinSpelledOut(String t) {
    StringBuilder out = null;
    int n = t.length();
    int copied = 0;
    int i = 0;
    while (i < n) {
      if (isLetter(t.charAt(i)) && (i == 0 || !isWordChar(t.charAt(i - 1)))
          && i + 1 < n && isSeparator(t.charAt(i + 1))) {
        char separator = t.charAt(i + 1);
        int last = i;
        int letters = 1;
        while (last + 2 < n && t.charAt(last + 1) == separator && isLetter(t.charAt(last + 2))
            && (last + 3 >= n || !isWordChar(t.charAt(last + 3)))) {
          last += 2;
          letters++;
        }
        if (letters >= MIN_SPELLED) {
          if (out == null) {
            out = new StringBuilder(n);
          }
          out.append(t, copied, i);
          for (int k = i; k <= last; k += 2) {
            out.append(t.charAt(k));
          }
          copied = last + 1;
          i = last + 1;
          continue;
        }
      }
      i++;
    }
    if (out == null) {
      return null;
    }
    return out.append(t, copied, n).toString();
  }

  static boolean isSeparator(char c) {
    return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*';
  }

  static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z';
  }

  static boolean isHex(char c) {
    return c >= '0' && c <= '9' || (c | 0x20) >= 'a' && (c | 0x20) <= 'f';
  }

  static String decodeHex(String hex) {
    if (hex.length() % 2 != 0) {
      return null;
    }
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
    }
    return printable(bytes);
  }

  static String decodeBase64(String s) {
    boolean urlSafe = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
    if (urlSafe && (s.indexOf('+') >= 0 || s.indexOf('/') >= 0)) {
      return null;
    }
    int usable = s.length() - s.length() % 4 == s.length() - 1 ? s.length() - 1 : s.length();
    String body = s.substring(0, usable);
    try {
      byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder())
          .decode(body + "==".substring(0, (4 - body.length() % 4) % 4));
      return printable(bytes);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The bytes as text when they are UTF-8 of mostly letters, digits, punctuation and spaces. */
  static String printable(byte[] bytes) {
    if (bytes.length < 8) {
      return null;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    int good = 0;
    int letters = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isLetter(c)) {
        letters++;
        good++;
      } else if (c == ' ' || c == '\n' || c == '\t' || c >= 0x21 && c < 0x7F || Character.isDigit(c)) {
        good++;
      }
    }
    return good >= 0.9 * text.length() && letters >= 0.5 * text.length() ? text : null;
  }

  /** {@code i.g.n.o.r.e}: four or more single letters from {@code at - 1}, separated by the char at {@code at}. */
  static boolean isSpelledWithSeparator(String s, int at) {
    char separator = s.charAt(at);
    int first = at - 1;
    if (first > 0 && isWordChar(Character.toLowerCase(s.charAt(first - 1)))) {
      return false;
    }
    for (int k = 0; k < MIN_SPELLED; k++) {
      int i = first + 2 * k;
      if (i >= s.length() || (s.charAt(i) | 0x20) < 'a' || (s.charAt(i) | 0x20) > 'z') {
        return false;
      }
      if (k < MIN_SPELLED - 1 && (i + 1 >= s.length() || s.charAt(i + 1) != separator)) {
        return false;
      }
    }
    return true;
  }

  /** A token of one hex byte: {@code 4f}, {@code 4f,}, {@code 0x4f}, {@code \x4f}. */
  static boolean isHexByteToken(String t, int from, int to) {
    if (to - from == 3 && t.charAt(to - 1) == ',') {
      to--;
    }
    if (to - from == 2) {
      return isHex(t.charAt(from)) && isHex(t.charAt(from + 1));
    }
    if (to - from == 4 && (t.charAt(from) == '0' || t.charAt(from) == '\\') && (t.charAt(from + 1) | 0x20) == 'x') {
      return isHex(t.charAt(from + 2)) && isHex(t.charAt(from + 3));
    }
    return false;
  }
}
