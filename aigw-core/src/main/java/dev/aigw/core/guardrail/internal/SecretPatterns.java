package dev.aigw.core.guardrail.internal;

import static dev.aigw.core.guardrail.internal.PiiChars.isAsciiAlnum;
import static dev.aigw.core.guardrail.internal.PiiChars.isAsciiLetter;
import static dev.aigw.core.guardrail.internal.PiiChars.isBase64Url;
import static dev.aigw.core.guardrail.internal.PiiChars.isDigit;
import static dev.aigw.core.guardrail.internal.PiiChars.isLower;
import static dev.aigw.core.guardrail.internal.PiiChars.isUpper;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Credentials by their published formats: provider API keys and tokens by prefix, PEM and OpenPGP
 * private key blocks, JSON Web Tokens, and passwords in URLs.
 */
final class SecretPatterns {
  static final int MAX_KEY = 256;
  static final int MAX_URL_PASSWORD = 256;

  /** How far the authority of a URL is searched for its '@'. */
  private static final int MAX_AUTHORITY = 512;

  /** Which chars the body of a token may hold. */
  private enum Body {
    UPPER_DIGITS, ALNUM, ALNUM_UNDERSCORE, ALNUM_HYPHEN, BASE64URL;

    boolean holds(char c) {
      switch (this) {
        case UPPER_DIGITS:
          return isUpper(c) || isDigit(c);
        case ALNUM:
          return isAsciiAlnum(c);
        case ALNUM_UNDERSCORE:
          return isAsciiAlnum(c) || c == '_';
        case ALNUM_HYPHEN:
          return isAsciiAlnum(c) || c == '-';
        default:
          return isBase64Url(c);
      }
    }
  }

  /** A token format: a fixed prefix, then {@code min..max} chars of {@code body}. */
  private record Format(String prefix, Body body, int min, int max) {
    Format {
      if (prefix.length() + max > MAX_KEY) {
        throw new IllegalArgumentException(prefix);
      }
    }
  }

  /**
   * The key formats. No prefix is the start of another, so the first whose prefix stands at a
   * position decides.
   */
  private static final List<Format> FORMATS = List.of(
      aws("AKIA"), aws("ASIA"), aws("AGPA"), aws("AIDA"), aws("AROA"), aws("ANPA"), aws("ANVA"), aws("AIPA"), aws("ABIA"),
      aws("ACCA"), // AWS access key ids
      new Format("AIza", Body.BASE64URL, 35, 35), // Google API keys
      new Format("sk-", Body.BASE64URL, 32, 253), // OpenAI (sk-proj-, sk-svcacct-, sk-admin-) and Anthropic (sk-ant-)
      new Format("sk_live_", Body.ALNUM, 20, 248), // Stripe secret keys
      new Format("rk_live_", Body.ALNUM, 20, 248), // Stripe restricted keys
      new Format("ghp_", Body.ALNUM, 36, 252), // GitHub personal, OAuth, user-to-server, server-to-server, refresh tokens
      new Format("gho_", Body.ALNUM, 36, 252),
      new Format("ghu_", Body.ALNUM, 36, 252),
      new Format("ghs_", Body.ALNUM, 36, 252),
      new Format("ghr_", Body.ALNUM, 36, 252),
      new Format("github_pat_", Body.ALNUM_UNDERSCORE, 22, 245), // GitHub fine-grained tokens
      new Format("glpat-", Body.BASE64URL, 20, 250), // GitLab personal access tokens
      new Format("xoxb-", Body.ALNUM_HYPHEN, 10, 251), // Slack bot, user, app, refresh, ... tokens
      new Format("xoxp-", Body.ALNUM_HYPHEN, 10, 251),
      new Format("xoxa-", Body.ALNUM_HYPHEN, 10, 251),
      new Format("xoxr-", Body.ALNUM_HYPHEN, 10, 251),
      new Format("xoxe-", Body.ALNUM_HYPHEN, 10, 251),
      new Format("xoxs-", Body.ALNUM_HYPHEN, 10, 251),
      new Format("hf_", Body.ALNUM, 30, 253), // Hugging Face
      new Format("npm_", Body.ALNUM, 36, 252)); // npm

  /** The first two chars of every prefix, at {@code first << 7 | second}. */
  private static final boolean[] FIRST_TWO = new boolean[128 * 128];

  static {
    for (Format f : FORMATS) {
      FIRST_TWO[f.prefix().charAt(0) << 7 | f.prefix().charAt(1)] = true;
    }
  }

  private SecretPatterns() {}

  private static Format aws(String prefix) {
    return new Format(prefix, Body.UPPER_DIGITS, 16, 16);
  }

  /** Whether some key prefix starts with {@code a} and {@code b}: a cheap test before {@link #matchApiKey}. */
  static boolean mayStartKey(char a, char b) {
    return a < 128 && b < 128 && FIRST_TWO[a << 7 | b];
  }

  /**
   * The end of the API key or token starting at {@code start} (the caller has checked that no
   * letter, digit, '-' or '_' comes before), or -1. The token must end there: no base64url char
   * may follow; and its body must mix two of upper-case, lower-case and digits.
   */
  static int matchApiKey(String s, int start) {
    int n = s.length();
    for (Format f : FORMATS) {
      if (!s.startsWith(f.prefix(), start)) {
        continue;
      }
      int from = start + f.prefix().length();
      int p = from;
      int classes = 0;
      while (p < n && f.body().holds(s.charAt(p)) && p - from <= f.max()) {
        char c = s.charAt(p);
        classes |= isUpper(c) ? 1 : isLower(c) ? 2 : isDigit(c) ? 4 : 0;
        p++;
      }
      int size = p - from;
      if (size < f.min() || size > f.max() || p < n && isBase64Url(s.charAt(p)) || Integer.bitCount(classes) < 2) {
        return -1;
      }
      return p;
    }
    return -1;
  }

