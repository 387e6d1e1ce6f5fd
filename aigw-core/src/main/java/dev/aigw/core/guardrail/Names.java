package dev.aigw.core.guardrail;

import java.util.Objects;
import java.util.regex.Pattern;

/** The rule for guardrail names: lower-case letters, digits, '.', '_' and '-'. */
final class Names {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private Names() {}

  /** @throws IllegalArgumentException when {@code name} is not lower-case {@code [a-z0-9._-]} */
  static String check(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a guardrail name must be lower-case letters, digits, '.', '_' or '-', was '" + name + "'");
    }
    return name;
  }
}
