package dev.aigw.core.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's response cache: an exact cache keyed by the canonical request (see {@link
 * CacheKeys}), optionally backed by a {@link SemanticCache} for similar requests.
 *
 * <pre>{@code
 * AiGateway gateway = AiGateway.builder()
 *     .provider(openAi)
 *     .cache(ResponseCache.builder().ttl(Duration.ofHours(6)).build())
 *     .build();
 * }</pre>
 *
 * <p>How a call uses it is its context's {@link dev.aigw.api.CachePolicy}: read and write (the
 * default), bypass, refresh (call and overwrite), read-only or write-only. Entries are
 * partitioned by tenant: a tenant never receives another tenant's entry. Only successful,
 * complete answers are stored — never errors, blocked calls, content-filtered answers, or
 * streams that were cancelled or failed part-way. A stream is recorded as it passes and stored
 * when it completes; a hit replays it chunk by chunk, and a blocking call can hit an entry first
 * stored by a stream (and the other way round). Identical concurrent misses are coalesced into
 * one provider call unless the route opts out ({@code RouteOptions.coalesceCacheMisses(false)}).
 *
 * <p>A hit costs nothing: its metadata has cache status {@code HIT} (or {@code SEMANTIC_HIT}
 * with the similarity), the entry's age, a zero cost, and the cost the hit saved.
 */
public final class ResponseCache {
  private final @Nullable CacheStore store;
  private final Duration ttl;
  private final boolean onlyDeterministic;
  private final @Nullable SemanticCache semantic;

  private ResponseCache(Builder b) {
    this.store = b.store;
    this.ttl = b.ttl;
    this.onlyDeterministic = b.onlyDeterministic;
    this.semantic = b.semantic;
  }

  /**
   * {@return a builder with the defaults: an in-memory store of 64 MiB, one hour TTL, every request
   * cacheable}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return the store, when one was given; otherwise the gateway creates an {@link
   * InMemoryCacheStore} on its clock}
   */
  public Optional<CacheStore> store() {
    return Optional.ofNullable(store);
  }

  /** {@return how long an entry lives} */
  public Duration ttl() {
    return ttl;
  }

  /** {@return whether only deterministic requests (temperature 0, or a seed) are cached} */
  public boolean onlyDeterministic() {
    return onlyDeterministic;
  }

  /** {@return the semantic cache, when configured} */
  public Optional<SemanticCache> semantic() {
    return Optional.ofNullable(semantic);
  }

  /** Builds a {@link ResponseCache}. */
  public static final class Builder {
    private @Nullable CacheStore store;
    private Duration ttl = Duration.ofHours(1);
    private boolean onlyDeterministic;
    private @Nullable SemanticCache semantic;

    private Builder() {}

    /**
     * Where entries live; an {@link InMemoryCacheStore} (64 MiB, on the gateway's clock) by
     * default.
     *
     * @param store where entries live; an {@link InMemoryCacheStore} (64 MiB, on the gateway's
     *     clock) by default
     * @return this builder
     */
    public Builder store(CacheStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * How long an entry lives; one hour by default.
     *
     * @param ttl how long an entry lives; one hour by default
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder ttl(Duration ttl) {
      if (Objects.requireNonNull(ttl, "ttl").isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive, was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * Whether to cache only deterministic requests: temperature 0, or a seed. Others then bypass
     * the cache (status {@code BYPASS}). {@code false} by default.
     *
     * @param only {@code true} to cache only deterministic requests
     * @return this builder
     */
    public Builder onlyDeterministic(boolean only) {
      this.onlyDeterministic = only;
      return this;
    }

    /**
     * Also answers similar requests; see {@link SemanticCache}.
     *
     * @param semantic also answers similar requests; see {@link SemanticCache}
     * @return this builder
     */
    public Builder semantic(SemanticCache semantic) {
      this.semantic = Objects.requireNonNull(semantic, "semantic");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the new {@code ResponseCache}
     */
    public ResponseCache build() {
      return new ResponseCache(this);
    }
  }
}
