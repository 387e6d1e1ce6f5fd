package dev.aigw.core.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * Where cached answers live. Implementations: in memory ({@link InMemoryCacheStore}) and, shared
 * by a fleet, the {@code aigw-redis} module's {@code RedisCacheStore}. Implementations are
 * thread-safe.
 *
 * <p>A store that depends on a network throws {@link dev.aigw.api.StoreUnavailableException} when
 * it cannot answer. The gateway reports it to its listeners; when the exception {@linkplain
 * dev.aigw.api.StoreUnavailableException#failedClosed() fails closed} a lookup ends the call with
 * it, otherwise the lookup counts as a miss. A failed {@link #put} never fails a call.
 */
public interface CacheStore extends AutoCloseable {
  /**
   * {@return the answer stored under {@code key}, if there is one and it has not expired} Counts a
   * hit or a miss in {@link #stats()}.
   *
   * @param key the key
   * @throws NullPointerException when {@code key} is null
   */
  Optional<CachedResponse> get(CacheKey key);

  /**
   * {@return the entry under {@code key} as far as this JVM can tell without a network round trip:
   * a store with a local level in front of a remote one answers from the local level only} The
   * gateway uses it when it has claimed a miss to make one provider call for all identical
   * concurrent calls of this JVM: it then checks once more whether such a call stored its answer
   * meanwhile, which, being in this JVM, the local level holds. By default {@link #get}.
   *
   * @param key the key
   * @throws NullPointerException when {@code key} is null
   */
  default Optional<CachedResponse> getLocal(CacheKey key) {
    return get(key);
  }

  /**
   * Stores {@code value} under {@code key} for {@code ttl}, replacing any earlier entry (and its
   * time to live). A store may drop the entry before it expires, to stay within its bounds.
   *
   * @param key the key
   * @param value the answer
   * @param ttl how long the entry lives
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code ttl} is zero or negative
   */
  void put(CacheKey key, CachedResponse value, Duration ttl);

  /**
   * Removes the entry under {@code key}, if any.
   *
   * @param key the key
   * @throws NullPointerException when {@code key} is null
   */
  void invalidate(CacheKey key);

  /**
   * Removes every entry of {@code partition}, for example a tenant's.
   *
   * @param partition the partition, for example a tenant's
   * @throws NullPointerException when {@code partition} is null
   */
  void invalidatePartition(String partition);

  /**
   * Counters since the store was made, and its current size.
   *
   * @return the counters since the store was made, and its current size
   */
  CacheStats stats();

  /** Releases the store's resources. Does nothing by default. */
  @Override
  default void close() {}
}
