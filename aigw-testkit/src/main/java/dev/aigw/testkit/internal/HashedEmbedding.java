package dev.aigw.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic unit vectors derived from a 64-bit FNV-1a hash of a text's UTF-8 bytes: the same
 * text always gives the same vector, on every JVM.
 */
public final class HashedEmbedding {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private HashedEmbedding() {}

  /** A vector of {@code dimensions} components with Euclidean length 1. */
  public static float[] of(String text, int dimensions) {
    long hash = FNV_OFFSET;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    SplittableRandom random = new SplittableRandom(hash);
    double[] components = new double[dimensions];
    double sumOfSquares = 0;
    for (int i = 0; i < dimensions; i++) {
      components[i] = random.nextDouble() * 2 - 1;
      sumOfSquares += components[i] * components[i];
    }
    float[] vector = new float[dimensions];
    if (sumOfSquares == 0) {
      vector[0] = 1f;
      return vector;
    }
    double norm = Math.sqrt(sumOfSquares);
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) (components[i] / norm);
    }
    return vector;
  }
}
