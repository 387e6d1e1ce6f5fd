package dev.aigw.core.guardrail.internal;

import static dev.aigw.core.guardrail.internal.PiiChars.digitAt;
import static dev.aigw.core.guardrail.internal.PiiChars.isDigit;
import static dev.aigw.core.guardrail.internal.PiiChars.isWordChar;

/**
 * Payment card numbers (ISO/IEC 7812): 13–19 digits, unbroken or grouped with single spaces or
 * hyphens (one kind per number, a first group of four, later groups of two to six), whose prefix
 * and length belong to a known network and whose last digit is the Luhn check digit.
 */
final class PiiCards {
  static final int MAX_DIGITS = 19;
  static final int MAX_GROUPS = 10;

  private PiiCards() {}

  /**
   * The end of the card number starting at the digit {@code start}, or -1. {@code digits} is
   * scratch space of at least {@value #MAX_DIGITS} bytes; {@code ends} and {@code counts} of at
   * least {@value #MAX_GROUPS} ints.
   */
  static int match(String s, int start, byte[] digits, int[] ends, int[] counts) {
    int n = s.length();
    int p = start;
    int count = 0;
    int groups = 0;
    char separator = 0;
    while (groups < MAX_GROUPS) {
      int groupStart = p;
      while (p < n && isDigit(s.charAt(p)) && count < MAX_DIGITS) {
        digits[count++] = (byte) (s.charAt(p) - '0');
        p++;
      }
      int size = p - groupStart;
      if (p < n && isDigit(s.charAt(p))) {
        // More than 19 digits: an unbroken run is no card; a group ends the number before it.
        if (groups == 0) {
          return -1;
        }
        break;
      }
      if (groups > 0 && (size < 2 || size > 6)) {
        break;
      }
      ends[groups] = p;
      counts[groups] = count;
      groups++;
      if (p + 1 < n && isDigit(s.charAt(p + 1))) {
        char c = s.charAt(p);
        if (separator == 0 ? (c == ' ' || c == '-') && size == 4 : c == separator) {
          separator = c;
          p++;
          continue;
        }
      }
      break;
    }
    for (int g = groups - 1; g >= 0; g--) {
      int end = ends[g];
      int length = counts[g];
      if (length < 13) {
        return -1;
      }
      if (separator == 0 ? goesOn(s, end) : g == groups - 1 && goesOnGrouped(s, end)) {
        continue;
      }
      if (knownNetwork(digits, length) && !oneDigit(digits, length) && Luhn.valid(digits, length)) {
        return end;
      }
    }
    return -1;
  }

  /** An unbroken number is glued to a letter or goes on as a decimal or a longer number. */
  private static boolean goesOn(String s, int end) {
    return PiiChars.numberGoesOn(s, end) || end < s.length() && (s.charAt(end) == '-') && digitAt(s, end + 1);
  }

  /** A grouped number is glued to a letter, or goes on as a decimal part. */
  private static boolean goesOnGrouped(String s, int end) {
    if (end >= s.length()) {
      return false;
    }
    char c = s.charAt(end);
    return isWordChar(c) || (c == '.' || c == ',') && digitAt(s, end + 1);
  }

  private static boolean oneDigit(byte[] digits, int length) {
    for (int i = 1; i < length; i++) {
      if (digits[i] != digits[0]) {
        return false;
      }
    }
    return true;
  }

  private static int prefix(byte[] digits, int k) {
    int v = 0;
    for (int i = 0; i < k; i++) {
      v = v * 10 + digits[i];
    }
    return v;
  }

  /** Whether the issuer identification number and the length are those of a known network. */
  static boolean knownNetwork(byte[] digits, int length) {
    int p1 = digits[0];
    int p2 = prefix(digits, 2);
    int p3 = prefix(digits, 3);
    int p4 = prefix(digits, 4);
    boolean l16to19 = length >= 16 && length <= 19;
    switch (p1) {
      case 2:
        return length == 16 && (p4 >= 2221 && p4 <= 2720) // Mastercard 2-series
            || l16to19 && p4 >= 2200 && p4 <= 2204; // Mir
      case 3:
        return length == 15 && (p2 == 34 || p2 == 37) // American Express
            || l16to19 && p4 >= 3528 && p4 <= 3589 // JCB
            || length >= 14 && length <= 19
                && (p3 >= 300 && p3 <= 305 || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39); // Diners Club
      case 4:
        return length == 13 || length == 16 || length == 19; // Visa
      case 5:
        return length == 16 && p2 >= 51 && p2 <= 55 // Mastercard
            || maestro(p4);
      case 6:
        int p6 = prefix(digits, 6);
        return l16to19 && (p4 == 6011 || p3 >= 644 && p3 <= 649 || p2 == 65 || p6 >= 622126 && p6 <= 622925) // Discover
            || l16to19 && p2 == 62 // UnionPay
            || maestro(p4);
      default:
        return false;
    }
  }

  /** Maestro's own ranges, 12–19 digits (13 and more here). */
  private static boolean maestro(int p4) {
    return p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304 || p4 == 6759
        || p4 >= 6761 && p4 <= 6763;
  }
}
