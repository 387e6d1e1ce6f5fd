package dev.aigw.core.internal;

import dev.aigw.api.CallContext;
import dev.aigw.api.Capability;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.Cost;
import dev.aigw.api.ModelRequest;
import dev.aigw.api.Target;
import dev.aigw.core.pricing.Prices;
import dev.aigw.core.routing.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link Route} tree into the ordered candidate targets of one call, applying each
 * policy node: fallback order, weighted choice, power of two choices, lowest latency and
 * cheapest capable. Targets a policy rules out are recorded as skipped, with the reason.
 */
final class RoutePlanner {
  private final ModelRequest request;
  private final @Nullable RequestSize size;
  private final CallContext context;
  private final boolean streaming;
  private final Function<Target, TargetState> states;
  private final long nowNanos;
  private final boolean shrinks;
  final List<String> skipped = new ArrayList<>(0);

  /** The call's context. */
  CallContext context() {
    return context;
  }

  /**
   * @param shrinks whether the call's context policy can shrink the request to fit a smaller
   *     window (then no candidate is skipped for its window; each attempt is fitted instead)
   */
  RoutePlanner(ModelRequest request, @Nullable RequestSize size, CallContext context, boolean streaming,
      Function<Target, TargetState> states, long nowNanos, boolean shrinks) {
    this.request = request;
    this.size = size;
    this.context = context;
    this.streaming = streaming;
    this.states = states;
    this.nowNanos = nowNanos;
    this.shrinks = shrinks;
  }

  /** The targets of {@code route} in the order to try them; may repeat a target (callers dedupe). */
  List<Target> plan(Route route) {
    List<Target> out = new ArrayList<>(4);
    plan(route, out);
    return out;
  }

  private void plan(Route route, List<Target> out) {
    if (route instanceof Route.Single single) {
      out.add(single.target());
    } else if (route instanceof Route.Fallback fallback) {
      for (Route child : fallback.routes()) {
        plan(child, out);
      }
    } else if (route instanceof Route.Weighted weighted) {
      planWeighted(weighted, out);
    } else if (route instanceof Route.LeastBusy leastBusy) {
      planLeastBusy(leastBusy.routes(), out);
    } else if (route instanceof Route.LowestLatency lowest) {
      planLowestLatency(lowest, out);
    } else if (route instanceof Route.CheapestCapable cheapest) {
      planCheapest(cheapest, out);
    } else if (route instanceof Route.Conditional conditional) {
      planConditional(conditional, out);
    } else {
      throw new IllegalStateException("unknown route type " + route.getClass().getName());
    }
  }

  private void planWeighted(Route.Weighted weighted, List<Target> out) {
    List<Integer> weights = weighted.weights();
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int pick = ThreadLocalRandom.current().nextInt(total);
    int chosen = 0;
    for (int i = 0; i < weights.size(); i++) {
      pick -= weights.get(i);
      if (pick < 0) {
        chosen = i;
        break;
      }
    }
    plan(weighted.routes().get(chosen), out);
    for (int i = 0; i < weighted.routes().size(); i++) {
      if (i != chosen) {
        plan(weighted.routes().get(i), out);
      }
    }
  }

