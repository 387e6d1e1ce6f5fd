package dev.aigw.core.guardrail.internal;

/** Character classes shared by the detectors. Only ASCII digits are digits. */
final class PiiChars {
  private PiiChars() {}

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  static boolean isAsciiLetter(char c) {
    return isUpper(c) || isLower(c);
  }

  static boolean isAsciiAlnum(char c) {
    return isDigit(c) || isUpper(c) || isLower(c);
  }

  static boolean isHex(char c) {
    return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /** A letter or digit of any script: what a match may not be glued to. */
  static boolean isWordChar(char c) {
    return c < 128 ? isAsciiAlnum(c) : Character.isLetterOrDigit(c);
  }

  /** Whether the char before {@code i} is a letter or digit (false at the start). */
  static boolean wordBefore(String s, int i) {
    return i > 0 && isWordChar(s.charAt(i - 1));
  }

  /** Whether {@code s} has a digit at {@code i}. */
  static boolean digitAt(String s, int i) {
    return i >= 0 && i < s.length() && isDigit(s.charAt(i));
  }

  /**
   * Whether a number ending before {@code end} goes on: a letter or digit follows, or a '.' or ','
   * and a digit (a decimal part or a longer dotted number).
   */
  static boolean numberGoesOn(String s, int end) {
    if (end >= s.length()) {
      return false;
    }
    char c = s.charAt(end);
    return isWordChar(c) || (c == '.' || c == ',') && digitAt(s, end + 1);
  }

  /** Whether the base64url alphabet (RFC 4648 §5) holds {@code c}. */
  static boolean isBase64Url(char c) {
    return isAsciiAlnum(c) || c == '-' || c == '_';
  }
}
