package dev.aigw.redis;

import dev.aigw.api.StoreUnavailableException;
import dev.aigw.api.TimeSource;
import dev.aigw.core.cache.CacheKey;
import dev.aigw.core.cache.CacheStats;
import dev.aigw.core.cache.CacheStore;
import dev.aigw.core.cache.CachedResponse;
import dev.aigw.core.cache.InMemoryCacheStore;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A response cache shared by every gateway of a fleet: Redis as a shared second level under a
 * local, in-heap first level ({@link InMemoryCacheStore}, on Caffeine) in each gateway.
 *
 * <pre>{@code
 * CacheStore store = RedisCacheStore.builder(redis).localMaximumBytes(128L << 20).build();
 * AiGateway.builder().cache(ResponseCache.builder().store(store).ttl(Duration.ofHours(6)).build()) ...
 * }</pre>
 *
 * <p><b>Round trips.</b> A lookup the local level answers costs none. A local miss costs one: a
 * Lua script reads the partition's generation and the entry, and returns the entry with its
 * remaining time to live; a hit then lives in the local level for that long, at most {@linkplain
 * Builder#maxLocalTtl maxLocalTtl}. A {@link #put} writes both levels, Redis in one script ({@code
 * SET ... PX ttl}); {@link #invalidate} and {@link #invalidatePartition} are one script each.
 *
 * <p><b>Keys.</b> A partition's generation is {@code {<namespace>:cache:<partition>}:g}; its
 * entries are {@code {<namespace>:cache:<partition>}:e:<generation>:<hash>}, where the hash is
 * the {@link CacheKey}'s SHA-256 of the request: keys never hold request text. All keys of a
 * partition share one hash tag, so every script touches one slot and runs on Redis Cluster.
 * Entries are stored in a compact binary form that keeps every field of the answer (a stream
 * replays exactly the chunks it was stored with); an entry this gateway cannot read (another
 * format version, or corrupt) is deleted and counts as a miss.
 *
 * <p><b>Invalidation.</b> {@link #invalidatePartition} is O(1): it moves the partition's
 * generation on, so its entries become unreachable and expire by their time to live. Both
 * invalidations also publish a message on the channel {@code <namespace>:cache:invalidate}, on
 * which every store of the fleet drops its local copies. A gateway that is disconnected from
 * Redis misses the messages published meanwhile; it drops its whole local level when it
 * subscribes again, and in any case its local copies live at most {@code maxLocalTtl}, which
 * therefore bounds how stale a gateway can be. A {@link #put} that replaces an entry does not
 * publish: other gateways' local copies of the old answer live out their {@code maxLocalTtl}.
 * Subscribing never fails the store: a failure is logged and retried after the next Redis call.
 *
 * <p><b>When Redis fails</b> (after the connection's command timeout at most; see {@link
 * FailurePolicy}): a lookup the local level cannot answer throws a {@link
 * StoreUnavailableException}, which {@linkplain StoreUnavailableException#failedClosed() fails
 * closed} with {@link FailurePolicy#FAIL_CLOSED} (the gateway rejects the call) and open with
 * {@link FailurePolicy#FAIL_OPEN}, the default (the gateway reports it and calls the provider). A
 * {@link #put} keeps the entry in the local level and throws a fail-open exception, which the
 * gateway reports and ignores. An invalidation drops the local copies and throws a fail-closed
 * exception: the caller must know that the fleet did not drop the entry.
 *
 * <p>Needs Redis 5 or later (scripts that read the server's clock before writing). Thread-safe.
 * Closing the store drops its local level and ends its subscription; it does not close the
 * connection.
 */
public final class RedisCacheStore implements CacheStore {
  private static final System.Logger LOG = System.getLogger(RedisCacheStore.class.getName());
  private static final LuaScript GET = LuaScript.load(ScriptOutputType.MULTI, "cache-get.lua");
  private static final LuaScript PUT = LuaScript.load(ScriptOutputType.VALUE, "cache-put.lua");
  private static final LuaScript INVALIDATE = LuaScript.load(ScriptOutputType.INTEGER, "cache-invalidate.lua");
  private static final LuaScript INVALIDATE_PARTITION = LuaScript.load(ScriptOutputType.INTEGER, "cache-invalidate-partition.lua");
  /** The longest time to live, as {@link InMemoryCacheStore}'s: about 146 years. */
  private static final long MAXIMUM_TTL_NANOS = Long.MAX_VALUE >> 1;

  private final RedisConnection redis;
  private final FailurePolicy policy;
  private final Duration maxLocalTtl;
  private final InMemoryCacheStore local;
  private final String prefix;
  private final byte[] channel;
  private final CacheInvalidations invalidations;

  private final LongAdder localHits = new LongAdder();
  private final LongAdder remoteHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  /**
   * Counts local invalidations. A lookup fills the local level with what Redis answered only if
   * no invalidation happened while it waited, so an invalidation that overtakes the answer cannot
   * leave a stale copy behind.
   */
  private final AtomicLong invalidationEpoch = new AtomicLong();

  private RedisCacheStore(Builder b) {
    this.redis = b.redis;
    this.policy = b.policy;
    this.maxLocalTtl = b.maxLocalTtl;
    this.local = InMemoryCacheStore.builder().maximumBytes(b.localMaximumBytes).timeSource(b.timeSource).build();
    this.prefix = "{" + redis.namespace() + ":cache:";
    String channelName = redis.namespace() + ":cache:invalidate";
    this.channel = channelName.getBytes(StandardCharsets.UTF_8);
    this.invalidations = new CacheInvalidations(redis, channelName, this::dropLocal, this::dropLocalPartition, this::dropLocalAll);
    invalidations.ensureSubscribed();
  }

  /**
   * {@return a builder for a store on {@code redis}: fail-open, a local level of {@value
   * InMemoryCacheStore#DEFAULT_MAXIMUM_BYTES} bytes (64 MiB) on the system clock, local copies
   * kept at most 60 s}
   *
   * @param redis the connection
   */
  public static Builder builder(RedisConnection redis) {
    return new Builder(redis);
  }

  /** {@return the failure policy} */
  public FailurePolicy failurePolicy() {
    return policy;
  }

  /** {@return the longest a copy lives in the local level} */
  public Duration maxLocalTtl() {
    return maxLocalTtl;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The local level first; on a local miss, Redis in one round trip, and a hit there is kept
   * locally for its remaining time to live (at most {@code maxLocalTtl}). An entry this gateway
   * cannot read is deleted and counts as a miss.
   *
   * @throws StoreUnavailableException when the local level has no entry and Redis does not
   *     answer; {@linkplain StoreUnavailableException#failedClosed() failed closed} exactly when
   *     the policy is {@link FailurePolicy#FAIL_CLOSED}
   */
  @Override
  public Optional<CachedResponse> get(CacheKey key) {
    Objects.requireNonNull(key, "key");
    Optional<CachedResponse> near = local.get(key);
    if (near.isPresent()) {
      localHits.increment();
      return near;
    }
    long epoch = invalidationEpoch.get();
    List<Object> answer;
    try {
      answer = GET.run(redis, new byte[][] {generationKey(key.partition())}, new byte[][] {ascii(key.hash())}, redis.commandTimeout());
    } catch (RedisFailure e) {
      misses.increment();
      throw new StoreUnavailableException("cache", policy == FailurePolicy.FAIL_CLOSED,
          "lookup in Redis failed: " + e.getMessage(), e);
    }
    invalidations.ensureSubscribed();
    if (answer.isEmpty()) {
      misses.increment();
      return Optional.empty();
    }
    CachedResponse value;
    try {
      value = CachedResponseCodec.decode((byte[]) answer.get(0));
    } catch (CachedResponseCodec.MalformedEntryException e) {
      LOG.log(System.Logger.Level.WARNING, "deleting a cache entry this gateway cannot read (" + key + "): " + e.getMessage());
      deleteQuietly(entryKey(key, new String((byte[]) answer.get(2), StandardCharsets.US_ASCII)));
      misses.increment();
      return Optional.empty();
    }
    remoteHits.increment();
    long remainingMillis = (Long) answer.get(1);
    Duration localTtl = remainingMillis < 0 || Duration.ofMillis(remainingMillis).compareTo(maxLocalTtl) > 0
        ? maxLocalTtl
        : Duration.ofMillis(remainingMillis);
    if (!localTtl.isZero() && invalidationEpoch.get() == epoch) {
      local.put(key, value, localTtl);
      if (invalidationEpoch.get() != epoch) {
        // an invalidation arrived while we stored: it may have missed our copy
        local.invalidate(key);
      }
    }
    return Optional.of(value);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The local level only: no round trip, and not counted in {@link #stats()}.
   */
  @Override
  public Optional<CachedResponse> getLocal(CacheKey key) {
    return local.get(Objects.requireNonNull(key, "key"));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Stores the entry in the local level (for at most {@code maxLocalTtl}) and in Redis (for
   * {@code ttl}, in milliseconds rounded up). Times to live beyond about 146 years are shortened
   * to that.
   *
   * @throws StoreUnavailableException (fail-open) when Redis did not store it; the local level
   *     keeps it
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
    long millis = Math.max(1, (nanos + 999_999) / 1_000_000);
    byte[] encoded = CachedResponseCodec.encode(value);
    local.put(key, value, ttl.compareTo(maxLocalTtl) < 0 ? ttl : maxLocalTtl);
    puts.increment();
    try {
      PUT.run(redis, new byte[][] {generationKey(key.partition())},
          new byte[][] {ascii(key.hash()), encoded, ascii(Long.toString(millis))}, redis.commandTimeout());
    } catch (RedisFailure e) {
      throw new StoreUnavailableException("cache", false,
          "storing in Redis failed, the entry is kept in this gateway only: " + e.getMessage(), e);
    }
    invalidations.ensureSubscribed();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Drops the local copy, deletes the entry in Redis and tells every gateway of the fleet to
   * drop its copy, in one round trip.
   *
   * @throws StoreUnavailableException (fail-closed) when Redis did not answer: only this
   *     gateway's copy was dropped
   */
  @Override
  public void invalidate(CacheKey key) {
    Objects.requireNonNull(key, "key");
    dropLocal(key);
    try {
      INVALIDATE.run(redis, new byte[][] {generationKey(key.partition())},
          new byte[][] {ascii(key.hash()), channel, CacheInvalidations.keyMessage(key)}, redis.commandTimeout());
    } catch (RedisFailure e) {
      throw new StoreUnavailableException("cache", true,
          "invalidating in Redis failed, the entry was dropped in this gateway only: " + e.getMessage(), e);
    } finally {
      // again, for a lookup that read Redis before the deletion and stored its copy meanwhile
      dropLocal(key);
    }
    invalidations.ensureSubscribed();
  }

  /**
   * {@inheritDoc}
   *
   * <p>O(1) in Redis: the partition's generation moves on, so its entries are unreachable at
   * once and expire by their time to live. The local level is scanned (O(n) in its entries), and
   * every gateway of the fleet drops its copies.
   *
   * @throws StoreUnavailableException (fail-closed) when Redis did not answer: only this
   *     gateway's copies were dropped
   */
  @Override
  public void invalidatePartition(String partition) {
    Objects.requireNonNull(partition, "partition");
    dropLocalPartition(partition);
    try {
      INVALIDATE_PARTITION.run(redis, new byte[][] {generationKey(partition)},
          new byte[][] {channel, CacheInvalidations.partitionMessage(partition)}, redis.commandTimeout());
    } catch (RedisFailure e) {
      throw new StoreUnavailableException("cache", true,
          "invalidating a partition in Redis failed, it was dropped in this gateway only: " + e.getMessage(), e);
    } finally {
      dropLocalPartition(partition);
    }
    invalidations.ensureSubscribed();
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code hits} counts the lookups either level answered, {@code misses} those neither did
   * (including lookups Redis failed to answer, and unreadable entries); {@code puts} the entries
   * stored. {@code evictions}, {@code entries} and {@code weightBytes} describe the local level
   * only (its expiries include copies that reached {@code maxLocalTtl}): what Redis holds is not
   * counted.
   */
  @Override
  public CacheStats stats() {
    CacheStats near = local.stats();
    return new CacheStats(localHits.sum() + remoteHits.sum(), misses.sum(), puts.sum(), near.evictions(),
        near.entries(), near.weightBytes());
  }

  /** Drops the local level and ends this store's subscription. Does not close the connection. */
  @Override
  public void close() {
    invalidations.close();
    local.close();
  }

  /** The server (without credentials), the policy and the local level's size; never content. */
  @Override
  public String toString() {
    CacheStats near = local.stats();
    return "RedisCacheStore[" + redis.display() + ", namespace=" + redis.namespace() + ", " + policy
        + ", maxLocalTtl=" + maxLocalTtl.toMillis() + "ms, localEntries=" + near.entries()
        + ", localBytes=" + near.weightBytes() + ", localMaximumBytes=" + local.maximumBytes()
        + (invalidations.active() ? "" : ", not subscribed") + "]";
  }

  // ---------------------------------------------------------------------------------------------

  /** Whether this store hears of the fleet's invalidations (for tests and readiness checks). */
  boolean subscribed() {
    return invalidations.active();
  }

  private void dropLocal(CacheKey key) {
    invalidationEpoch.incrementAndGet();
    local.invalidate(key);
  }

  private void dropLocalPartition(String partition) {
    invalidationEpoch.incrementAndGet();
    local.invalidatePartition(partition);
  }

  private void dropLocalAll() {
    invalidationEpoch.incrementAndGet();
    local.close(); // drops every entry; the store stays usable
  }

  private void deleteQuietly(byte[] key) {
    try {
      redis.call(c -> c.del(key), redis.commandTimeout());
    } catch (RedisFailure e) {
      // it expires by its time to live
    }
  }

  /** {@code {<namespace>:cache:<partition>}:g}. */
  byte[] generationKey(String partition) {
    return (prefix + partition + "}:g").getBytes(StandardCharsets.UTF_8);
  }

  /** {@code {<namespace>:cache:<partition>}:e:<generation>:<hash>}. */
  byte[] entryKey(CacheKey key, String generation) {
    return (prefix + key.partition() + "}:e:" + generation + ":" + key.hash()).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Builds a {@link RedisCacheStore}; every setting is checked at once. */
  public static final class Builder {
    private final RedisConnection redis;
    private FailurePolicy policy = FailurePolicy.FAIL_OPEN;
    private long localMaximumBytes = InMemoryCacheStore.DEFAULT_MAXIMUM_BYTES;
    private TimeSource timeSource = TimeSource.system();
    private Duration maxLocalTtl = Duration.ofSeconds(60);

    private Builder(RedisConnection redis) {
      this.redis = Objects.requireNonNull(redis, "redis");
    }

    /**
     * What a lookup the local level cannot answer does while Redis does not: {@link
     * FailurePolicy#FAIL_OPEN} (a miss the gateway reports; the default) or {@link
     * FailurePolicy#FAIL_CLOSED} (the call is rejected).
     *
     * @param policy the failure policy
     * @return this builder
     */
    public Builder failurePolicy(FailurePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "failurePolicy");
      return this;
    }

    /**
     * The most bytes the local level holds, as estimated by {@link CachedResponse#weightBytes()};
     * 64 MiB by default.
     *
     * @param bytes the most bytes
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder localMaximumBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("localMaximumBytes must be positive, was " + bytes);
      }
      this.localMaximumBytes = bytes;
      return this;
    }

    /**
     * The clock that times the local level's entries out; the system's by default. Use the
     * gateway's (tests pass the testkit's {@code ManualClock}). Redis times its entries out on
     * its own clock.
     *
     * @param timeSource the clock
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * The longest a copy lives in the local level; 60 s by default. It bounds how long a gateway
     * can answer with an entry that was replaced, or invalidated while it was not listening.
     *
     * @param maxLocalTtl the longest a copy lives in the local level; 60 s by default
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxLocalTtl(Duration maxLocalTtl) {
      Objects.requireNonNull(maxLocalTtl, "maxLocalTtl");
      if (maxLocalTtl.isZero() || maxLocalTtl.isNegative()) {
        throw new IllegalArgumentException("maxLocalTtl must be positive, was " + maxLocalTtl);
      }
      this.maxLocalTtl = maxLocalTtl;
      return this;
    }

    /**
     * Builds the store; it subscribes to invalidations in the background.
     *
     * @return the new {@code RedisCacheStore}
     */
    public RedisCacheStore build() {
      return new RedisCacheStore(this);
    }
  }
}
