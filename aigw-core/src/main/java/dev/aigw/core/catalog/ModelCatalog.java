package dev.aigw.core.catalog;

import dev.aigw.api.Capability;
import dev.aigw.core.pricing.Prices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Models by provider and name: context windows, output limits, capabilities and prices.
 *
 * <p>{@link #defaults()} is the catalog shipped in this jar, derived from LiteLLM's public price
 * table ({@code model_prices_and_context_window.json}, MIT) for the providers {@code openai},
 * {@code azure.ai.openai}, {@code anthropic} and {@code gcp.gemini}; the resource {@code
 * dev/aigw/core/catalog/SOURCES.md} records the source commit and the derivation rules. Prices
 * change more often than this library is released, so override them in code:
 *
 * <pre>{@code
 * ModelCatalog catalog = ModelCatalog.defaults().toBuilder()
 *     .model(ModelInfo.builder("openai", "gpt-4o")
 *         .contextWindow(128_000)
 *         .prices(Prices.perMillionTokens("2.50", "10.00"))
 *         .build())                                               // replaces the shipped entry
 *     .alias("azure.ai.openai", "my-deployment", "azure.ai.openai", "gpt-4o")   // a deployment name
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; a builder copies what it starts from, so editing
 * {@code defaults().toBuilder()} never changes {@code defaults()}.
 */
public final class ModelCatalog {
  /** The shipped catalog's resource name, next to this class. */
  static final String RESOURCE = "models.csv";

  /** The columns of the CSV format, in order. */
  static final List<String> COLUMNS = List.of(
      "provider", "model", "context_window", "max_output_tokens", "capabilities",
      "input", "output", "cache_read", "cache_write", "reasoning",
      "tier_threshold", "tier_input", "tier_output", "tier_cache_read", "tier_cache_write");

  private static final Comparator<ModelInfo> ORDER =
      Comparator.comparing(ModelInfo::provider).thenComparing(ModelInfo::model);
  private static final ModelCatalog EMPTY = new ModelCatalog(Map.of());
  private static final String MODELS_PREFIX = "models/";

  private final Map<Key, ModelInfo> byKey;
  private final List<ModelInfo> models;

  private ModelCatalog(Map<Key, ModelInfo> byKey) {
    this.byKey = Map.copyOf(byKey);
    List<ModelInfo> sorted = new ArrayList<>(byKey.values());
    sorted.sort(ORDER);
    this.models = List.copyOf(sorted);
  }

  /**
   * The catalog shipped in this jar ({@code dev/aigw/core/catalog/models.csv}), parsed on first
   * use and shared afterwards.
   *
   * @return the shipped catalog
   * @throws IllegalStateException when the shipped file is missing or malformed (the message
   *     gives the line number); every call throws again
   */
  public static ModelCatalog defaults() {
    if (Defaults.FAILURE != null) {
      throw new IllegalStateException(Defaults.FAILURE.getMessage(), Defaults.FAILURE);
    }
    return Objects.requireNonNull(Defaults.INSTANCE);
  }

  /** {@return a catalog with no models} */
  public static ModelCatalog empty() {
    return EMPTY;
  }

  /** {@return a builder for a catalog that starts empty} */
  public static Builder builder() {
    return new Builder(Map.of());
  }

  /**
   * {@return a builder that starts from every model of this catalog; building it leaves this one
   * unchanged}
   */
  public Builder toBuilder() {
    return new Builder(byKey);
  }

  /**
   * The model {@code model} of {@code provider}. Looks up the exact key first; then, when
   * {@code model} is a Gemini-style resource name that starts with {@code "models/"}, the name
   * without that prefix ({@code "models/gemini-2.5-pro"} finds {@code "gemini-2.5-pro"}).
   * Names are case-sensitive.
   *
   * @param provider the provider, as in {@code gen_ai.provider.name}
   * @param model the model name
   * @return the model, or empty when the catalog does not know it
   * @throws NullPointerException when an argument is null (the message names it)
   */
  public Optional<ModelInfo> find(String provider, String model) {
    Objects.requireNonNull(provider, "provider must not be null");
    Objects.requireNonNull(model, "model must not be null");
    ModelInfo info = byKey.get(new Key(provider, model));
    if (info == null && model.startsWith(MODELS_PREFIX)) {
      info = byKey.get(new Key(provider, model.substring(MODELS_PREFIX.length())));
    }
    return Optional.ofNullable(info);
  }

  /** {@return every model, sorted by provider and then model name; unmodifiable} */
  public Collection<ModelInfo> models() {
    return models;
  }

  /** {@return how many models the catalog holds} */
  public int size() {
    return models.size();
  }

  /** For example {@code "ModelCatalog[314 models]"}. */
  @Override
  public String toString() {
    return "ModelCatalog[" + models.size() + " models]";
  }

  /**
   * Builds a {@link ModelCatalog}. Later calls win: {@link #model} replaces an entry with the
   * same provider and model. A builder is not thread-safe; {@link #build()} may be called more
   * than once.
   */
  public static final class Builder {
    private final Map<Key, ModelInfo> byKey;

    private Builder(Map<Key, ModelInfo> start) {
      this.byKey = new HashMap<>(start);
    }

    /**
     * Adds {@code model}, or replaces the entry with the same provider and model.
     *
     * @param model the model to add
     * @return this builder
     * @throws NullPointerException when {@code model} is null
     */
    public Builder model(ModelInfo model) {
      Objects.requireNonNull(model, "model must not be null");
      byKey.put(new Key(model.provider(), model.model()), model);
      return this;
    }

    /**
     * Copies the entry {@code ofProvider}/{@code ofModel}, as it is now, under the key {@code
     * provider}/{@code model} (adding or replacing that entry), for example to make an Azure
     * deployment name known under its underlying model's entry. Later changes to the source do
     * not affect the copy.
     *
     * @param provider the new entry's provider
     * @param model the new entry's model name
     * @param ofProvider the provider of the entry to copy
     * @param ofModel the model name of the entry to copy
     * @return this builder
     * @throws NullPointerException when an argument is null (the message names it)
     * @throws IllegalArgumentException when {@code provider} or {@code model} is blank, or there
     *     is no entry {@code ofProvider}/{@code ofModel} in this builder
     */
    public Builder alias(String provider, String model, String ofProvider, String ofModel) {
      Objects.requireNonNull(provider, "provider must not be null");
      Objects.requireNonNull(model, "model must not be null");
      Objects.requireNonNull(ofProvider, "ofProvider must not be null");
      Objects.requireNonNull(ofModel, "ofModel must not be null");
      ModelInfo source = byKey.get(new Key(ofProvider, ofModel));
      if (source == null) {
        throw new IllegalArgumentException(
            "ofProvider/ofModel '" + ofProvider + "/" + ofModel + "' is not in the catalog");
      }
      return model(source.toBuilder().provider(provider).model(model).build());
    }

    /**
     * Removes the entry {@code provider}/{@code model}; does nothing when there is none (so the
     * call keeps working when a later shipped catalog drops the model).
     *
     * @param provider the provider of the entry to remove
     * @param model the model name of the entry to remove
     * @return this builder
     * @throws NullPointerException when an argument is null (the message names it)
     */
    public Builder remove(String provider, String model) {
      Objects.requireNonNull(provider, "provider must not be null");
      Objects.requireNonNull(model, "model must not be null");
      byKey.remove(new Key(provider, model));
      return this;
    }

    /**
     * The catalog.
     *
     * @return the new {@code ModelCatalog}
     */
    public ModelCatalog build() {
      return byKey.isEmpty() ? EMPTY : new ModelCatalog(byKey);
    }
  }

  private record Key(String provider, String model) {}

  /** The shipped catalog, loaded when first asked for; a failure is kept and reported on every call. */
  private static final class Defaults {
    static final @Nullable ModelCatalog INSTANCE;
    static final @Nullable RuntimeException FAILURE;

    static {
      ModelCatalog catalog = null;
      RuntimeException failure = null;
      try {
        catalog = load();
      } catch (RuntimeException e) {
        failure = e;
      }
      INSTANCE = catalog;
      FAILURE = failure;
    }

    private static ModelCatalog load() {
      try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("the shipped model catalog dev/aigw/core/catalog/" + RESOURCE + " is missing");
        }
        return parse(in, RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the shipped model catalog " + RESOURCE, e);
      }
    }
  }

  // --- The CSV format: see SOURCES.md. A tiny reader, no quoting, no Jackson at runtime. ---

  /**
   * Parses the catalog CSV format: UTF-8; lines starting with {@code '#'} and blank lines are
   * skipped; the first other line is the header {@link #COLUMNS}; every further line is one model
   * with exactly those columns, separated by commas, unquoted (a field holds no comma or quote);
   * an empty field means "not given". Capabilities are lower-case {@link Capability} names
   * joined by {@code '|'}. Prices are decimal USD per token; input and output come together or
   * not at all. A tier needs its threshold and input price; an empty tier output, cache-read or
   * cache-write price takes the row's base price of that kind when the row gives one (else the
   * tier's own default), and the tier's reasoning price is the row's reasoning price when given.
   * That mirrors how LiteLLM prices calls above a threshold.
   *
   * @throws IllegalStateException when the content is malformed; the message names {@code source}
   *     and the line number
   */
  static ModelCatalog parse(InputStream in, String source) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    Map<Key, ModelInfo> byKey = new HashMap<>();
    boolean header = false;
    int lineNumber = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      try {
        if (!header) {
          if (!line.strip().equals(String.join(",", COLUMNS))) {
            throw new IllegalArgumentException("expected the header '" + String.join(",", COLUMNS) + "'");
          }
          header = true;
          continue;
        }
        ModelInfo info = row(split(line));
        if (byKey.putIfAbsent(new Key(info.provider(), info.model()), info) != null) {
          throw new IllegalArgumentException("duplicate model " + info.provider() + "/" + info.model());
        }
      } catch (RuntimeException e) {
        throw new IllegalStateException(source + " line " + lineNumber + ": " + e.getMessage(), e);
      }
    }
    if (!header) {
      throw new IllegalStateException(source + ": no header line");
    }
    return new ModelCatalog(byKey);
  }

  private static List<String> split(String line) {
    if (line.indexOf('"') >= 0) {
      throw new IllegalArgumentException("quotes are not supported");
    }
    String[] parts = line.split(",", -1);
    if (parts.length != COLUMNS.size()) {
      throw new IllegalArgumentException("expected " + COLUMNS.size() + " fields, found " + parts.length);
    }
    List<String> fields = new ArrayList<>(parts.length);
    for (String part : parts) {
      fields.add(part.strip());
    }
    return fields;
  }

  private static ModelInfo row(List<String> f) {
    ModelInfo.Builder b = ModelInfo.builder(f.get(0), f.get(1));
    if (!f.get(2).isEmpty()) {
      b.contextWindow(integer(f.get(2), "context_window"));
    }
    if (!f.get(3).isEmpty()) {
      b.maxOutputTokens(integer(f.get(3), "max_output_tokens"));
    }
    b.capabilities(capabilities(f.get(4)));
    @Nullable BigDecimal input = decimal(f.get(5), "input");
    @Nullable BigDecimal output = decimal(f.get(6), "output");
    @Nullable BigDecimal cacheRead = decimal(f.get(7), "cache_read");
    @Nullable BigDecimal cacheWrite = decimal(f.get(8), "cache_write");
    @Nullable BigDecimal reasoning = decimal(f.get(9), "reasoning");
    @Nullable BigDecimal tierThreshold = decimal(f.get(10), "tier_threshold");
    @Nullable BigDecimal tierInput = decimal(f.get(11), "tier_input");
    @Nullable BigDecimal tierOutput = decimal(f.get(12), "tier_output");
    @Nullable BigDecimal tierCacheRead = decimal(f.get(13), "tier_cache_read");
    @Nullable BigDecimal tierCacheWrite = decimal(f.get(14), "tier_cache_write");
    if (input == null || output == null) {
      for (int i = 5; i < f.size(); i++) {
        if (!f.get(i).isEmpty()) {
          throw new IllegalArgumentException("input and output prices are required when " + COLUMNS.get(i) + " is given");
        }
      }
      return b.build();
    }
    Prices.Builder p = Prices.builder().input(input).output(output);
    if (cacheRead != null) {
      p.cacheRead(cacheRead);
    }
    if (cacheWrite != null) {
      p.cacheWrite(cacheWrite);
    }
    if (reasoning != null) {
      p.reasoning(reasoning);
    }
    if (tierThreshold != null || tierInput != null || tierOutput != null || tierCacheRead != null || tierCacheWrite != null) {
      if (tierThreshold == null || tierInput == null) {
        throw new IllegalArgumentException("a tier needs tier_threshold and tier_input");
      }
      long threshold;
      try {
        threshold = tierThreshold.longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("tier_threshold must be a whole number, was '" + f.get(10) + "'", e);
      }
      Prices.Builder t = Prices.builder()
          .input(tierInput)
          .output(tierOutput != null ? tierOutput : output);
      @Nullable BigDecimal tRead = tierCacheRead != null ? tierCacheRead : cacheRead;
      @Nullable BigDecimal tWrite = tierCacheWrite != null ? tierCacheWrite : cacheWrite;
      if (tRead != null) {
        t.cacheRead(tRead);
      }
      if (tWrite != null) {
        t.cacheWrite(tWrite);
      }
      if (reasoning != null) {
        t.reasoning(reasoning);
      }
      p.tier(threshold, t.build());
    }
    return b.prices(p.build()).build();
  }

  private static int integer(String value, String column) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(column + " must be a whole number, was '" + value + "'", e);
    }
  }

  private static @Nullable BigDecimal decimal(String value, String column) {
    if (value.isEmpty()) {
      return null;
    }
    try {
      return new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(column + " must be a decimal number, was '" + value + "'", e);
    }
  }

  private static EnumSet<Capability> capabilities(String value) {
    EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
    if (value.isEmpty()) {
      return set;
    }
    for (String name : value.split("\\|", -1)) {
      try {
        set.add(Capability.valueOf(name.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown capability '" + name + "'", e);
      }
    }
    return set;
  }
}
