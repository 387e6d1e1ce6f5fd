package dev.aigw.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.Capability;
import dev.aigw.core.pricing.Prices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The catalog shipped in the jar: it loads, it is sorted, and it has the models people use. */
class ShippedCatalogTest {
  private final ModelCatalog defaults = ModelCatalog.defaults();

  @Test
  void isParsedOnceAndShared() {
    assertThat(ModelCatalog.defaults()).isSameAs(defaults);
  }

  @Test
  void holdsEveryRowOfTheFileForAllFourProviders() throws IOException {
    List<String> lines = shippedLines();

    assertThat(lines.get(0)).startsWith("#").contains("SOURCES.md");
    assertThat(lines.get(1)).isEqualTo(String.join(",", ModelCatalog.COLUMNS));
    assertThat(defaults.size()).isEqualTo(lines.size() - 2).isGreaterThan(200);
    assertThat(defaults.models()).extracting(ModelInfo::provider).containsOnly(
        "openai", "azure.ai.openai", "anthropic", "gcp.gemini");
  }

  @Test
  void rowsAreSortedByProviderThenModelSoDiffsAreStable() throws IOException {
    List<String> keys = new ArrayList<>();
    for (String line : shippedLines().subList(2, shippedLines().size())) {
      String[] f = line.split(",", -1);
      keys.add(f[0] + "\u0000" + f[1]);
    }
    assertThat(keys).isSorted().doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "{0}/{1}")
  @CsvSource({
    "openai, gpt-4o",
    "openai, gpt-4o-mini",
    "openai, gpt-4.1",
    "openai, o3-mini",
    "openai, o3",
    "openai, o4-mini",
    "openai, gpt-5",
    "openai, gpt-5-mini",
    "anthropic, claude-3-5-haiku-latest",
    "anthropic, claude-haiku-4-5",
    "anthropic, claude-sonnet-4-5",
    "anthropic, claude-sonnet-4-6",
    "anthropic, claude-opus-4-6",
    "gcp.gemini, gemini-2.5-pro",
    "gcp.gemini, gemini-2.5-flash",
    "azure.ai.openai, gpt-4o",
    "azure.ai.openai, gpt-5",
  })
  void coversTheCommonModelsWithPricesAndWindows(String provider, String model) {
    ModelInfo info = defaults.find(provider, model).orElseThrow();

    assertThat(info.prices()).isPresent();
    assertThat(info.contextWindow()).isPresent();
    assertThat(info.maxOutputTokens()).isPresent();
    assertThat(info.has(Capability.TOOLS)).isTrue();
  }

  @Test
  void derivedRegionalAndUnpricedEntriesAreAbsent() {
    assertThat(defaults.find("azure.ai.openai", "eu/gpt-4o-2024-08-06")).isEmpty();
    assertThat(defaults.find("openai", "container")).isEmpty();
    assertThat(defaults.find("openai", "text-embedding-3-small")).isEmpty();
  }

  @Test
  void capabilitiesComeFromTheSupportsFlags() {
    ModelInfo gpt4o = defaults.find("openai", "gpt-4o").orElseThrow();
    assertThat(gpt4o.capabilities()).containsExactly(Capability.TOOLS, Capability.VISION, Capability.JSON_SCHEMA);
    ModelInfo o3mini = defaults.find("openai", "o3-mini").orElseThrow();
    assertThat(o3mini.has(Capability.REASONING)).isTrue();
    assertThat(o3mini.has(Capability.VISION)).isFalse();
  }

  @Test
  void windowsComeFromMaxInputAndMaxOutputTokens() {
    ModelInfo gpt4o = defaults.find("openai", "gpt-4o").orElseThrow();
    assertThat(gpt4o.contextWindow()).hasValue(128_000);
    assertThat(gpt4o.maxOutputTokens()).hasValue(16_384);
    assertThat(defaults.find("gcp.gemini", "gemini-2.5-pro").orElseThrow().contextWindow()).hasValue(1_048_576);
  }

  @Test
  void longContextTiersAreLoaded() {
    Prices pro = defaults.find("gcp.gemini", "gemini-2.5-pro").orElseThrow().prices().orElseThrow();
    assertThat(pro.tierThreshold()).hasValue(200_000);
    assertThat(pro.tier().orElseThrow().input()).isEqualByComparingTo("0.0000025");
    Prices flash15 = defaults.find("gcp.gemini", "gemini-1.5-flash-001").orElseThrow().prices().orElseThrow();
    assertThat(flash15.tierThreshold()).hasValue(128_000);
    // No cache_read_input_token_cost_above_128k_tokens in the source: the base cache-read price stands.
    assertThat(flash15.tier().orElseThrow().cacheRead()).isEqualByComparingTo("0.00000001875");
  }

  @Test
  void geminiResourceNamesAreFound() {
    assertThat(defaults.find("gcp.gemini", "models/gemini-2.5-flash"))
        .isEqualTo(defaults.find("gcp.gemini", "gemini-2.5-flash"));
  }

  @Test
  void editingACopyLeavesTheDefaultsUnchanged() {
    int size = defaults.size();
    ModelInfo original = defaults.find("openai", "gpt-4o").orElseThrow();

    ModelCatalog edited = defaults.toBuilder()
        .model(original.toBuilder().prices(Prices.perMillionTokens("1", "1")).build())
        .remove("openai", "gpt-4o-mini")
        .alias("azure.ai.openai", "prod-4o", "azure.ai.openai", "gpt-4o")
        .build();

    assertThat(edited.find("openai", "gpt-4o").orElseThrow().prices()).hasValue(Prices.perMillionTokens("1", "1"));
    assertThat(edited.find("azure.ai.openai", "prod-4o")).isPresent();
    assertThat(edited.size()).isEqualTo(size);
    assertThat(ModelCatalog.defaults().size()).isEqualTo(size);
    assertThat(ModelCatalog.defaults().find("openai", "gpt-4o")).containsSame(original);
    assertThat(ModelCatalog.defaults().find("openai", "gpt-4o-mini")).isPresent();
    assertThat(ModelCatalog.defaults().find("azure.ai.openai", "prod-4o")).isEmpty();
  }

  static List<String> shippedLines() throws IOException {
    try (InputStream in = ModelCatalog.class.getResourceAsStream(ModelCatalog.RESOURCE)) {
      String text = new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().toList();
    }
  }
}
