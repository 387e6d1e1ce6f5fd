package dev.aigw.providers.pool;

import dev.aigw.providers.pool.internal.LeastRequestPicker;
import dev.aigw.providers.pool.internal.MetricsAwarePicker;
import dev.aigw.providers.pool.internal.PrefixHasher;
import dev.aigw.providers.pool.internal.PrefixIndex;
import dev.aigw.providers.pool.internal.RandomPicker;
import dev.aigw.providers.pool.internal.RoundRobinPicker;
import dev.aigw.providers.pool.internal.Rng;
import dev.aigw.providers.pool.internal.ScoredPicker;
import org.jspecify.annotations.Nullable;

/**
 * The built-in {@link Picker}s, from the plain ({@link #roundRobin()}, {@link #random()}) to the
 * load- and cache-aware ones modelled on the Kubernetes Gateway API Inference Extension's endpoint
 * picker ({@link #prefixAffinity()}, {@link #scored()}). All are thread-safe; each call returns a
 * new, independent picker (a stateful one keeps its own counter or prefix index).
 *
 * <p>Where the pickers read load, a replica's <em>queue</em> is the waiting requests it last
 * reported ({@link ReplicaLoad#waiting()}, taken as 0 when unknown) plus this client's {@link
 * Replica#inFlight()}: the in-flight count is live while reports lag, so picks made between two
 * reports do not herd onto the replica that looked idlest, and it is all there is when a replica
 * reports nothing.
 */
public final class Pickers {
  /** {@link #prefixAffinity()}'s queue weight: the Inference Extension's default queue-scorer weight. */
  public static final double DEFAULT_QUEUE_WEIGHT = 2;
  /** {@link #prefixAffinity()}'s KV-cache weight: the Inference Extension's default kv-cache-utilization-scorer weight. */
  public static final double DEFAULT_KV_CACHE_WEIGHT = 2;
  /** {@link #prefixAffinity()}'s prefix weight: the Inference Extension's default prefix-cache-scorer weight. */
  public static final double DEFAULT_PREFIX_WEIGHT = 3;
  /** {@link #prefixAffinity()}'s saturation limit on waiting requests: the Inference Extension's saturation detector default. */
  public static final double DEFAULT_MAX_WAITING = 5;
  /** {@link #prefixAffinity()}'s saturation limit on KV-cache use: the Inference Extension's saturation detector default. */
  public static final double DEFAULT_MAX_KV_CACHE_USAGE = 0.8;
  /** {@link #prefixAffinity()}'s spill-over gap, in requests; see {@link ScoredBuilder#spillOver(int)}. */
  public static final int DEFAULT_SPILL_OVER_GAP = 8;

  private Pickers() {}

  /**
   * Each candidate in turn, with one counter shared by all models.
   *
   * @return the picker
   */
  public static Picker roundRobin() {
    return new RoundRobinPicker();
  }

  /**
   * A uniformly random candidate.
   *
   * @return the picker
   */
  public static Picker random() {
    return new RandomPicker(Rng.threadLocal());
  }

  /**
   * A uniformly random candidate, from a reproducible sequence seeded by {@code seed}.
   *
   * @param seed the seed of the random numbers
   * @return the picker
   */
  public static Picker random(long seed) {
    return new RandomPicker(Rng.seeded(seed));
  }

  /**
   * The power of two choices on {@link Replica#inFlight()}: of two distinct candidates drawn at
   * random, the one with fewer requests in flight; a tie goes to the first draw, itself random.
   * Needs no load reports, and never picks the busiest candidate unless it ties.
   *
   * @return the picker
   */
  public static Picker leastRequest() {
    return new LeastRequestPicker(Rng.threadLocal());
  }

  /**
   * {@link #leastRequest()} with draws from a reproducible sequence seeded by {@code seed}.
   *
   * @param seed the seed of the random numbers
   * @return the picker
   */
  public static Picker leastRequest(long seed) {
    return new LeastRequestPicker(Rng.seeded(seed));
  }

  /**
   * The candidate with the shortest queue (see the class comment; the in-flight count alone when a
   * replica's load is unknown), then the lowest reported KV-cache use (unknown counts as the mean
   * of those reported, or half full when none is), ties broken at random. Greedy: prefer {@link
   * #prefixAffinity()} or {@link #leastRequest()} when many clients share the pool.
   *
   * @return the picker
   */
  public static Picker metricsAware() {
    return new MetricsAwarePicker(Rng.threadLocal());
  }

