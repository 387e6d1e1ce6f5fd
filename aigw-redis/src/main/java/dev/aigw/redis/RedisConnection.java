package dev.aigw.redis;

import dev.aigw.api.TimeSource;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A connection to the Redis server (or cluster) that a fleet's {@link RedisBudgetStore} and
 * {@link RedisCacheStore} share, made with <a href="https://lettuce.io">Lettuce</a>. One
 * connection serves every thread: concurrent commands are pipelined on it, so a store costs one
 * round trip per operation however many threads use it.
 *
 * <pre>{@code
 * RedisConnection redis = RedisConnection.builder("rediss://:" + password + "@redis.internal:6380/2")
 *     .commandTimeout(Duration.ofMillis(50))
 *     .build();
 * AiGateway gateway = AiGateway.builder()
 *     .budgetStore(RedisBudgetStore.builder(redis).failurePolicy(FailurePolicy.FAIL_OPEN).build())
 *     .cache(ResponseCache.builder().store(RedisCacheStore.builder(redis).build()).build())
 *     ...
 * }</pre>
 *
 * <p>The URI follows Lettuce's syntax: {@code redis://[[user]:password@]host[:port][/database]},
 * {@code rediss://} for TLS (the JVM's trust store checks the server's certificate), and {@code
 * redis-socket://} for a Unix socket. On a cluster ({@link Builder#cluster}) the URI names any
 * node.
 *
 * <p><b>Failures.</b> Every command waits at most the {@linkplain Builder#commandTimeout command
 * timeout} (and never past the caller's deadline). While the server is unreachable commands fail
 * at once rather than queue. After a failure the stores stop asking Redis for the {@linkplain
 * Builder#retryInterval retry interval}, so calls during an outage pay no timeout; then the next
 * command tries again, and Lettuce reconnects by itself. Building the connection starts
 * connecting without waiting, so a service starts while Redis is down.
 *
 * <p>Thread-safe. {@link #toString()} never shows the password. Close it after the stores that
 * use it.
 */
public final class RedisConnection implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RedisConnection.class.getName());

  private final RedisURI uri;
  private final String display;
  private final boolean cluster;
  private final boolean pipelining;
  private final int poolSize;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final Duration retryInterval;
  private final String namespace;
  private final TimeSource clock;
  private final ClientResources resources;
  private final AbstractRedisClient client;
  /** Runs the stores' catch-up writes off the callers' threads; made on first use. */
  private @Nullable ScheduledExecutorService background;

  private final Object connectLock = new Object();
  /** The shared connection (when pipelining), being made or made. */
  private volatile @Nullable CompletableFuture<? extends StatefulConnection<byte[], byte[]>> shared;
  private final @Nullable BlockingQueue<StatefulConnection<byte[], byte[]>> pool;
  /** The pool's connections, made and being made (when not pipelining). */
  private final List<StatefulConnection<byte[], byte[]>> opened = new ArrayList<>();
  private int poolOpening;

  /** {@code nanoTime} before which Redis is not asked again, or {@code Long.MIN_VALUE} when it is up. */
  private volatile long downUntil = Long.MIN_VALUE;
  private volatile @Nullable RedisFailure outage;
  private volatile boolean closed;

  private RedisConnection(Builder b) {
    this.uri = b.uri;
    this.display = b.display;
    this.cluster = b.cluster;
    this.pipelining = b.pipelining;
    this.poolSize = b.poolSize;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.retryInterval = b.retryInterval;
    this.namespace = b.namespace;
    this.clock = b.clock;
    // the handshake (HELLO, AUTH, SELECT) runs with the URI's timeout: give it the connect timeout
    uri.setTimeout(connectTimeout);
    // reconnect quickly after an outage: 10 ms doubling up to 1 s, not Lettuce's 30 s cap
    this.resources = DefaultClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
    SocketOptions socket = SocketOptions.builder().connectTimeout(b.connectTimeout).keepAlive(true).tcpNoDelay(true).build();
    TimeoutOptions timeouts = TimeoutOptions.enabled(commandTimeout);
    if (cluster) {
      RedisClusterClient c = RedisClusterClient.create(resources, uri);
      // commands wait (within their timeout) for a node's connection: the cluster client makes
      // them lazily, and rejecting meanwhile would fail every first command to a node
      c.setOptions(ClusterClientOptions.builder()
          .autoReconnect(true)
          .requestQueueSize(10_000)
          .socketOptions(socket)
          .timeoutOptions(timeouts)
          .build());
      this.client = c;
    } else {
      RedisClient c = RedisClient.create(resources, uri);
      c.setOptions(ClientOptions.builder()
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .socketOptions(socket)
          .timeoutOptions(timeouts)
          .build());
      this.client = c;
    }
    this.pool = pipelining ? null : new ArrayBlockingQueue<>(poolSize);
    if (pipelining) {
      // start connecting now, so the first call does not wait for it; a failure is retried on use
      shared = connectAsync();
    }
  }

  /**
   * {@return a connection to {@code uri} with the defaults}
   *
   * @param uri a {@code redis://} or {@code rediss://} URI
   */
  public static RedisConnection connect(String uri) {
    return builder(uri).build();
  }

  /**
   * {@return a builder for a connection to {@code uri}}
   *
   * @param uri a {@code redis://} or {@code rediss://} URI
   * @throws IllegalArgumentException when the URI cannot be parsed (the message omits any
   *     password)
   */
  public static Builder builder(String uri) {
    return new Builder(uri);
  }

  /** Whether {@link #close()} was called. */
  boolean closed() {
    return closed;
  }

  /**
   * {@return whether Redis answers a {@code PING} within the command timeout: for readiness checks}
   * Never throws.
   */
  public boolean ping() {
    try {
      call(c -> c.ping(), commandTimeout);
      return true;
    } catch (RedisFailure e) {
      return false;
    }
  }

  /**
   * {@return whether the last command failed and Redis is not asked again until the retry interval
   * passed}
   */
  public boolean unavailable() {
    return downUntil != Long.MIN_VALUE;
  }

  /** {@return the key prefix every store of this connection uses, {@code "aigw"} by default} */
  public String namespace() {
    return namespace;
  }

  /** {@return the command timeout} */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** Closes the connections and Lettuce's threads. Stores using it fail afterwards. */
  @Override
  public void close() {
    closed = true;
    synchronized (connectLock) {
      // the client's shutdown closes every connection it made
      opened.clear();
      shared = null;
      if (background != null) {
        background.shutdown();
      }
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** The server without credentials, the database, and the options. */
  @Override
  public String toString() {
    return "RedisConnection[" + display + (cluster ? ", cluster" : "") + (pipelining ? ", pipelined" : ", pool of " + poolSize)
        + ", commandTimeout=" + commandTimeout.toMillis() + "ms, namespace=" + namespace + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // For the stores

  /** What a command sends: one call on the async API, returning its future. */
  @FunctionalInterface
  interface Command<T> {
    io.lettuce.core.RedisFuture<T> send(RedisClusterAsyncCommands<byte[], byte[]> commands);
  }

  /** The server, without credentials, for messages. */
  String display() {
    return display;
  }

  /**
   * Runs {@code task} on the connection's one background thread after {@code delay} (real
   * time); nothing once the connection is closed.
   */
  void background(Runnable task, Duration delay) {
    ScheduledExecutorService e;
    synchronized (connectLock) {
      if (closed) {
        return;
      }
      if (background == null) {
        background = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "aigw-redis " + display);
          t.setDaemon(true);
          return t;
        });
      }
      e = background;
    }
    e.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** How long after a failure Redis is not asked again. */
  Duration retryInterval() {
    return retryInterval;
  }

  /** The clock of the retry interval. */
  TimeSource clock() {
    return clock;
  }

  /** Why Redis is being skipped, while it is; otherwise null. */
  @Nullable RedisFailure outage() {
    return downUntil != Long.MIN_VALUE && clock.nanoTime() - downUntil < 0 ? outage : null;
  }

  /**
   * Sends {@code command} and waits for its answer at most {@code maxWait} (capped at the command
   * timeout; connecting first, when needed, waits at most the connect timeout or {@code maxWait}).
   * Marks Redis down when it fails for a reason other than the caller's short wait.
   *
   * @throws RedisFailure when Redis is being skipped after a failure, or the command failed or
   *     timed out; the command may or may not have run
   */
  <T> T call(Command<T> command, Duration maxWait) {
    if (closed) {
      throw new RedisFailure("the connection to " + display + " is closed", null, false, false);
    }
    RedisFailure down = outage();
    if (down != null) {
      throw new RedisFailure(down.getMessage() + " (not asked again until the retry interval has passed)", null, false, false);
    }
    boolean capped = maxWait.compareTo(commandTimeout) < 0;
    long waitNanos = capped ? Math.max(0, maxWait.toNanos()) : commandTimeout.toNanos();
    StatefulConnection<byte[], byte[]> connection = null;
    boolean sent = false;
    try {
      long connectNanos = capped ? waitNanos : connectTimeout.toNanos();
      connection = borrow(connectNanos);
      io.lettuce.core.RedisFuture<T> future = command.send(commands(connection));
      sent = true;
      T value;
      try {
        value = future.get(waitNanos, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        future.cancel(false);
        throw new RedisFailure(display + " did not answer within " + Duration.ofNanos(waitNanos).toMillis() + " ms", null, true, true);
      }
      recovered();
      return value;
    } catch (RedisFailure e) {
      if (!(capped && e.timedOut())) {
        failed(e);
      }
      throw e;
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof io.lettuce.core.RedisNoScriptException noScript) {
        throw noScript;
      }
      boolean rejected = !sent || String.valueOf(cause.getMessage()).startsWith("Currently not connected");
      RedisFailure f = new RedisFailure(display + " failed: " + describe(cause), cause,
          cause instanceof io.lettuce.core.RedisCommandTimeoutException, !rejected);
      if (cause instanceof io.lettuce.core.RedisCommandExecutionException) {
        // the server answered with an error: it is up, the command is wrong
        throw f;
      }
      failed(f);
      throw f;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisFailure("interrupted while waiting for " + display, e, false, sent);
    } catch (RuntimeException e) {
      RedisFailure f = new RedisFailure(display + " failed: " + describe(e), e, false, sent);
      failed(f);
      throw f;
    } finally {
      if (connection != null && pool != null) {
        pool.offer(connection);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static RedisClusterAsyncCommands<byte[], byte[]> commands(StatefulConnection<byte[], byte[]> connection) {
    if (connection instanceof io.lettuce.core.api.StatefulRedisConnection<byte[], byte[]> single) {
      return single.async();
    }
    return ((io.lettuce.core.cluster.api.StatefulRedisClusterConnection<byte[], byte[]>) connection).async();
  }

  private StatefulConnection<byte[], byte[]> borrow(long waitNanos) throws InterruptedException, java.util.concurrent.ExecutionException {
    if (pool == null) {
      CompletableFuture<? extends StatefulConnection<byte[], byte[]>> c = shared;
      if (c == null || c.isCompletedExceptionally()) {
        synchronized (connectLock) {
          c = shared;
          if (c == null || c.isCompletedExceptionally()) {
            c = connectAsync();
            shared = c;
          }
        }
      }
      return await(c, waitNanos);
    }
    StatefulConnection<byte[], byte[]> c = pool.poll();
    if (c != null) {
      return c;
    }
    CompletableFuture<? extends StatefulConnection<byte[], byte[]>> connecting = null;
    synchronized (connectLock) {
      if (poolOpening < poolSize) {
        poolOpening++;
        connecting = connectAsync().whenComplete((made, error) -> {
          synchronized (connectLock) {
            if (made != null) {
              opened.add(made);
            } else {
              poolOpening--;
            }
          }
        });
      }
    }
    if (connecting != null) {
      return await(connecting, waitNanos);
    }
    c = pool.poll(waitNanos, TimeUnit.NANOSECONDS);
    if (c == null) {
      throw new RedisFailure("no free connection to " + display + " within " + Duration.ofNanos(waitNanos).toMillis() + " ms", null, true, false);
    }
    return c;
  }

  private CompletableFuture<? extends StatefulConnection<byte[], byte[]>> connectAsync() {
    if (closed) {
      throw new RedisFailure("the connection to " + display + " is closed", null, false, false);
    }
    if (client instanceof RedisClusterClient cc) {
      // the cluster client's async connect needs its partitions loaded first, which only its
      // blocking connect does: run that on the background thread
      CompletableFuture<StatefulConnection<byte[], byte[]>> made = new CompletableFuture<>();
      background(() -> {
        try {
          made.complete(cc.connect(ByteArrayCodec.INSTANCE));
        } catch (RuntimeException e) {
          made.completeExceptionally(e);
        }
      }, Duration.ZERO);
      return made;
    }
    return ((RedisClient) client).connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
  }

  private StatefulConnection<byte[], byte[]> await(
      CompletableFuture<? extends StatefulConnection<byte[], byte[]>> connecting, long waitNanos)
      throws InterruptedException, java.util.concurrent.ExecutionException {
    try {
      return connecting.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new RedisFailure("could not connect to " + display + " within " + Duration.ofNanos(waitNanos).toMillis() + " ms", null, true, false);
    }
  }

  private void failed(RedisFailure failure) {
    boolean wasUp = downUntil == Long.MIN_VALUE;
    outage = failure;
    downUntil = clock.nanoTime() + retryInterval.toNanos();
    if (wasUp) {
      LOG.log(System.Logger.Level.WARNING, "Redis at " + display + " is unavailable; asking again in "
          + retryInterval.toMillis() + " ms: " + failure.getMessage());
    }
  }

  private void recovered() {
    if (downUntil == Long.MIN_VALUE) {
      return;
    }
    downUntil = Long.MIN_VALUE;
    outage = null;
    LOG.log(System.Logger.Level.INFO, "Redis at " + display + " answers again");
  }

  private final Object pubSubLock = new Object();
  /** The pub/sub connection, being made or made; null until first asked for. Guarded by pubSubLock. */
  private @Nullable CompletableFuture<? extends io.lettuce.core.pubsub.StatefulRedisPubSubConnection<byte[], byte[]>> pubSub;

  /**
   * The connection on which {@link RedisCacheStore}s receive invalidations: made on first use (or
   * again after a failed attempt), then shared. Lettuce reconnects it and subscribes its channels
   * again by itself. The client's shutdown in {@link #close()} closes it with the other
   * connections. Waits at most the command timeout.
   *
   * @throws RedisFailure when this connection is closed, or the pub/sub connection could not be
   *     made in time (a later call tries again, or finds it made)
   */
  io.lettuce.core.pubsub.StatefulRedisPubSubConnection<byte[], byte[]> pubSub() {
    CompletableFuture<? extends io.lettuce.core.pubsub.StatefulRedisPubSubConnection<byte[], byte[]>> c;
    synchronized (pubSubLock) {
      if (closed) {
        throw new RedisFailure("the connection to " + display + " is closed", null, false, false);
      }
      c = pubSub;
      if (c == null || c.isCompletedExceptionally() || c.isCancelled()) {
        try {
          c = client instanceof RedisClusterClient cc
              ? cc.connectPubSubAsync(ByteArrayCodec.INSTANCE)
              : ((RedisClient) client).connectPubSubAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
        } catch (RuntimeException e) {
          throw new RedisFailure(display + " failed: " + describe(e), e, false, false);
        }
        pubSub = c;
      }
    }
    try {
      return c.get(connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new RedisFailure("could not connect to " + display + " for pub/sub within " + connectTimeout.toMillis() + " ms", null, true, false);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new RedisFailure(display + " failed: " + describe(cause), cause, false, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisFailure("interrupted while connecting to " + display, e, false, false);
    }
  }


  /** An exception's class and message, which Lettuce keeps free of credentials. */
  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** Builds a {@link RedisConnection}; every setting is checked at once. */
  public static final class Builder {
    private final RedisURI uri;
    private final String display;
    private boolean cluster;
    private boolean pipelining = true;
    private int poolSize = 8;
    private Duration commandTimeout = Duration.ofMillis(100);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration retryInterval = Duration.ofSeconds(1);
    private String namespace = "aigw";
    private TimeSource clock = TimeSource.system();

    private Builder(String uri) {
      Objects.requireNonNull(uri, "uri");
      try {
        this.uri = RedisURI.create(uri);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a Redis URI (expected redis://, rediss:// or redis-socket://): "
            + redact(uri), null);
      }
      String host = this.uri.getSocket() != null ? this.uri.getSocket() : this.uri.getHost() + ":" + this.uri.getPort();
      this.display = (this.uri.isSsl() ? "rediss://" : "redis://") + host + "/" + this.uri.getDatabase();
    }

    private static String redact(String uri) {
      int at = uri.lastIndexOf('@');
      int scheme = uri.indexOf("://");
      return at > 0 && scheme >= 0 && at > scheme ? uri.substring(0, scheme + 3) + "***@" + uri.substring(at + 1) : uri;
    }

    /**
     * Whether the URI names a node of a Redis Cluster; false by default. Every key a store
     * touches in one command shares a hash tag, so each command goes to one node.
     *
     * @param cluster whether the URI names a node of a Redis Cluster; false by default
     * @return this builder
     */
    public Builder cluster(boolean cluster) {
      this.cluster = cluster;
      return this;
    }

    /**
     * Whether all threads share one connection, on which their concurrent commands are
     * pipelined (true, the default), or each command takes a connection of a {@linkplain
     * #poolSize pool} for itself and waits for its answer before the next command is sent on it.
     * Pipelining needs fewer connections and gives more calls per second.
     *
     * @param pipelining whether all threads share one connection, on which their concurrent
     *     commands are pipelined (true, the default), or each command takes a connection of a
     *     {@linkplain #poolSize pool} for itself and waits for its answer before the next command
     *     is sent on it
     * @return this builder
     */
    public Builder pipelining(boolean pipelining) {
      this.pipelining = pipelining;
      return this;
    }

    /**
     * How many connections the pool holds without {@linkplain #pipelining pipelining}; 8 by
     * default.
     *
     * @param poolSize how many connections the pool holds without {@linkplain #pipelining
     *     pipelining}; 8 by default
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder poolSize(int poolSize) {
      if (poolSize <= 0) {
        throw new IllegalArgumentException("poolSize must be positive, was " + poolSize);
      }
      this.poolSize = poolSize;
      return this;
    }

    /**
     * The longest a command waits for its answer; 100 ms by default. A budget check or cache
     * lookup that takes longer fails as its store's {@link FailurePolicy} says.
     *
     * @param timeout the command timeout
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "commandTimeout");
      return this;
    }

    /**
     * The longest connecting (with its handshake) may take; 1 s by default. A call waits for it
     * only while the connection is being made, and never past its deadline.
     *
     * @param timeout the connect timeout
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long after a failure the stores do without Redis before they ask it again; 1 s by
     * default. Calls in between fail (or fall back) at once instead of each waiting for a
     * timeout.
     *
     * @param interval the retry interval
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder retryInterval(Duration interval) {
      Objects.requireNonNull(interval, "retryInterval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("retryInterval must not be negative, was " + interval);
      }
      this.retryInterval = interval;
      return this;
    }

    /**
     * The prefix of every key, so several applications can share one Redis database; {@code
     * "aigw"} by default. Gateways share budgets and cache entries only when they use the same
     * namespace.
     *
     * @param namespace the prefix of every key, so several applications can share one Redis
     *     database; {@code "aigw"} by default
     * @return this builder
     * @throws IllegalArgumentException when blank or when it contains braces, which Redis
     *     Cluster reads as a hash tag
     */
    public Builder namespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace");
      if (namespace.isBlank() || namespace.indexOf('{') >= 0 || namespace.indexOf('}') >= 0) {
        throw new IllegalArgumentException("namespace must be non-blank and without braces, was '" + namespace + "'");
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * The clock that times the {@linkplain #retryInterval retry interval}; the system's by
     * default (tests pass a manual clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder timeSource(TimeSource clock) {
      this.clock = Objects.requireNonNull(clock, "timeSource");
      return this;
    }

    /**
     * Builds the connection; it connects on first use.
     *
     * @return the new {@code RedisConnection}
     */
    public RedisConnection build() {
      return new RedisConnection(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
