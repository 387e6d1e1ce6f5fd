package dev.aigw.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.aigw.api.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link CacheStore} in the JVM's heap, backed by Caffeine: bounded by the estimated bytes its
 * entries hold ({@link CachedResponse#weightBytes()}), with a time to live per entry, measured on
 * the gateway's {@link TimeSource} (so tests drive expiry with the testkit's {@code
 * ManualClock}).
 *
 * <pre>{@code
 * CacheStore store = InMemoryCacheStore.builder().maximumBytes(256L << 20).build();
 * }</pre>
 *
 * <p>When the entries would exceed {@link Builder#maximumBytes(long) maximumBytes}, Caffeine
 * evicts the entries least likely to be used again (W-TinyLFU; an entry heavier than the whole
 * bound is dropped at once). Expired entries are never returned; they are removed as the store
 * is used. Maintenance (eviction, expiry) runs on the calling thread, right after the operation
 * that needs it, so the store starts no thread and behaves deterministically in tests.
 *
 * <p>Thread-safe.
 */
public final class InMemoryCacheStore implements CacheStore {
  /** The default bound: 64 MiB. */
  public static final long DEFAULT_MAXIMUM_BYTES = 64L << 20;

  /** Caffeine's longest expiry; longer times to live are treated as this (about 146 years). */
  private static final long MAXIMUM_TTL_NANOS = Long.MAX_VALUE >> 1;

  private record Entry(CachedResponse value, long ttlNanos) {}

  private final Cache<CacheKey, Entry> cache;
  private final long maximumBytes;
  private final LongAdder puts = new LongAdder();

  private InMemoryCacheStore(Builder b) {
    TimeSource time = b.timeSource;
    this.maximumBytes = b.maximumBytes;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(b.maximumBytes)
        .weigher((CacheKey k, Entry e) -> (int) Math.min(e.value().weightBytes(), Integer.MAX_VALUE))
        .expireAfter(new Expiry<CacheKey, Entry>() {
          @Override
          public long expireAfterCreate(CacheKey key, Entry entry, long currentTime) {
            return entry.ttlNanos();
          }

          @Override
          public long expireAfterUpdate(CacheKey key, Entry entry, long currentTime, long currentDuration) {
            return entry.ttlNanos();
          }

          @Override
          public long expireAfterRead(CacheKey key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .ticker(time::nanoTime)
        .executor(Runnable::run)
        .recordStats()
        .build();
  }

  /** {@return a builder with the defaults: 64 MiB, the system clock} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} */
  @Override
  public Optional<CachedResponse> get(CacheKey key) {
    Objects.requireNonNull(key, "key");
    Entry entry = cache.getIfPresent(key);
    return entry == null ? Optional.empty() : Optional.of(entry.value());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Times to live beyond about 146 years are shortened to that.
   */
  @Override
  public void put(CacheKey key, CachedResponse value, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    long nanos = ttl.compareTo(Duration.ofNanos(MAXIMUM_TTL_NANOS)) >= 0 ? MAXIMUM_TTL_NANOS : ttl.toNanos();
    cache.put(key, new Entry(value, nanos));
    puts.increment();
  }

  /** {@inheritDoc} */
  @Override
  public void invalidate(CacheKey key) {
    cache.invalidate(Objects.requireNonNull(key, "key"));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Scans every key: O(n) in the number of entries.
   */
  @Override
  public void invalidatePartition(String partition) {
    Objects.requireNonNull(partition, "partition");
    cache.asMap().keySet().removeIf(k -> k.partition().equals(partition));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs pending maintenance first, so that expired entries are counted as evictions and no
   * longer as entries.
   */
  @Override
  public CacheStats stats() {
    cache.cleanUp();
    com.github.benmanes.caffeine.cache.stats.CacheStats s = cache.stats();
    long weight = cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    return new CacheStats(s.hitCount(), s.missCount(), puts.sum(), s.evictionCount(), cache.estimatedSize(), weight);
  }

  /** {@return the bound on {@link CacheStats#weightBytes()}} */
  public long maximumBytes() {
    return maximumBytes;
  }

  /** Drops every entry. The store stays usable. */
  @Override
  public void close() {
    cache.invalidateAll();
    cache.cleanUp();
  }

  @Override
  public String toString() {
    return "InMemoryCacheStore[maximumBytes=" + maximumBytes + ", entries=" + cache.estimatedSize() + "]";
  }

  /** Builds an {@link InMemoryCacheStore}. */
  public static final class Builder {
    private long maximumBytes = DEFAULT_MAXIMUM_BYTES;
    private TimeSource timeSource = TimeSource.system();

    private Builder() {}

    /**
     * The most bytes the entries may hold, as estimated by {@link CachedResponse#weightBytes()};
     * {@value InMemoryCacheStore#DEFAULT_MAXIMUM_BYTES} (64 MiB) by default.
     *
     * @param maximumBytes the most bytes the entries may hold, as estimated by {@link
     *     CachedResponse#weightBytes()}; {@value InMemoryCacheStore#DEFAULT_MAXIMUM_BYTES} (64 MiB)
     *     by default
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maximumBytes(long maximumBytes) {
      if (maximumBytes <= 0) {
        throw new IllegalArgumentException("maximumBytes must be positive, was " + maximumBytes);
      }
      this.maximumBytes = maximumBytes;
      return this;
    }

    /**
     * The clock that times entries out (its {@link TimeSource#nanoTime()}); {@link
     * TimeSource#system()} by default. Use the gateway's.
     *
     * @param timeSource the clock
     * @return this builder
     * @throws NullPointerException when {@code timeSource} is null
     */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * Builds the store.
     *
     * @return the new {@code InMemoryCacheStore}
     */
    public InMemoryCacheStore build() {
      return new InMemoryCacheStore(this);
    }
  }
}
