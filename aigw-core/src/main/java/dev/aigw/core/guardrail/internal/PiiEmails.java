package dev.aigw.core.guardrail.internal;

import static dev.aigw.core.guardrail.internal.PiiChars.isAsciiAlnum;
import static dev.aigw.core.guardrail.internal.PiiChars.isAsciiLetter;
import static dev.aigw.core.guardrail.internal.PiiChars.isDigit;
import static dev.aigw.core.guardrail.internal.PiiChars.isWordChar;

/**
 * E-mail addresses, found around their '@': a practical subset of RFC 5322's addr-spec with the
 * length limits of RFC 5321 (local part 64, domain 253, address 254).
 */
final class PiiEmails {
  static final int MAX_LOCAL = 64;
  static final int MAX_DOMAIN = 253;
  static final int MAX_ADDRESS = 254;
  private static final int MAX_LABEL = 63;

  private PiiEmails() {}

  /**
   * The address around the '@' at {@code at}, as {@link PiiScanner#span}, or -1. The local part
   * may not start before {@code minStart}.
   */
  static long match(String s, int at, int minStart) {
    int n = s.length();
    // Local part: letters, digits and . _ % + -, starting with a letter, digit or '_'.
    int k = at;
    while (k > 0 && isLocal(s.charAt(k - 1))) {
      k--;
      if (at - k > MAX_LOCAL + 8) {
        return -1;
      }
    }
    if (k > 0 && isWordChar(s.charAt(k - 1))) {
      return -1; // glued to a letter of another script
    }
    int start = k;
    while (start < at && !isAsciiAlnum(s.charAt(start)) && s.charAt(start) != '_') {
      start++;
    }
    if (start == at || at - start > MAX_LOCAL || start < minStart || s.charAt(at - 1) == '.') {
      return -1;
    }
    for (int i = start + 1; i < at; i++) {
      if (s.charAt(i) == '.' && s.charAt(i - 1) == '.') {
        return -1;
      }
    }
    if (inUrlAuthority(s, start)) {
      return -1; // https://user@host: a URL's user name, not an address
    }
    // Domain: two or more labels of letters, digits and inner hyphens; a top-level domain of letters.
    int p = at + 1;
    int labels = 0;
    int tld = -1;
    while (true) {
      int labelStart = p;
      while (p < n && (isAsciiAlnum(s.charAt(p)) || s.charAt(p) == '-')) {
        p++;
        if (p - labelStart > MAX_LABEL) {
          return -1;
        }
      }
      if (p == labelStart) {
        return -1;
      }
      if (s.charAt(labelStart) == '-' || s.charAt(p - 1) == '-') {
        return -1;
      }
      labels++;
      tld = labelStart;
      if (p + 1 < n && s.charAt(p) == '.' && isAsciiAlnum(s.charAt(p + 1))) {
        p++;
        continue;
      }
      break;
    }
    int end = p;
    if (labels < 2 || end - at - 1 > MAX_DOMAIN || end - start > MAX_ADDRESS || !topLevel(s, tld, end)) {
      return -1;
    }
    if (end < n && (isWordChar(s.charAt(end)) || s.charAt(end) == '_' || s.charAt(end) == '@')) {
      return -1;
    }
    if (retinaSuffix(s, at + 1)) {
      return -1; // logo@2x.png
    }
    return PiiScanner.span(start, end);
  }

  private static boolean isLocal(char c) {
    return isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  private static boolean topLevel(String s, int from, int to) {
    if (to - from >= 5 && s.regionMatches(true, from, "xn--", 0, 4)) {
      return true;
    }
    if (to - from < 2) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!isAsciiLetter(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the domain starts with a label like "2x", the pixel-density suffix of image names. */
  private static boolean retinaSuffix(String s, int from) {
    int p = from;
    while (p < s.length() && isDigit(s.charAt(p))) {
      p++;
    }
    return p > from && p + 1 < s.length() && s.charAt(p) == 'x' && s.charAt(p + 1) == '.';
  }

  /**
   * Whether {@code i} is in the authority of a URL, after its "://" and before any path, query or
   * fragment: there "user@host" is a URL's user name.
   */
  static boolean inUrlAuthority(String s, int i) {
    int limit = Math.max(0, i - 512);
    for (int k = i - 1; k >= limit; k--) {
      char c = s.charAt(k);
      if (c == '/') {
        return k >= 2 && s.charAt(k - 1) == '/' && s.charAt(k - 2) == ':';
      }
      if (c <= ' ' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '@') {
        return false;
      }
    }
    return false;
  }
}