  /**
   * The default composition, as the Inference Extension's endpoint picker ships it: {@code
   * scored().queue(2).kvCache(2).prefix(3).saturation(5, 0.8).spillOver(8)}, with blocks of {@value
   * PrefixHasher#DEFAULT_BLOCK_CHARS} chars and {@value PrefixIndex#DEFAULT_CAPACITY} blocks
   * remembered per replica.
   *
   * <p>The weights 2, 2, 3 are the Inference Extension's default scheduling profile (queue-scorer,
   * kv-cache-utilization-scorer, prefix-cache-scorer; llm-d's router ships the same), and 5 waiting
   * requests and 80% KV-cache use are its saturation detector's defaults. A full prefix match
   * (worth 3) outweighs being the busiest candidate on queue alone (worth 2), so a warm replica
   * keeps its prefix while it is a little busier. It does not keep it when much busier: a replica
   * past the saturation limits is filtered out (when another is not), and a replica whose queue
   * is longer than the shortest by more than {@code max(8, shortest)} requests loses its prefix
   * score, so a hot prefix spills over to the less busy replicas, which then cache it too.
   *
   * @return the picker
   */
  public static Picker prefixAffinity() {
    return scored()
        .queue(DEFAULT_QUEUE_WEIGHT)
        .kvCache(DEFAULT_KV_CACHE_WEIGHT)
        .prefix(DEFAULT_PREFIX_WEIGHT)
        .saturation(DEFAULT_MAX_WAITING, DEFAULT_MAX_KV_CACHE_USAGE)
        .spillOver(DEFAULT_SPILL_OVER_GAP)
        .build();
  }

  /**
   * {@return a builder for a picker that filters, scores and picks, as the Inference Extension's
   * endpoint picker does} It starts with every weight 0, no saturation filter and no spill-over;
   * see {@link ScoredBuilder} for the scorers.
   */
  public static ScoredBuilder scored() {
    return new ScoredBuilder();
  }

  /**
   * Configures a scored picker. For each request it:
   *
   * <ol>
   *   <li>drops the saturated candidates, those that reported more than {@code maxWaiting} waiting
   *       requests or more than {@code maxKvCacheUsage} KV-cache use (unknown values never
   *       saturate), unless all are saturated, when it keeps them all;
   *   <li>scores each remaining candidate in [0, 1] per scorer and sums the scores times their
   *       weights:
   *       <ul>
   *         <li>queue: {@code (max − queue) / (max − min)} over the remaining candidates' queues
   *             (waiting plus in flight; see {@link Pickers}), 1 for all when they are equal, as
   *             the Inference Extension's queue-scorer;
   *         <li>KV cache: {@code 1 − kvCacheUsage}; when unknown, the mean use of the candidates
   *             that report one (0.5 when none does), so a replica that has not reported yet is
   *             neither preferred nor avoided;
   *         <li>prefix: the blocks of the prompt the candidate was recently sent (the longest
   *             matched prefix, from routing history) over the prompt's blocks; 0 when the prompt
   *             is shorter than one block, and 0 for a candidate past the spill-over gap;
   *         <li>in flight: {@code (max − inFlight) / (max − min)}, as the queue but on {@link
   *             Replica#inFlight()} alone;
   *       </ul>
   *   <li>returns the highest total, ties broken at random.
   * </ol>
   *
   * <p>The picker records where each request was {@linkplain Picker#routed routed} in its prefix
   * index and forgets a {@linkplain Picker#removed removed} replica. (A {@code routed} that
   * arrives after the {@code removed} of its replica re-creates that replica's entry, bounded by
   * the index capacity.)
   */
  public static final class ScoredBuilder {
    private double queueWeight;
    private double kvCacheWeight;
    private double prefixWeight;
    private double inFlightWeight;
    private double maxWaiting = Double.POSITIVE_INFINITY;
    private double maxKvCacheUsage = Double.POSITIVE_INFINITY;
    private int spillOverGap = Integer.MAX_VALUE;
    private int blockChars = PrefixHasher.DEFAULT_BLOCK_CHARS;
    private int maxBlocks = PrefixHasher.DEFAULT_MAX_BLOCKS;
    private int indexCapacity = PrefixIndex.DEFAULT_CAPACITY;
    private @Nullable Long seed;

    private ScoredBuilder() {}

    /**
     * Weight of the queue score (shorter queue, higher score); default 0.
     *
     * @param weight the weight
     * @return this builder
     */
    public ScoredBuilder queue(double weight) {
      this.queueWeight = weight(weight);
      return this;
    }

