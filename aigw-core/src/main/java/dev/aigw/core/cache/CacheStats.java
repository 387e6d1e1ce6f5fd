package dev.aigw.core.cache;

/**
 * A snapshot of a {@link CacheStore}'s counters (since the store was made) and of its size.
 *
 * @param hits lookups that found an entry
 * @param misses lookups that found none (including entries that had expired)
 * @param puts entries stored (including replacements)
 * @param evictions entries the store dropped by itself: expired, or evicted to stay within its
 *     bounds; explicit invalidations are not counted
 * @param entries the number of entries now (an estimate for stores that count lazily)
 * @param weightBytes the estimated heap the entries hold now ({@link CachedResponse#weightBytes()}
 *     summed), or 0 for stores outside the heap
 */
public record CacheStats(long hits, long misses, long puts, long evictions, long entries, long weightBytes) {
  /** No lookups, no entries. */
  public static final CacheStats EMPTY = new CacheStats(0, 0, 0, 0, 0, 0);

  /**
   * @param hits lookups that found an entry
   * @param misses lookups that found none (including entries that had expired)
   * @param puts entries stored (including replacements)
   * @param evictions entries the store dropped by itself: expired, or evicted to stay within its
   *     bounds; explicit invalidations are not counted
   * @param entries the number of entries now (an estimate for stores that count lazily)
   * @param weightBytes the estimated heap the entries hold now ({@link CachedResponse#weightBytes()}
   *     summed), or 0 for stores outside the heap
   * @throws IllegalArgumentException when a count is negative
   */
  public CacheStats {
    if (hits < 0 || misses < 0 || puts < 0 || evictions < 0 || entries < 0 || weightBytes < 0) {
      throw new IllegalArgumentException("counts must not be negative: " + hits + ", " + misses + ", " + puts
          + ", " + evictions + ", " + entries + ", " + weightBytes);
    }
  }

  /**
   * Hits plus misses.
   *
   * @return hits plus misses
   */
  public long lookups() {
    return hits + misses;
  }

  /**
   * Hits divided by lookups; 0 when there was no lookup.
   *
   * @return hits divided by lookups; 0 when there was no lookup
   */
  public double hitRate() {
    long lookups = lookups();
    return lookups == 0 ? 0.0 : (double) hits / lookups;
  }
}
