package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway did to serve a call: the target that answered, every attempt, whether the
 * cache answered, the cost, latency and time to first token, and attributes that policies add.
 * Immutable; policies derive changed copies with {@link #toBuilder()}.
 */
public final class ResponseMetadata {
  private static final ResponseMetadata EMPTY = new Builder().build();

  private final @Nullable Target target;
  private final List<Attempt> attempts;
  private final CacheStatus cacheStatus;
  private final @Nullable Cost cost;
  private final @Nullable Cost savedCost;
  private final @Nullable Duration cacheAge;
  private final double cacheSimilarity;
  private final Duration latency;
  private final @Nullable Duration timeToFirstToken;
  private final List<GuardrailFinding> guardrailFindings;
  private final Attributes attributes;
  private final @Nullable PromptRef prompt;

  private ResponseMetadata(Builder b) {
    this.target = b.target;
    this.attempts = b.attempts;
    this.cacheStatus = b.cacheStatus;
    this.cost = b.cost;
    this.savedCost = b.savedCost;
    this.cacheAge = b.cacheAge;
    this.cacheSimilarity = b.cacheSimilarity;
    this.latency = b.latency;
    this.timeToFirstToken = b.timeToFirstToken;
    this.guardrailFindings = b.guardrailFindings;
    this.attributes = b.attributes;
    this.prompt = b.prompt;
  }

  /**
   * {@return metadata with nothing recorded yet (what a provider returns before the gateway fills
   * it in)}
   */
  public static ResponseMetadata empty() {
    return EMPTY;
  }

  /** {@return a builder holding these values} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * {@return the target that produced the answer; empty for cache hits and answers made by an
   * interceptor}
   */
  public Optional<Target> target() {
    return Optional.ofNullable(target);
  }

  /** {@return every attempt, in order, including failed ones that led to a fallback} */
  public List<Attempt> attempts() {
    return attempts;
  }

  /** {@return whether the answer came from the gateway's cache} */
  public CacheStatus cacheStatus() {
    return cacheStatus;
  }

  /**
   * {@return the cost of the call, when it could be priced} An unpriced call has no cost, never a
   * zero.
   */
  public Optional<Cost> cost() {
    return Optional.ofNullable(cost);
  }

  /**
   * {@return for cache hits, what the cached answer cost when it was first produced (the cost this
   * hit saved), when that call could be priced}
   */
  public Optional<Cost> savedCost() {
    return Optional.ofNullable(savedCost);
  }

  /** {@return for cache hits, how old the cached entry is} */
  public Optional<Duration> cacheAge() {
    return Optional.ofNullable(cacheAge);
  }

  /** {@return for semantic cache hits, the cosine similarity of the request to the cached one} */
  public java.util.OptionalDouble cacheSimilarity() {
    return Double.isNaN(cacheSimilarity) ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(cacheSimilarity);
  }

  /** {@return from the call's start to its answer (for streams: to the last chunk)} */
  public Duration latency() {
    return latency;
  }

  /** {@return for streams, from the call's start to the first chunk delivered to the caller} */
  public Optional<Duration> timeToFirstToken() {
    return Optional.ofNullable(timeToFirstToken);
  }

  /**
   * {@return what the guardrails found in the request and the answer and what they did (masked or
   * flagged; a block ends the call with a {@link GuardrailViolationException} instead), in
   * order} Types and positions only, never the text.
   */
  public List<GuardrailFinding> guardrailFindings() {
    return guardrailFindings;
  }

  /**
   * Attributes added by policies and interceptors.
   *
   * @return attributes added by policies and interceptors
   */
  public Attributes attributes() {
    return attributes;
  }

  /**
   * {@return the prompt template the request was rendered from, when it was ({@link
   * ChatRequest#prompt()})}
   */
  public Optional<PromptRef> prompt() {
    return Optional.ofNullable(prompt);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResponseMetadata m
        && Objects.equals(target, m.target)
        && attempts.equals(m.attempts)
        && cacheStatus == m.cacheStatus
        && Objects.equals(cost, m.cost)
        && Objects.equals(savedCost, m.savedCost)
        && Objects.equals(cacheAge, m.cacheAge)
        && Double.compare(cacheSimilarity, m.cacheSimilarity) == 0
        && latency.equals(m.latency)
        && Objects.equals(timeToFirstToken, m.timeToFirstToken)
        && guardrailFindings.equals(m.guardrailFindings)
        && attributes.equals(m.attributes)
        && Objects.equals(prompt, m.prompt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(target, attempts, cacheStatus, cost, savedCost, cacheAge, cacheSimilarity, latency, timeToFirstToken, guardrailFindings, attributes, prompt);
  }

  @Override
  public String toString() {
    return "ResponseMetadata[target=" + target + ", attempts=" + attempts.size() + ", cache=" + cacheStatus
        + ", cost=" + cost + (savedCost == null ? "" : ", saved=" + savedCost)
        + (cacheAge == null ? "" : ", age=" + cacheAge.toMillis() + "ms")
        + (Double.isNaN(cacheSimilarity) ? "" : ", similarity=" + cacheSimilarity) + ", latency=" + latency.toMillis() + "ms"
        + (timeToFirstToken == null ? "" : ", ttft=" + timeToFirstToken.toMillis() + "ms")
        + (guardrailFindings.isEmpty() ? "" : ", guardrails=" + guardrailFindings)
        + (prompt == null ? "" : ", prompt=" + prompt) + "]";
  }

  /** Builds {@link ResponseMetadata}. */
  public static final class Builder {
    private @Nullable Target target;
    private List<Attempt> attempts = List.of();
    private CacheStatus cacheStatus = CacheStatus.NONE;
    private @Nullable Cost cost;
    private @Nullable Cost savedCost;
    private @Nullable Duration cacheAge;
    private double cacheSimilarity = Double.NaN;
    private Duration latency = Duration.ZERO;
    private @Nullable Duration timeToFirstToken;
    private List<GuardrailFinding> guardrailFindings = List.of();
    private Attributes attributes = Attributes.empty();
    private @Nullable PromptRef prompt;

    /** A builder with nothing recorded. */
    public Builder() {}

    private Builder(ResponseMetadata m) {
      target = m.target;
      attempts = m.attempts;
      cacheStatus = m.cacheStatus;
      cost = m.cost;
      savedCost = m.savedCost;
      cacheAge = m.cacheAge;
      cacheSimilarity = m.cacheSimilarity;
      latency = m.latency;
      timeToFirstToken = m.timeToFirstToken;
      guardrailFindings = m.guardrailFindings;
      attributes = m.attributes;
      prompt = m.prompt;
    }

    /**
     * The prompt template the request was rendered from.
     *
     * @param prompt the prompt template the request was rendered from
     * @return this builder
     */
    public Builder prompt(PromptRef prompt) {
      this.prompt = Require.nonNull(prompt, "metadata.prompt");
      return this;
    }

    /**
     * The target that produced the answer.
     *
     * @param target the target that produced the answer
     * @return this builder
     */
    public Builder target(Target target) {
      this.target = Require.nonNull(target, "metadata.target");
      return this;
    }

    /**
     * Every attempt, in order.
     *
     * @param attempts every attempt, in order
     * @return this builder
     */
    public Builder attempts(List<Attempt> attempts) {
      this.attempts = Require.elements(attempts, "metadata.attempts");
      return this;
    }

    /**
     * Whether the answer came from the cache.
     *
     * @param cacheStatus whether the answer came from the cache
     * @return this builder
     */
    public Builder cacheStatus(CacheStatus cacheStatus) {
      this.cacheStatus = Require.nonNull(cacheStatus, "metadata.cacheStatus");
      return this;
    }

    /**
     * The cost of the call.
     *
     * @param cost the cost of the call
     * @return this builder
     */
    public Builder cost(Cost cost) {
      this.cost = Require.nonNull(cost, "metadata.cost");
      return this;
    }

    /**
     * For cache hits, the cost the hit saved.
     *
     * @param savedCost for cache hits, the cost the hit saved
     * @return this builder
     */
    public Builder savedCost(Cost savedCost) {
      this.savedCost = Require.nonNull(savedCost, "metadata.savedCost");
      return this;
    }

    /**
     * For cache hits, the age of the entry; not negative.
     *
     * @param age the age of the entry
     * @return this builder
     */
    public Builder cacheAge(Duration age) {
      if (Require.nonNull(age, "metadata.cacheAge").isNegative()) {
        throw new InvalidRequestException("metadata.cacheAge", "must not be negative");
      }
      this.cacheAge = age;
      return this;
    }

    /**
     * For semantic hits, the similarity, in [-1, 1].
     *
     * @param similarity the cosine similarity, in [-1, 1]
     * @return this builder
     */
    public Builder cacheSimilarity(double similarity) {
      this.cacheSimilarity = Require.inRange(similarity, -1, 1, "metadata.cacheSimilarity");
      return this;
    }

    /**
     * The latency of the call; not negative.
     *
     * @param latency how long the attempt took
     * @return this builder
     */
    public Builder latency(Duration latency) {
      if (Require.nonNull(latency, "metadata.latency").isNegative()) {
        throw new InvalidRequestException("metadata.latency", "must not be negative");
      }
      this.latency = latency;
      return this;
    }

    /**
     * The time to the first streamed chunk; not negative.
     *
     * @param timeToFirstToken the time to the first streamed chunk; not negative
     * @return this builder
     */
    public Builder timeToFirstToken(Duration timeToFirstToken) {
      if (Require.nonNull(timeToFirstToken, "metadata.timeToFirstToken").isNegative()) {
        throw new InvalidRequestException("metadata.timeToFirstToken", "must not be negative");
      }
      this.timeToFirstToken = timeToFirstToken;
      return this;
    }

    /**
     * What the guardrails found, in order.
     *
     * @param findings the findings, in order
     * @return this builder
     */
    public Builder guardrailFindings(List<GuardrailFinding> findings) {
      this.guardrailFindings = Require.elements(findings, "metadata.guardrailFindings");
      return this;
    }

    /**
     * Sets one attribute.
     *
     * @param <T> the type of the key's values
     * @param key the attribute's key
     * @param value its value
     * @return this builder
     */
    public <T> Builder attribute(AttributeKey<T> key, T value) {
      this.attributes = attributes.with(key, value);
      return this;
    }

    /**
     * Builds the metadata.
     *
     * @return the new {@code ResponseMetadata}
     */
    public ResponseMetadata build() {
      return new ResponseMetadata(this);
    }
  }
}
