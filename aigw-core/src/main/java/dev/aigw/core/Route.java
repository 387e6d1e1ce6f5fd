package dev.aigw.core;

import dev.aigw.api.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where calls for an alias go: an ordered list of candidate targets ({@code "provider/model"}).
 *
 * <p>A fallback route tries its targets in order. It moves to the next target when an attempt
 * fails with a {@linkplain dev.aigw.api.ProviderException#retryable() retryable} provider error
 * or a {@link dev.aigw.api.ContextWindowExceededException}; any other failure ends the call at
 * once. A stream moves on only before its first chunk reached the caller. When every target of a
 * route with several targets failed, the call ends with a {@link
 * dev.aigw.api.NoRouteAvailableException} listing each attempt; a route with one target (and a
 * direct {@code "provider/model"} call) ends with that target's own exception.
 */
public final class Route {
  private final List<Target> targets;

  private Route(List<Target> targets) {
    this.targets = List.copyOf(targets);
  }

  /**
   * A route that tries {@code targets} in order.
   *
   * @param targets one or more {@code "provider/model"} strings
   * @throws IllegalArgumentException when there is no target, a target is not {@code
   *     "provider/model"}, or a target repeats
   */
  public static Route fallback(String... targets) {
    Objects.requireNonNull(targets, "targets");
    if (targets.length == 0) {
      throw new IllegalArgumentException("a route needs at least one target");
    }
    List<Target> parsed = new ArrayList<>(targets.length);
    for (String target : targets) {
      Objects.requireNonNull(target, "a route target is null");
      Target t;
      try {
        t = Target.parse(target);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("route target must be 'provider/model', was '" + target + "'", e);
      }
      if (parsed.contains(t)) {
        throw new IllegalArgumentException("route target '" + target + "' is listed twice");
      }
      parsed.add(t);
    }
    return new Route(parsed);
  }

  /** The candidate targets, in the order they are tried. */
  public List<Target> targets() {
    return targets;
  }

  @Override
  public String toString() {
    return "fallback" + targets;
  }
}
