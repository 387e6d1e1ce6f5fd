package dev.aigw.providers.pool.internal.kserve;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The v2 protocol's raw tensor form ({@code raw_input_contents}, {@code raw_output_contents}):
 * the elements in row-major order, little-endian, without padding; {@code BOOL} one byte each;
 * {@code FP16} and {@code BF16} two bytes; a {@code BYTES} element a 4-byte little-endian length
 * and then its bytes.
 */
public final class RawContents {
  private RawContents() {}

  /** The raw form of {@code tensor}'s elements. */
  public static byte[] encode(InferTensor tensor) {
    Datatype type = tensor.datatype();
    List<Object> data = tensor.data();
    if (type == Datatype.BYTES) {
      List<byte[]> elements = new ArrayList<>(data.size());
      int size = 0;
      for (Object element : data) {
        byte[] bytes = ((String) element).getBytes(StandardCharsets.UTF_8);
        elements.add(bytes);
        size = Math.addExact(size, 4 + bytes.length);
      }
      ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
      for (byte[] bytes : elements) {
        out.putInt(bytes.length).put(bytes);
      }
      return out.array();
    }
    ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(type.size(), data.size())).order(ByteOrder.LITTLE_ENDIAN);
    for (Object element : data) {
      switch (type) {
        case BOOL -> out.put((byte) (((Boolean) element) ? 1 : 0));
        case INT8, UINT8 -> out.put((byte) (long) (Long) element);
        case INT16, UINT16 -> out.putShort((short) (long) (Long) element);
        case INT32, UINT32 -> out.putInt((int) (long) (Long) element);
        case INT64, UINT64 -> out.putLong((Long) element);
        case FP16 -> out.putShort(floatToHalf((float) (double) (Double) element));
        case BF16 -> out.putShort(floatToBfloat16((float) (double) (Double) element));
        case FP32 -> out.putFloat((float) (double) (Double) element);
        case FP64 -> out.putDouble((Double) element);
        default -> throw new IllegalStateException("unhandled datatype " + type);
      }
    }
    return out.array();
  }

  /**
   * The elements of a raw tensor, as {@link InferTensor} holds them.
   *
   * @throws IllegalArgumentException when {@code raw} is not a whole number of elements
   */
  public static List<Object> decode(Datatype type, byte[] raw) {
    ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    List<Object> out = new ArrayList<>();
    if (type == Datatype.BYTES) {
      while (in.hasRemaining()) {
        if (in.remaining() < 4) {
          throw new IllegalArgumentException("raw BYTES contents end inside an element's length");
        }
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
          throw new IllegalArgumentException("raw BYTES element of " + Integer.toUnsignedString(length)
              + " bytes with " + in.remaining() + " left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        out.add(new String(bytes, StandardCharsets.UTF_8));
      }
      return out;
    }
    if (raw.length % type.size() != 0) {
      throw new IllegalArgumentException("raw " + type + " contents of " + raw.length + " bytes are not whole elements");
    }
    while (in.hasRemaining()) {
      out.add(switch (type) {
        case BOOL -> in.get() != 0;
        case INT8 -> (long) in.get();
        case UINT8 -> (long) (in.get() & 0xff);
        case INT16 -> (long) in.getShort();
        case UINT16 -> (long) (in.getShort() & 0xffff);
        case INT32 -> (long) in.getInt();
        case UINT32 -> in.getInt() & 0xffff_ffffL;
        case INT64, UINT64 -> in.getLong();
        case FP16 -> (double) halfToFloat(in.getShort());
        case BF16 -> (double) Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
        case FP32 -> (double) in.getFloat();
        case FP64 -> in.getDouble();
        default -> throw new IllegalStateException("unhandled datatype " + type);
      });
    }
    return out;
  }

  /** An IEEE 754 half as a float (exact). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0) {
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f80_0000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** A float as an IEEE 754 half, rounded to nearest, ties to even. */
  static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int magnitude = bits & 0x7fff_ffff;
    if (magnitude >= 0x7f80_0000) {
      return (short) (sign | 0x7c00 | (magnitude > 0x7f80_0000 ? 0x200 : 0));
    }
    if (magnitude >= 0x4780_0000) {
      return (short) (sign | 0x7c00);
    }
    int exponent = magnitude >>> 23;
    if (exponent < 113) {
      if (exponent < 102) {
        return (short) sign;
      }
      int mantissa = (magnitude & 0x7f_ffff) | 0x80_0000;
      int shift = 126 - exponent;
      int half = mantissa >>> shift;
      int rest = mantissa & ((1 << shift) - 1);
      int midpoint = 1 << (shift - 1);
      if (rest > midpoint || rest == midpoint && (half & 1) == 1) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = ((exponent - 112) << 10) | ((magnitude >>> 13) & 0x3ff);
    int rest = magnitude & 0x1fff;
    if (rest > 0x1000 || rest == 0x1000 && (half & 1) == 1) {
      half++;
    }
    return (short) (sign | half);
  }

  /** A float as a bfloat16, rounded to nearest, ties to even. */
  static short floatToBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if ((bits & 0x7fff_ffff) > 0x7f80_0000) {
      return (short) ((bits >>> 16) | 0x40);
    }
    return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
  }
}