  private void planLeastBusy(List<Route> routes, List<Target> out) {
    int n = routes.size();
    if (n == 1) {
      plan(routes.get(0), out);
      return;
    }
    int[] load = new int[n];
    for (int i = 0; i < n; i++) {
      load[i] = states.apply(routes.get(i).targets().get(0)).inFlight();
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    if (b >= a) {
      b++;
    }
    int first = load[b] < load[a] ? b : a;
    plan(routes.get(first), out);
    for (int i : order(n, first, i -> (double) load[i])) {
      plan(routes.get(i), out);
    }
  }

  private void planLowestLatency(Route.LowestLatency lowest, List<Target> out) {
    List<Route> routes = lowest.routes();
    int n = routes.size();
    long halfLife = lowest.decay().toNanos();
    double[] latency = new double[n];
    for (int i = 0; i < n; i++) {
      double avg = states.apply(routes.get(i).targets().get(0)).latency(streaming).decayedAverage(nowNanos, halfLife);
      latency[i] = Double.isNaN(avg) ? 0 : avg;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int first = -1;
    if (n > 1 && random.nextDouble() < lowest.exploration()) {
      first = random.nextInt(n);
      plan(routes.get(first), out);
    }
    for (int i : order(n, first, i -> latency[i])) {
      plan(routes.get(i), out);
    }
  }

  /** Indexes 0..n-1 except {@code skip}, sorted by {@code key} (stable). */
  private static List<Integer> order(int n, int skip, Function<Integer, Double> key) {
    List<Integer> rest = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (i != skip) {
        rest.add(i);
      }
    }
    rest.sort(Comparator.comparing(key));
    return rest;
  }

  private void planCheapest(Route.CheapestCapable cheapest, List<Target> out) {
    List<Target> all = new ArrayList<>();
    for (Route child : cheapest.routes()) {
      plan(child, all);
    }
    Set<Capability> required = EnumSet.noneOf(Capability.class);
    required.addAll(cheapest.requiredCapabilities());
    if (request instanceof ChatRequest chat) {
      required.addAll(Capability.requiredBy(chat));
    }
    List<Target> fitting = new ArrayList<>(all.size());
    List<Cost> costs = new ArrayList<>(all.size());
    for (Target target : all) {
      TargetState state = states.apply(target);
      String reason = unfit(state, required, cheapest);
      if (reason != null) {
        skipped.add(target + ": " + reason);
        continue;
      }
      fitting.add(target);
      costs.add(estimate(state));
    }
    Integer[] order = new Integer[fitting.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparing(costs::get));
    for (int i : order) {
      out.add(fitting.get(i));
    }
  }

  private @Nullable String unfit(TargetState state, Set<Capability> required, Route.CheapestCapable cheapest) {
    if (state.model == null) {
      return "not in the model catalog";
    }
    String reason = lacking(state, required);
    if (reason == null && state.prices() == null) {
      reason = "has no price in the model catalog";
    }
    if (reason == null) {
      reason = windowTooSmall(state);
    }
    if (reason == null && cheapest.maxCost().isPresent()) {
      reason = overCost(state, cheapest.maxCost().get());
    }
    if (reason == null && cheapest.slo().isPresent()) {
      double average = state.latency(streaming).average();
      if (!Double.isNaN(average) && average > cheapest.slo().get().toNanos()) {
        reason = "recent latency " + Math.round(average / 1e6) + " ms exceeds the SLO of " + cheapest.slo().get().toMillis() + " ms";
      }
    }
    return reason;
  }

  // The checks below are shared by cheapestCapable and the router's per-call filters (hints, windows).

  /** Why {@code state} lacks one of {@code required} by the catalog, or null when it has them all. */
  @Nullable String lacking(TargetState state, Set<Capability> required) {
    for (Capability c : required) {
      if (!state.has(c)) {
        return (state.model == null ? "not in the model catalog, so " : "") + "lacks " + c;
      }
    }
    return null;
  }

  /**
   * Why the request cannot fit {@code state}'s context window (counted input plus the request's
   * max output tokens), or null when it fits, the window is unknown, or the call's context policy
   * can shrink the request to fit (see {@link ContextFitter}).
   */
  @Nullable String windowTooSmall(TargetState state) {
    int window = state.contextWindow();
    if (size == null || window <= 0 || shrinks) {
      return null;
    }
    int output = Math.max(0, size.maxOutputTokens());
    if (size.fits(state.tokenCounter, window, output)) {
      return null;
    }
    return "the request (" + size.inputTokens(state.tokenCounter) + " input tokens"
        + (output > 0 ? " + " + output + " output" : "") + ") does not fit its context window of " + window;
  }

  /** Why the call's estimated cost on {@code state} is above {@code max} or cannot be bounded, or null. */
  @Nullable String overCost(TargetState state, Cost max) {
    if (state.prices() == null) {
      return "its cost cannot be bounded (no price in the catalog)";
    }
    if (outputBound(state) < 0) {
      return "its cost cannot be bounded (the request sets no max output tokens and the catalog gives none)";
    }
    Cost estimate = estimate(state);
    if (!estimate.currency().equals(max.currency()) || estimate.compareTo(max) > 0) {
      return "estimated cost " + estimate + " exceeds " + max;
    }
    return null;
  }

  /** The most output tokens the call may produce on {@code state}'s model, or -1 when unknown. */
  int outputBound(TargetState state) {
    int requested = size == null ? -1 : size.maxOutputTokens();
    if (requested >= 0) {
      return requested;
    }
    return state.model == null ? -1 : state.model.maxOutputTokens().orElse(-1);
  }

  /** The estimated cost of the call on {@code state}'s model: counted input plus bounded output at its prices. */
  Cost estimate(TargetState state) {
    Prices prices = state.prices();
    if (prices == null) {
      throw new IllegalStateException("no prices for " + state.target);
    }
    long input = size == null ? 0 : size.inputTokens(state.tokenCounter);
    return prices.estimate(input, Math.max(0, outputBound(state)));
  }

  private void planConditional(Route.Conditional conditional, List<Target> out) {
    for (Route.Conditional.Case c : conditional.cases()) {
      if (c.condition().test(request, context)) {
        plan(c.route(), out);
        return;
      }
    }
    if (conditional.otherwise() != null) {
      plan(conditional.otherwise(), out);
    } else {
      skipped.add("no condition matched (" + conditional.cases() + ")");
    }
  }
}
