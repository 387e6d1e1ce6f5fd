package dev.aigw.core.prompt.internal;

import dev.aigw.core.prompt.PromptException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The weights of a prompt's versions for an A/B test, and the choice by a point in [0, 1).
 *
 * <p>Versions are laid out in the order of their names, each over a share of [0, 1) proportional
 * to its weight. A random choice draws the point; a sticky choice takes it from a SHA-256 hash
 * of the prompt's name and the key, so it is the same on every JVM and every run, and it does
 * not depend on the weights' scale (90:10 and 9:1 choose alike). Moving weight between two
 * neighbouring versions moves only the keys of the share that changed hands.
 */
public final class WeightedVersions {
  private final String[] versions;
  private final long[] upTo;
  private final long total;
  private final Map<String, Integer> weights;

  private WeightedVersions(Map<String, Integer> sorted) {
    this.versions = sorted.keySet().toArray(new String[0]);
    this.upTo = new long[versions.length];
    long sum = 0;
    int i = 0;
    for (int w : sorted.values()) {
      sum += w;
      upTo[i++] = sum;
    }
    this.total = sum;
    this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
  }

  /**
   * Weights by version.
   *
   * @param entry what set them, for messages, such as {@code "support.weights"}
   * @throws PromptException when there is none, a version name is invalid or a weight not positive
   */
  public static WeightedVersions of(Map<String, Integer> weights, String entry) {
    if (weights.isEmpty()) {
      throw new PromptException(entry + ": needs at least one version:weight");
    }
    Map<String, Integer> sorted = new TreeMap<>();
    weights.forEach((version, weight) -> {
      if (version == null || !Names.valid(version)) {
        throw new PromptException(entry + ": '" + version + "' is not a valid version name");
      }
      if (weight == null || weight <= 0) {
        throw new PromptException(entry + ": the weight of " + version + " must be a positive whole number, was " + weight);
      }
      sorted.put(version, weight);
    });
    return new WeightedVersions(sorted);
  }

  /**
   * Parses {@code "v1:90, v2:10"}.
   *
   * @throws PromptException naming {@code entry} when the text is not of that form, a version
   *     repeats or a weight is not a positive whole number
   */
  public static WeightedVersions parse(String text, String entry) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      int colon = p.indexOf(':');
      if (colon < 0) {
        throw new PromptException(entry + ": expected version:weight pairs separated by commas, such as 'v1:90, v2:10', got '"
            + p + "'");
      }
      String version = p.substring(0, colon).strip();
      String weight = p.substring(colon + 1).strip();
      int w;
      try {
        w = Integer.parseInt(weight);
      } catch (NumberFormatException e) {
        throw new PromptException(entry + ": the weight of " + version + " must be a positive whole number, was '" + weight + "'");
      }
      if (weights.put(version, w) != null) {
        throw new PromptException(entry + ": version " + version + " is weighted twice");
      }
    }
    return of(weights, entry);
  }

  /** The weights, by version name in order. */
  public Map<String, Integer> weights() {
    return weights;
  }

  /** The version whose share holds {@code point}, a number in [0, 1). */
  public String pick(double point) {
    long at = Math.min(total - 1, Math.max(0, (long) (point * total)));
    for (int i = 0; i < upTo.length; i++) {
      if (at < upTo[i]) {
        return versions[i];
      }
    }
    return versions[versions.length - 1];
  }

  /** A point in [0, 1) from the SHA-256 hash of {@code name}, a zero byte and {@code key} (UTF-8). */
  public static double stickyPoint(String name, String key) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    sha.update(name.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    byte[] hash = sha.digest(key.getBytes(StandardCharsets.UTF_8));
    return (ByteBuffer.wrap(hash).getLong() >>> 11) * 0x1.0p-53;
  }
}
