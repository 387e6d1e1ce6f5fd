package dev.aigw.testkit.sim.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulated KV cache: a fixed number of blocks, shared between requests by prefix.
 *
 * <ul>
 *   <li>A <em>hashed</em> block holds a full prompt block whose chained hash is known; requests
 *       with the same prefix share it (reference counted). When no request references it, it stays
 *       cached but <em>evictable</em>, in least-recently-released order.
 *   <li>An <em>anonymous</em> block is reserved by an admitted request for what is not (yet)
 *       hashed: prompt blocks still to be prefilled, the partial last prompt block and the output.
 *       A request reserves its whole need ({@code ceil((prompt + output) / blockSize)} blocks,
 *       less the blocks it shares) at admission, so a running request never runs out of blocks and
 *       nothing is preempted.
 *   <li>As prefill computes a full prompt block, one of the request's anonymous blocks becomes
 *       that hashed block (or, when another request computed the same block meanwhile, the request
 *       shares that one and gives its anonymous block back).
 *   <li>When a request finishes, its hashed blocks are released last block first, so an earlier
 *       (more widely shared) block of a prefix outlives its later ones under LRU eviction.
 * </ul>
 *
 * <p>Usage (vLLM's {@code kv_cache_usage_perc}) counts the blocks referenced or reserved by
 * admitted requests; evictable cached blocks count as free, as in vLLM. Not thread-safe: the
 * engine calls it under its lock.
 */
public final class KvBlockPool {
  private final int capacity;
  private final Map<Long, Block> blocks = new HashMap<>();
  /** Hashed blocks with no references, least recently released first. */
  private final LinkedHashMap<Long, Block> evictable = new LinkedHashMap<>();
  private int referenced;
  private int anonymous;

  private static final class Block {
    final long hash;
    int refs;

    Block(long hash) {
      this.hash = hash;
    }
  }

  /** One request's hold on the pool. */
  public static final class Allocation {
    final long[] hashes;
    /** Blocks {@code [0, held)} of {@link #hashes} are hashed blocks this request references. */
    int held;
    /** Anonymous blocks this request reserves. */
    int reserved;

    Allocation(long[] hashes) {
      this.hashes = hashes;
    }

    /** Hashed blocks this request references: its prompt prefix known to the cache. */
    public int held() {
      return held;
    }
  }

  public KvBlockPool(int capacity) {
    this.capacity = capacity;
  }

  /** How many leading blocks of {@code hashes} are cached (referenced or evictable). */
  public int match(long[] hashes) {
    int n = 0;
    while (n < hashes.length && blocks.containsKey(hashes[n])) {
      n++;
    }
    return n;
  }

  /**
   * Whether a request sharing the first {@code matched} blocks of {@code hashes} and needing
   * {@code totalBlocks} in all fits, evicting unreferenced cached blocks as needed.
   */
  public boolean fits(long[] hashes, int matched, int totalBlocks) {
    int revived = 0;
    for (int i = 0; i < matched; i++) {
      if (evictable.containsKey(hashes[i])) {
        revived++;
      }
    }
    int fresh = Math.max(0, totalBlocks - matched);
    return referenced + anonymous + revived + fresh <= capacity;
  }

  /** Admits a request that {@link #fits}: references its matched blocks, reserves the rest. */
  public Allocation allocate(long[] hashes, int matched, int totalBlocks) {
    Allocation a = new Allocation(hashes);
    for (int i = 0; i < matched; i++) {
      reference(blocks.get(hashes[i]));
    }
    a.held = matched;
    a.reserved = Math.max(0, totalBlocks - matched);
    anonymous += a.reserved;
    evictDownTo(capacity);
    return a;
  }

  /** Prefill has computed the first {@code computedBlocks} full blocks: hash the new ones. */
  public void computed(Allocation a, int computedBlocks) {
    int upTo = Math.min(computedBlocks, a.hashes.length);
    while (a.held < upTo) {
      long hash = a.hashes[a.held];
      Block block = blocks.get(hash);
      if (block == null) {
        block = new Block(hash);
        blocks.put(hash, block);
      }
      reference(block);
      a.held++;
      if (a.reserved > 0) {
        a.reserved--;
        anonymous--;
      }
      evictDownTo(capacity);
    }
  }

  /** The request finished or was aborted: release its blocks, the last ones first. */
  public void release(Allocation a) {
    for (int i = a.held - 1; i >= 0; i--) {
      Block block = blocks.get(a.hashes[i]);
      if (block != null && --block.refs == 0) {
        referenced--;
        evictable.put(block.hash, block);
      }
    }
    a.held = 0;
    anonymous -= a.reserved;
    a.reserved = 0;
  }

  /** Drops every unreferenced cached block (vLLM's {@code /reset_prefix_cache}). */
  public void resetCache() {
    for (Long hash : evictable.keySet()) {
      blocks.remove(hash);
    }
    evictable.clear();
  }

  /** Blocks referenced or reserved by admitted requests, as a share of the capacity. */
  public double usage() {
    return (double) (referenced + anonymous) / capacity;
  }

  /** Hashed blocks held, referenced or not. */
  public int cachedBlocks() {
    return blocks.size();
  }

  public int capacity() {
    return capacity;
  }

  private void reference(Block block) {
    if (block.refs++ == 0) {
      evictable.remove(block.hash);
      referenced++;
    }
  }

  private void evictDownTo(int limit) {
    Iterator<Block> it = evictable.values().iterator();
    while (blocks.size() + anonymous > limit && it.hasNext()) {
      Block victim = it.next();
      it.remove();
      blocks.remove(victim.hash);
    }
  }
}
