package dev.aigw.core.tokens;

import com.knuddels.jtokkit.api.EncodingType;
import java.util.Objects;

/** The shared counters and the model-name mapping behind {@link TokenCounter#forModel(String)}. */
final class Counters {
  static final TokenCounter O200K = new BpeTokenCounter(EncodingType.O200K_BASE);
  static final TokenCounter CL100K = new BpeTokenCounter(EncodingType.CL100K_BASE);
  static final TokenCounter CLAUDE = new EstimatingTokenCounter(O200K, TokenCounter.CLAUDE_FACTOR);
  static final TokenCounter CLAUDE_4_7 = new EstimatingTokenCounter(O200K, TokenCounter.CLAUDE_4_7_FACTOR);
  static final TokenCounter GEMINI = new EstimatingTokenCounter(O200K, TokenCounter.GEMINI_FACTOR);
  static final TokenCounter DEFAULT = new EstimatingTokenCounter(O200K, TokenCounter.DEFAULT_FACTOR);

  /** Checked first: newer OpenAI families whose names would otherwise match a cl100k prefix ("gpt-4"). */
  private static final String[] O200K_PREFIXES = {
    "gpt-4o", "gpt-4.1", "gpt-4.5", "chatgpt-", "gpt-oss", "gpt-realtime", "gpt-audio", "gpt-image",
    "codex-", "computer-use", "omni-moderation",
  };

  private static final String[] CL100K_PREFIXES = {
    "gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada-002", "davinci-002", "babbage-002",
  };

  private Counters() {}

  static TokenCounter forModel(String model) {
    Objects.requireNonNull(model, "model");
    int start = model.lastIndexOf('/') + 1;
    if (startsWith(model, start, "ft:")) {
      start += 3;
    }
    for (String prefix : O200K_PREFIXES) {
      if (startsWith(model, start, prefix)) {
        return O200K;
      }
    }
    for (String prefix : CL100K_PREFIXES) {
      if (startsWith(model, start, prefix)) {
        return CL100K;
      }
    }
    if (isLaterGpt(model, start) || isOSeries(model, start)) {
      return O200K;
    }
    int claude = indexOf(model, start, "claude");
    if (claude >= 0) {
      return isClaudeBefore4_7(model, claude + "claude".length()) ? CLAUDE : CLAUDE_4_7;
    }
    if (indexOf(model, start, "gemini") >= 0 || indexOf(model, start, "gemma") >= 0) {
      return GEMINI;
    }
    return DEFAULT;
  }

  /** {@code gpt-N...} with N >= 5 (gpt-5, gpt-5-mini, gpt-5.1, gpt-6...); gpt-35 was handled before. */
  private static boolean isLaterGpt(String model, int start) {
    if (!startsWith(model, start, "gpt-")) {
      return false;
    }
    int i = start + 4;
    int major = 0;
    int digits = 0;
    while (i < model.length() && isDigit(model.charAt(i)) && digits < 3) {
      major = major * 10 + (model.charAt(i++) - '0');
      digits++;
    }
    return digits > 0 && major >= 5;
  }

  /** {@code o1}, {@code o3-mini}, {@code o4-mini}...: the letter o and a digit. */
  private static boolean isOSeries(String model, int start) {
    return model.length() > start + 1
        && Character.toLowerCase(model.charAt(start)) == 'o'
        && isDigit(model.charAt(start + 1));
  }

  /**
   * Whether the Claude version after {@code from} (the end of "claude") is known and below 4.7.
   * Reads the first number of one or two digits as the major version and a number right after it
   * as the minor, skipping words: "-3-5-sonnet-20240620" is 3.5, "-3-opus-20240229" 3.0,
   * "-sonnet-4-5-20250929" 4.5, "-opus-4-20250514" 4.0 (an 8-digit date is not a version),
   * "-sonnet-4.5" 4.5, "-opus-4-7" 4.7. No number at all: unknown, so not "before 4.7".
   */
  private static boolean isClaudeBefore4_7(String model, int from) {
    int major = -1;
    int minor = 0;
    int i = from;
    int end = model.length();
    while (i < end) {
      char c = model.charAt(i);
      if (c == '-' || c == '.' || c == '_') {
        i++;
        continue;
      }
      if (c == '@' || c == ':') {
        break;
      }
      int j = i;
      boolean numeric = true;
      while (j < end && Character.isLetterOrDigit(model.charAt(j))) {
        numeric &= isDigit(model.charAt(j));
        j++;
      }
      if (j == i) { // some other punctuation
        i++;
        continue;
      }
      boolean version = numeric && j - i <= 2;
      if (major < 0) {
        if (version) {
          major = Integer.parseInt(model, i, j, 10);
        }
      } else {
        if (version) {
          minor = Integer.parseInt(model, i, j, 10);
        }
        break; // only the token right after the major can be the minor
      }
      i = j;
    }
    return major >= 0 && (major < 4 || (major == 4 && minor < 7));
  }

  private static boolean startsWith(String s, int offset, String prefix) {
    return s.regionMatches(true, offset, prefix, 0, prefix.length());
  }

  /** The first index at or after {@code from} where {@code needle} occurs, ignoring case; -1 if none. */
  private static int indexOf(String s, int from, String needle) {
    for (int i = from, last = s.length() - needle.length(); i <= last; i++) {
      if (s.regionMatches(true, i, needle, 0, needle.length())) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
