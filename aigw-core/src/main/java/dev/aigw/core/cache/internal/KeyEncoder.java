package dev.aigw.core.cache.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes a self-delimiting binary encoding of values straight into a SHA-256 digest, through a
 * small buffer, so that a large request is hashed without building a copy of it.
 *
 * <p>Every value starts with a type tag and every variable-length value with its length, so two
 * different sequences of writes never produce the same bytes:
 *
 * <ul>
 *   <li>string: {@code 'S'}, the number of UTF-16 chars (4 bytes), then the chars in UTF-8, lone
 *       surrogates encoded as their three-byte form (as WTF-8 does), so every Java string,
 *       even a malformed one, has its own encoding;
 *   <li>bytes: {@code 'B'}, the length (4 bytes), the bytes;
 *   <li>int {@code 'I'} (4 bytes), long {@code 'L'} (8), double {@code 'D'} (the 8 bytes of
 *       {@link Double#doubleToLongBits}), booleans {@code 'T'} and {@code 'F'};
 *   <li>absent: {@code 'N'}; present optional value: {@code 'P'} then the value;
 *   <li>JSON-like values ({@link #writeJson}): objects {@code 'o'} with the entry count and the
 *       entries sorted by key, arrays {@code 'a'} with the count, numbers {@code 'n'} as the
 *       unscaled value and scale of the {@link BigDecimal} with trailing zeros stripped (so
 *       {@code 1}, {@code 1.0} and {@code 1e0} are one number), strings, booleans and
 *       {@code null} ({@code 'z'});
 *   <li>field markers ({@link #field}): {@code 'f'} and a one-byte field number.
 * </ul>
 *
 * <p>Not thread-safe; {@link #finish()} returns the hash and resets the encoder for reuse.
 */
public final class KeyEncoder {
  private static final int BUFFER_SIZE = 4096;
  /** Strings of this many chars or more, up to {@link #BULK_MAX_CHARS}, are encoded in bulk by {@link #writeString} when they can be. */
  private static final int BULK_MIN_CHARS = 64;
  private static final int BULK_MAX_CHARS = 16_384;
  private static final MessageDigest PROTOTYPE = newDigest();

  private final MessageDigest digest;
  private final byte[] buf = new byte[BUFFER_SIZE];
  private int pos;

  /** A new encoder with an empty SHA-256 digest. */
  public KeyEncoder() {
    this.digest = copyOfPrototype();
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  private static MessageDigest copyOfPrototype() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return newDigest();
    }
  }

  /** The SHA-256 of {@code bytes}, computed apart from this encoder's digest. */
  public static byte[] sha256(byte[] bytes) {
    return copyOfPrototype().digest(bytes);
  }

  /** Hashes what was written and resets the encoder. Returns the 32-byte SHA-256. */
  public byte[] finish() {
    flush();
    return digest.digest();
  }

  /** Discards what was written. */
  public void reset() {
    pos = 0;
    digest.reset();
  }

  private void flush() {
    if (pos > 0) {
      digest.update(buf, 0, pos);
      pos = 0;
    }
  }

  private void ensure(int bytes) {
    if (pos > BUFFER_SIZE - bytes) {
      flush();
    }
  }

  private void putInt(int v) {
    buf[pos] = (byte) (v >>> 24);
    buf[pos + 1] = (byte) (v >>> 16);
    buf[pos + 2] = (byte) (v >>> 8);
    buf[pos + 3] = (byte) v;
    pos += 4;
  }

  /** A field marker: which part of the structure follows. */
  public void field(int number) {
    ensure(2);
    buf[pos++] = 'f';
    buf[pos++] = (byte) number;
  }

  /** Marks an absent optional value. */
  public void absent() {
    ensure(1);
    buf[pos++] = 'N';
  }

  /** Marks a present optional value; the value follows. */
  public void present() {
    ensure(1);
    buf[pos++] = 'P';
  }

  /** An int. */
  public void writeInt(int v) {
    ensure(5);
    buf[pos++] = 'I';
    putInt(v);
  }

  /** A long. */
  public void writeLong(long v) {
    ensure(9);
    buf[pos++] = 'L';
    putInt((int) (v >>> 32));
    putInt((int) v);
  }

  /** A double, by its bits ({@code -0.0} and {@code 0.0} differ; callers normalise). */
  public void writeDouble(double v) {
    long bits = Double.doubleToLongBits(v);
    ensure(9);
    buf[pos++] = 'D';
    putInt((int) (bits >>> 32));
    putInt((int) bits);
  }

  /** A boolean. */
  public void writeBoolean(boolean v) {
    ensure(1);
    buf[pos++] = (byte) (v ? 'T' : 'F');
  }

  /** Bytes, length-prefixed. */
  public void writeBytes(byte[] bytes) {
    ensure(5);
    buf[pos++] = 'B';
    putInt(bytes.length);
    flush();
    digest.update(bytes);
  }

  /** A string: its length in chars, then its chars in UTF-8 (lone surrogates as three bytes). */
  public void writeString(String s) {
    int n = s.length();
    ensure(5);
    buf[pos++] = 'S';
    putInt(n);
    if (n >= BULK_MIN_CHARS && n <= BULK_MAX_CHARS && !hasSurrogate(s)) {
      // Without surrogates the JDK's UTF-8 encoder writes exactly the bytes the loop below would,
      // and is several times faster on ASCII (a vectorised check and a bulk copy). It allocates
      // the encoded text, so very long strings stay on the loop.
      flush();
      digest.update(s.getBytes(StandardCharsets.UTF_8));
      return;
    }
    int i = 0;
    while (i < n) {
      if (pos > BUFFER_SIZE - 4) {
        flush();
      }
      // ASCII fast path, bounded by the room left in the buffer.
      int end = i + Math.min(n - i, BUFFER_SIZE - pos);
      while (i < end) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          break;
        }
        buf[pos++] = (byte) c;
        i++;
      }
      if (i == end) {
        continue;
      }
      if (pos > BUFFER_SIZE - 4) {
        flush();
      }
      char c = s.charAt(i++);
      if (c < 0x800) {
        buf[pos++] = (byte) (0xC0 | (c >> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(s.charAt(i))) {
        int cp = Character.toCodePoint(c, s.charAt(i++));
        buf[pos++] = (byte) (0xF0 | (cp >> 18));
        buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        // Includes lone surrogates, which get their own three-byte form.
        buf[pos++] = (byte) (0xE0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }

  /** Whether {@code s} holds any surrogate char; a branch-free loop the JIT can vectorise. */
  private static boolean hasSurrogate(String s) {
    boolean any = false;
    for (int i = 0, n = s.length(); i < n; i++) {
      any |= Character.isSurrogate(s.charAt(i));
    }
    return any;
  }

  /** An optional string: absent, or present and the string. */
  public void writeOptionalString(Optional<String> s) {
    if (s.isPresent()) {
      present();
      writeString(s.get());
    } else {
      absent();
    }
  }

  /**
   * A JSON-like value in canonical form: a {@link Map} with String keys (written with its keys
   * sorted, recursively), a {@link List}, a String, a {@link Number}, a Boolean or {@link
   * CanonicalJson#NULL}.
   *
   * @throws IllegalArgumentException for any other type
   */
  public void writeJson(Object value) {
    if (value instanceof String s) {
      writeString(s);
    } else if (value instanceof Boolean b) {
      writeBoolean(b);
    } else if (value instanceof Number n) {
      writeNumber(n);
    } else if (value instanceof Map<?, ?> m) {
      writeObject(m);
    } else if (value instanceof List<?> l) {
      ensure(1);
      buf[pos++] = 'a';
      writeInt(l.size());
      for (Object element : l) {
        writeJson(element);
      }
    } else if (value == CanonicalJson.NULL) {
      ensure(1);
      buf[pos++] = 'z';
    } else {
      throw new IllegalArgumentException("not a JSON-like value: " + (value == null ? "null" : value.getClass().getName()));
    }
  }

  private void writeObject(Map<?, ?> m) {
    ensure(1);
    buf[pos++] = 'o';
    writeInt(m.size());
    if (m instanceof TreeMap<?, ?> t && t.comparator() == null) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        writeString((String) e.getKey());
        writeJson(e.getValue());
      }
      return;
    }
    String[] keys = new String[m.size()];
    int k = 0;
    for (Object key : m.keySet()) {
      if (!(key instanceof String s)) {
        throw new IllegalArgumentException("object keys must be strings");
      }
      keys[k++] = s;
    }
    if (keys.length > 1) {
      Arrays.sort(keys);
    }
    for (String key : keys) {
      writeString(key);
      writeJson(m.get(key));
    }
  }

  private void writeNumber(Number n) {
    BigDecimal d;
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      long v = n.longValue();
      int scale = 0;
      if (v != 0) {
        while (v % 10 == 0) {
          v /= 10;
          scale--;
        }
      }
      ensure(1);
      buf[pos++] = 'n';
      writeString(Long.toString(v));
      writeInt(scale);
      return;
    } else if (n instanceof BigDecimal b) {
      d = b;
    } else if (n instanceof BigInteger b) {
      d = new BigDecimal(b);
    } else if (n instanceof Double x) {
      requireFinite(x);
      d = BigDecimal.valueOf(x);
    } else if (n instanceof Float f) {
      requireFinite(f.doubleValue());
      d = new BigDecimal(Float.toString(f));
    } else {
      d = new BigDecimal(n.toString());
    }
    d = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    ensure(1);
    buf[pos++] = 'n';
    writeString(d.unscaledValue().toString());
    writeInt(d.scale());
  }

  private static void requireFinite(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      throw new IllegalArgumentException("not a finite number: " + x);
    }
  }
}
