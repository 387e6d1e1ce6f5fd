package dev.aigw.api;

/** How one call uses the gateway's response cache. */
public enum CachePolicy {
  /** Read, and write on a miss (the default). */
  USE,
  /** Neither read nor write. */
  BYPASS,
  /** Do not read; call the provider and overwrite the entry. */
  REFRESH,
  /** Read, but do not write on a miss. */
  READ_ONLY,
  /** Do not read; write the answer. */
  WRITE_ONLY
}
