package dev.aigw.testkit.sim.internal;

/**
 * Chained hashes of a rendered prompt's full KV blocks. Block {@code i} covers characters {@code
 * [i × blockChars, (i + 1) × blockChars)}; its hash mixes the previous block's hash with its own
 * characters, so equal hashes mean equal prefixes up to and including that block (as vLLM's block
 * hashes do). The chain starts from a seed derived from the model (base model or LoRA adapter) and
 * the request's {@code cache_salt}, so neither adapters nor salts share blocks. A trailing partial
 * block has no hash and is never cached.
 */
public final class BlockHashes {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long[] NONE = new long[0];

  private BlockHashes() {}

  /** The hashes of {@code text}'s full blocks, in order; empty when it has none. */
  public static long[] of(CharSequence text, int blockChars, String model, String cacheSalt) {
    int blocks = text.length() / blockChars;
    if (blocks == 0) {
      return NONE;
    }
    long previous = mix(fnv(fnv(FNV_OFFSET, model), "\u0000" + cacheSalt));
    long[] hashes = new long[blocks];
    for (int b = 0; b < blocks; b++) {
      long h = FNV_OFFSET ^ previous;
      int start = b * blockChars;
      for (int i = start; i < start + blockChars; i++) {
        char c = text.charAt(i);
        h = (h ^ (c & 0xff)) * FNV_PRIME;
        h = (h ^ (c >>> 8)) * FNV_PRIME;
      }
      previous = mix(h);
      hashes[b] = previous;
    }
    return hashes;
  }

  private static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h = (h ^ (c & 0xff)) * FNV_PRIME;
      h = (h ^ (c >>> 8)) * FNV_PRIME;
    }
    return h;
  }

  /** SplitMix64's finaliser: spreads the FNV state over all 64 bits. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