    /**
     * Weight of the KV-cache score (more free KV cache, higher score); default 0.
     *
     * @param weight the weight
     * @return this builder
     */
    public ScoredBuilder kvCache(double weight) {
      this.kvCacheWeight = weight(weight);
      return this;
    }

    /**
     * Weight of the prefix score (longer cached prefix, higher score); default 0, which turns
     * prompt hashing off.
     *
     * @param weight the weight
     * @return this builder
     */
    public ScoredBuilder prefix(double weight) {
      this.prefixWeight = weight(weight);
      return this;
    }

    /**
     * Weight of the in-flight score (fewer of this client's requests in flight, higher score);
     * default 0.
     *
     * @param weight the weight
     * @return this builder
     */
    public ScoredBuilder inFlight(double weight) {
      this.inFlightWeight = weight(weight);
      return this;
    }

    /**
     * Filters out candidates that reported more than {@code maxWaiting} waiting requests or more
     * than {@code maxKvCacheUsage} (0 to 1) KV-cache use, unless every candidate is saturated.
     * Default: no filter.
     *
     * @param maxWaiting the most waiting requests
     * @param maxKvCacheUsage the most KV-cache use, from 0 to 1
     * @return this builder
     */
    public ScoredBuilder saturation(double maxWaiting, double maxKvCacheUsage) {
      if (!(maxWaiting >= 0) || !(maxKvCacheUsage >= 0)) {
        throw new IllegalArgumentException("saturation limits must be non-negative: " + maxWaiting + ", " + maxKvCacheUsage);
      }
      this.maxWaiting = maxWaiting;
      this.maxKvCacheUsage = maxKvCacheUsage;
      return this;
    }

    /**
     * Lets a hot prefix spill over: a candidate whose queue exceeds the shortest queue among the
     * candidates by more than {@code max(minGap, shortest)} requests (so: at least {@code minGap}
     * more, and more than twice as many) gets no prefix score, and competes on load alone.
     * Default: {@link Integer#MAX_VALUE}, never.
     *
     * @param minGap the least queue gap at which a prefix spills over
     * @return this builder
     */
    public ScoredBuilder spillOver(int minGap) {
      if (minGap < 0) {
        throw new IllegalArgumentException("minGap must be non-negative: " + minGap);
      }
      this.spillOverGap = minGap;
      return this;
    }

    /**
     * Chars per prompt block; default {@value PrefixHasher#DEFAULT_BLOCK_CHARS} (about 16 tokens,
     * vLLM's default KV block). Smaller blocks match shorter shared prefixes at more hashing cost.
     *
     * @param chars chars per block
     * @return this builder
     */
    public ScoredBuilder blockChars(int chars) {
      this.blockChars = positive(chars, "blockChars");
      return this;
    }

    /**
     * The most blocks hashed per prompt; default {@value PrefixHasher#DEFAULT_MAX_BLOCKS}. Text
     * past them is not read, and prompts agreeing on all of them look alike.
     *
     * @param blocks the most blocks
     * @return this builder
     */
    public ScoredBuilder maxBlocks(int blocks) {
      this.maxBlocks = positive(blocks, "maxBlocks");
      return this;
    }

    /**
     * Blocks remembered per replica (an LRU); default {@value PrefixIndex#DEFAULT_CAPACITY}, about
     * one GPU's KV cache. Memory is about 24 bytes a block per replica when full.
     *
     * @param blocks blocks per replica
     * @return this builder
     */
    public ScoredBuilder indexCapacity(int blocks) {
      this.indexCapacity = positive(blocks, "indexCapacity");
      return this;
    }

    /**
     * Breaks ties from a reproducible sequence seeded by {@code seed} (for tests and simulations).
     *
     * @param seed the seed of the random numbers
     * @return this builder
     */
    public ScoredBuilder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The picker.
     *
     * @return the new {@code Picker}
     */
    public Picker build() {
      return new ScoredPicker(
          queueWeight,
          kvCacheWeight,
          prefixWeight,
          inFlightWeight,
          maxWaiting,
          maxKvCacheUsage,
          spillOverGap,
          new PrefixHasher(blockChars, maxBlocks),
          new PrefixIndex(indexCapacity),
          seed == null ? Rng.threadLocal() : Rng.seeded(seed));
    }

    private static double weight(double weight) {
      if (!(weight >= 0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException("weights must be finite and non-negative: " + weight);
      }
      return weight;
    }

    private static int positive(int value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
