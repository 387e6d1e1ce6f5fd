package dev.aigw.core.catalog;

import dev.aigw.api.Capability;
import dev.aigw.core.pricing.Prices;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the catalog knows about one model: its key (provider and model name), how many tokens it
 * takes in and gives out, what it can do and what it costs. Everything but the key is optional.
 *
 * <p>The provider is the OpenTelemetry {@code gen_ai.provider.name} the provider client reports
 * ({@code openai}, {@code azure.ai.openai}, {@code anthropic}, {@code gcp.gemini}, …); the model
 * is the name the provider is called with (for Azure, a deployment name).
 *
 * <p>Instances are immutable and thread-safe; equal when every field is equal.
 */
public final class ModelInfo {
  private final String provider;
  private final String model;
  private final int contextWindow;
  private final int maxOutputTokens;
  private final Set<Capability> capabilities;
  private final @Nullable Prices prices;

  private ModelInfo(Builder b) {
    this.provider = b.provider;
    this.model = b.model;
    this.contextWindow = b.contextWindow;
    this.maxOutputTokens = b.maxOutputTokens;
    this.capabilities = Collections.unmodifiableSet(EnumSet.copyOf(b.capabilities));
    this.prices = b.prices;
  }

  /**
   * A builder for the model {@code model} of {@code provider}; no window, output limit,
   * capabilities or prices until set.
   *
   * @param provider the provider, as in {@code gen_ai.provider.name}, e.g. {@code "openai"}
   * @param model the model name, e.g. {@code "gpt-4o"}
   * @return a new builder
   * @throws NullPointerException when an argument is null (the message names it)
   * @throws IllegalArgumentException when an argument is blank (the message names it)
   */
  public static Builder builder(String provider, String model) {
    return new Builder().provider(provider).model(model);
  }

  /** {@return the provider, as in {@code gen_ai.provider.name}, e.g. {@code "gcp.gemini"}} */
  public String provider() {
    return provider;
  }

  /** {@return the model name, e.g. {@code "gemini-2.5-pro"}} */
  public String model() {
    return model;
  }

  /**
   * {@return the most input (prompt) tokens the model accepts in one call; empty when unknown}
   * Taken from LiteLLM's {@code max_input_tokens} for the shipped models, so for models whose
   * provider counts output against a shared window (such as gpt-5: 272,000 in + 128,000 out) this
   * is the input share, not the total.
   */
  public OptionalInt contextWindow() {
    return contextWindow == 0 ? OptionalInt.empty() : OptionalInt.of(contextWindow);
  }

  /** {@return the most tokens the model generates in one call; empty when unknown} */
  public OptionalInt maxOutputTokens() {
    return maxOutputTokens == 0 ? OptionalInt.empty() : OptionalInt.of(maxOutputTokens);
  }

  /**
   * {@return what the model can do beyond plain text in, text out; unmodifiable, possibly empty}
   */
  public Set<Capability> capabilities() {
    return capabilities;
  }

  /**
   * {@return whether the model has {@code capability}}
   *
   * @param capability the capability
   * @throws NullPointerException when {@code capability} is null
   */
  public boolean has(Capability capability) {
    return capabilities.contains(Objects.requireNonNull(capability, "capability must not be null"));
  }

  /** {@return what the model costs per token; empty when unknown} */
  public Optional<Prices> prices() {
    return Optional.ofNullable(prices);
  }

  /** {@return a builder that starts from every field of this model, to derive a changed copy} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.provider = provider;
    b.model = model;
    b.contextWindow = contextWindow;
    b.maxOutputTokens = maxOutputTokens;
    b.capabilities = EnumSet.noneOf(Capability.class);
    b.capabilities.addAll(capabilities);
    b.prices = prices;
    return b;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ModelInfo)) {
      return false;
    }
    ModelInfo m = (ModelInfo) o;
    return provider.equals(m.provider)
        && model.equals(m.model)
        && contextWindow == m.contextWindow
        && maxOutputTokens == m.maxOutputTokens
        && capabilities.equals(m.capabilities)
        && Objects.equals(prices, m.prices);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, model, contextWindow, maxOutputTokens, capabilities, prices);
  }

  /**
   * For example {@code "ModelInfo[openai/gpt-4o contextWindow=128000 maxOutputTokens=16384
   * capabilities=[TOOLS, VISION, JSON_SCHEMA] Prices[USD in=2.5/M out=10/M cacheRead=1.25/M]]"};
   * unknown fields are left out.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ModelInfo[").append(provider).append('/').append(model);
    if (contextWindow != 0) {
      s.append(" contextWindow=").append(contextWindow);
    }
    if (maxOutputTokens != 0) {
      s.append(" maxOutputTokens=").append(maxOutputTokens);
    }
    if (!capabilities.isEmpty()) {
      s.append(" capabilities=").append(capabilities);
    }
    if (prices != null) {
      s.append(' ').append(prices);
    }
    return s.append(']').toString();
  }

  /**
   * Builds {@link ModelInfo}. Each setter checks its argument at once and replaces any earlier
   * value. Defaults: no context window, no output limit, no capabilities, no prices. A builder is
   * not thread-safe; {@link #build()} may be called more than once.
   */
  public static final class Builder {
    private String provider = "";
    private String model = "";
    private int contextWindow;
    private int maxOutputTokens;
    private EnumSet<Capability> capabilities = EnumSet.noneOf(Capability.class);
    private @Nullable Prices prices;

