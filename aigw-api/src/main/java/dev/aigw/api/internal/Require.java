package dev.aigw.api.internal;

import dev.aigw.api.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Argument checks that throw {@link InvalidRequestException} naming the field. */
public final class Require {
  private Require() {}

  /** Returns {@code value}, or throws when it is null. */
  public static <T> T nonNull(@Nullable T value, String field) {
    if (value == null) {
      throw new InvalidRequestException(field, "must not be null");
    }
    return value;
  }

  /** Returns {@code value}, or throws when it is null, empty or only whitespace. */
  public static String nonBlank(@Nullable String value, String field) {
    nonNull(value, field);
    if (value.isBlank()) {
      throw new InvalidRequestException(field, "must not be blank");
    }
    return value;
  }

  /** Returns {@code value}, or throws when it is negative. */
  public static long nonNegative(long value, String field) {
    if (value < 0) {
      throw new InvalidRequestException(field, "must not be negative, was " + value);
    }
    return value;
  }

  /** Returns {@code value}, or throws when it is not strictly positive. */
  public static int positive(int value, String field) {
    if (value <= 0) {
      throw new InvalidRequestException(field, "must be positive, was " + value);
    }
    return value;
  }

  /** Returns {@code value}, or throws when it is NaN or outside [min, max]. */
  public static double inRange(double value, double min, double max, String field) {
    if (Double.isNaN(value) || value < min || value > max) {
      throw new InvalidRequestException(field, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  /** An unmodifiable copy of {@code values}, or throws naming the first null element ({@code field[i]}). */
  public static <T> List<T> elements(@Nullable List<? extends T> values, String field) {
    nonNull(values, field);
    List<T> copy = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      T value = values.get(i);
      if (value == null) {
        throw new InvalidRequestException(field + "[" + i + "]", "must not be null");
      }
      copy.add(value);
    }
    return Collections.unmodifiableList(copy);
  }
}
