package dev.aigw.core.guardrail.internal;

import static dev.aigw.core.guardrail.internal.PiiChars.isAsciiAlnum;
import static dev.aigw.core.guardrail.internal.PiiChars.isDigit;
import static dev.aigw.core.guardrail.internal.PiiChars.isUpper;
import static dev.aigw.core.guardrail.internal.PiiChars.isWordChar;

/**
 * International Bank Account Numbers (ISO 13616): the country's length from the SWIFT IBAN
 * registry and the ISO 7064 mod-97-10 check.
 */
public final class Iban {
  /** The longest IBAN, in chars without spaces. */
  static final int MAX_LENGTH = 34;

  /**
   * The length of an IBAN per country, indexed by {@code (first - 'A') * 26 + (second - 'A')};
   * 0 for countries that have none. From the SWIFT IBAN registry (release 99, 2025), which also
   * covers dependent territories that use their parent's code (FR for the French overseas
   * departments, GB for the Crown dependencies, ...).
   */
  private static final byte[] LENGTHS = new byte[26 * 26];

  static {
    String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 "
        + "DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 "
        + "HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 "
        + "LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 "
        + "QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 "
        + "UA29 VA22 VG24 XK20 YE30";
    for (String entry : table.split(" ")) {
      LENGTHS[index(entry.charAt(0), entry.charAt(1))] = Byte.parseByte(entry.substring(2));
    }
  }

  private Iban() {}

  private static int index(char first, char second) {
    return (first - 'A') * 26 + (second - 'A');
  }

  /** The IBAN length of the country with the ISO 3166 code {@code country}, or 0 if it has none. */
  public static int length(String country) {
    if (country.length() != 2 || !isUpper(country.charAt(0)) || !isUpper(country.charAt(1))) {
      return 0;
    }
    return length(country.charAt(0), country.charAt(1));
  }

  /** The IBAN length of the country with the upper-case code {@code first second}, or 0. */
  static int length(char first, char second) {
    return LENGTHS[index(first, second)];
  }

  /**
   * Whether the IBAN in electronic format (no spaces, upper case) passes the mod-97 check: the
   * first four chars moved to the end, letters as 10–35, the number mod 97 is 1.
   */
  public static boolean validChecksum(CharSequence iban) {
    char[] chars = new char[iban.length()];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = iban.charAt(i);
    }
    return validChecksum(chars, chars.length);
  }

  /** Whether the first {@code length} chars of {@code iban}, in electronic format, pass the mod-97 check. */
  static boolean validChecksum(char[] iban, int length) {
    if (length < 5) {
      return false;
    }
    int remainder = 0;
    for (int k = 0; k < length; k++) {
      char c = iban[(k + 4) % length];
      if (isDigit(c)) {
        remainder = (remainder * 10 + (c - '0')) % 97;
      } else if (isUpper(c)) {
        remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
      } else {
        return false;
      }
    }
    return remainder == 1;
  }

  /**
   * The end of the IBAN-shaped text starting at {@code start} (the caller has checked that no
   * letter or digit comes before), or -1: a country code of the registry, two digits and as many
   * upper-case letters and digits as the country's IBAN has, unbroken or in groups of four, not
   * followed by a letter or digit. Its chars, without spaces, are left in {@code scratch} (of at
   * least {@value #MAX_LENGTH} chars) for {@link #validChecksum(char[], int)}.
   */
  static int shape(String s, int start, char[] scratch) {
    int n = s.length();
    if (start + 4 > n) {
      return -1;
    }
    char a = s.charAt(start);
    char b = s.charAt(start + 1);
    if (!isUpper(a) || !isUpper(b) || !isDigit(s.charAt(start + 2)) || !isDigit(s.charAt(start + 3))) {
      return -1;
    }
    int length = LENGTHS[index(a, b)];
    if (length == 0) {
      return -1;
    }
    // Electronic format: one run of length chars. Print format: groups of four after single spaces.
    boolean print = start + 5 < n && s.charAt(start + 4) == ' ';
    int p = start;
    int count = 0;
    while (count < length) {
      if (p >= n) {
        return -1;
      }
      char c = s.charAt(p);
      if (print && count > 0 && count % 4 == 0) {
        if (c != ' ') {
          return -1;
        }
        p++;
        if (p >= n) {
          return -1;
        }
        c = s.charAt(p);
      }
      if (!isDigit(c) && !isUpper(c)) {
        return -1;
      }
      scratch[count++] = c;
      p++;
    }
    if (p < n && (isWordChar(s.charAt(p)) || s.charAt(p) == '-' && p + 1 < n && isAsciiAlnum(s.charAt(p + 1)))) {
      return -1;
    }
    return p;
  }
}
