package dev.aigw.providers.pool.internal;

/**
 * Chained hashes over the fixed-size blocks of a prompt, the keys of prefix affinity: two prompts
 * share their first {@code k} hashes exactly when they share their first {@code k} blocks (and the
 * model and cache salt), as a server's prefix cache shares KV blocks.
 *
 * <p>The algorithm, which is fixed (tests pin its values; changing it invalidates nothing
 * persistent, as the index lives in memory, but does change routing):
 *
 * <ol>
 *   <li>{@code H(bytes, seed)} is XXH64 (xxHash's 64-bit variant, as published in xxHash's
 *       specification) of {@code bytes} under the 64-bit {@code seed}.
 *   <li>Text is hashed as its UTF-16 code units in little-endian byte order (two bytes per {@code
 *       char}, low byte first), so that {@code H} of a {@code char} run equals {@code XXH64} of its
 *       UTF-16LE encoding; no charset encoder runs and unpaired surrogates hash like any other
 *       unit. The bytes are assembled arithmetically from the {@code char}s, so the value does not
 *       depend on the platform's byte order, the JVM or the run.
 *   <li>{@code h_0 = H(UTF16LE(model + '\0' + cacheSalt), 0)}.
 *   <li>{@code h_i = H(UTF16LE(block_i), h_(i-1))} for {@code i >= 1}, where {@code block_i} is
 *       {@code promptText[(i-1)·blockChars, i·blockChars)}: the previous hash is the seed of the
 *       next.
 *   <li>The result is {@code [h_1 … h_n]} (not {@code h_0}, which names no block) with {@code n =
 *       min(floor(length / blockChars), maxBlocks)}: a trailing partial block is not hashed, as
 *       prefix caches hold full blocks only, and text past {@code maxBlocks} blocks is not read.
 * </ol>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PrefixHasher {
  /**
   * The default block: 64 chars, about 16 tokens at ~4 chars a token, vLLM's default KV block of
   * 16 tokens (the Inference Extension's prefix scorer uses the same 64).
   */
  public static final int DEFAULT_BLOCK_CHARS = 64;

  /**
   * The default cap on blocks hashed per prompt: 512 blocks of 64 chars read the first 32 Ki chars
   * (~8k tokens), so a 1 MB prompt costs what a 32 KB one does. Prompts that agree on all of them
   * look alike to affinity, which is what the cap trades for speed.
   */
  public static final int DEFAULT_MAX_BLOCKS = 512;

  private static final long[] NO_BLOCKS = new long[0];

  // XXH64's primes, from the xxHash specification.
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private final int blockChars;
  private final int maxBlocks;

  /** A hasher with {@link #DEFAULT_BLOCK_CHARS} and {@link #DEFAULT_MAX_BLOCKS}. */
  public PrefixHasher() {
    this(DEFAULT_BLOCK_CHARS, DEFAULT_MAX_BLOCKS);
  }

  /**
   * A hasher over blocks of {@code blockChars} chars, at most {@code maxBlocks} of them.
   *
   * @throws IllegalArgumentException if either is not positive
   */
  public PrefixHasher(int blockChars, int maxBlocks) {
    if (blockChars <= 0) {
      throw new IllegalArgumentException("blockChars must be positive: " + blockChars);
    }
    if (maxBlocks <= 0) {
      throw new IllegalArgumentException("maxBlocks must be positive: " + maxBlocks);
    }
    this.blockChars = blockChars;
    this.maxBlocks = maxBlocks;
  }

  /** Chars per block. */
  public int blockChars() {
    return blockChars;
  }

  /** The most blocks hashed per prompt. */
  public int maxBlocks() {
    return maxBlocks;
  }

  /**
   * The chained block hashes {@code [h_1 … h_n]} of {@code promptText} (see the class comment);
   * empty when the prompt is shorter than one block. Reads at most {@code blockChars · maxBlocks}
   * chars of the prompt.
   */
  public long[] hash(String model, String cacheSalt, CharSequence promptText) {
    int blocks = Math.min(promptText.length() / blockChars, maxBlocks);
    if (blocks == 0) {
      return NO_BLOCKS;
    }
    long[] out = new long[blocks];
    long h = seedHash(model, cacheSalt);
    for (int i = 0, off = 0; i < blocks; i++, off += blockChars) {
      h = xxh64(promptText, off, blockChars, h);
      out[i] = h;
    }
    return out;
  }

  /** {@code h_0}: the hash of {@code model + '\0' + cacheSalt} under seed 0. */
  static long seedHash(String model, String cacheSalt) {
    String seed = model + '\0' + cacheSalt;
    return xxh64(seed, 0, seed.length(), 0L);
  }

  /**
   * XXH64, under {@code seed}, of the UTF-16LE bytes of {@code s[off, off + chars)}. Written from
   * the xxHash specification: four accumulators over 32-byte stripes (four chars a lane), then
   * 8-, 4- and 1-byte tails, then the avalanche.
   */
  static long xxh64(CharSequence s, int off, int chars, long seed) {
    long byteLength = 2L * chars;
    int end = off + chars;
    int p = off;
    long h;
    if (chars >= 16) { // 32 bytes: at least one full stripe
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      int stripesEnd = end - 15; // a stripe starting before this fits
      do {
        v1 = round(v1, lane(s, p));
        v2 = round(v2, lane(s, p + 4));
        v3 = round(v3, lane(s, p + 8));
        v4 = round(v4, lane(s, p + 12));
        p += 16;
      } while (p < stripesEnd);
      h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = seed + P5;
    }
    h += byteLength;
    while (end - p >= 4) { // 8 bytes
      h ^= round(0, lane(s, p));
      h = Long.rotateLeft(h, 27) * P1 + P4;
      p += 4;
    }
    if (end - p >= 2) { // 4 bytes
      long word = (s.charAt(p) | ((long) s.charAt(p + 1) << 16)) & 0xFFFF_FFFFL;
      h ^= word * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      p += 2;
    }
    if (p < end) { // the last char's two bytes, one at a time
      char c = s.charAt(p);
      h ^= (c & 0xFF) * P5;
      h = Long.rotateLeft(h, 11) * P1;
      h ^= (c >>> 8) * P5;
      h = Long.rotateLeft(h, 11) * P1;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  /** Four chars as one little-endian 64-bit lane. */
  private static long lane(CharSequence s, int p) {
    return s.charAt(p)
        | ((long) s.charAt(p + 1) << 16)
        | ((long) s.charAt(p + 2) << 32)
        | ((long) s.charAt(p + 3) << 48);
  }

  private static long round(long acc, long lane) {
    return Long.rotateLeft(acc + lane * P2, 31) * P1;
  }

  private static long merge(long acc, long v) {
    return (acc ^ round(0, v)) * P1 + P4;
  }
}
