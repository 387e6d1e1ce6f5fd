package dev.aigw.providers.pool.internal.kserve;

import java.util.Locale;

/**
 * The tensor element types of the v2 protocol, with how {@link InferTensor} holds their elements:
 * {@code BOOL} as {@link Boolean}; every integer type as {@link Long} (a {@code UINT64} above
 * {@link Long#MAX_VALUE} wraps to a negative value, as its two's-complement bits); {@code FP16},
 * {@code BF16}, {@code FP32} and {@code FP64} as {@link Double}; {@code BYTES} as {@link String}
 * (UTF-8; binary elements that are not UTF-8 are not supported).
 */
public enum Datatype {
  /** One byte, 0 or 1. */
  BOOL(1),
  /** Unsigned 8-bit integer. */
  UINT8(1),
  /** Unsigned 16-bit integer. */
  UINT16(2),
  /** Unsigned 32-bit integer. */
  UINT32(4),
  /** Unsigned 64-bit integer. */
  UINT64(8),
  /** Signed 8-bit integer. */
  INT8(1),
  /** Signed 16-bit integer. */
  INT16(2),
  /** Signed 32-bit integer. */
  INT32(4),
  /** Signed 64-bit integer. */
  INT64(8),
  /** IEEE 754 half precision. */
  FP16(2),
  /** IEEE 754 single precision. */
  FP32(4),
  /** IEEE 754 double precision. */
  FP64(8),
  /** bfloat16: the upper half of a single-precision float. */
  BF16(2),
  /** Variable-length byte strings (text, here). */
  BYTES(-1);

  private final int size;

  Datatype(int size) {
    this.size = size;
  }

  /** The bytes of one element in raw form, or -1 for {@link #BYTES} (length-prefixed). */
  public int size() {
    return size;
  }

  /** Whether elements are held as {@link Long}. */
  public boolean isInteger() {
    return switch (this) {
      case UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64 -> true;
      default -> false;
    };
  }

  /** Whether elements are held as {@link Double}. */
  public boolean isFloatingPoint() {
    return this == FP16 || this == FP32 || this == FP64 || this == BF16;
  }

  /**
   * The datatype named {@code name} on the wire ({@code "FP32"}).
   *
   * @throws IllegalArgumentException when the protocol has no such datatype
   */
  public static Datatype of(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a KServe v2 datatype: '" + name + "'", e);
    }
  }
}
