package dev.aigw.core.guardrail.internal;

import static dev.aigw.core.guardrail.internal.PiiChars.digitAt;
import static dev.aigw.core.guardrail.internal.PiiChars.isAsciiAlnum;
import static dev.aigw.core.guardrail.internal.PiiChars.isBase64Url;
import static dev.aigw.core.guardrail.internal.PiiChars.isDigit;
import static dev.aigw.core.guardrail.internal.PiiChars.isHex;
import static dev.aigw.core.guardrail.internal.PiiChars.isWordChar;

import dev.aigw.core.guardrail.PiiType;
import java.util.Set;

/**
 * Finds personal data and secrets in one pass over a text. The fast path looks up each pair of
 * chars in a table and stops only where something may start: a digit at the start of a word
 * (cards, SSNs, phones, IPv4), a word starting with a key prefix ("sk", "gh", "AK", ...), "ey" (a
 * JWT) or a country code with an IBAN, '+' or '(' before a digit (phones), '@' (e-mail), ':' (IPv6,
 * and "://" for URL passwords) and "--" (private key blocks). There the detectors validate their
 * candidate; a short number on its own (a year, a price) is passed over at once.
 *
 * <p>Matches never overlap: the text is read left to right, the first detector to match at a
 * position wins, and the scan goes on after its match. A match found backwards from its trigger
 * (an e-mail's local part, an IPv6 address) may not reach into an earlier match. Immutable and
 * thread-safe.
 */
public final class PiiScanner {
  /** The longest private key block or JWT found on input (on output: their {@link PiiType#maxLength()}). */
  public static final int INPUT_LIMIT = 65_536;

  /** Receives what a scan finds, in the order of the text. */
  @FunctionalInterface
  public interface Sink {
    /** {@code type} found at {@code [start, end)}. */
    void found(PiiType type, int start, int end);
  }

  /** In {@link #PAIRS}: something may start here if it is the start of a word. */
  private static final byte AT_WORD_START = 1;
  /** In {@link #PAIRS}: something may start here. */
  private static final byte ANYWHERE = 2;
  /** In {@link #PAIRS}: the first char is an ASCII letter or digit. */
  private static final byte ALNUM = 4;

  /**
   * What two ASCII chars {@code c, d} in a row may start, at {@code c << 7 | d}: a number (a digit
   * at the start of a word), a key prefix ("sk", "gh", "AK", ...), a JWT ("ey") or an IBAN (a
   * country code, "DE") at the start of a word; and anywhere '+' or '(' before a digit (a phone),
   * '@' (an e-mail), ':' before a hex digit, ':' or '/' (IPv6, a URL) and "--" (a PEM block).
   * Looking up each pair of chars in this table, without a branch, is the scan's fast path.
   */
  private static final byte[] PAIRS = new byte[128 * 128];

  static {
    for (char c = 0; c < 128; c++) {
      for (char d = 0; d < 128; d++) {
        int flags = 0;
        if (isAsciiAlnum(c)) {
          flags |= ALNUM;
          boolean starts = isDigit(c)
              || PiiChars.isUpper(c) && PiiChars.isUpper(d) && Iban.length(c, d) > 0
              || SecretPatterns.mayStartKey(c, d)
              || c == 'e' && d == 'y';
          flags |= starts ? AT_WORD_START : 0;
        }
        boolean punctuation = (c == '+' || c == '(') && isDigit(d)
            || c == '@'
            || c == ':' && (isHex(d) || d == ':' || d == '/')
            || c == '-' && d == '-';
        flags |= punctuation ? ANYWHERE : 0;
        PAIRS[c << 7 | d] = (byte) flags;
      }
    }
  }

  private final boolean email;
  private final boolean phone;
  private final boolean card;
  private final boolean iban;
  private final boolean ssn;
  private final boolean ip;
  private final boolean apiKey;
  private final boolean privateKey;
  private final boolean jwt;
  private final boolean urlPassword;

  /** A scanner for {@code types}. */
  public PiiScanner(Set<PiiType> types) {
    email = types.contains(PiiType.EMAIL);
    phone = types.contains(PiiType.PHONE);
    card = types.contains(PiiType.PAYMENT_CARD);
    iban = types.contains(PiiType.IBAN);
    ssn = types.contains(PiiType.US_SSN);
    ip = types.contains(PiiType.IP_ADDRESS);
    apiKey = types.contains(PiiType.API_KEY);
    privateKey = types.contains(PiiType.PRIVATE_KEY);
    jwt = types.contains(PiiType.JWT);
    urlPassword = types.contains(PiiType.URL_PASSWORD);
  }