    private Builder() {}

    /**
     * The provider, as in {@code gen_ai.provider.name}.
     *
     * @param provider the provider, as in {@code gen_ai.provider.name}
     * @return this builder
     * @throws NullPointerException when {@code provider} is null
     * @throws IllegalArgumentException when it is blank
     */
    public Builder provider(String provider) {
      this.provider = nonBlank(provider, "provider");
      return this;
    }

    /**
     * The model name.
     *
     * @param model the model name
     * @return this builder
     * @throws NullPointerException when {@code model} is null
     * @throws IllegalArgumentException when it is blank
     */
    public Builder model(String model) {
      this.model = nonBlank(model, "model");
      return this;
    }

    /**
     * The most input tokens the model accepts in one call (default: unknown).
     *
     * @param contextWindow the most input tokens the model accepts in one call (default: unknown)
     * @return this builder
     * @throws IllegalArgumentException when {@code contextWindow} is not positive
     */
    public Builder contextWindow(int contextWindow) {
      this.contextWindow = positive(contextWindow, "contextWindow");
      return this;
    }

    /**
     * The most tokens the model generates in one call (default: unknown).
     *
     * @param maxOutputTokens the most tokens the model generates in one call (default: unknown)
     * @return this builder
     * @throws IllegalArgumentException when {@code maxOutputTokens} is not positive
     */
    public Builder maxOutputTokens(int maxOutputTokens) {
      this.maxOutputTokens = positive(maxOutputTokens, "maxOutputTokens");
      return this;
    }

    /**
     * What the model can do, replacing any earlier set (default: nothing beyond text). Repeats
     * are harmless.
     *
     * @param capabilities what the model can do, replacing any earlier set (default: nothing beyond
     *     text)
     * @return this builder
     * @throws NullPointerException when the array or an element is null (the message names it)
     */
    public Builder capabilities(Capability... capabilities) {
      Objects.requireNonNull(capabilities, "capabilities must not be null");
      EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
      for (int i = 0; i < capabilities.length; i++) {
        set.add(Objects.requireNonNull(capabilities[i], "capabilities[" + i + "] must not be null"));
      }
      this.capabilities = set;
      return this;
    }

    /**
     * What the model can do, replacing any earlier set (default: nothing beyond text).
     *
     * @param capabilities what the model can do, replacing any earlier set (default: nothing beyond
     *     text)
     * @return this builder
     * @throws NullPointerException when the set or an element is null (the message names it)
     */
    public Builder capabilities(Set<Capability> capabilities) {
      Objects.requireNonNull(capabilities, "capabilities must not be null");
      EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
      for (Capability c : capabilities) {
        set.add(Objects.requireNonNull(c, "capabilities must not contain null"));
      }
      this.capabilities = set;
      return this;
    }

    /**
     * What the model costs per token (default: unknown).
     *
     * @param prices what the model costs per token (default: unknown)
     * @return this builder
     * @throws NullPointerException when {@code prices} is null
     */
    public Builder prices(Prices prices) {
      this.prices = Objects.requireNonNull(prices, "prices must not be null");
      return this;
    }

    /**
     * The model information.
     *
     * @return the new {@code ModelInfo}
     */
    public ModelInfo build() {
      return new ModelInfo(this);
    }

    private static String nonBlank(@Nullable String value, String name) {
      Objects.requireNonNull(value, () -> name + " must not be null");
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
      }
      return value;
    }

    private static int positive(int value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
