package dev.aigw.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.Capability;
import dev.aigw.core.pricing.Prices;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
  private static final String HEADER = String.join(",", ModelCatalog.COLUMNS);

  private final ModelInfo gpt4o = ModelInfo.builder("openai", "gpt-4o")
      .contextWindow(128_000)
      .capabilities(Capability.TOOLS)
      .prices(Prices.perMillionTokens("2.50", "10"))
      .build();
  private final ModelInfo pro = ModelInfo.builder("gcp.gemini", "gemini-2.5-pro").contextWindow(1_048_576).build();
  private final ModelCatalog catalog = ModelCatalog.builder().model(gpt4o).model(pro).build();

  @Nested
  class Lookup {
    @Test
    void findsByExactProviderAndModel() {
      assertThat(catalog.find("openai", "gpt-4o")).containsSame(gpt4o);
      assertThat(catalog.size()).isEqualTo(2);
    }

    @Test
    void unknownModelOrProviderIsEmpty() {
      assertThat(catalog.find("openai", "gpt-99")).isEmpty();
      assertThat(catalog.find("anthropic", "gpt-4o")).isEmpty();
      assertThat(catalog.find("openai", "GPT-4o")).isEmpty();
      assertThat(ModelCatalog.empty().find("openai", "gpt-4o")).isEmpty();
    }

    @Test
    void aLeadingModelsPrefixIsDroppedWhenTheExactNameIsUnknown() {
      assertThat(catalog.find("gcp.gemini", "models/gemini-2.5-pro")).containsSame(pro);
      assertThat(catalog.find("gcp.gemini", "models/gemini-9")).isEmpty();
      // An exact entry that keeps the prefix wins.
      ModelInfo prefixed = ModelInfo.builder("gcp.gemini", "models/gemini-2.5-pro").build();
      assertThat(catalog.toBuilder().model(prefixed).build().find("gcp.gemini", "models/gemini-2.5-pro"))
          .containsSame(prefixed);
    }

    @Test
    void modelsAreSortedByProviderThenModelAndUnmodifiable() {
      ModelCatalog c = catalog.toBuilder().model(ModelInfo.builder("openai", "gpt-4.1").build()).build();

      assertThat(c.models()).extracting(m -> m.provider() + "/" + m.model())
          .containsExactly("gcp.gemini/gemini-2.5-pro", "openai/gpt-4.1", "openai/gpt-4o");
      assertThatThrownBy(() -> c.models().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyAndAnEmptyBuilderHoldNothing() {
      assertThat(ModelCatalog.empty().size()).isZero();
      assertThat(ModelCatalog.empty().models()).isEmpty();
      assertThat(ModelCatalog.builder().build().size()).isZero();
      assertThat(catalog).hasToString("ModelCatalog[2 models]");
    }
  }

  @Nested
  class Edits {
    @Test
    void aModelWithTheSameKeyReplacesTheEntry() {
      ModelInfo cheaper = gpt4o.toBuilder().prices(Prices.perMillionTokens("1", "4")).build();

      ModelCatalog edited = catalog.toBuilder().model(cheaper).build();

      assertThat(edited.size()).isEqualTo(2);
      assertThat(edited.find("openai", "gpt-4o")).containsSame(cheaper);
      assertThat(catalog.find("openai", "gpt-4o")).containsSame(gpt4o);
    }

    @Test
    void aModelWithANewKeyIsAdded() {
      ModelInfo local = ModelInfo.builder("vllm", "llama-3.1-8b").prices(Prices.perToken("0", "0")).build();

      ModelCatalog edited = catalog.toBuilder().model(local).build();

      assertThat(edited.size()).isEqualTo(3);
      assertThat(edited.find("vllm", "llama-3.1-8b")).containsSame(local);
      assertThat(catalog.size()).isEqualTo(2);
    }

    @Test
    void aliasCopiesAnEntryUnderANewKey() {
      ModelCatalog edited = catalog.toBuilder().alias("azure.ai.openai", "prod-4o", "openai", "gpt-4o").build();

      ModelInfo alias = edited.find("azure.ai.openai", "prod-4o").orElseThrow();
      assertThat(alias.provider()).isEqualTo("azure.ai.openai");
      assertThat(alias.model()).isEqualTo("prod-4o");
      assertThat(alias.toBuilder().provider("openai").model("gpt-4o").build()).isEqualTo(gpt4o);
      assertThat(edited.find("openai", "gpt-4o")).containsSame(gpt4o);
    }

    @Test
    void anAliasIsASnapshotOfItsSource() {
      ModelInfo changed = gpt4o.toBuilder().contextWindow(1_000).build();

      ModelCatalog edited = catalog.toBuilder().alias("openai", "my-4o", "openai", "gpt-4o").model(changed).build();

      assertThat(edited.find("openai", "my-4o").orElseThrow().contextWindow()).hasValue(128_000);
    }

    @Test
    void aliasOfAnUnknownSourceIsRejectedNamingIt() {
      assertThatThrownBy(() -> catalog.toBuilder().alias("azure.ai.openai", "x", "openai", "gpt-99"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ofProvider/ofModel")
          .hasMessageContaining("openai/gpt-99");
    }

    @Test
    void removeDropsTheEntryAndIgnoresUnknownKeys() {
      ModelCatalog edited = catalog.toBuilder().remove("openai", "gpt-4o").remove("openai", "gpt-99").build();

      assertThat(edited.find("openai", "gpt-4o")).isEmpty();
      assertThat(edited.size()).isEqualTo(1);
      assertThat(catalog.find("openai", "gpt-4o")).isPresent();
    }

    @Test
    void aBuilderCanBuildMoreThanOnceWithoutLeakingLaterEdits() {
      ModelCatalog.Builder b = ModelCatalog.builder().model(gpt4o);
      ModelCatalog first = b.build();
      b.model(pro);

      assertThat(first.size()).isEqualTo(1);
      assertThat(b.build().size()).isEqualTo(2);
    }

    @Test
    void validationMessagesNameTheBadArgument() {
      ModelCatalog.Builder b = catalog.toBuilder();
      assertThatThrownBy(() -> b.model(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("model");
      assertThatThrownBy(() -> b.alias(null, "x", "openai", "gpt-4o"))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("provider");
      assertThatThrownBy(() -> b.alias("openai", "x", "openai", null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("ofModel");
      assertThatThrownBy(() -> b.alias("openai", " ", "openai", "gpt-4o"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
      assertThatThrownBy(() -> b.remove("openai", null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("model");
      assertThatThrownBy(() -> catalog.find(null, "gpt-4o"))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("provider");
      assertThatThrownBy(() -> catalog.find("openai", null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("model");
    }
  }

  @Nested
  class CsvFormat {
    @Test
    void readsEveryColumn() throws IOException {
      ModelCatalog c = parse(
          "# a comment",
          HEADER,
          "",
          "anthropic,claude-x,200000,64000,tools|vision|json_schema|reasoning,0.000003,0.000015,0.0000003,0.00000375,0.00002,200000,0.000006,0.0000225,0.0000006,0.0000075",
          "openai,bare,,,,,,,,,,,,,");

      ModelInfo claude = c.find("anthropic", "claude-x").orElseThrow();
      assertThat(claude.contextWindow()).hasValue(200_000);
      assertThat(claude.maxOutputTokens()).hasValue(64_000);
      assertThat(claude.capabilities()).containsExactly(Capability.values());
      Prices p = claude.prices().orElseThrow();
      assertThat(p).isEqualTo(Prices.builder()
          .input("0.000003").output("0.000015").cacheRead("0.0000003").cacheWrite("0.00000375").reasoning("0.00002")
          .tier(200_000, Prices.builder()
              .input("0.000006").output("0.0000225").cacheRead("0.0000006").cacheWrite("0.0000075").reasoning("0.00002")
              .build())
          .build());
      assertThat(c.find("openai", "bare").orElseThrow()).isEqualTo(ModelInfo.builder("openai", "bare").build());
    }

    @Test
    void anEmptyTierPriceTakesTheRowsBasePriceOfThatKind() throws IOException {
      ModelCatalog c = parse(HEADER,
          "gcp.gemini,g,,,,0.000000075,0.0000003,0.00000001875,,,128000,0.00000015,,,",
          "gcp.gemini,h,,,,0.000001,0.000002,,,,128000,0.000003,0.000004,,");

      Prices g = c.find("gcp.gemini", "g").orElseThrow().prices().orElseThrow();
      Prices gTier = g.tier().orElseThrow();
      assertThat(gTier.output()).isEqualByComparingTo("0.0000003");
      assertThat(gTier.cacheRead()).isEqualByComparingTo("0.00000001875");
      assertThat(gTier.cacheWrite()).isEqualByComparingTo("0.00000015");
      Prices hTier = c.find("gcp.gemini", "h").orElseThrow().prices().orElseThrow().tier().orElseThrow();
      assertThat(hTier.cacheRead()).isEqualByComparingTo("0.000003");
      assertThat(hTier.reasoning()).isEqualByComparingTo("0.000004");
    }

    @Test
    void malformedContentFailsWithTheLineNumber() {
      String ok = "openai,gpt-4o,128000,16384,tools,0.0000025,0.00001,,,,,,,,";
      assertMalformed("line 3", "expected 15 fields", "# c", HEADER, "openai,gpt-4o,128000");
      assertMalformed("line 3", "context_window", HEADER, ok, "openai,x,12k,,,,,,,,,,,,");
      assertMalformed("line 2", "unknown capability 'telepathy'", HEADER, "openai,x,,,tools|telepathy,,,,,,,,,,");
      assertMalformed("line 2", "input must be a decimal number", HEADER, "openai,x,,,,abc,1,,,,,,,,");
      assertMalformed("line 2", "input must not be negative", HEADER, "openai,x,,,,-1,1,,,,,,,,");
      assertMalformed("line 2", "input and output prices are required", HEADER, "openai,x,,,,0.1,,,,,,,,,");
      assertMalformed("line 2", "tier_threshold and tier_input", HEADER, "openai,x,,,,1,1,,,,,2,,,");
      assertMalformed("line 2", "tier_threshold must be a whole number", HEADER, "openai,x,,,,1,1,,,,1.5,2,,,");
      assertMalformed("line 2", "contextWindow must be positive", HEADER, "openai,x,0,,,,,,,,,,,,");
      assertMalformed("line 3", "duplicate model openai/gpt-4o", HEADER, ok, ok);
      assertMalformed("line 1", "expected the header", "provider,model", ok);
      assertMalformed("line 2", "quotes are not supported", HEADER, "openai,\"x\",,,,,,,,,,,,,");
      assertMalformed("line 2", "model must not be blank", HEADER, "openai, ,,,,,,,,,,,,,");
      assertMalformed("no header line", "", "# only comments");
    }

    private void assertMalformed(String where, String what, String... lines) {
      assertThatThrownBy(() -> parse(lines))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("test.csv")
          .hasMessageContaining(where)
          .hasMessageContaining(what);
    }

    private ModelCatalog parse(String... lines) throws IOException {
      byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
      return ModelCatalog.parse(new ByteArrayInputStream(bytes), "test.csv");
    }
  }
}
