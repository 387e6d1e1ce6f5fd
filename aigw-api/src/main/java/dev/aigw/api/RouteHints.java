package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Per-call adjustments to routing. Hints narrow and reorder a route's candidates; they never
 * add a target the route does not have.
 *
 * <ul>
 *   <li>{@linkplain #excludedProviders() Excluded providers}: their targets are skipped.
 *   <li>{@linkplain #requiredCapabilities() Required capabilities}: targets whose catalog entry
 *       lacks one (or that the catalog does not know) are skipped.
 *   <li>{@linkplain #maxCostPerCall() Max cost per call}: targets whose estimated cost for this
 *       request (counted input plus max output tokens, at catalog prices) exceeds it are skipped;
 *       targets without a price are skipped too, since their cost cannot be bounded.
 *   <li>{@linkplain #preferredTargets() Preferred targets}, then {@linkplain
 *       #preferredProviders() preferred providers}: moved to the front, in the given order.
 * </ul>
 *
 * <pre>{@code
 * RouteHints hints = RouteHints.builder()
 *     .preferProviders("anthropic")
 *     .require(Capability.TOOLS)
 *     .maxCostPerCall(Cost.usd("0.01"))
 *     .build();
 * }</pre>
 */
public final class RouteHints {
  private static final RouteHints NONE = new Builder().build();

  private final Set<String> excludedProviders;
  private final List<Target> preferredTargets;
  private final List<String> preferredProviders;
  private final Set<Capability> requiredCapabilities;
  private final @Nullable Cost maxCostPerCall;

  private RouteHints(Builder b) {
    this.excludedProviders = Collections.unmodifiableSet(new LinkedHashSet<>(b.excludedProviders));
    this.preferredTargets = List.copyOf(b.preferredTargets);
    this.preferredProviders = List.copyOf(b.preferredProviders);
    this.requiredCapabilities = b.requiredCapabilities.isEmpty()
        ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(b.requiredCapabilities));
    this.maxCostPerCall = b.maxCostPerCall;
  }

  /**
   * No hints.
   *
   * @return hints that change nothing
   */
  public static RouteHints none() {
    return NONE;
  }

  /** {@return a builder with no hints} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding these hints} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.excludedProviders.addAll(excludedProviders);
    b.preferredTargets.addAll(preferredTargets);
    b.preferredProviders.addAll(preferredProviders);
    b.requiredCapabilities.addAll(requiredCapabilities);
    b.maxCostPerCall = maxCostPerCall;
    return b;
  }

  /**
   * Hints that skip the targets of {@code providers}.
   *
   * @param providers provider ids
   * @return hints that skip the targets of {@code providers}
   */
  public static RouteHints excluding(String... providers) {
    return builder().excludeProviders(providers).build();
  }

  /**
   * Hints that try {@code targets} first ({@code "provider/model"}).
   *
   * @param targets targets, as {@code "provider/model"}
   * @return hints that try {@code targets} first
   */
  public static RouteHints preferring(String... targets) {
    return builder().preferTargets(targets).build();
  }

  /** {@return provider ids whose targets are skipped} */
  public Set<String> excludedProviders() {
    return excludedProviders;
  }

  /**
   * Targets moved to the front of the candidates, in this order.
   *
   * @return the targets moved to the front of the candidates, in this order
   */
  public List<Target> preferredTargets() {
    return preferredTargets;
  }

  /**
   * {@return provider ids whose targets move to the front (after preferred targets), in this order}
   */
  public List<String> preferredProviders() {
    return preferredProviders;
  }

  /**
   * Capabilities every candidate must have, by the model catalog.
   *
   * @return the capabilities every candidate must have, by the model catalog
   */
  public Set<Capability> requiredCapabilities() {
    return requiredCapabilities;
  }

  /** {@return the most one call may cost, estimated before the call} */
  public Optional<Cost> maxCostPerCall() {
    return Optional.ofNullable(maxCostPerCall);
  }

  /** {@return whether these hints change nothing} */
  public boolean isEmpty() {
    return excludedProviders.isEmpty() && preferredTargets.isEmpty() && preferredProviders.isEmpty()
        && requiredCapabilities.isEmpty() && maxCostPerCall == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteHints h
        && excludedProviders.equals(h.excludedProviders)
        && preferredTargets.equals(h.preferredTargets)
        && preferredProviders.equals(h.preferredProviders)
        && requiredCapabilities.equals(h.requiredCapabilities)
        && Objects.equals(maxCostPerCall, h.maxCostPerCall);
  }

  @Override
  public int hashCode() {
    return Objects.hash(excludedProviders, preferredTargets, preferredProviders, requiredCapabilities, maxCostPerCall);
  }

  @Override
  public String toString() {
    return "RouteHints[excluded=" + excludedProviders + ", preferredTargets=" + preferredTargets
        + ", preferredProviders=" + preferredProviders + ", required=" + requiredCapabilities
        + ", maxCostPerCall=" + maxCostPerCall + "]";
  }

  /**
   * Builds {@link RouteHints}. Every setter adds to what was set before; a {@code null} or
   * blank value is rejected with an {@link InvalidRequestException} naming it.
   */
  public static final class Builder {
    private final Set<String> excludedProviders = new LinkedHashSet<>();
    private final List<Target> preferredTargets = new ArrayList<>();
    private final List<String> preferredProviders = new ArrayList<>();
    private final Set<Capability> requiredCapabilities = EnumSet.noneOf(Capability.class);
    private @Nullable Cost maxCostPerCall;

    private Builder() {}

    /**
     * Skips the targets of these provider ids.
     *
     * @param providers provider ids
     * @return this builder
     */
    public Builder excludeProviders(String... providers) {
      for (String p : Require.elements(Arrays.asList(Require.nonNull(providers, "routeHints.excludedProviders")), "routeHints.excludedProviders")) {
        excludedProviders.add(Require.nonBlank(p, "routeHints.excludedProviders[]"));
      }
      return this;
    }

    /**
     * Skips the targets of these provider ids.
     *
     * @param providers provider ids
     * @return this builder
     */
    public Builder excludeProviders(Set<String> providers) {
      return excludeProviders(Require.nonNull(providers, "routeHints.excludedProviders").toArray(new String[0]));
    }

    /**
     * Tries these targets ({@code "provider/model"}) first, in this order.
     *
     * @param targets targets, as {@code "provider/model"}
     * @return this builder
     */
    public Builder preferTargets(String... targets) {
      for (String t : Require.elements(Arrays.asList(Require.nonNull(targets, "routeHints.preferredTargets")), "routeHints.preferredTargets")) {
        preferredTargets.add(Target.parse(t));
      }
      return this;
    }

    /**
     * Tries these targets first, in this order.
     *
     * @param targets the targets
     * @return this builder
     */
    public Builder preferTargets(List<Target> targets) {
      preferredTargets.addAll(Require.elements(targets, "routeHints.preferredTargets"));
      return this;
    }

    /**
     * Tries the targets of these provider ids first (after preferred targets), in this order.
     *
     * @param providers provider ids
     * @return this builder
     */
    public Builder preferProviders(String... providers) {
      for (String p : Require.elements(Arrays.asList(Require.nonNull(providers, "routeHints.preferredProviders")), "routeHints.preferredProviders")) {
        preferredProviders.add(Require.nonBlank(p, "routeHints.preferredProviders[]"));
      }
      return this;
    }

    /**
     * Only targets that have every one of these capabilities (by the model catalog).
     *
     * @param capabilities the capabilities every target must have
     * @return this builder
     */
    public Builder require(Capability... capabilities) {
      requiredCapabilities.addAll(Require.elements(Arrays.asList(Require.nonNull(capabilities, "routeHints.requiredCapabilities")), "routeHints.requiredCapabilities"));
      return this;
    }

    /**
     * Only targets whose estimated cost for the call is at most {@code max}.
     *
     * @param max the most one call may cost
     * @return this builder
     */
    public Builder maxCostPerCall(Cost max) {
      this.maxCostPerCall = Require.nonNull(max, "routeHints.maxCostPerCall");
      return this;
    }

    /**
     * Builds the hints.
     *
     * @return the new {@code RouteHints}
     */
    public RouteHints build() {
      return new RouteHints(this);
    }
  }
}
