package dev.aigw.core.guardrail.internal;

import static dev.aigw.core.guardrail.internal.PiiChars.digitAt;
import static dev.aigw.core.guardrail.internal.PiiChars.isAsciiLetter;
import static dev.aigw.core.guardrail.internal.PiiChars.isDigit;
import static dev.aigw.core.guardrail.internal.PiiChars.isHex;
import static dev.aigw.core.guardrail.internal.PiiChars.isWordChar;

/** IP addresses: IPv4 in dotted decimal and IPv6 in the text forms of RFC 4291 §2.2, parsed. */
final class PiiIps {
  /** The longest IPv6 text: eight groups with the last two as an IPv4 address. */
  static final int MAX_V6 = 45;

  /** Words that make a following dotted number a version rather than an address. */
  private static final String[] VERSION_WORDS = {"v", "version", "ver", "release", "build"};

  private PiiIps() {}

  /**
   * The end of the IPv4 address starting at the digit {@code start} (the caller has checked that
   * no letter, digit or "digit." comes before), or -1: four numbers 0–255 without leading zeros,
   * not followed by another ".digit" or by a letter or digit, and not after a version word.
   */
  static int matchV4(String s, int start) {
    int n = s.length();
    int p = start;
    for (int octet = 0; octet < 4; octet++) {
      if (octet > 0) {
        if (p + 1 >= n || s.charAt(p) != '.' || !isDigit(s.charAt(p + 1))) {
          return -1;
        }
        p++;
      }
      int from = p;
      int value = 0;
      while (p < n && isDigit(s.charAt(p)) && p - from < 4) {
        value = value * 10 + (s.charAt(p) - '0');
        p++;
      }
      int size = p - from;
      if (size > 3 || value > 255 || size > 1 && s.charAt(from) == '0') {
        return -1;
      }
    }
    if (p < n && (isWordChar(s.charAt(p)) || s.charAt(p) == '.' && digitAt(s, p + 1))) {
      return -1;
    }
    if (afterVersionWord(s, start)) {
      return -1;
    }
    return p;
  }

  /** Whether a version word ("v", "version", ...) stands right before {@code start}, maybe with a space or a dot. */
  private static boolean afterVersionWord(String s, int start) {
    int k = start;
    if (k > 0 && s.charAt(k - 1) == ' ') {
      k--;
    }
    if (k > 0 && (s.charAt(k - 1) == '.' || s.charAt(k - 1) == ':')) {
      k--;
    }
    int wordEnd = k;
    while (k > 0 && isAsciiLetter(s.charAt(k - 1)) && wordEnd - k < 8) {
      k--;
    }
    if (k == wordEnd || k > 0 && isWordChar(s.charAt(k - 1))) {
      return false;
    }
    for (String word : VERSION_WORDS) {
      if (wordEnd - k == word.length() && s.regionMatches(true, k, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The IPv6 address around the ':' at {@code colon}, as {@link PiiScanner#span}, or -1; a
   * candidate is the run of hex digits, ':' and '.' around it, not glued to a letter or digit.
   * {@code minStart} is the earliest start allowed.
   */
  static long matchV6(String s, int colon, int minStart) {
    int n = s.length();
    int start = colon;
    while (start > minStart && isV6Char(s.charAt(start - 1))) {
      start--;
      if (colon - start > MAX_V6) {
        return -1;
      }
    }
    int end = colon + 1;
    while (end < n && isV6Char(s.charAt(end))) {
      end++;
      if (end - start > MAX_V6 + 1) {
        return -1;
      }
    }
    // Trailing punctuation of the sentence, and a lone ':' before or after, is not part of it.
    while (end > colon + 1 && s.charAt(end - 1) == '.') {
      end--;
    }
    if (end - start >= 2 && s.charAt(end - 1) == ':' && s.charAt(end - 2) != ':') {
      end--;
    }
    if (end - start >= 2 && s.charAt(start) == ':' && s.charAt(start + 1) != ':') {
      start++;
    }
    if (start > 0 && (isWordChar(s.charAt(start - 1)) || s.charAt(start - 1) == '.' || s.charAt(start - 1) == ':')) {
      return -1;
    }
    if (end < n && isWordChar(s.charAt(end))) {
      return -1;
    }
    if (end - start > MAX_V6 || !validV6(s, start, end)) {
      return -1;
    }
    return PiiScanner.span(start, end);
  }

  private static boolean isV6Char(char c) {
    return isHex(c) || c == ':' || c == '.';
  }

  /**
   * Whether {@code s[from, to)} is an IPv6 address: groups of 1–4 hex digits separated by ':',
   * at most one "::" standing for one or more zero groups, optionally ending in a dotted IPv4
   * address worth two groups; eight groups in all without "::", at most seven with it; and at
   * least one decimal digit.
   */
  static boolean validV6(String s, int from, int to) {
    int groups = 0;
    boolean compressed = false;
    boolean anyDigit = false;
    int p = from;
    if (to - from >= 2 && s.charAt(p) == ':' && s.charAt(p + 1) == ':') {
      compressed = true;
      p += 2;
      if (p == to) {
        return false; // "::" alone
      }
    } else if (p < to && s.charAt(p) == ':') {
      return false;
    }
    while (p < to) {
      int groupStart = p;
      while (p < to && isHex(s.charAt(p)) && p - groupStart <= 4) {
        anyDigit |= isDigit(s.charAt(p));
        p++;
      }
      int size = p - groupStart;
      if (p < to && s.charAt(p) == '.') {
        // The embedded IPv4 address: the rest of the text, from this group on.
        if (groups > 6 || matchV4Exact(s, groupStart, to) < 0) {
          return false;
        }
        groups += 2;
        anyDigit = true;
        p = to;
        break;
      }
      if (size == 0 || size > 4) {
        return false;
      }
      groups++;
      if (p == to) {
        break;
      }
      if (s.charAt(p) != ':') {
        return false;
      }
      p++;
      if (p < to && s.charAt(p) == ':') {
        if (compressed) {
          return false;
        }
        compressed = true;
        p++;
        if (p == to) {
          break;
        }
      } else if (p == to) {
        return false;
      }
    }
    return anyDigit && (compressed ? groups <= 7 : groups == 8);
  }

  /** Whether {@code s[from, to)} is exactly a dotted IPv4 address. */
  private static int matchV4Exact(String s, int from, int to) {
    int p = from;
    for (int octet = 0; octet < 4; octet++) {
      if (octet > 0) {
        if (p >= to || s.charAt(p) != '.') {
          return -1;
        }
        p++;
      }
      int start = p;
      int value = 0;
      while (p < to && isDigit(s.charAt(p)) && p - start < 3) {
        value = value * 10 + (s.charAt(p) - '0');
        p++;
      }
      if (p == start || value > 255 || p - start > 1 && s.charAt(start) == '0') {
        return -1;
      }
    }
    return p == to ? p : -1;
  }
}
