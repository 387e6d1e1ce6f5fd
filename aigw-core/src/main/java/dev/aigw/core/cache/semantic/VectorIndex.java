package dev.aigw.core.cache.semantic;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Nearest-neighbour search over embedding vectors, partitioned like the exact cache (a tenant never
 * sees another's entries). Thread-safe.
 *
 * <p>Similarity is cosine similarity: implementations store vectors L2-normalised and compare
 * them with a normalised copy of the query, so a vector and any positive multiple of it have
 * similarity 1. Each partition holds vectors of one dimension, fixed by its first entry.
 *
 * @see InMemoryVectorIndex
 */
public interface VectorIndex extends AutoCloseable {
  /**
   * Adds (or replaces) {@code id} in {@code partition}; the vector is copied and L2-normalised;
   * the entry expires after {@code ttl}.
   *
   * @param partition the partition, for example a tenant's
   * @param id the entry's id
   * @param vector the embedding
   * @param ttl how long the entry lives
   * @throws IllegalArgumentException on an empty, zero, NaN or infinite vector, a dimension
   *     different from the partition's, or a ttl that is not positive
   * @throws NullPointerException when an argument is null
   */
  void add(String partition, String id, float[] vector, Duration ttl);

  /**
   * {@return the most similar live entry in {@code partition} with cosine similarity {@code >=
   * minSimilarity}, or empty (also when the partition holds nothing)}
   *
   * @param partition the partition to search
   * @param query the query's embedding
   * @param minSimilarity the least cosine similarity of a match
   * @throws IllegalArgumentException on an empty, zero, NaN or infinite query, a query whose
   *     dimension differs from the partition's, or a NaN {@code minSimilarity}
   * @throws NullPointerException when an argument is null
   */
  Optional<Match> nearest(String partition, float[] query, double minSimilarity);

  /**
   * Removes {@code id} from {@code partition}; does nothing when it is absent.
   *
   * @param partition the partition
   * @param id the entry's id
   */
  void remove(String partition, String id);

  /** {@return the number of live (unexpired) entries in all partitions} */
  int size();

  /** Releases the index's resources. The default does nothing. */
  @Override
  default void close() {}

  /**
   * An entry found by {@link #nearest}.
   *
   * @param id the entry id
   * @param similarity cosine similarity in [-1, 1]
   */
  record Match(String id, double similarity) {
    /**
     * @param id the entry id
     * @param similarity cosine similarity in [-1, 1]
     * @throws IllegalArgumentException when the similarity is outside [-1, 1]
     */
    public Match {
      Objects.requireNonNull(id, "id");
      if (!(similarity >= -1.0 && similarity <= 1.0)) {
        throw new IllegalArgumentException("similarity must be in [-1, 1], was " + similarity);
      }
    }
  }
}
