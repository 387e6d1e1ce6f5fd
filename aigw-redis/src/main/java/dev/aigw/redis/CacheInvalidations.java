package dev.aigw.redis;

import dev.aigw.core.cache.CacheKey;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One {@link RedisCacheStore}'s subscription to its namespace's invalidation channel, on the
 * connection's shared {@linkplain RedisConnection#pubSub() pub/sub connection}.
 *
 * <p>Messages are UTF-8 text: {@code k <partition> <hash>} drops one entry, {@code p
 * <partition>} a whole partition (the partition may hold spaces: the hash is the last 64
 * characters). Subscribing runs on the connection's background thread, never on a caller's; when
 * it fails it is logged (WARNING, once per streak) and tried again after the store's next
 * successful Redis round trip. Once subscribed, Lettuce reconnects and subscribes again by
 * itself; since messages published in between are lost, each confirmation after the first
 * (a re-subscription) drops the whole local level.
 *
 * <p>Several stores of one connection and namespace share the channel's subscription: it is
 * counted per connection, and the last store to close unsubscribes.
 */
final class CacheInvalidations {
  private static final System.Logger LOG = System.getLogger(RedisCacheStore.class.getName());

  /** Stores subscribed per pub/sub connection and channel. Guarded by itself. */
  private static final Map<StatefulRedisPubSubConnection<byte[], byte[]>, Map<String, Integer>> SUBSCRIBED = new WeakHashMap<>();

  private final RedisConnection redis;
  private final String channelName;
  private final byte[] channel;
  private final Consumer<CacheKey> dropKey;
  private final Consumer<String> dropPartition;
  private final Runnable dropAll;
  private final Listener listener = new Listener();
  private final AtomicBoolean subscribing = new AtomicBoolean();
  /** Confirmations of the channel's subscription this store has seen. */
  private final AtomicLong confirmations = new AtomicLong();
  /** The connection this store is subscribed on; null before and after. Written under SUBSCRIBED. */
  private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> joined;
  private volatile boolean closed;
  private volatile boolean warned;

  CacheInvalidations(RedisConnection redis, String channelName, Consumer<CacheKey> dropKey,
      Consumer<String> dropPartition, Runnable dropAll) {
    this.redis = redis;
    this.channelName = channelName;
    this.channel = channelName.getBytes(StandardCharsets.UTF_8);
    this.dropKey = dropKey;
    this.dropPartition = dropPartition;
    this.dropAll = dropAll;
  }

  /** The channel's name. */
  String channel() {
    return channelName;
  }

  /** The message that drops {@code key} everywhere. */
  static byte[] keyMessage(CacheKey key) {
    return ("k " + key.partition() + " " + key.hash()).getBytes(StandardCharsets.UTF_8);
  }

  /** The message that drops {@code partition} everywhere. */
  static byte[] partitionMessage(String partition) {
    return ("p " + partition).getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the subscription is confirmed, so this gateway hears of other gateways' invalidations. */
  boolean active() {
    return joined != null && confirmations.get() > 0;
  }

  /** Subscribes in the background unless subscribed, subscribing or closed. Never blocks, never throws. */
  void ensureSubscribed() {
    if (closed || joined != null || !subscribing.compareAndSet(false, true)) {
      return;
    }
    try {
      redis.background(this::subscribe, java.time.Duration.ZERO);
    } catch (RejectedExecutionException e) {
      subscribing.set(false);
    }
  }

  private void subscribe() {
    try {
      StatefulRedisPubSubConnection<byte[], byte[]> c = redis.pubSub();
      synchronized (SUBSCRIBED) {
        if (closed || joined != null) {
          return;
        }
        Map<String, Integer> channels = SUBSCRIBED.computeIfAbsent(c, k -> new HashMap<>());
        int stores = channels.getOrDefault(channelName, 0);
        c.addListener(listener);
        if (stores == 0) {
          try {
            c.async().subscribe(channel).get(redis.commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
          } catch (Exception e) {
            c.removeListener(listener);
            if (e instanceof InterruptedException) {
              Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new RedisFailure("SUBSCRIBE failed: " + RedisConnection.describe(cause), cause, false, false);
          }
        } else {
          // the channel is already subscribed on this connection for another store
          confirmations.compareAndSet(0, 1);
        }
        channels.put(channelName, stores + 1);
        joined = c;
      }
      if (warned) {
        warned = false;
        LOG.log(System.Logger.Level.INFO, "the Redis cache store listens to invalidations on " + redis.display() + " again");
      }
    } catch (RuntimeException e) {
      // a store or connection closed while subscribing is shutting down, not failing
      if (!warned && !closed && !redis.closed()) {
        warned = true;
        LOG.log(System.Logger.Level.WARNING, "the Redis cache store could not subscribe to invalidations on " + redis.display()
            + " (" + e.getMessage() + "); it tries again after its next Redis call. Until then this gateway does not hear of"
            + " other gateways' invalidations: its local entries may stay stale for up to maxLocalTtl");
      }
    } finally {
      subscribing.set(false);
    }
  }

  /** Stops listening; unsubscribes the channel when no other store of the connection listens to it. Never blocks. */
  void close() {
    StatefulRedisPubSubConnection<byte[], byte[]> c;
    boolean last = false;
    synchronized (SUBSCRIBED) {
      closed = true;
      c = joined;
      joined = null;
      if (c == null) {
        return;
      }
      Map<String, Integer> channels = SUBSCRIBED.get(c);
      int stores = channels == null ? 0 : channels.getOrDefault(channelName, 0);
      if (stores <= 1) {
        last = true;
        if (channels != null) {
          channels.remove(channelName);
        }
      } else {
        channels.put(channelName, stores - 1);
      }
    }
    c.removeListener(listener);
    if (last) {
      try {
        c.async().unsubscribe(channel); // not awaited
      } catch (RuntimeException e) {
        // the connection is closed or down: the subscription ends with it
      }
    }
  }

  /** Runs on Lettuce's event loop: quick, and never throws into it. */
  private final class Listener extends RedisPubSubAdapter<byte[], byte[]> {
    @Override
    public void subscribed(byte[] ch, long count) {
      if (Arrays.equals(ch, channel) && confirmations.getAndIncrement() > 0) {
        // subscribed again after a disconnection: invalidations published meanwhile are lost
        try {
          dropAll.run();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "could not clear the cache's local level after a re-subscription", e);
        }
      }
    }

    @Override
    public void message(byte[] ch, byte[] message) {
      if (!Arrays.equals(ch, channel)) {
        return;
      }
      String m = new String(message, StandardCharsets.UTF_8);
      try {
        int hashAt = m.length() - CacheKey.HASH_LENGTH;
        if (m.startsWith("k ") && hashAt > 3 && m.charAt(hashAt - 1) == ' ') {
          dropKey.accept(new CacheKey(m.substring(2, hashAt - 1), m.substring(hashAt)));
        } else if (m.startsWith("p ") && m.length() > 2) {
          dropPartition.accept(m.substring(2));
        } else {
          LOG.log(System.Logger.Level.DEBUG, "ignored an unknown cache invalidation message of " + m.length() + " chars");
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "ignored a cache invalidation message that could not be applied: "
            + e.getClass().getSimpleName());
      }
    }
  }
}
