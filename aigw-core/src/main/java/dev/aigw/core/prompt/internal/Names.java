package dev.aigw.core.prompt.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/** The form of prompt names and versions. */
public final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private Names() {}

  /**
   * Checks a prompt name or version: a letter or digit, then letters, digits, {@code '.'}, {@code
   * '_'} or {@code '-'} (so never {@code '/'}, {@code '@'}, {@code ':'}, {@code ','} or spaces, which
   * the index and {@code name@version} use as separators).
   *
   * @param what {@code "prompt name"} or {@code "prompt version"}, for the message
   * @return {@code value}
   * @throws IllegalArgumentException when it is not of that form
   */
  public static String check(String value, String what) {
    Objects.requireNonNull(value, what);
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a " + what + " must be letters, digits, '.', '_' or '-' and start with a letter or digit, was '" + value + "'");
    }
    return value;
  }

  /** Whether {@code value} is a valid prompt name or version. */
  public static boolean valid(String value) {
    return NAME.matcher(value).matches();
  }
}
