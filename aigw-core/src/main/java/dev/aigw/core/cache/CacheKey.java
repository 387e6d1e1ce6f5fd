package dev.aigw.core.cache;

import java.util.Objects;

/**
 * A cache key: the tenant partition and a SHA-256 hash of the canonical request. Made by {@link
 * CacheKeys#of}; it never holds request text, only the hash.
 *
 * @param partition the partition the entry belongs to, for example {@code "tenant:acme"} or
 *     {@code "global"}; entries of one partition are never served to another and can be dropped
 *     together with {@link CacheStore#invalidatePartition(String)}
 * @param hash the SHA-256 of the canonical request, as 64 lower-case hexadecimal characters
 */
public record CacheKey(String partition, String hash) {
  /** The length of {@link #hash()}: 64 hexadecimal characters, 32 bytes. */
  public static final int HASH_LENGTH = 64;

  /**
   * @param partition the partition the entry belongs to, for example {@code "tenant:acme"} or
   *     {@code "global"}; entries of one partition are never served to another and can be dropped
   *     together with {@link CacheStore#invalidatePartition(String)}
   * @param hash the SHA-256 of the canonical request, as 64 lower-case hexadecimal characters
   * @throws NullPointerException when a field is null
   * @throws IllegalArgumentException when the partition is blank or the hash is not 64
   *     lower-case hexadecimal characters
   */
  public CacheKey {
    requirePartition(partition);
    Objects.requireNonNull(hash, "hash");
    if (hash.length() != HASH_LENGTH) {
      throw new IllegalArgumentException("hash must be " + HASH_LENGTH + " hex characters, was " + hash.length());
    }
    for (int i = 0; i < HASH_LENGTH; i++) {
      char c = hash.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        throw new IllegalArgumentException("hash must be lower-case hexadecimal, has '" + c + "' at " + i);
      }
    }
  }

  static String requirePartition(String partition) {
    Objects.requireNonNull(partition, "partition");
    if (partition.isBlank()) {
      throw new IllegalArgumentException("partition must not be blank");
    }
    return partition;
  }

  /** The partition and the first 16 hexadecimal characters of the hash, for logs. */
  @Override
  public String toString() {
    return "CacheKey[partition=" + partition + ", hash=" + hash.substring(0, 16) + "...]";
  }
}
