package dev.aigw.core.guardrail.internal;

import static dev.aigw.core.guardrail.internal.PiiChars.digitAt;
import static dev.aigw.core.guardrail.internal.PiiChars.isDigit;
import static dev.aigw.core.guardrail.internal.PiiChars.isWordChar;

/**
 * Telephone numbers: international ones after {@code +} or {@code 00} (E.164, at most 15 digits,
 * at least 8 here), and North American ones (NANP) in their usual written forms.
 */
final class PiiPhones {
  static final int MAX_LENGTH = 32;
  private static final int MIN_DIGITS = 8;
  private static final int MAX_DIGITS = 15;

  private PiiPhones() {}

  /**
   * Whether a phone number may start at {@code start}: at the start of the text, after white
   * space, an opening bracket or quote, or after {@code : ; , = >}; not after a letter, a digit or
   * a char such as {@code - / # . _} that would make it part of an identifier.
   */
  static boolean startsHere(String s, int start) {
    if (start == 0) {
      return true;
    }
    char c = s.charAt(start - 1);
    if (c >= 128) {
      return !Character.isLetterOrDigit(c);
    }
    return c <= ' ' || "([{\"'<>:;,=".indexOf(c) >= 0;
  }

  /**
   * The end of the international number whose prefix ({@code +} or {@code 00}) starts at {@code
   * start} and whose digits start at {@code digits}, or -1.
   */
  static int matchInternational(String s, int start, int digits) {
    int n = s.length();
    if (!digitAt(s, digits) || s.charAt(digits) == '0') {
      return -1; // E.164 country codes do not start with 0
    }
    int p = digits;
    int count = 0;
    int end = -1;
    while (p < n) {
      int q = p;
      int added = 0;
      if (s.charAt(q) == '(') {
        // An area code in brackets, or the trunk prefix "(0)" that is not dialled from abroad.
        int r = q + 1;
        while (r < n && isDigit(s.charAt(r)) && r - q <= 5) {
          r++;
        }
        int size = r - q - 1;
        if (size == 0 || r >= n || s.charAt(r) != ')') {
          break;
        }
        if (!(size == 1 && s.charAt(q + 1) == '0')) {
          added += size;
        }
        q = r + 1;
        if (q + 1 < n && (s.charAt(q) == ' ' || s.charAt(q) == '-') && isDigit(s.charAt(q + 1))) {
          q++;
        }
        if (!digitAt(s, q)) {
          break;
        }
      }
      int r = q;
      while (r < n && isDigit(s.charAt(r))) {
        r++;
      }
      added += r - q;
      if (r == q || count + added > MAX_DIGITS) {
        break;
      }
      count += added;
      end = r;
      p = r;
      if (p < n && s.charAt(p) == '(') {
        continue;
      }
      if (p + 1 < n && isSeparator(s.charAt(p)) && (isDigit(s.charAt(p + 1)) || s.charAt(p + 1) == '(')) {
        p++;
        continue;
      }
      break;
    }
    if (end < 0 || count < MIN_DIGITS || end - start > MAX_LENGTH || end < n && isWordChar(s.charAt(end))) {
      return -1;
    }
    return end;
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '/';
  }

  /**
   * The end of the North American number starting at {@code start} (a digit or '('), or -1:
   * {@code (NXX) NXX-XXXX}, {@code NXX-NXX-XXXX}, {@code NXX.NXX.XXXX}, {@code NXX NXX XXXX},
   * optionally after {@code 1} and a separator.
   */
  static int matchNanp(String s, int start) {
    int n = s.length();
    int p = start;
    if (p + 2 < n && s.charAt(p) == '1' && (s.charAt(p + 1) == '-' || s.charAt(p + 1) == '.' || s.charAt(p + 1) == ' ')
        && (isDigit(s.charAt(p + 2)) || s.charAt(p + 2) == '(')) {
      p += 2;
    }
    int area = p;
    char separator;
    int exchange;
    if (p < n && s.charAt(p) == '(') {
      if (p + 5 > n || !digits(s, p + 1, 3) || s.charAt(p + 4) != ')') {
        return -1;
      }
      area = p + 1;
      exchange = p + 5;
      if (exchange < n && s.charAt(exchange) == ' ') {
        exchange++;
      }
      if (!digits(s, exchange, 3) || exchange + 3 >= n) {
        return -1;
      }
      separator = s.charAt(exchange + 3);
      if (separator != '-' && separator != ' ' && separator != '.') {
        return -1;
      }
    } else {
      if (!digits(s, area, 3) || area + 3 >= n) {
        return -1;
      }
      separator = s.charAt(area + 3);
      exchange = area + 4;
      if (separator != '-' && separator != ' ' && separator != '.' || !digits(s, exchange, 3)
          || exchange + 3 >= n || s.charAt(exchange + 3) != separator) {
        return -1;
      }
    }
    int line = exchange + 4;
    if (!digits(s, line, 4) || !nxx(s, area) || !nxx(s, exchange)) {
      return -1;
    }
    int end = line + 4;
    if (PiiChars.numberGoesOn(s, end) || end + 1 < n && s.charAt(end) == '-' && isDigit(s.charAt(end + 1))) {
      return -1;
    }
    return end;
  }

  /** An area code or exchange: first digit 2–9, not an N11 service code. */
  private static boolean nxx(String s, int i) {
    char first = s.charAt(i);
    return first >= '2' && !(s.charAt(i + 1) == '1' && s.charAt(i + 2) == '1');
  }

  private static boolean digits(String s, int from, int count) {
    if (from < 0 || from + count > s.length()) {
      return false;
    }
    for (int i = from; i < from + count; i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
