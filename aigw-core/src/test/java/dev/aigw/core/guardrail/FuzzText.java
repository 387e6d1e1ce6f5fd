package dev.aigw.core.guardrail;

import java.nio.charset.StandardCharsets;

/** How the guardrail fuzz tests turn fuzzer bytes into text. */
final class FuzzText {
  private FuzzText() {}

  /** The bytes as UTF-8, as texts arrive from HTTP and JSON: readable seeds, every code point reachable. */
  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * The bytes as raw UTF-16 code units, little-endian, any of them: also lone and reversed
   * surrogates, which a Java {@code String} may hold but no UTF-8 decoding produces.
   */
  static String utf16(byte[] bytes) {
    char[] chars = new char[bytes.length / 2];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] & 0xff) << 8);
    }
    return new String(chars);
  }
}
