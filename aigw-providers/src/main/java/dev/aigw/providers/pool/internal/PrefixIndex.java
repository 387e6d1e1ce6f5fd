package dev.aigw.providers.pool.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.StampedLock;

/**
 * Which replicas were recently sent which prompt blocks: an estimate of each replica's prefix
 * cache, built from routing alone. Keys are the chained block hashes of {@link PrefixHasher}.
 *
 * <p><b>Layout.</b> One bounded LRU set of block hashes per replica, each with its own lock, in a
 * concurrent map by replica id. A single global {@code hash → replicas} map would answer all
 * candidates in one pass over the blocks, but each replica's cache evicts on its own, so the
 * global map would need per-replica recency anyway and every eviction and removal would have to
 * update shared entries; per-replica sets keep eviction and {@link #remove} local and lock-free
 * for readers of other replicas. Scoring {@code k} candidates costs at most {@code k · (m + 1)}
 * probes for a match of {@code m} blocks, which for pools of tens of replicas is microseconds.
 *
 * <p><b>Memory.</b> Each replica's set holds at most {@code capacity} hashes in primitive arrays
 * (about 24 bytes a hash: the hash, two list links and two index slots), allocated as it fills, so
 * memory is bounded by {@code capacity ·} the replicas recorded and not yet {@link #remove}d. The
 * default capacity of {@value #DEFAULT_CAPACITY} blocks (~0.8 MB a replica when full) is about
 * the KV cache of one GPU: the Inference Extension sizes its indexer at 31,250 16-token blocks for
 * an 8B model on an 80 GB H100.
 *
 * <p><b>Recency.</b> {@link #record} touches a request's blocks from last to first, so a chain's
 * first blocks, which later requests share most, are the most recent and the last to go: eviction
 * trims chains from their tails, as vLLM's block pool does, which keeps matches prefix-closed.
 * {@link #matchedBlocks} does not touch: looking is not sending.
 *
 * <p><b>Concurrency.</b> Reads take an optimistic {@link StampedLock} stamp and validate it, so
 * many concurrent picks do not block each other or writers; a read that raced a write retries
 * under the read lock. Writes to one replica's set are serialised.
 */
public final class PrefixIndex {
  /** Default blocks remembered per replica. */
  public static final int DEFAULT_CAPACITY = 32_768;

  private final int capacity;
  private final ConcurrentHashMap<String, BlockLru> replicas = new ConcurrentHashMap<>();

  /** An index with {@link #DEFAULT_CAPACITY} blocks per replica. */
  public PrefixIndex() {
    this(DEFAULT_CAPACITY);
  }

  /**
   * An index remembering at most {@code capacityPerReplica} blocks per replica.
   *
   * @throws IllegalArgumentException if it is not positive or above 2^29
   */
  public PrefixIndex(int capacityPerReplica) {
    if (capacityPerReplica <= 0 || capacityPerReplica > (1 << 29)) {
      throw new IllegalArgumentException("capacityPerReplica must be in [1, 2^29]: " + capacityPerReplica);
    }
    this.capacity = capacityPerReplica;
  }

  /** Blocks remembered per replica at most. */
  public int capacityPerReplica() {
    return capacity;
  }

  /**
   * How many leading blocks of {@code blocks} the replica was recently sent: the length of the
   * longest prefix of {@code blocks} all of whose hashes it holds. As hashes are chained, the scan
   * stops at the first miss.
   */
  public int matchedBlocks(String replicaId, long[] blocks) {
    if (blocks.length == 0) {
      return 0;
    }
    BlockLru lru = replicas.get(replicaId);
    return lru == null ? 0 : lru.matched(blocks);
  }

  /** Records that {@code blocks} were sent to the replica: inserts or refreshes each of them. */
  public void record(String replicaId, long[] blocks) {
    if (blocks.length == 0) {
      return;
    }
    replicas.computeIfAbsent(replicaId, id -> new BlockLru(capacity)).record(blocks);
  }

  /** Forgets the replica and frees its blocks. */
  public void remove(String replicaId) {
    replicas.remove(replicaId);
  }

  /** The number of blocks remembered for the replica (for tests and diagnostics). */
  public int size(String replicaId) {
    BlockLru lru = replicas.get(replicaId);
    return lru == null ? 0 : lru.size();
  }

  /** The number of replicas with remembered blocks. */
  public int replicaCount() {
    return replicas.size();
  }

  /**
   * A bounded LRU set of longs. Entries live in slots {@code 0..size-1} of parallel arrays ({@code
   * keys}, and {@code prev}/{@code next} links of a recency list from {@code head}, the most
   * recent, to {@code tail}); an open-addressing table with linear probing maps a key to its slot
   * ({@code slot + 1}, 0 for empty), at most half full. Once full, the tail's slot is reused.
   */
  private static final class BlockLru {
    private static final int INITIAL_SLOTS = 256;
    /** Spreads keys over the table; random per process so crafted prompts cannot aim at a slot. */
    private static final long SPREAD = ThreadLocalRandom.current().nextLong() | 1L;

