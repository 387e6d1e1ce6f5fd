package dev.aigw.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.core.budget.BudgetStore;
import dev.aigw.core.budget.Charge;
import dev.aigw.core.budget.InMemoryBudgetStore;
import dev.aigw.core.budget.Reservation;
import dev.aigw.core.budget.Window;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Budget and rate-limit counters in Redis, shared by every gateway of a fleet, with the same
 * guarantees as {@link InMemoryBudgetStore} in one JVM: a reservation against several counters
 * is all-or-nothing and a limit is passed by at most the estimation error of the calls in flight.
 *
 * <pre>{@code
 * BudgetStore budgets = RedisBudgetStore.builder(redis).failurePolicy(FailurePolicy.FAIL_OPEN).build();
 * AiGateway.builder().budgetStore(budgets).budget(Budget.perTenant().tokensPerDay(1_000_000)) ...
 * }</pre>
 *
 * <p><b>One round trip each.</b> A reservation is one Lua script that checks every counter and
 * then adds to every counter, or to none; a settlement is one script. Amounts are exact 64-bit
 * integers (money in nano-units): the scripts never round them through Lua's doubles.
 *
 * <p><b>Keys.</b> A counter is a hash {@code {<namespace>:budget}:c:<window>:<counter>} whose fields
 * are the window's buckets (one for a calendar window, up to 60 slices for a rolling one); it
 * expires when its newest bucket leaves the window. Each reservation leaves a record {@code
 * {<namespace>:budget}:r:<id>} until it is settled, so that settling twice, or settling a
 * reservation whose answer was lost, changes nothing. Every key carries the hash tag {@code
 * {<namespace>:budget}} (the word {@code budget}, not a budget's name), so a call's keys share one
 * slot and its script runs on Redis Cluster; the budgets of one namespace live on one shard. Windows are decided by the gateways' clocks, so keep
 * the fleet's clocks in sync (NTP).
 *
 * <p><b>When Redis fails</b> (see {@link FailurePolicy}): {@link FailurePolicy#FAIL_CLOSED}
 * rejects the call with a {@link StoreUnavailableException}. {@link FailurePolicy#FAIL_OPEN}
 * admits it against a local {@link InMemoryBudgetStore} of what this JVM admitted on its own in
 * the window, limited for each counter to its headroom as last seen from Redis times the
 * {@linkplain Builder#fallbackShare fallback share} (so one gateway admits at most share × limit
 * per window on its own, however many outages), and marks the reservation ({@link
 * Reservation#fallbackCause()}) so the gateway reports it. Either way,
 * settlements that Redis missed, what locally admitted calls used, and reservations whose
 * answer was lost are kept in this JVM and written to Redis once it answers again, so the shared
 * ledger ends exact. At most {@link Builder#maxPendingSettlements} are kept; beyond that the
 * oldest are dropped and logged.
 *
 * <p>Thread-safe. Closing the store writes what is pending (best effort); it does not close the
 * connection.
 */
public final class RedisBudgetStore implements BudgetStore {
  private static final System.Logger LOG = System.getLogger(RedisBudgetStore.class.getName());
  private static final LuaScript RESERVE = LuaScript.load(ScriptOutputType.MULTI, "budget-lib.lua", "budget-reserve.lua");
  private static final LuaScript SETTLE = LuaScript.load(ScriptOutputType.MULTI, "budget-lib.lua", "budget-settle.lua");
  private static final LuaScript ADD = LuaScript.load(ScriptOutputType.INTEGER, "budget-lib.lua", "budget-add.lua");
  /** Reservation records outlive their longest window by this, for slow streams. */
  private static final long RECORD_GRACE_MILLIS = Duration.ofHours(1).toMillis();

  private final RedisConnection redis;
  private final FailurePolicy policy;
  private final double fallbackShare;
  private final int maxPending;
  private final String prefix;
  private final String instance = Long.toHexString(ThreadLocalRandom.current().nextLong());
  private final AtomicLong sequence = new AtomicLong();

  /** Reservations not yet settled: where each was made. */
  private final Map<Reservation, Made> unsettled = new ConcurrentHashMap<>();
  /** Each counter's usage as Redis last reported it: {bucket, used}. */
  private final Cache<CounterId, long[]> lastSeen;
  /**
   * The fail-open fallback: what this JVM admitted on its own, per counter and window, across
   * outages. It is never reset within a window, so usage already added to Redis may be counted
   * twice against a later outage's headroom: the error is on the side of admitting less.
   */
  private final InMemoryBudgetStore local = new InMemoryBudgetStore();
  /** Writes Redis missed, oldest first. Guarded by itself. */
  private final Deque<Pending> pending = new ArrayDeque<>();
  private final AtomicBoolean flushing = new AtomicBoolean();

  private record CounterId(String counter, Window window) {}

  /** Where a reservation was made: in Redis under {@code id}, or in a local fallback. */
  private sealed interface Made permits InRedis, InLocal {}

  private record InRedis(String id) implements Made {}

  private record InLocal(Reservation reservation) implements Made {}

  /** A write Redis missed. */
  private sealed interface Pending permits PendingSettle, PendingAdd {}

  /** A settlement (or, with every delta the negated reservation, a release) of record {@code id}. */
  private record PendingSettle(String id, List<Charge> charges, long[] buckets, long[] deltas, Instant at) implements Pending {}

  /** Usage a local fallback admitted, to add to the counters. */
  private record PendingAdd(List<Charge> charges, long[] buckets, long[] amounts, Instant at) implements Pending {}

  private RedisBudgetStore(Builder b) {
    this.redis = b.redis;
    this.policy = b.policy;
    this.fallbackShare = b.fallbackShare;
    this.maxPending = b.maxPending;
    this.prefix = "{" + redis.namespace() + ":budget}:";
    this.lastSeen = Caffeine.newBuilder().maximumSize(b.maxCounters).executor(Runnable::run).build();
  }

  /**
   * {@return a builder for a store on {@code redis}: fail-closed, fallback share 1}
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

  /** {@return how many writes Redis missed are waiting for it} */
  public int pendingSettlements() {
    synchronized (pending) {
      return pending.size();
    }
  }

  @Override
  public Decision reserve(List<Charge> charges, Instant now) {
    return reserve(charges, now, redis.commandTimeout());
  }

  @Override
  public Decision reserve(List<Charge> charges, Instant now, Duration maxWait) {
    Objects.requireNonNull(charges, "charges");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(maxWait, "maxWait");
    Charge.requireDistinctCounters(charges);
    int n = charges.size();
    long[] buckets = new long[n];
    for (int i = 0; i < n; i++) {
      buckets[i] = charges.get(i).window().bucket(now);
    }
    String id = instance + ":" + sequence.incrementAndGet();
    byte[][] keys = new byte[n + 1][];
    byte[][] args = new byte[1 + 5 * n][];
    keys[0] = bytes(prefix + "r:" + id);
    long recordTtl = 0;
    for (int i = 0; i < n; i++) {
      Charge c = charges.get(i);
      long ttl = ttlMillis(c.window(), buckets[i], now);
      recordTtl = Math.max(recordTtl, ttl);
      keys[i + 1] = counterKey(c.counter(), c.window());
      args[1 + 5 * i] = number(buckets[i]);
      args[2 + 5 * i] = number(slices(c.window()));
      args[3 + 5 * i] = number(c.limit());
      args[4 + 5 * i] = number(c.amount());
      args[5 + 5 * i] = number(ttl);
    }
    args[0] = number(recordTtl + RECORD_GRACE_MILLIS);
    List<Object> answer;
    try {
      answer = RESERVE.run(redis, keys, args, maxWait);
    } catch (RedisFailure e) {
      if (e.mayHaveRun()) {
        // the script may have run with its answer lost: release it by its record once Redis is back
        long[] release = new long[n];
        for (int i = 0; i < n; i++) {
          release[i] = -charges.get(i).amount();
        }
        remember(new PendingSettle(id, charges, buckets, release, now));
      }
      return fallback(charges, buckets, now, e);
    }
    afterSuccess();
    if ("denied".equals(text(answer.get(0)))) {
      int i = Integer.parseInt(text(answer.get(1))) - 1;
      Charge c = charges.get(i);
      long used = Long.parseLong(text(answer.get(2)));
      seen(c, buckets[i], used);
      return new Denied(c, used, c.window().expiresAt(Long.parseLong(text(answer.get(3)))));
    }
    long[] used = new long[n];
    for (int i = 0; i < n; i++) {
      used[i] = Long.parseLong(text(answer.get(i + 1)));
      seen(charges.get(i), buckets[i], used[i]);
    }
    Reservation reservation = new Reservation(charges, buckets);
    unsettled.put(reservation, new InRedis(id));
    return new Granted(reservation, used);
  }

  @Override
  public long[] reconcile(Reservation reservation, long[] actual, Instant now) {
    Objects.requireNonNull(reservation, "reservation");
    Objects.requireNonNull(actual, "actual");
    Objects.requireNonNull(now, "now");
    reservation.requireActualAmounts(actual);
    List<Charge> charges = reservation.charges();
    Made made = unsettled.get(reservation);
    if (made == null && !reservation.settled()) {
      throw new IllegalArgumentException("this reservation was not made by this store: " + reservation);
    }
    reservation.settle();
    unsettled.remove(reservation);
    int n = charges.size();
    long[] buckets = new long[n];
    for (int i = 0; i < n; i++) {
      buckets[i] = reservation.bucket(i);
    }
    if (made instanceof InLocal inLocal) {
      long[] localUsed = local.reconcile(inLocal.reservation(), actual, now);
      PendingAdd add = new PendingAdd(charges, buckets, actual.clone(), now);
      if (!write(add)) {
        remember(add);
      }
      long[] used = new long[n];
      for (int i = 0; i < n; i++) {
        used[i] = saturatedAdd(lastSeenUsed(charges.get(i), charges.get(i).window().bucket(now)), localUsed[i]);
      }
      return used;
    }
    long[] deltas = new long[n];
    for (int i = 0; i < n; i++) {
      deltas[i] = actual[i] - charges.get(i).amount();
    }
    PendingSettle settle = new PendingSettle(((InRedis) made).id(), charges, buckets, deltas, now);
    try {
      List<Object> answer = settle(settle);
      afterSuccess();
      long[] used = new long[n];
      for (int i = 0; i < n; i++) {
        used[i] = Long.parseLong(text(answer.get(i + 1)));
        seen(charges.get(i), charges.get(i).window().bucket(now), used[i]);
      }
      return used;
    } catch (RedisFailure e) {
      remember(settle);
      long[] used = new long[n];
      for (int i = 0; i < n; i++) {
        used[i] = lastSeenUsed(charges.get(i), charges.get(i).window().bucket(now));
      }
      return used;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>While Redis does not answer: fail-closed throws {@link StoreUnavailableException};
   * fail-open returns the usage last seen from Redis plus what the local fallback admitted.
   */
  @Override
  public long used(String counter, Window window, Instant now) {
    Objects.requireNonNull(counter, "counter");
    Objects.requireNonNull(window, "window");
    long bucket = window.bucket(now);
    try {
      Map<byte[], byte[]> fields = redis.call(c -> c.hgetall(counterKey(counter, window)), redis.commandTimeout());
      afterSuccess();
      long sum = 0;
      long slices = slices(window);
      for (Map.Entry<byte[], byte[]> f : fields.entrySet()) {
        long b = Long.parseLong(text(f.getKey()));
        if (b > bucket - slices && b <= bucket) {
          sum = saturatedAdd(sum, Long.parseLong(text(f.getValue())));
        }
      }
      return sum;
    } catch (RedisFailure e) {
      if (policy == FailurePolicy.FAIL_CLOSED) {
        throw unavailable(e, true);
      }
      CounterId id = new CounterId(counter, window);
      long[] seen = lastSeen.getIfPresent(id);
      long base = seen != null && seen[0] > bucket - slices(window) && seen[0] <= bucket ? seen[1] : 0;
      return saturatedAdd(base, local.used(counter, window, now));
    }
  }

  /** Writes what is pending, waiting at most the command timeout for each write. */
  @Override
  public void close() {
    flush();
    int left = pendingSettlements();
    if (left > 0) {
      LOG.log(System.Logger.Level.WARNING, "closing the Redis budget store with " + left
          + " settlements Redis has not received; the shared counters keep what was reserved for them");
    }
  }

  @Override
  public String toString() {
    return "RedisBudgetStore[" + redis.display() + ", " + policy + ", pending=" + pendingSettlements() + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private Decision fallback(List<Charge> charges, long[] buckets, Instant now, RedisFailure failure) {
    if (policy == FailurePolicy.FAIL_CLOSED) {
      throw unavailable(failure, true);
    }
    int n = charges.size();
    long[] base = new long[n];
    List<Charge> localCharges = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Charge c = charges.get(i);
      base[i] = lastSeenUsed(c, buckets[i]);
      long limit = c.limit() == Long.MAX_VALUE
          ? Long.MAX_VALUE
          : (long) Math.floor(Math.max(0, c.limit() - base[i]) * fallbackShare);
      localCharges.add(new Charge(c.counter(), c.window(), limit, c.amount()));
    }
    Decision decision = local.reserve(localCharges, now);
    if (decision instanceof Denied denied) {
      int i = localCharges.indexOf(denied.charge());
      return new Denied(charges.get(i), saturatedAdd(base[i], denied.used()), denied.resetsAt());
    }
    Granted granted = (Granted) decision;
    long[] used = new long[n];
    for (int i = 0; i < n; i++) {
      used[i] = saturatedAdd(base[i], granted.used()[i]);
    }
    Reservation reservation = new Reservation(charges, buckets, unavailable(failure, false));
    unsettled.put(reservation, new InLocal(granted.reservation()));
    return new Granted(reservation, used);
  }

  private StoreUnavailableException unavailable(RedisFailure failure, boolean closed) {
    return new StoreUnavailableException("budget", closed, failure.getMessage(), failure);
  }

  private List<Object> settle(PendingSettle s) {
    Instant now = s.at();
    int n = s.charges().size();
    byte[][] keys = new byte[n + 1][];
    byte[][] args = new byte[4 * n][];
    keys[0] = bytes(prefix + "r:" + s.id());
    for (int i = 0; i < n; i++) {
      Charge c = s.charges().get(i);
      keys[i + 1] = counterKey(c.counter(), c.window());
      args[4 * i] = number(s.buckets()[i]);
      args[4 * i + 1] = number(s.deltas()[i]);
      args[4 * i + 2] = number(c.window().bucket(now));
      args[4 * i + 3] = number(slices(c.window()));
    }
    return SETTLE.run(redis, keys, args, redis.commandTimeout());
  }

  /** Sends one missed write; false when Redis failed again. */
  private boolean write(Pending p) {
    try {
      if (p instanceof PendingSettle s) {
        settle(s);
      } else {
        PendingAdd a = (PendingAdd) p;
        int n = a.charges().size();
        byte[][] keys = new byte[n][];
        byte[][] args = new byte[3 * n][];
        Instant now = a.at();
        for (int i = 0; i < n; i++) {
          Charge c = a.charges().get(i);
          keys[i] = counterKey(c.counter(), c.window());
          args[3 * i] = number(a.buckets()[i]);
          args[3 * i + 1] = number(a.amounts()[i]);
          args[3 * i + 2] = number(Math.max(1, ttlMillis(c.window(), a.buckets()[i], now)));
        }
        ADD.run(redis, keys, args, redis.commandTimeout());
      }
      afterSuccess();
      return true;
    } catch (RedisFailure e) {
      return false;
    }
  }

  private void remember(Pending p) {
    synchronized (pending) {
      if (pending.size() >= maxPending) {
        pending.pollFirst();
        LOG.log(System.Logger.Level.WARNING, "more than " + maxPending
            + " budget settlements are waiting for Redis; the oldest is dropped");
      }
      pending.addLast(p);
    }
    catchUp(redis.retryInterval());
  }

  /** After Redis answered: the missed writes are sent. */
  private void afterSuccess() {
    if (pendingSettlements() > 0) {
      catchUp(Duration.ZERO);
    }
  }

  /**
   * Sends the missed writes on the connection's background thread after {@code delay}, and
   * again every retry interval while some are left, so they reach Redis even without traffic.
   */
  private void catchUp(Duration delay) {
    if (flushing.compareAndSet(false, true)) {
      redis.background(() -> {
        try {
          flush();
        } finally {
          flushing.set(false);
        }
        if (pendingSettlements() > 0) {
          catchUp(redis.retryInterval());
        }
      }, delay);
    }
  }

  /** Sends the missed writes in order until Redis fails again. */
  private void flush() {
    while (true) {
      Pending next;
      synchronized (pending) {
        next = pending.peekFirst();
      }
      if (next == null || !write(next)) {
        return;
      }
      synchronized (pending) {
        if (pending.peekFirst() == next) {
          pending.pollFirst();
        }
      }
    }
  }

  private void seen(Charge c, long bucket, long used) {
    lastSeen.asMap().merge(new CounterId(c.counter(), c.window()), new long[] {bucket, used},
        (old, now) -> old[0] > now[0] ? old : now);
  }

  private long lastSeenUsed(Charge c, long bucket) {
    long[] seen = lastSeen.getIfPresent(new CounterId(c.counter(), c.window()));
    return seen != null && seen[0] > bucket - slices(c.window()) && seen[0] <= bucket ? seen[1] : 0;
  }

  private byte[] counterKey(String counter, Window window) {
    return bytes(prefix + "c:" + window.id() + ":" + counter);
  }

  private static long slices(Window window) {
    return window.rolling() ? Window.SLICES : 1;
  }

  /** How long a counter written in {@code bucket} must live: until that bucket leaves the window. */
  private static long ttlMillis(Window window, long bucket, Instant now) {
    return Math.max(1, window.expiresAt(bucket).toEpochMilli() - now.toEpochMilli());
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] number(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
  }

  /** Builds a {@link RedisBudgetStore}. */
  public static final class Builder {
    private final RedisConnection redis;
    private FailurePolicy policy = FailurePolicy.FAIL_CLOSED;
    private double fallbackShare = 1.0;
    private int maxPending = 100_000;
    private int maxCounters = 100_000;

    private Builder(RedisConnection redis) {
      this.redis = Objects.requireNonNull(redis, "redis");
    }

    /**
     * What calls get while Redis does not answer; {@link FailurePolicy#FAIL_CLOSED} by default.
     *
     * @param policy the failure policy
     * @return this builder
     */
    public Builder failurePolicy(FailurePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "failurePolicy");
      return this;
    }

    /**
     * With {@link FailurePolicy#FAIL_OPEN}: the share of each limit's last-seen headroom that this
     * JVM may spend on its own while Redis is away; 1 by default. With N gateways and {@code 1.0 /
     * N}, the fleet stays within a limit through an outage when every gateway had seen the
     * counter recently, and within twice the limit in any case (each gateway's last sight may be
     * old); with 1, each gateway may spend all the headroom it saw.
     *
     * @param share the share, from 0 to 1
     * @return this builder
     * @throws IllegalArgumentException when not in [0, 1]
     */
    public Builder fallbackShare(double share) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("fallbackShare must be in [0, 1], was " + share);
      }
      this.fallbackShare = share;
      return this;
    }

    /**
     * The most writes Redis missed that this JVM keeps for it; 100,000 by default.
     *
     * @param max the most writes kept
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxPendingSettlements(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxPendingSettlements must be positive, was " + max);
      }
      this.maxPending = max;
      return this;
    }

    /**
     * How many counters' last-seen usage this JVM remembers for its fail-open fallback; 100,000
     * by default.
     *
     * @param max the most counters remembered
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxRememberedCounters(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxRememberedCounters must be positive, was " + max);
      }
      this.maxCounters = max;
      return this;
    }

    /**
     * Builds the store.
     *
     * @return the new {@code RedisBudgetStore}
     */
    public RedisBudgetStore build() {
      return new RedisBudgetStore(this);
    }
  }
}
