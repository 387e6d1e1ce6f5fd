package dev.aigw.core.guardrail.internal;

import static dev.aigw.core.guardrail.internal.PiiChars.digitAt;
import static dev.aigw.core.guardrail.internal.PiiChars.isAsciiLetter;
import static dev.aigw.core.guardrail.internal.PiiChars.isDigit;

/**
 * US Social Security numbers: {@code AAA-GG-SSSS} or {@code AAA GG SSSS}, or nine digits in a row
 * after a cue ("SSN", "social security"). Area 000, 666 and 900–999, group 00 and serial 0000 are
 * never issued.
 */
final class PiiSsn {
  /** How far before the digits a cue may end, in chars. */
  static final int CUE_DISTANCE = 30;

  private PiiSsn() {}

  /** The end of the SSN starting at the digit {@code start}, or -1. */
  static int match(String s, int start) {
    int n = s.length();
    if (start + 9 > n) {
      return -1;
    }
    int end;
    if (digits(s, start, 3) && start + 11 <= n && (s.charAt(start + 3) == '-' || s.charAt(start + 3) == ' ')
        && s.charAt(start + 6) == s.charAt(start + 3) && digits(s, start + 4, 2) && digits(s, start + 7, 4)) {
      if (!valid(s, start, start + 4, start + 7)) {
        return -1;
      }
      end = start + 11;
    } else if (digits(s, start, 9)) {
      if (!valid(s, start, start + 3, start + 5) || !cued(s, start)) {
        return -1;
      }
      end = start + 9;
    } else {
      return -1;
    }
    if (PiiChars.numberGoesOn(s, end) || end + 1 < n && s.charAt(end) == '-' && digitAt(s, end + 1)) {
      return -1;
    }
    return end;
  }

  private static boolean digits(String s, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static int number(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    return v;
  }

  private static boolean valid(String s, int area, int group, int serial) {
    int a = number(s, area, 3);
    return a != 0 && a != 666 && a < 900 && number(s, group, 2) != 0 && number(s, serial, 4) != 0;
  }

  /**
   * Whether "SSN" or "social security" ends at most {@link #CUE_DISTANCE} chars before {@code
   * start}, with no other digit in between.
   */
  private static boolean cued(String s, int start) {
    int from = Math.max(0, start - CUE_DISTANCE - "social security".length());
    for (int i = from; i < start; i++) {
      char c = s.charAt(i);
      if ((c == 's' || c == 'S') && (i == 0 || !isAsciiLetter(s.charAt(i - 1)))) {
        if (word(s, i, "ssn", start) || word(s, i, "social security", start)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean word(String s, int i, String cue, int before) {
    int end = i + cue.length();
    if (end > before || end < before - CUE_DISTANCE || !s.regionMatches(true, i, cue, 0, cue.length())
        || end < s.length() && isAsciiLetter(s.charAt(end))) {
      return false;
    }
    for (int k = end; k < before; k++) {
      if (isDigit(s.charAt(k))) {
        return false; // the cue is another number's
      }
    }
    return true;
  }
}
