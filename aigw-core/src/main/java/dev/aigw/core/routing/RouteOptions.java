package dev.aigw.core.routing;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a whole route behaves, beyond the order of its candidates: hedging, and whether a content
 * filter refusal moves on to the next candidate.
 *
 * <pre>{@code
 * builder.route("chat", Route.fallback("openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"),
 *     RouteOptions.builder().hedging(Hedging.after(Duration.ofMillis(800))).build());
 * }</pre>
 */
public final class RouteOptions {
  private static final RouteOptions DEFAULTS = new Builder().build();

  private final @Nullable Hedging hedging;
  private final boolean fallbackOnContentFilter;
  private final boolean coalesceCacheMisses;

  private RouteOptions(Builder b) {
    this.hedging = b.hedging;
    this.fallbackOnContentFilter = b.fallbackOnContentFilter;
    this.coalesceCacheMisses = b.coalesceCacheMisses;
  }

  /**
   * No hedging; a content filter refusal ends the call; identical cache misses are coalesced.
   *
   * @return the default options
   */
  public static RouteOptions defaults() {
    return DEFAULTS;
  }

  /** {@return a builder starting from the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the hedging policy, when the route hedges} */
  public Optional<Hedging> hedging() {
    return Optional.ofNullable(hedging);
  }

  /**
   * {@return whether a {@link dev.aigw.api.ContentFilteredException} moves on to the next
   * candidate}
   */
  public boolean fallbackOnContentFilter() {
    return fallbackOnContentFilter;
  }

  /** {@return whether identical concurrent cache misses on this route share one provider call} */
  public boolean coalesceCacheMisses() {
    return coalesceCacheMisses;
  }

  @Override
  public String toString() {
    return "RouteOptions[hedging=" + hedging + ", fallbackOnContentFilter=" + fallbackOnContentFilter
        + ", coalesceCacheMisses=" + coalesceCacheMisses + "]";
  }

  /** Builds {@link RouteOptions}. */
  public static final class Builder {
    private @Nullable Hedging hedging;
    private boolean fallbackOnContentFilter;
    private boolean coalesceCacheMisses = true;

    private Builder() {}

    /**
     * Hedges slow attempts; none by default.
     *
     * @param hedging the hedging policy
     * @return this builder
     */
    public Builder hedging(Hedging hedging) {
      this.hedging = Objects.requireNonNull(hedging, "hedging");
      return this;
    }

    /**
     * Whether a provider's content filter refusal moves on to the next candidate (another
     * provider may judge differently); {@code false} by default, so a refusal ends the call.
     *
     * @param fallback {@code true} to move on after a content filter refusal
     * @return this builder
     */
    public Builder fallbackOnContentFilter(boolean fallback) {
      this.fallbackOnContentFilter = fallback;
      return this;
    }

    /**
     * Whether identical concurrent misses of the response cache on this route share one provider
     * call (the others wait for its answer); {@code true} by default. Turn it off for routes
     * whose answers should differ per call even for the same request.
     *
     * @param coalesce {@code false} to send every miss to the provider
     * @return this builder
     */
    public Builder coalesceCacheMisses(boolean coalesce) {
      this.coalesceCacheMisses = coalesce;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the new {@code RouteOptions}
     */
    public RouteOptions build() {
      return new RouteOptions(this);
    }
  }
}
