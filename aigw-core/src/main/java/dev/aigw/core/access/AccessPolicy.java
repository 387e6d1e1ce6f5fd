package dev.aigw.core.access;

import dev.aigw.api.CallContext;
import dev.aigw.api.Target;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which tenants may use which models, targets, providers and regions. Each tenant has a {@link
 * TenantAccess}; tenants without one, and calls without a tenant, get the {@linkplain
 * Builder#defaultAccess default}, which allows everything unless set.
 *
 * <pre>{@code
 * AccessPolicy policy = AccessPolicy.builder()
 *     .providerRegion("azure-eu", "eu")
 *     .providerRegion("openai", "us")
 *     .tenant("acme", TenantAccess.builder().models("chat", "cheap").regions("eu").build())
 *     .defaultAccess(TenantAccess.denyAll())
 *     .build();
 * }</pre>
 *
 * <p>The gateway checks a call before its guardrails, cache and budgets (only conversation memory
 * and the application interceptors run earlier): a model the tenant may not request, or a route
 * none of whose targets it may use, fails with {@link
 * dev.aigw.api.AccessDeniedException} before any provider call. The router then skips the targets
 * the tenant may not use, so a fallback never leaves the allowed providers or regions.
 */
public final class AccessPolicy {
  private final Map<String, TenantAccess> tenants;
  private final TenantAccess defaultAccess;
  private final Map<String, String> regions;

  private AccessPolicy(Builder b) {
    this.tenants = Map.copyOf(b.tenants);
    this.defaultAccess = b.defaultAccess;
    this.regions = Map.copyOf(b.regions);
  }

  /** {@return a builder: no tenants, the default allowing everything, no provider regions} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return the access of the call's tenant (the default for calls without a tenant or with an
   * unlisted one)}
   *
   * @param context the call's context
   */
  public TenantAccess accessOf(CallContext context) {
    String tenant = context.tenant().orElse(null);
    TenantAccess access = tenant == null ? null : tenants.get(tenant);
    return access != null ? access : defaultAccess;
  }

  /**
   * {@return the region a provider is tagged with}
   *
   * @param provider a provider id
   */
  public Optional<String> regionOf(String provider) {
    return Optional.ofNullable(regions.get(provider));
  }

  /** {@return the providers tagged with a region} */
  public Set<String> taggedProviders() {
    return regions.keySet();
  }

  /**
   * {@return why the call's tenant may not request {@code model} (a route alias or {@code
   * "provider/model"}); empty when it may}
   *
   * @param model a route alias or {@code "provider/model"}
   * @param context the call's context, which names the tenant
   */
  public Optional<String> checkModel(String model, CallContext context) {
    TenantAccess access = accessOf(context);
    if (access.deniesAll()) {
      return Optional.of(who(context) + " may not use any model");
    }
    if (!access.models().isEmpty() && !access.models().contains(model)) {
      return Optional.of(who(context) + " may not use model '" + model + "'");
    }
    return Optional.empty();
  }

  /**
   * {@return why the call's tenant may not use {@code target}; empty when it may}
   *
   * @param target the target
   * @param context the call's context, which names the tenant
   */
  public Optional<String> checkTarget(Target target, CallContext context) {
    TenantAccess access = accessOf(context);
    if (access.deniesAll()) {
      return Optional.of(who(context) + " may not use any target");
    }
    if (!access.providers().isEmpty() && !access.providers().contains(target.provider())) {
      return Optional.of(who(context) + " may not use provider '" + target.provider() + "'");
    }
    if (!access.targets().isEmpty() && !access.targets().contains(target)) {
      return Optional.of(who(context) + " may not use target '" + target + "'");
    }
    if (!access.regions().isEmpty()) {
      String region = regions.get(target.provider());
      if (region == null || !access.regions().contains(region)) {
        return Optional.of(who(context) + " is kept to regions " + access.regions() + " and provider '" + target.provider()
            + "' is " + (region == null ? "not tagged with a region" : "in region '" + region + "'"));
      }
    }
    return Optional.empty();
  }

  private static String who(CallContext context) {
    return context.tenant().map(t -> "tenant '" + t + "'").orElse("a call without a tenant");
  }

  @Override
  public String toString() {
    return "AccessPolicy[tenants=" + tenants.keySet() + ", default=" + defaultAccess + ", regions=" + regions + "]";
  }

  /** Builds an {@link AccessPolicy}; each setter checks its argument at once. */
  public static final class Builder {
    private final Map<String, TenantAccess> tenants = new LinkedHashMap<>();
    private TenantAccess defaultAccess = TenantAccess.allowAll();
    private final Map<String, String> regions = new LinkedHashMap<>();

    private Builder() {}

    /**
     * What {@code tenant} may use.
     *
     * @param tenant the tenant id
     * @param access what it may use
     * @return this builder
     * @throws IllegalArgumentException when the tenant is blank or already set
     */
    public Builder tenant(String tenant, TenantAccess access) {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(access, "access");
      if (tenant.isBlank()) {
        throw new IllegalArgumentException("tenant must not be blank");
      }
      if (tenants.putIfAbsent(tenant, access) != null) {
        throw new IllegalArgumentException("access for tenant '" + tenant + "' is set twice");
      }
      return this;
    }

    /**
     * What unlisted tenants and calls without a tenant may use; {@link TenantAccess#allowAll()} by
     * default.
     *
     * @param access what they may use
     * @return this builder
     */
    public Builder defaultAccess(TenantAccess access) {
      this.defaultAccess = Objects.requireNonNull(access, "access");
      return this;
    }

    /**
     * Tags a provider (by its id) with the region its calls are served in, for tenants kept to
     * regions. A provider without a region is outside every region.
     *
     * @param provider the provider's id
     * @param region the region, for example {@code "eu"}
     * @return this builder
     * @throws IllegalArgumentException when the provider or region is blank, or the provider is tagged twice
     */
    public Builder providerRegion(String provider, String region) {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(region, "region");
      if (provider.isBlank() || region.isBlank()) {
        throw new IllegalArgumentException("provider and region must not be blank");
      }
      @Nullable String before = regions.putIfAbsent(provider, region);
      if (before != null) {
        throw new IllegalArgumentException("provider '" + provider + "' is tagged twice ('" + before + "', '" + region + "')");
      }
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the new {@code AccessPolicy}
     */
    public AccessPolicy build() {
      return new AccessPolicy(this);
    }
  }

  /** Convenience for {@link TenantAccess} sets. */
  static Set<String> copy(String... values) {
    Set<String> set = new LinkedHashSet<>();
    for (String v : values) {
      if (Objects.requireNonNull(v, "value").isBlank()) {
        throw new IllegalArgumentException("values must not be blank");
      }
      set.add(v);
    }
    return Set.copyOf(set);
  }
}
