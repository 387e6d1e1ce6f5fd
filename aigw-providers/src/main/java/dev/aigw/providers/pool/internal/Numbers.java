package dev.aigw.providers.pool.internal;

/**
 * Parses the numbers servers write in metrics: decimal floats ({@code 3}, {@code -0.25}, {@code
 * .5}, {@code 1.7e+09}) and the special values {@code NaN}, {@code Inf}, {@code +Inf}, {@code -Inf}
 * and {@code Infinity}, case-insensitive, as Go's {@code strconv.ParseFloat} (which the Prometheus
 * server uses) reads them. Hexadecimal floats, digit separators, Java's {@code d} / {@code f}
 * suffixes and surrounding whitespace are not numbers here.
 *
 * <p>Most values servers write ({@code 0.0}, {@code 3.0}, {@code 0.4213}) have at most 15
 * significant digits and a small decimal exponent; those are computed with one exact
 * multiplication or division, which is correctly rounded. Anything else goes to {@link
 * Double#parseDouble} after the syntax has been checked here, so it never throws.
 */
final class Numbers {
  /** 10^0 .. 10^22: every one of them is exact as a double. */
  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  private Numbers() {}

  /**
   * The number in {@code s} from {@code from} (inclusive) to {@code to} (exclusive).
   *
   * @return the value; {@link Double#NaN} both when the text is {@code NaN} and when it is not a
   *     number at all: tell them apart with {@link #isNaN} (the rare case)
   */
  static double parse(CharSequence s, int from, int to) {
    int i = from;
    if (i >= to) {
      return Double.NaN;
    }
    boolean negative = false;
    char c = s.charAt(i);
    if (c == '+' || c == '-') {
      negative = c == '-';
      i++;
      if (i >= to) {
        return Double.NaN;
      }
      c = s.charAt(i);
    }
    if (c == 'i' || c == 'I') {
      if (equalsIgnoreCase(s, i, to, "inf") || equalsIgnoreCase(s, i, to, "infinity")) {
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
      return Double.NaN;
    }
    long mantissa = 0;
    int significant = 0;
    int exponent = 0;
    boolean digits = false;
    boolean inexact = false;
    while (i < to && (c = s.charAt(i)) >= '0' && c <= '9') {
      digits = true;
      if (significant < 18) {
        if (mantissa != 0 || c != '0') {
          mantissa = mantissa * 10 + (c - '0');
          significant++;
        }
      } else {
        exponent++;
        inexact |= c != '0';
      }
      i++;
    }
    if (i < to && s.charAt(i) == '.') {
      i++;
      while (i < to && (c = s.charAt(i)) >= '0' && c <= '9') {
        digits = true;
        if (significant < 18) {
          if (mantissa != 0 || c != '0') {
            mantissa = mantissa * 10 + (c - '0');
            significant++;
          }
          exponent--;
        } else {
          inexact |= c != '0';
        }
        i++;
      }
    }
    if (!digits) {
      return Double.NaN;
    }
    if (i < to && ((c = s.charAt(i)) == 'e' || c == 'E')) {
      i++;
      boolean negativeExponent = false;
      if (i < to && ((c = s.charAt(i)) == '+' || c == '-')) {
        negativeExponent = c == '-';
        i++;
      }
      int written = 0;
      int start = i;
      while (i < to && (c = s.charAt(i)) >= '0' && c <= '9') {
        if (written < 100_000) {
          written = written * 10 + (c - '0');
        }
        i++;
      }
      if (i == start) {
        return Double.NaN;
      }
      exponent += negativeExponent ? -written : written;
    }
    if (i != to) {
      return Double.NaN;
    }
    if (mantissa == 0) {
      return negative ? -0.0 : 0.0;
    }
    if (!inexact && significant <= 15 && exponent >= -22 && exponent <= 22) {
      double value = mantissa;
      value = exponent < 0 ? value / POWERS_OF_TEN[-exponent] : value * POWERS_OF_TEN[exponent];
      return negative ? -value : value;
    }
    // The syntax is a subset of what Double.parseDouble accepts: it cannot throw.
    return Double.parseDouble(s.subSequence(from, to).toString());
  }

  /** Whether {@code s} from {@code from} to {@code to} spells NaN (any case, no sign). */
  static boolean isNaN(CharSequence s, int from, int to) {
    return equalsIgnoreCase(s, from, to, "nan");
  }

  /**
   * The number {@code text} spells, or {@link Double#NaN} when it is not one (or is NaN); leading
   * and trailing whitespace is ignored.
   */
  static double parse(String text) {
    String trimmed = text.strip();
    return parse(trimmed, 0, trimmed.length());
  }

  private static boolean equalsIgnoreCase(CharSequence s, int from, int to, String expected) {
    if (to - from != expected.length()) {
      return false;
    }
    for (int k = 0; k < expected.length(); k++) {
      if (Character.toLowerCase(s.charAt(from + k)) != expected.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