    private final int maxSlots;
    private final StampedLock lock = new StampedLock();
    // Guarded by lock; read optimistically through one reference so a reader never mixes arrays of
    // two generations.
    private Tables t;
    private int size;
    private int head = -1;
    private int tail = -1;

    BlockLru(int maxSlots) {
      this.maxSlots = maxSlots;
      this.t = new Tables(Math.min(INITIAL_SLOTS, maxSlots));
    }

    int size() {
      long stamp = lock.readLock();
      try {
        return size;
      } finally {
        lock.unlockRead(stamp);
      }
    }

    int matched(long[] blocks) {
      long stamp = lock.tryOptimisticRead();
      if (stamp != 0) {
        int m = scan(t, blocks);
        if (lock.validate(stamp)) {
          return m;
        }
      }
      stamp = lock.readLock();
      try {
        return scan(t, blocks);
      } finally {
        lock.unlockRead(stamp);
      }
    }

    private static int scan(Tables t, long[] blocks) {
      int m = 0;
      while (m < blocks.length && t.find(blocks[m]) >= 0) {
        m++;
      }
      return m;
    }

    void record(long[] blocks) {
      long stamp = lock.writeLock();
      try {
        for (int i = blocks.length - 1; i >= 0; i--) {
          touch(blocks[i]);
        }
      } finally {
        lock.unlockWrite(stamp);
      }
    }

    private void touch(long key) {
      Tables t = this.t;
      int slot = t.find(key);
      if (slot >= 0) {
        if (slot != head) {
          unlink(t, slot);
          linkHead(t, slot);
        }
        return;
      }
      if (size == t.keys.length && size < maxSlots) {
        t = grow();
      }
      if (size < t.keys.length) {
        slot = size++;
      } else {
        slot = tail;
        t.removeFromIndex(t.keys[slot], slot);
        unlink(t, slot);
      }
      t.keys[slot] = key;
      t.addToIndex(key, slot);
      linkHead(t, slot);
    }

    private Tables grow() {
      Tables old = this.t;
      Tables grown = new Tables(Math.min(maxSlots, old.keys.length * 2));
      System.arraycopy(old.keys, 0, grown.keys, 0, size);
      System.arraycopy(old.prev, 0, grown.prev, 0, size);
      System.arraycopy(old.next, 0, grown.next, 0, size);
      for (int s = 0; s < size; s++) {
        grown.addToIndex(grown.keys[s], s);
      }
      this.t = grown;
      return grown;
    }

    private void unlink(Tables t, int slot) {
      int p = t.prev[slot];
      int n = t.next[slot];
      if (p >= 0) {
        t.next[p] = n;
      } else {
        head = n;
      }
      if (n >= 0) {
        t.prev[n] = p;
      } else {
        tail = p;
      }
    }

    private void linkHead(Tables t, int slot) {
      t.prev[slot] = -1;
      t.next[slot] = head;
      if (head >= 0) {
        t.prev[head] = slot;
      }
      head = slot;
      if (tail < 0) {
        tail = slot;
      }
    }

    /** One generation of the arrays. */
    private static final class Tables {
      final long[] keys;
      final int[] prev;
      final int[] next;
      final int[] index;
      final int mask;
      final int shift;

      Tables(int slots) {
        keys = new long[slots];
        prev = new int[slots];
        next = new int[slots];
        int bits = 33 - Integer.numberOfLeadingZeros((slots - 1) | 1); // 2^bits >= 2 · slots
        index = new int[1 << bits];
        mask = index.length - 1;
        shift = 64 - bits;
      }

      private int home(long key) {
        return (int) ((key * SPREAD) >>> shift);
      }

      /**
       * The key's slot, or -1. Bounded by the table length so that an optimistic read racing a
       * writer always ends (its answer is then discarded).
       */
      int find(long key) {
        int i = home(key);
        for (int probes = 0; probes <= mask; probes++) {
          int e = index[i];
          if (e == 0) {
            return -1;
          }
          int s = e - 1;
          if (s < keys.length && keys[s] == key) {
            return s;
          }
          i = (i + 1) & mask;
        }
        return -1;
      }

      void addToIndex(long key, int slot) {
        int i = home(key);
        while (index[i] != 0) {
          i = (i + 1) & mask;
        }
        index[i] = slot + 1;
      }

      /** Deletes by shifting later members of the probe run back (no tombstones). */
      void removeFromIndex(long key, int slot) {
        int i = home(key);
        while (index[i] != slot + 1) {
          i = (i + 1) & mask;
        }
        int j = i;
        while (true) {
          j = (j + 1) & mask;
          int e = index[j];
          if (e == 0) {
            break;
          }
          int k = home(keys[e - 1]);
          // Move index[j] into the hole at i unless its home lies cyclically in (i, j].
          boolean homeInRange = i <= j ? (i < k && k <= j) : (i < k || k <= j);
          if (!homeInRange) {
            index[i] = e;
            i = j;
          }
        }
        index[i] = 0;
      }
    }
  }
}
