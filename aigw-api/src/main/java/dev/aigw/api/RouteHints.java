package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Per-call adjustments to routing: providers to avoid, and targets to try first when they are
 * among the route's candidates. Hints never add a target a route does not have.
 *
 * @param excludedProviders provider ids whose targets are skipped
 * @param preferredTargets targets moved to the front of the candidates, in this order
 */
public record RouteHints(Set<String> excludedProviders, List<Target> preferredTargets) {
  private static final RouteHints NONE = new RouteHints(Set.of(), List.of());

  /** @throws InvalidRequestException when a field or element is null */
  public RouteHints {
    for (String provider : Require.nonNull(excludedProviders, "routeHints.excludedProviders")) {
      Require.nonBlank(provider, "routeHints.excludedProviders[]");
    }
    excludedProviders = Set.copyOf(excludedProviders);
    preferredTargets = Require.elements(preferredTargets, "routeHints.preferredTargets");
  }

  /** No hints. */
  public static RouteHints none() {
    return NONE;
  }

  /** Hints that skip the targets of {@code providers}. */
  public static RouteHints excluding(String... providers) {
    return new RouteHints(new LinkedHashSet<>(Require.elements(java.util.Arrays.asList(Require.nonNull(providers, "providers")), "routeHints.excludedProviders")), List.of());
  }

  /** Hints that try {@code targets} first ({@code "provider/model"}). */
  public static RouteHints preferring(String... targets) {
    return new RouteHints(Set.of(), Require.elements(java.util.Arrays.asList(Require.nonNull(targets, "targets")), "routeHints.preferredTargets").stream().map(Target::parse).toList());
  }

  /** Whether these hints change nothing. */
  public boolean isEmpty() {
    return excludedProviders.isEmpty() && preferredTargets.isEmpty();
  }
}