  /** A span as one long, for detectors that find their start: start in the high half, end in the low. */
  static long span(int start, int end) {
    return (long) start << 32 | end;
  }

  /**
   * Reports to {@code sink} what {@code text} holds, in order and without overlaps. {@code input}
   * selects the limits for private keys and JWTs: {@link #INPUT_LIMIT} on input, their {@link
   * PiiType#maxLength()} on output.
   */
  public void scan(String text, boolean input, Sink sink) {
    new Run(text, input, sink).scan();
  }

  /**
   * The first index from {@code i} on where something may start, or the length of {@code s}: the
   * fast path, one table look-up per char and no branch but the loop's. It has no calls, so that
   * the compiler keeps it tight (the detectors, inlined into the same loop, made it half as fast).
   */
  private static int next(String s, int i) {
    int n = s.length();
    if (i >= n) {
      return n;
    }
    int previous = i > 0 && isAsciiAlnum(s.charAt(i - 1)) ? ALNUM : 0;
    int c = s.charAt(i);
    while (i < n) {
      int d = i + 1 < n ? s.charAt(i + 1) : ' ';
      int flags = (c | d) < 128 ? PAIRS[c << 7 | d] : c < 128 ? PAIRS[c << 7] & ALNUM : 0;
      if ((flags & ANYWHERE | flags & AT_WORD_START & ~(previous >> 2)) != 0) {
        return i;
      }
      previous = flags;
      c = d;
      i++;
    }
    return n;
  }

  /** The state of one scan. */
  private final class Run {
    private final String s;
    private final int n;
    private final Sink sink;
    private final int keyLimit;
    private final int jwtLimit;
    /** Where the last match ended: nothing may start before. */
    private int lastEnd;
    /** Up to where a ':' need not be looked at again for IPv6. */
    private int v6Checked;
    private final byte[] digits = new byte[PiiCards.MAX_DIGITS];
    private final int[] groupEnds = new int[PiiCards.MAX_GROUPS];
    private final int[] groupCounts = new int[PiiCards.MAX_GROUPS];
    private final char[] ibanChars = new char[Iban.MAX_LENGTH];

    Run(String s, boolean input, Sink sink) {
      this.s = s;
      this.n = s.length();
      this.sink = sink;
      this.keyLimit = input ? INPUT_LIMIT : PiiType.PRIVATE_KEY.maxLength();
      this.jwtLimit = input ? INPUT_LIMIT : PiiType.JWT.maxLength();
    }

    void scan() {
      int i = 0;
      while ((i = next(s, i)) < n) {
        char c = s.charAt(i);
        int end = isAsciiAlnum(c) ? (isDigit(c) ? number(i) : word(i)) : punctuation(c, i);
        i = end > i ? end : i + 1;
      }
    }

    /** At a char that may start something wherever it stands: the end of what it found, or -1. */
    private int punctuation(int c, int i) {
      switch (c) {
        case '+':
          return plus(i);
        case '(':
          return paren(i);
        case '@':
          return at(i);
        case ':':
          return colon(i);
        default:
          return dash(i);
      }
    }

    private int found(PiiType type, int start, int end) {
      sink.found(type, start, end);
      lastEnd = end;
      return end;
    }

    private int found(PiiType type, long span) {
      return found(type, (int) (span >>> 32), (int) span);
    }

    /** Whether a token (a key, a JWT) may start at {@code i}: not glued to one. */
    private boolean tokenStart(int i) {
      if (i == 0) {
        return true;
      }
      char c = s.charAt(i - 1);
      return !isBase64Url(c) && !isWordChar(c) && c != '.';
    }

    /** At a number: the end of what it found, or -1. */
    private int number(int i) {
      int run = i + 1;
      while (run < n && isDigit(s.charAt(run))) {
        run++;
      }
      int size = run - i;
      boolean international = size >= 10 && s.charAt(i) == '0' && s.charAt(i + 1) == '0';
      if (size < 13 && size != 9 && !international && !groupFollows(run)) {
        return run; // a short number on its own: a year, a price, a count
      }
      boolean start = !PiiChars.wordBefore(s, i)
          && !(i >= 2 && (s.charAt(i - 1) == '.' || s.charAt(i - 1) == ',') && isDigit(s.charAt(i - 2)));
      if (start) {
        int end;
        if (ip && (end = PiiIps.matchV4(s, i)) > 0) {
          return found(PiiType.IP_ADDRESS, i, end);
        }
        if (card && (end = PiiCards.match(s, i, digits, groupEnds, groupCounts)) > 0) {
          return found(PiiType.PAYMENT_CARD, i, end);
        }
        if (ssn && (end = PiiSsn.match(s, i)) > 0) {
          return found(PiiType.US_SSN, i, end);
        }
        if (phone && PiiPhones.startsHere(s, i)) {
          if ((end = PiiPhones.matchNanp(s, i)) > 0) {
            return found(PiiType.PHONE, i, end);
          }
          if (s.charAt(i) == '0' && digitAt(s, i + 1) && s.charAt(i + 1) == '0' && !(i >= 2 && digitAt(s, i - 2))
              && (end = PiiPhones.matchInternational(s, i, i + 2)) > 0) {
            // (00 after another group of digits is the middle of a longer number, an account number say)
            return found(PiiType.PHONE, i, end);
          }
        }
      }
      return -1;
    }

