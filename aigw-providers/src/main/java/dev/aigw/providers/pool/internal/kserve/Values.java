package dev.aigw.providers.pool.internal.kserve;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Converts tensor elements and parameter values to the types this package holds them as. */
final class Values {
  private Values() {}

  /**
   * The elements converted for {@code datatype}, flattening nested lists (the JSON form allows
   * nested arrays), as an unmodifiable list.
   *
   * @throws IllegalArgumentException when an element does not fit
   */
  static List<Object> elements(Datatype datatype, List<?> data, String tensor) {
    List<Object> out = new ArrayList<>(data.size());
    flatten(datatype, data, tensor, out);
    return Collections.unmodifiableList(out);
  }

  private static void flatten(Datatype datatype, List<?> data, String tensor, List<Object> out) {
    for (Object element : data) {
      if (element instanceof List<?> nested) {
        flatten(datatype, nested, tensor, out);
      } else {
        out.add(element(datatype, element, tensor));
      }
    }
  }

  private static Object element(Datatype datatype, @Nullable Object value, String tensor) {
    if (value == null) {
      throw new IllegalArgumentException("tensor '" + tensor + "' has a null element");
    }
    if (datatype == Datatype.BOOL) {
      if (value instanceof Boolean) {
        return value;
      }
      if (value instanceof Number n && (n.longValue() == 0 || n.longValue() == 1)) {
        return n.longValue() == 1;
      }
    } else if (datatype == Datatype.BYTES) {
      if (value instanceof String) {
        return value;
      }
    } else if (datatype.isInteger()) {
      if (value instanceof BigInteger big && big.bitLength() <= 64) {
        return big.longValue();
      }
      if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
        return ((Number) value).longValue();
      }
      if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue())) {
        return n.longValue();
      }
    } else if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("tensor '" + tensor + "' is " + datatype + " but has an element of type "
        + value.getClass().getSimpleName());
  }

  /**
   * The parameters with values as {@code Boolean}, {@code Long}, {@code Double} or {@code
   * String}, in their order, unmodifiable.
   *
   * @throws IllegalArgumentException for any other value
   */
  static Map<String, Object> parameters(Map<String, ?> parameters) {
    if (parameters.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : parameters.entrySet()) {
      out.put(e.getKey(), parameter(e.getKey(), e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  static Object parameter(String name, @Nullable Object value) {
    if (value instanceof Boolean || value instanceof String || value instanceof Long || value instanceof Double) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof BigInteger big && big.bitLength() <= 64) {
      return big.longValue();
    }
    if (value instanceof BigDecimal d) {
      return d.doubleValue();
    }
    throw new IllegalArgumentException("parameter '" + name + "' must be a boolean, an integer, a number or a string, was "
        + (value == null ? "null" : value.getClass().getSimpleName()));
  }
}