  /**
   * The end of the private key block whose "-----BEGIN " starts at {@code start}, or -1: a label
   * ending in "PRIVATE KEY" (or "PRIVATE KEY BLOCK", OpenPGP), a body of base64, armour headers
   * and line breaks (literal, or escaped as in a JSON string) with at least 40 base64 chars, and
   * the "-----END" line with the same label; {@code limit} chars at most in all.
   */
  static int matchPrivateKey(String s, int start, int limit) {
    int n = s.length();
    if (!s.startsWith("-----BEGIN ", start)) {
      return -1;
    }
    int labelStart = start + 11;
    int p = labelStart;
    while (p < n && (isUpper(s.charAt(p)) || isDigit(s.charAt(p)) || s.charAt(p) == ' ') && p - labelStart < 40) {
      p++;
    }
    int labelEnd = p;
    if (!s.startsWith("-----", p) || !(endsWith(s, labelEnd, "PRIVATE KEY") || endsWith(s, labelEnd, "PRIVATE KEY BLOCK"))) {
      return -1;
    }
    int bodyStart = p + 5;
    int base64 = 0;
    int limitEnd = (int) Math.min(n, (long) start + limit);
    for (p = bodyStart; p < limitEnd; p++) {
      char c = s.charAt(p);
      if (isAsciiAlnum(c) || c == '+' || c == '/' || c == '=') {
        base64++;
      } else if (c == '-' && s.startsWith("-----", p)) {
        break;
      } else if (!(c <= ' ' || c == '\\' || c == ':' || c == ',' || c == '.' || c == '-' || c == '(' || c == ')' || c == '_')) {
        return -1;
      }
    }
    int labelLength = labelEnd - labelStart;
    int end = p + 9 + labelLength + 5;
    if (base64 < 40 || end > limitEnd || !s.startsWith("-----END ", p)
        || !s.regionMatches(p + 9, s, labelStart, labelLength) || !s.startsWith("-----", p + 9 + labelLength)) {
      return -1;
    }
    return end;
  }

  private static boolean endsWith(String s, int end, String suffix) {
    return end >= suffix.length() && s.startsWith(suffix, end - suffix.length());
  }

  /**
   * The end of the JSON Web Token starting at {@code start} ("eyJ", the caller has checked that
   * no base64url char or '.' comes before), or -1: three base64url segments (JWS) or five (JWE,
   * whose second may be empty), the first decoding to a JSON object with an "alg" member; {@code
   * limit} chars at most.
   */
  static int matchJwt(String s, int start, int limit) {
    int n = s.length();
    int limitEnd = (int) Math.min(n, (long) start + limit);
    int[] sizes = new int[5];
    int segments = 0;
    int p = start;
    while (true) {
      int from = p;
      while (p < limitEnd && isBase64Url(s.charAt(p))) {
        p++;
      }
      sizes[segments++] = p - from;
      if (segments < 5 && p + 1 < limitEnd && s.charAt(p) == '.'
          && (isBase64Url(s.charAt(p + 1)) || segments == 1 && s.charAt(p + 1) == '.')) {
        p++;
        continue;
      }
      break;
    }
    if (p < n && (isBase64Url(s.charAt(p)) || s.charAt(p) == '=' || s.charAt(p) == '.' && p + 1 < n && isBase64Url(s.charAt(p + 1)))) {
      return -1; // goes on: longer than the limit, or more segments
    }
    boolean shape = segments == 3 && sizes[1] > 0 && sizes[2] > 0
        || segments == 5 && sizes[2] > 0 && sizes[3] > 0 && sizes[4] > 0; // a JWE's encrypted key may be empty
    return shape && header(s, start, start + sizes[0]) ? p : -1;
  }

  /** Whether {@code s[from, to)} is base64url of a JSON object with an "alg" member. */
  private static boolean header(String s, int from, int to) {
    if (to - from > 2048) {
      return false;
    }
    byte[] json;
    try {
      json = Base64.getUrlDecoder().decode(s.substring(from, to));
    } catch (IllegalArgumentException e) {
      return false;
    }
    String text = new String(json, StandardCharsets.UTF_8).strip();
    return text.startsWith("{") && text.endsWith("}") && text.contains("\"alg\"");
  }

  /**
   * The password of the URL whose "://" starts at {@code colon}, as {@link PiiScanner#span}, or
   * -1: the text between the first ':' of the user information and the last '@' of the authority
   * (so an unescaped '@' in a password is part of it), at most {@value #MAX_URL_PASSWORD} chars.
   */
  static long matchUrlPassword(String s, int colon) {
    int n = s.length();
    int k = colon;
    while (k > 0 && (isAsciiAlnum(s.charAt(k - 1)) || s.charAt(k - 1) == '+' || s.charAt(k - 1) == '.' || s.charAt(k - 1) == '-')) {
      k--;
    }
    if (k == colon || !isAsciiLetter(s.charAt(k))) {
      return -1;
    }
    int authority = colon + 3;
    int limitEnd = Math.min(n, authority + MAX_AUTHORITY);
    int at = -1;
    int p = authority;
    for (; p < limitEnd; p++) {
      char c = s.charAt(p);
      if (c <= ' ' || c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '\\') {
        break;
      }
      if (c == '@') {
        at = p;
      }
    }
    if (at < 0 || at + 1 >= p) {
      return -1; // no user information, or no host after it
    }
    int password = authority;
    while (password < at && s.charAt(password) != ':') {
      password++;
    }
    if (password == at || at - password - 1 < 1 || at - password - 1 > MAX_URL_PASSWORD) {
      return -1;
    }
    return PiiScanner.span(password + 1, at);
  }
}
