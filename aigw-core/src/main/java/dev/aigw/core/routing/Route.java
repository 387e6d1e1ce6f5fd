package dev.aigw.core.routing;

import dev.aigw.api.CallContext;
import dev.aigw.api.Capability;
import dev.aigw.api.Cost;
import dev.aigw.api.ModelRequest;
import dev.aigw.api.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Where calls for an alias go: candidate targets ({@code "provider/model"}) and the policy that
 * orders them for each call. A route is an immutable tree: the leaves are {@linkplain #target
 * targets}, the inner nodes are policies, and policies compose (a weighted route's arms can be
 * fallback chains).
 *
 * <p>For each call the router turns the tree into an ordered list of candidate targets, drops
 * those the call's {@link dev.aigw.api.RouteHints} or the model catalog rule out (a context
 * window too small for the counted request, a missing capability, a cost above the cap), and
 * tries the rest in order: each target with its own retries, circuit breaker and bulkhead (see
 * {@link Resilience}), moving on to the next one when an attempt fails with a {@linkplain
 * dev.aigw.api.ProviderException#retryable() retryable} error once retries are spent or the
 * breaker is open; on {@link dev.aigw.api.ContextWindowExceededException} only to targets with a
 * larger window; on {@link dev.aigw.api.QuotaExhaustedException} at once, without retrying the
 * target; on {@link dev.aigw.api.ContentFilteredException} only when the route's
 * {@link RouteOptions} opt in. Client errors (400, 401, 403, 404, 422) end the call at once. A
 * stream moves on only before its first chunk reached the caller.
 *
 * <p>When every candidate of a route with several targets failed, the call ends with a {@link
 * dev.aigw.api.NoRouteAvailableException} listing each attempt; a route with one target (and a
 * direct {@code "provider/model"} call) ends with that target's own exception.
 *
 * <pre>{@code
 * Route chat = Route.weighted()
 *     .arm(90, Route.fallback("openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"))
 *     .arm(10, Route.fallback("openai/gpt-4.1-mini", "anthropic/claude-3-5-haiku-latest"))
 *     .build();
 * Route cheap = Route.cheapestCapable("openai/gpt-4o-mini", "gemini/gemini-2.5-flash", "anthropic/claude-sonnet-4-5")
 *     .withMaxCostPerCall(Cost.usd("0.002"));
 * }</pre>
 */
public sealed interface Route
    permits Route.Single, Route.Fallback, Route.Weighted, Route.LeastBusy, Route.LowestLatency,
        Route.CheapestCapable, Route.Conditional {

  /** {@return every target this route can reach, each once, in tree order} */
  List<Target> targets();

  /**
   * {@return one target}
   *
   * @param target {@code "provider/model"}
   * @throws IllegalArgumentException when it is not {@code "provider/model"}
   */
  static Route target(String target) {
    return new Single(parse(target));
  }

  /**
   * Tries {@code targets} in order: the first, then the next when it fails.
   *
   * @param targets the targets, as {@code "provider/model"}
   * @return the route
   * @throws IllegalArgumentException when there is no target, one is not {@code
   *     "provider/model"}, or one repeats
   */
  static Fallback fallback(String... targets) {
    return new Fallback(singles(targets));
  }

  /**
   * Tries {@code routes} in order; each may be a policy of its own.
   *
   * @param routes the routes
   * @return the route
   */
  static Fallback fallback(Route... routes) {
    return new Fallback(List.of(Objects.requireNonNull(routes, "routes")));
  }

  /** {@return a weighted choice between arms, for A/B tests and canaries; see {@link Weighted}} */
  static Weighted.Builder weighted() {
    return new Weighted.Builder();
  }

  /**
   * The less busy of two randomly picked candidates first; see {@link LeastBusy}.
   *
   * @param targets the targets, as {@code "provider/model"}
   * @return the route
   */
  static LeastBusy leastBusy(String... targets) {
    return new LeastBusy(singles(targets));
  }

  /**
   * Same as {@link #leastBusy(String...)} over routes.
   *
   * @param routes the routes
   * @return the route
   */
  static LeastBusy leastBusy(Route... routes) {
    return new LeastBusy(List.of(Objects.requireNonNull(routes, "routes")));
  }

  /**
   * The candidate with the lowest recent latency first; see {@link LowestLatency}.
   *
   * @param targets the targets, as {@code "provider/model"}
   * @return the route
   */
  static LowestLatency lowestLatency(String... targets) {
    return new LowestLatency(singles(targets), LowestLatency.DEFAULT_EXPLORATION, LowestLatency.DEFAULT_DECAY);
  }

  /**
   * The cheapest candidate that fits the call first; see {@link CheapestCapable}.
   *
   * @param targets the targets, as {@code "provider/model"}
   * @return the route
   */
  static CheapestCapable cheapestCapable(String... targets) {
    return new CheapestCapable(singles(targets), Set.of(), null, null);
  }

  /**
   * Same as {@link #cheapestCapable(String...)} over routes (their targets are compared).
   *
   * @param routes the routes whose targets are compared
   * @return the route
   */
  static CheapestCapable cheapestCapable(Route... routes) {
    return new CheapestCapable(List.of(Objects.requireNonNull(routes, "routes")), Set.of(), null, null);
  }

  /**
   * A choice by tenant, tags or a predicate; see {@link Conditional}.
   *
   * @return a builder of the route
   */
  static Conditional.Builder conditional() {
    return new Conditional.Builder();
  }

  /**
   * A leaf: one target.
   *
   * @param target the target
   */
  record Single(Target target) implements Route {
    /**
     * @param target the target
     * @throws NullPointerException when target is null
     */
    public Single {
      Objects.requireNonNull(target, "target");
    }

    @Override
    public List<Target> targets() {
      return List.of(target);
    }

    @Override
    public String toString() {
      return target.toString();
    }
  }

  /**
   * Tries its routes in order.
   *
   * @param routes one or more routes
   */
  record Fallback(List<Route> routes) implements Route {
    /**
     * @param routes one or more routes
     * @throws IllegalArgumentException when empty or a target repeats
     */
    public Fallback {
      routes = children(routes, "fallback");
    }

    @Override
    public List<Target> targets() {
      return collect(routes);
    }
  }

  /**
   * Picks one arm at random in proportion to its weight and tries it first; the other arms
   * follow in the order they were added, as fallbacks. A weight of 0 keeps an arm as a
   * fallback only.
   *
   * @param routes the arms
   * @param weights their weights, same order
   */
  record Weighted(List<Route> routes, List<Integer> weights) implements Route {
    /**
     * @param routes the arms
     * @param weights their weights, same order
     * @throws IllegalArgumentException when empty, sizes differ, a weight is negative or all are 0
     */
    public Weighted {
      routes = children(routes, "weighted");
      weights = List.copyOf(weights);
      if (weights.size() != routes.size()) {
        throw new IllegalArgumentException("a weighted route needs one weight per arm");
      }
      long total = 0;
      for (int w : weights) {
        if (w < 0) {
          throw new IllegalArgumentException("a weight must not be negative, was " + w);
        }
        total += w;
      }
      if (total == 0) {
        throw new IllegalArgumentException("at least one arm of a weighted route needs a positive weight");
      }
    }

    @Override
    public List<Target> targets() {
      return collect(routes);
    }

    /** Builds a {@link Weighted} route. */
    public static final class Builder {
      private final List<Route> routes = new ArrayList<>();
      private final List<Integer> weights = new ArrayList<>();

      Builder() {}

      /**
       * Adds an arm.
       *
       * @param weight the arm's share of calls, relative to the other arms
       * @param route the arm's route
       * @return this builder
       * @throws IllegalArgumentException when the weight is negative
       */
      public Builder arm(int weight, Route route) {
        if (weight < 0) {
          throw new IllegalArgumentException("weight must not be negative, was " + weight);
        }
        routes.add(Objects.requireNonNull(route, "route"));
        weights.add(weight);
        return this;
      }

      /**
       * Adds an arm of one target ({@code "provider/model"}).
       *
       * @param weight the arm's share of calls, relative to the other arms
       * @param target the arm's target
       * @return this builder
       */
      public Builder arm(int weight, String target) {
        return arm(weight, Route.target(target));
      }

      /**
       * Builds the route.
       *
       * @return the new {@code Weighted}
       * @throws IllegalArgumentException when no arm has a positive weight
       */
      public Weighted build() {
        return new Weighted(routes, weights);
      }
    }
  }

  /**
   * Power of two choices on in-flight calls: picks two candidates at random and tries the one
   * with fewer calls in flight first (a candidate's load is that of its first target); the rest
   * follow, least busy first.
   *
   * @param routes the candidates
   */
  record LeastBusy(List<Route> routes) implements Route {
    /**
     * @param routes the candidates
     * @throws IllegalArgumentException when empty or a target repeats
     */
    public LeastBusy {
      routes = children(routes, "leastBusy");
    }

    @Override
    public List<Target> targets() {
      return collect(routes);
    }
  }

  /**
   * Orders candidates by their recent latency (for streams: time to first chunk), an
   * exponentially weighted moving average whose weight halves every {@code decay}; a candidate
   * without a measurement counts as fastest, so new targets get tried. With probability {@code
   * exploration} a random candidate goes first, so a target that was slow once is measured again.
   *
   * @param routes the candidates
   * @param exploration the probability of exploring, in [0, 1]; 0.05 by default
   * @param decay the half-life of old measurements; 30 seconds by default
   */
  record LowestLatency(List<Route> routes, double exploration, Duration decay) implements Route {
    static final double DEFAULT_EXPLORATION = 0.05;
    static final Duration DEFAULT_DECAY = Duration.ofSeconds(30);

    /**
     * @param routes the candidates
     * @param exploration the probability of exploring, in [0, 1]; 0.05 by default
     * @param decay the half-life of old measurements; 30 seconds by default
     * @throws IllegalArgumentException when empty, exploration is outside [0, 1] or decay is not positive
     */
    public LowestLatency {
      routes = children(routes, "lowestLatency");
      if (!(exploration >= 0 && exploration <= 1)) {
        throw new IllegalArgumentException("exploration must be in [0, 1], was " + exploration);
      }
      if (Objects.requireNonNull(decay, "decay").isNegative() || decay.isZero()) {
        throw new IllegalArgumentException("decay must be positive, was " + decay);
      }
    }

    /**
     * This route with another exploration probability.
     *
     * @param exploration the probability of trying a candidate that is not the fastest
     * @return a copy of this route with that probability
     */
    public LowestLatency withExploration(double exploration) {
      return new LowestLatency(routes, exploration, decay);
    }

    /**
     * This route with another half-life for old measurements.
     *
     * @param decay the half-life
     * @return a copy of this route with that half-life
     */
    public LowestLatency withDecay(Duration decay) {
      return new LowestLatency(routes, exploration, decay);
    }

    @Override
    public List<Target> targets() {
      return collect(routes);
    }
  }

  /**
   * The cheapest candidate that fits, first. A target fits when the model catalog knows it and
   * it has every required capability (those the request needs — tools, images, a JSON schema —
   * plus {@code requiredCapabilities}), its context window holds the counted input plus the
   * request's max output tokens, its estimated cost (counted input plus max output tokens at its
   * prices) is at most {@code maxCostPerCall}, and its recent latency (the same measure as
   * {@link LowestLatency}) is within {@code latencySlo}. Targets that do not fit are skipped;
   * those that fit are tried cheapest first.
   *
   * @param routes the candidates (their targets are compared one by one)
   * @param requiredCapabilities capabilities every candidate must have beyond what the request needs
   * @param maxCostPerCall the most one call may cost, or {@code null} for no cap
   * @param latencySlo the highest acceptable recent latency, or {@code null} for none
   */
  record CheapestCapable(
      List<Route> routes, Set<Capability> requiredCapabilities, @Nullable Cost maxCostPerCall,
      @Nullable Duration latencySlo) implements Route {
    /**
     * @param routes the candidates (their targets are compared one by one)
     * @param requiredCapabilities capabilities every candidate must have beyond what the request needs
     * @param maxCostPerCall the most one call may cost, or {@code null} for no cap
     * @param latencySlo the highest acceptable recent latency, or {@code null} for none
     * @throws IllegalArgumentException when empty, a target repeats, or the SLO is not positive
     */
    public CheapestCapable {
      routes = children(routes, "cheapestCapable");
      requiredCapabilities = requiredCapabilities.isEmpty()
          ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(requiredCapabilities));
      if (latencySlo != null && (latencySlo.isNegative() || latencySlo.isZero())) {
        throw new IllegalArgumentException("latencySlo must be positive, was " + latencySlo);
      }
    }

    /**
     * This route, requiring {@code capabilities} of every candidate.
     *
     * @param capabilities the capabilities every candidate must have
     * @return a copy of this route with that requirement
     */
    public CheapestCapable requiring(Capability... capabilities) {
      Set<Capability> all = EnumSet.noneOf(Capability.class);
      all.addAll(requiredCapabilities);
      all.addAll(Arrays.asList(capabilities));
      return new CheapestCapable(routes, all, maxCostPerCall, latencySlo);
    }

    /**
     * This route, skipping candidates whose estimated cost per call exceeds {@code max}.
     *
     * @param max the most one call may cost
     * @return a copy of this route with that cap
     */
    public CheapestCapable withMaxCostPerCall(Cost max) {
      return new CheapestCapable(routes, requiredCapabilities, Objects.requireNonNull(max, "max"), latencySlo);
    }

    /**
     * This route, skipping candidates whose recent latency exceeds {@code slo}.
     *
     * @param slo the latency objective
     * @return a copy of this route with that objective
     */
    public CheapestCapable withLatencySlo(Duration slo) {
      return new CheapestCapable(routes, requiredCapabilities, maxCostPerCall, Objects.requireNonNull(slo, "slo"));
    }

    /** {@return the cost cap, when set} */
    public Optional<Cost> maxCost() {
      return Optional.ofNullable(maxCostPerCall);
    }

    /** {@return the latency SLO, when set} */
    public Optional<Duration> slo() {
      return Optional.ofNullable(latencySlo);
    }

    @Override
    public List<Target> targets() {
      return collect(routes);
    }
  }

  /**
   * The route of the first case whose condition holds for the call, else {@code otherwise};
   * when nothing matches and there is no {@code otherwise}, the call fails with {@link
   * dev.aigw.api.NoRouteAvailableException}.
   *
   * @param cases the cases, tried in order
   * @param otherwise the route when no case matches, or {@code null}
   */
  record Conditional(List<Case> cases, @Nullable Route otherwise) implements Route {
    /**
     * @param cases the cases, tried in order
     * @param otherwise the route when no case matches, or {@code null}
     * @throws IllegalArgumentException when there is no case and no otherwise
     */
    public Conditional {
      cases = List.copyOf(cases);
      if (cases.isEmpty() && otherwise == null) {
        throw new IllegalArgumentException("a conditional route needs at least one case or an otherwise route");
      }
    }

    @Override
    public List<Target> targets() {
      List<Route> all = new ArrayList<>();
      for (Case c : cases) {
        all.add(c.route());
      }
      if (otherwise != null) {
        all.add(otherwise);
      }
      return collect(all);
    }

    /**
     * One case of a conditional route.
     *
     * @param description what the condition tests, for messages and {@code toString}
     * @param condition the test over the request and the call's context
     * @param route the route when it holds
     */
    public record Case(String description, BiPredicate<ModelRequest, CallContext> condition, Route route) {
      /**
       * @param description what the condition tests, for messages and {@code toString}
       * @param condition the test over the request and the call's context
       * @param route the route when it holds
       * @throws NullPointerException when a field is null
       */
      public Case {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(route, "route");
      }

      @Override
      public String toString() {
        return description + " -> " + route;
      }
    }

    /** Builds a {@link Conditional} route; cases are tried in the order added. */
    public static final class Builder {
      private final List<Case> cases = new ArrayList<>();
      private @Nullable Route otherwise;

      Builder() {}

      /**
       * Calls whose context names {@code tenant} go to {@code route}.
       *
       * @param tenant the tenant id
       * @param route where its calls go
       * @return this builder
       */
      public Builder whenTenant(String tenant, Route route) {
        Objects.requireNonNull(tenant, "tenant");
        return when("tenant=" + tenant, (request, context) -> context.tenant().filter(tenant::equals).isPresent(), route);
      }

      /**
       * Calls whose context carries {@code tag} go to {@code route}.
       *
       * @param tag the tag
       * @param route where its calls go
       * @return this builder
       */
      public Builder whenTag(String tag, Route route) {
        Objects.requireNonNull(tag, "tag");
        return when("tag=" + tag, (request, context) -> context.tags().contains(tag), route);
      }

      /**
       * Calls for which {@code condition} holds go to {@code route}.
       *
       * @param description what the condition means, for diagnostics
       * @param condition the condition
       * @param route where the calls go
       * @return this builder
       */
      public Builder when(String description, BiPredicate<ModelRequest, CallContext> condition, Route route) {
        cases.add(new Case(description, condition, route));
        return this;
      }

      /**
       * Where calls go when no case matches.
       *
       * @param route where the calls go
       * @return this builder
       * @throws IllegalStateException when already set
       */
      public Builder otherwise(Route route) {
        if (otherwise != null) {
          throw new IllegalStateException("otherwise was already set");
        }
        otherwise = Objects.requireNonNull(route, "route");
        return this;
      }

      /**
       * Builds the route.
       *
       * @return the new {@code Conditional}
       * @throws IllegalArgumentException when there is no case and no otherwise
       */
      public Conditional build() {
        return new Conditional(cases, otherwise);
      }
    }
  }

  private static Target parse(String target) {
    Objects.requireNonNull(target, "a route target is null");
    try {
      return Target.parse(target);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("route target must be 'provider/model', was '" + target + "'", e);
    }
  }

  private static List<Route> singles(String... targets) {
    Objects.requireNonNull(targets, "targets");
    List<Route> routes = new ArrayList<>(targets.length);
    for (String t : targets) {
      routes.add(new Single(parse(t)));
    }
    return routes;
  }

  private static List<Route> children(List<Route> routes, String kind) {
    List<Route> copy = List.copyOf(Objects.requireNonNull(routes, "routes"));
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a " + kind + " route needs at least one target");
    }
    Set<Target> seen = new LinkedHashSet<>();
    for (Route r : copy) {
      for (Target t : r.targets()) {
        if (!seen.add(t)) {
          throw new IllegalArgumentException("route target '" + t + "' is listed twice in a " + kind + " route");
        }
      }
    }
    return copy;
  }

  private static List<Target> collect(List<Route> routes) {
    Set<Target> all = new LinkedHashSet<>();
    for (Route r : routes) {
      all.addAll(r.targets());
    }
    return List.copyOf(all);
  }
}
