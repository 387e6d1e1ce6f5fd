package dev.aigw.api.internal;

import dev.aigw.api.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Deep, unmodifiable copies of JSON-like values: String, Number, Boolean, List and Map with
 * String keys. Used for provider passthrough options, so anything stored can be written as JSON.
 */
public final class JsonValues {
  private JsonValues() {}

  /** A deep unmodifiable copy of {@code map}, or throws naming the first bad key or value. */
  public static Map<String, Object> copyObject(@Nullable Map<String, ?> map, String field) {
    Require.nonNull(map, field);
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isBlank()) {
        throw new InvalidRequestException(field, "keys must not be null or blank");
      }
      copy.put(key, copyValue(e.getValue(), field + "." + key, 1));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static final int MAX_DEPTH = 64;

  private static boolean isImmutableNumber(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Double || n instanceof Float
        || n instanceof Short || n instanceof Byte || n instanceof java.math.BigDecimal
        || n instanceof java.math.BigInteger;
  }

  /** A deep unmodifiable copy of one JSON-like value, at most 64 levels deep (so cycles are rejected). */
  private static Object copyValue(@Nullable Object value, String field, int depth) {
    if (depth > MAX_DEPTH) {
      throw new InvalidRequestException(field, "nests deeper than " + MAX_DEPTH + " levels (or contains a cycle)");
    }
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      if (!isImmutableNumber(n)) {
        throw new InvalidRequestException(field, "must be an Integer, Long, Double, Float, Short, Byte, BigDecimal or BigInteger, was " + n.getClass().getName());
      }
      if (n instanceof Double d && (d.isNaN() || d.isInfinite()) || n instanceof Float f && (f.isNaN() || f.isInfinite())) {
        throw new InvalidRequestException(field, "must be a finite number, was " + n);
      }
      return n;
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String key) || key.isBlank()) {
          throw new InvalidRequestException(field, "object keys must be non-blank strings");
        }
        copy.put(key, copyValue(e.getValue(), field + "." + key, depth + 1));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        copy.add(copyValue(l.get(i), field + "[" + i + "]", depth + 1));
      }
      return Collections.unmodifiableList(copy);
    }
    if (value == null) {
      throw new InvalidRequestException(field, "must not be null");
    }
    throw new InvalidRequestException(
        field, "must be a String, Number, Boolean, List or Map, was " + value.getClass().getName());
  }
}
