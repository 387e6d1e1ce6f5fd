package dev.aigw.core.guardrail.internal;

/** The Luhn (mod 10) check digit of ISO/IEC 7812 payment card numbers. */
public final class Luhn {
  private Luhn() {}

  /**
   * Whether the digits of {@code digits[0..length)}, each 0–9, end in a valid Luhn check digit.
   */
  public static boolean valid(byte[] digits, int length) {
    int sum = 0;
    boolean doubled = false;
    for (int i = length - 1; i >= 0; i--) {
      int d = digits[i];
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  /** Whether the ASCII digit string {@code number} ends in a valid Luhn check digit. */
  public static boolean valid(CharSequence number) {
    byte[] digits = new byte[number.length()];
    for (int i = 0; i < digits.length; i++) {
      char c = number.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("not a digit at " + i);
      }
      digits[i] = (byte) (c - '0');
    }
    return valid(digits, digits.length);
  }
}
