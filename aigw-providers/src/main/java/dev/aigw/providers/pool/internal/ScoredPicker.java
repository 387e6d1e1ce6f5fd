package dev.aigw.providers.pool.internal;

import dev.aigw.providers.pool.PickRequest;
import dev.aigw.providers.pool.Picker;
import dev.aigw.providers.pool.Replica;
import dev.aigw.providers.pool.ReplicaLoad;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Filter, score, pick, as the Inference Extension's endpoint picker does: a saturation filter, a
 * weighted sum of per-candidate scores in [0, 1], the highest total wins and ties are broken at
 * random. See {@code Pickers.scored()} for the scorers.
 *
 * <p><b>Per pick</b> it reads each candidate's {@link Replica#load()} and {@link
 * Replica#inFlight()} once into one scratch {@code double[]} (four per candidate) and, when the
 * prefix weight is positive, hashes the prompt once ({@link PrefixHasher}) and probes the {@link
 * PrefixIndex} once per candidate.
 *
 * <p><b>Prompt hashes</b> are computed in {@link #pick} and kept for {@link #routed} in a small
 * direct-mapped cache keyed by the {@link PickRequest}'s identity: {@value #HASH_CACHE_SLOTS} slots,
 * each holding the last request hashed there weakly (so a slot never keeps a large prompt alive)
 * with its hashes. A later pick of the same request (a retry) reuses them; a {@code routed} whose
 * request was displaced, collected, or never picked here hashes again. Either way the result is
 * the same, only the cost differs.
 */
public final class ScoredPicker implements Picker {
  /** Totals closer than this are ties. */
  private static final double TIE = 1e-9;

  private static final long[] NO_BLOCKS = new long[0];
  static final int HASH_CACHE_SLOTS = 256;

  private final double queueWeight;
  private final double kvCacheWeight;
  private final double prefixWeight;
  private final double inFlightWeight;
  private final double maxWaiting;
  private final double maxKvCacheUsage;
  private final int spillOverGap;
  private final PrefixHasher hasher;
  private final PrefixIndex index;
  private final Rng rng;
  private final AtomicReferenceArray<@Nullable Hashed> hashCache = new AtomicReferenceArray<>(HASH_CACHE_SLOTS);

  /**
   * A scored picker.
   *
   * @param queueWeight weight of the queue score
   * @param kvCacheWeight weight of the KV-cache score
   * @param prefixWeight weight of the prefix score; 0 turns hashing and the index off
   * @param inFlightWeight weight of the in-flight score
   * @param maxWaiting candidates that reported more waiting requests are saturated
   * @param maxKvCacheUsage candidates that reported a higher KV-cache use are saturated
   * @param spillOverGap a candidate whose queue exceeds the shortest by more than {@code
   *     max(spillOverGap, shortest)} loses its prefix score; {@link Integer#MAX_VALUE} for never
   * @param hasher the prompt hasher
   * @param index where routed prefixes are recorded
   * @param rng tie-breaks
   */
  public ScoredPicker(
      double queueWeight,
      double kvCacheWeight,
      double prefixWeight,
      double inFlightWeight,
      double maxWaiting,
      double maxKvCacheUsage,
      int spillOverGap,
      PrefixHasher hasher,
      PrefixIndex index,
      Rng rng) {
    this.queueWeight = queueWeight;
    this.kvCacheWeight = kvCacheWeight;
    this.prefixWeight = prefixWeight;
    this.inFlightWeight = inFlightWeight;
    this.maxWaiting = maxWaiting;
    this.maxKvCacheUsage = maxKvCacheUsage;
    this.spillOverGap = spillOverGap;
    this.hasher = hasher;
    this.index = index;
    this.rng = rng;
  }

  /** The index of routed prefixes (for tests and diagnostics). */
  public PrefixIndex index() {
    return index;
  }

  @Override
  public Replica pick(PickRequest request, List<Replica> candidates) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    // Scratch, by segment: queue, KV use (NaN if unknown), in flight, saturated (1) or not (0).
    double[] s = new double[4 * n];
    int unsaturated = 0;
    double kvSum = 0;
    int kvKnown = 0;
    for (int i = 0; i < n; i++) {
      Replica r = candidates.get(i);
      ReplicaLoad load = r.load();
      int inFlight = r.inFlight();
      double waiting = load.waiting();
      double kv = load.kvCacheUsage();
      s[i] = Loads.queue(waiting, inFlight);
      s[n + i] = kv;
      if (!Double.isNaN(kv)) {
        kvSum += Loads.kvUsage(kv, Loads.NEUTRAL_KV);
        kvKnown++;
      }
      s[2 * n + i] = Math.max(0, inFlight);
      boolean saturated = waiting > maxWaiting || kv > maxKvCacheUsage; // false for NaN
      s[3 * n + i] = saturated ? 1 : 0;
      if (!saturated) {
        unsaturated++;
      }
    }
    boolean filter = unsaturated > 0; // when every candidate is saturated, consider them all

    double queueMin = Double.POSITIVE_INFINITY;
    double queueMax = Double.NEGATIVE_INFINITY;
    double inFlightMin = Double.POSITIVE_INFINITY;
    double inFlightMax = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (filter && s[3 * n + i] != 0) {
        continue;
      }
      queueMin = Math.min(queueMin, s[i]);
      queueMax = Math.max(queueMax, s[i]);
      inFlightMin = Math.min(inFlightMin, s[2 * n + i]);
      inFlightMax = Math.max(inFlightMax, s[2 * n + i]);
    }
    double spillAbove = queueMin + Math.max(spillOverGap, queueMin);

    double assumedKv = kvKnown == 0 ? Loads.NEUTRAL_KV : kvSum / kvKnown; // see Loads.assumedKv
    long[] blocks = prefixWeight > 0 ? hashes(request, true) : NO_BLOCKS;
    Replica best = candidates.get(0);
    double bestTotal = Double.NEGATIVE_INFINITY;
    int ties = 0;
    for (int i = 0; i < n; i++) {
      if (filter && s[3 * n + i] != 0) {
        continue;
      }
      Replica r = candidates.get(i);
      double queue = s[i];
      double total = 0;
      if (queueWeight > 0) {
        total += queueWeight * (queueMax == queueMin ? 1 : (queueMax - queue) / (queueMax - queueMin));
      }
      if (kvCacheWeight > 0) {
        total += kvCacheWeight * (1 - Loads.kvUsage(s[n + i], assumedKv));
      }
      if (inFlightWeight > 0) {
        double f = s[2 * n + i];
        total += inFlightWeight * (inFlightMax == inFlightMin ? 1 : (inFlightMax - f) / (inFlightMax - inFlightMin));
      }
      if (blocks.length > 0 && queue <= spillAbove) {
        total += prefixWeight * index.matchedBlocks(r.id(), blocks) / blocks.length;
      }
      if (total > bestTotal + TIE) {
        best = r;
        bestTotal = total;
        ties = 1;
      } else if (total >= bestTotal - TIE && rng.nextInt(++ties) == 0) { // reservoir sampling
        best = r;
      }
    }
    return best;
  }

  @Override
  public void routed(PickRequest request, Replica replica) {
    if (prefixWeight > 0) {
      index.record(replica.id(), hashes(request, false));
    }
  }

  @Override
  public void removed(Replica replica) {
    index.remove(replica.id());
  }

  /** The request's block hashes, from the cache or computed (and cached when {@code keep}). */
  private long[] hashes(PickRequest request, boolean keep) {
    int slot = (System.identityHashCode(request) * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(HASH_CACHE_SLOTS));
    Hashed cached = hashCache.get(slot);
    if (cached != null && cached.get() == request) {
      return cached.blocks;
    }
    long[] blocks = hasher.hash(request.model(), request.cacheSalt(), request.promptText());
    if (keep) {
      hashCache.set(slot, new Hashed(request, blocks));
    }
    return blocks;
  }

  @Override
  public String toString() {
    return "scored(queue=" + queueWeight + ", kvCache=" + kvCacheWeight + ", prefix=" + prefixWeight
        + ", inFlight=" + inFlightWeight + ", maxWaiting=" + maxWaiting + ", maxKvCacheUsage=" + maxKvCacheUsage
        + ", spillOverGap=" + spillOverGap + ", blockChars=" + hasher.blockChars() + ")";
  }

  /** A request, weakly, with its block hashes. */
  private static final class Hashed extends WeakReference<PickRequest> {
    final long[] blocks;

    Hashed(PickRequest request, long[] blocks) {
      super(request);
      this.blocks = blocks;
    }
  }
}
