package dev.aigw.core.access;

import dev.aigw.api.Target;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one tenant may use. Each set restricts when non-empty and allows everything when empty:
 * the models it may request (route aliases or {@code "provider/model"}), the targets and providers
 * its calls may reach (also as fallbacks), and the regions those providers must be tagged with.
 */
public final class TenantAccess {
  private static final TenantAccess ALL = new Builder().build();
  private static final TenantAccess NONE = new TenantAccess(new Builder(), true);

  private final Set<String> models;
  private final Set<Target> targets;
  private final Set<String> providers;
  private final Set<String> regions;
  private final boolean nothing;

  private TenantAccess(Builder b) {
    this(b, false);
  }

  private TenantAccess(Builder b, boolean nothing) {
    this.nothing = nothing;
    this.models = Set.copyOf(b.models);
    this.targets = Set.copyOf(b.targets);
    this.providers = Set.copyOf(b.providers);
    this.regions = Set.copyOf(b.regions);
  }

  /**
   * Everything allowed.
   *
   * @return access to everything
   */
  public static TenantAccess allowAll() {
    return ALL;
  }

  /**
   * Nothing allowed: every call is denied.
   *
   * @return access to nothing
   */
  public static TenantAccess denyAll() {
    return NONE;
  }

  /** {@return a builder allowing everything until restricted} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return whether nothing at all is allowed ({@link #denyAll()})} */
  public boolean deniesAll() {
    return nothing;
  }

  /** {@return the models it may request; empty: any} */
  public Set<String> models() {
    return models;
  }

  /** {@return the targets its calls may reach; empty: any} */
  public Set<Target> targets() {
    return targets;
  }

  /** {@return the providers its calls may reach; empty: any} */
  public Set<String> providers() {
    return providers;
  }

  /** {@return the regions its calls must stay in; empty: any} */
  public Set<String> regions() {
    return regions;
  }

  @Override
  public String toString() {
    if (this == NONE) {
      return "TenantAccess[none]";
    }
    return "TenantAccess[models=" + models + ", targets=" + targets + ", providers=" + providers + ", regions=" + regions + "]";
  }

  /** Builds a {@link TenantAccess}; each call adds to its set. */
  public static final class Builder {
    private final Set<String> models = new LinkedHashSet<>();
    private final Set<Target> targets = new LinkedHashSet<>();
    private final Set<String> providers = new LinkedHashSet<>();
    private final Set<String> regions = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Models (route aliases or {@code "provider/model"}) it may request.
     *
     * @param models models (route aliases or {@code "provider/model"}) it may request
     * @return this builder
     * @throws IllegalArgumentException when one is blank
     */
    public Builder models(String... models) {
      this.models.addAll(AccessPolicy.copy(models));
      return this;
    }

    /**
     * Targets ({@code "provider/model"}) its calls may reach.
     *
     * @param targets targets ({@code "provider/model"}) its calls may reach
     * @return this builder
     * @throws IllegalArgumentException when one is not {@code provider/model}
     */
    public Builder targets(String... targets) {
      for (String t : Objects.requireNonNull(targets, "targets")) {
        this.targets.add(Target.parse(t));
      }
      return this;
    }

    /**
     * Providers (ids) its calls may reach.
     *
     * @param providers providers (ids) its calls may reach
     * @return this builder
     * @throws IllegalArgumentException when one is blank
     */
    public Builder providers(String... providers) {
      this.providers.addAll(AccessPolicy.copy(providers));
      return this;
    }

    /**
     * Regions its calls must stay in.
     *
     * @param regions regions its calls must stay in
     * @return this builder
     * @throws IllegalArgumentException when one is blank
     */
    public Builder regions(String... regions) {
      this.regions.addAll(AccessPolicy.copy(regions));
      return this;
    }

    /**
     * Builds the access.
     *
     * @return the new {@code TenantAccess}
     */
    public TenantAccess build() {
      return new TenantAccess(this);
    }
  }
}
