package dev.aigw.providers.pool.internal.kserve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One input or output tensor: its name, datatype, shape, elements (flattened, row-major) and
 * parameters. Elements are held as {@link Datatype} says ({@code Long}, {@code Double}, {@code
 * Boolean} or {@code String}); other numbers passed in are converted. When the shape has no
 * variable dimension (-1), the number of elements must match it. Immutable.
 *
 * @param name the tensor's name
 * @param datatype the element type
 * @param shape the dimensions
 * @param data the elements, flattened in row-major order
 * @param parameters tensor parameters: {@code Boolean}, {@code Long}, {@code Double} or {@code
 *     String} values
 */
public record InferTensor(
    String name, Datatype datatype, List<Long> shape, List<Object> data, Map<String, Object> parameters) {

  /**
   * @throws IllegalArgumentException when an element does not fit the datatype or the element
   *     count does not match the shape
   */
  public InferTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(datatype, "datatype");
    shape = List.copyOf(shape);
    data = Values.elements(datatype, data, name);
    parameters = Values.parameters(parameters);
    long expected = elementCount(shape);
    if (expected >= 0 && expected != data.size()) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' has shape " + shape + " (" + expected + " elements) but " + data.size() + " elements");
    }
  }

  /** A tensor without parameters. */
  public static InferTensor of(String name, Datatype datatype, List<Long> shape, List<?> data) {
    return new InferTensor(name, datatype, shape, new ArrayList<>(data), Map.of());
  }

  /** A {@code BYTES} tensor of shape {@code [1]} holding {@code text}. */
  public static InferTensor text(String name, String text) {
    return of(name, Datatype.BYTES, List.of(1L), List.of(text));
  }

  /** A {@code BOOL} tensor of shape {@code [1]}. */
  public static InferTensor bool(String name, boolean value) {
    return of(name, Datatype.BOOL, List.of(1L), List.of(value));
  }

  /** A one-element tensor of {@code shape} (for example {@code [1, 1]} for a batched model). */
  public static InferTensor scalar(String name, Datatype datatype, List<Long> shape, Object value) {
    return of(name, datatype, shape, List.of(value));
  }

  /** This tensor with {@code shape}, which must hold the same number of elements. */
  public InferTensor withShape(Long... shape) {
    return new InferTensor(name, datatype, Arrays.asList(shape), data, parameters);
  }

  /**
   * The number of elements {@code shape} holds, or -1 when a dimension is variable (-1).
   *
   * @throws IllegalArgumentException when a dimension is below -1
   */
  public static long elementCount(List<Long> shape) {
    long count = 1;
    for (long dim : shape) {
      if (dim == -1) {
        return -1;
      }
      if (dim < 0) {
        throw new IllegalArgumentException("a tensor dimension must be -1 or more, was " + dim);
      }
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  /** The elements as text; for {@code BYTES} tensors. */
  public List<String> strings() {
    return typed(String.class, Datatype.BYTES);
  }

  /** The elements as {@code Long}; for integer tensors. */
  public List<Long> longs() {
    return typed(Long.class, null);
  }

  /** The elements as {@code Double}; for floating-point tensors. */
  public List<Double> doubles() {
    return typed(Double.class, null);
  }

  /** The elements as {@code Boolean}; for {@code BOOL} tensors. */
  public List<Boolean> booleans() {
    return typed(Boolean.class, Datatype.BOOL);
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> typed(Class<T> type, @Nullable Datatype expected) {
    boolean fits = expected != null ? datatype == expected
        : type == Long.class ? datatype.isInteger() : datatype.isFloatingPoint();
    if (!fits) {
      throw new IllegalStateException("tensor '" + name + "' is " + datatype + ", not " + type.getSimpleName());
    }
    return (List<T>) (List<?>) data;
  }

  /** Name, datatype and shape; never the elements, which may hold prompt text. */
  @Override
  public String toString() {
    return "InferTensor[" + name + " " + datatype + " " + shape + (parameters.isEmpty() ? "" : " " + parameters.keySet()) + "]";
  }
}