    /** Whether another group of digits follows {@code end}: after '(', or a separator and a digit or '('. */
    private boolean groupFollows(int end) {
      if (end + 1 >= n) {
        return false;
      }
      char c = s.charAt(end);
      char d = s.charAt(end + 1);
      return c == '(' || (c == ' ' || c == '-' || c == '.' || c == '/') && (isDigit(d) || d == '(');
    }

    /**
     * At a word whose first two letters may start a key, a JWT or an IBAN: the end of what it
     * found, or -1.
     */
    private int word(int i) {
      char c = s.charAt(i);
      int end;
      if (apiKey && i + 1 < n && SecretPatterns.mayStartKey(c, s.charAt(i + 1)) && tokenStart(i)
          && (end = SecretPatterns.matchApiKey(s, i)) > 0) {
        return found(PiiType.API_KEY, i, end);
      }
      if (c == 'e') {
        if (jwt && i + 2 < n && s.charAt(i + 2) == 'J' && tokenStart(i) && (end = SecretPatterns.matchJwt(s, i, jwtLimit)) > 0) {
          return found(PiiType.JWT, i, end);
        }
      } else if (iban && PiiChars.isUpper(c) && !PiiChars.wordBefore(s, i) && (end = Iban.shape(s, i, ibanChars)) > 0) {
        if (Iban.validChecksum(ibanChars, Iban.length(c, s.charAt(i + 1)))) {
          return found(PiiType.IBAN, i, end);
        }
        return end; // a mistyped IBAN: its groups of digits are no phone number or card either
      }
      return -1;
    }

    private int plus(int i) {
      int end;
      if (phone && digitAt(s, i + 1) && PiiPhones.startsHere(s, i)
          && (end = PiiPhones.matchInternational(s, i, i + 1)) > 0) {
        return found(PiiType.PHONE, i, end);
      }
      return -1;
    }

    private int paren(int i) {
      int end;
      if (phone && digitAt(s, i + 1) && PiiPhones.startsHere(s, i) && (end = PiiPhones.matchNanp(s, i)) > 0) {
        return found(PiiType.PHONE, i, end);
      }
      return -1;
    }

    private int at(int i) {
      long span;
      if (email && (span = PiiEmails.match(s, i, lastEnd)) >= 0) {
        return found(PiiType.EMAIL, span);
      }
      return -1;
    }

    private int colon(int i) {
      long span;
      if (i + 2 < n && s.charAt(i + 1) == '/' && s.charAt(i + 2) == '/') {
        if (urlPassword && (span = SecretPatterns.matchUrlPassword(s, i)) >= 0) {
          return found(PiiType.URL_PASSWORD, span);
        }
        return i + 3;
      }
      if (ip && i >= v6Checked && i + 1 < n) {
        char next = s.charAt(i + 1);
        boolean before = i > 0 && isHex(s.charAt(i - 1));
        if ((before || next == ':') && (isHex(next) || next == ':')) {
          if ((span = PiiIps.matchV6(s, i, lastEnd)) >= 0) {
            return found(PiiType.IP_ADDRESS, span);
          }
          int end = i + 1;
          while (end < n && (isHex(s.charAt(end)) || s.charAt(end) == ':' || s.charAt(end) == '.')) {
            end++;
          }
          v6Checked = end; // the rest of this run of hex digits and colons is no address either
        }
      }
      return -1;
    }

    private int dash(int i) {
      int end;
      if (privateKey && i + 10 < n && s.charAt(i + 1) == '-' && (end = SecretPatterns.matchPrivateKey(s, i, keyLimit)) > 0) {
        return found(PiiType.PRIVATE_KEY, i, end);
      }
      return -1;
    }
  }
}
