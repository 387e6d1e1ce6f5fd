package dev.aigw.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeriveCatalogTest {
  /** The LiteLLM snapshot the shipped file was derived from (see SOURCES.md). */
  private static final String SOURCE_SHA256 = "40ed7046364779934a7a27f6d1271ee33e61a174c0e336a3423abd5282b6e65c";

  private static final String FIXTURE = """
      {
        "sample_spec": {"mode": "chat", "litellm_provider": "one of https://docs.litellm.ai/docs/providers"},
        "gpt-x": {"mode": "chat", "litellm_provider": "openai", "max_input_tokens": 128000, "max_output_tokens": 16384,
                  "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-06,
                  "input_cost_per_token_priority": 4.25e-06,
                  "supports_function_calling": true, "supports_vision": true, "supports_response_schema": true,
                  "supports_reasoning": false},
        "o-x": {"mode": "chat", "litellm_provider": "openai", "input_cost_per_token": 1.00000000000000001e-07,
                "output_cost_per_token": 0.0, "output_cost_per_reasoning_token": 4.4e-06, "supports_reasoning": true},
        "azure/gpt-x": {"mode": "chat", "litellm_provider": "azure", "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05},
        "azure/eu/gpt-x": {"mode": "chat", "litellm_provider": "azure", "input_cost_per_token": 2.75e-06, "output_cost_per_token": 1.1e-05},
        "azure/container": {"mode": "chat", "litellm_provider": "azure", "code_interpreter_cost_per_session": 0.03},
        "claude-x": {"mode": "chat", "litellm_provider": "anthropic", "max_input_tokens": 200000,
                     "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                     "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
                     "cache_creation_input_token_cost_above_1hr": 6e-06,
                     "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
                     "cache_read_input_token_cost_above_200k_tokens": 6e-07,
                     "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
                     "input_cost_per_token_above_200k_tokens_priority": 1e-05},
        "gemini/gemini-x": {"mode": "chat", "litellm_provider": "gemini", "input_cost_per_token": 7.5e-08,
                            "output_cost_per_token": 3e-07, "input_cost_per_token_above_128k_tokens": 1.5e-07,
                            "output_cost_per_token_above_128k_tokens": 6e-07, "input_cost_per_character": 1e-08},
        "gemini-x": {"mode": "chat", "litellm_provider": "gemini", "input_cost_per_token": 1e-07, "output_cost_per_token": 3e-07},
        "gemini/embedding-x": {"mode": "embedding", "litellm_provider": "gemini", "input_cost_per_token": 1e-07},
        "bedrock/claude-x": {"mode": "chat", "litellm_provider": "bedrock", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05}
      }
      """;

  @Test
  void derivesSortedRowsWithExactPricesForTheFourProviders() throws IOException {
    DeriveCatalog.Derivation d = DeriveCatalog.derive(FIXTURE.getBytes(StandardCharsets.UTF_8));

    assertThat(d.csv().lines().toList()).containsExactly(
        DeriveCatalog.POINTER,
        String.join(",", ModelCatalog.COLUMNS),
        "anthropic,claude-x,200000,,,0.000003,0.000015,0.0000003,0.00000375,,200000,0.000006,0.0000225,0.0000006,0.0000075",
        "azure.ai.openai,gpt-x,,,,0.0000025,0.00001,,,,,,,,",
        "gcp.gemini,gemini-x,,,,0.000000075,0.0000003,,,,128000,0.00000015,0.0000006,,",
        "openai,gpt-x,128000,16384,tools|vision|json_schema,0.0000025,0.00001,0.00000125,,,,,,,",
        "openai,o-x,,,reasoning,0.000000100000000000000001,0,,,0.0000044,,,,,");
    assertThat(d.rowsPerProvider())
        .containsEntry("anthropic", 1).containsEntry("azure.ai.openai", 1)
        .containsEntry("gcp.gemini", 1).containsEntry("openai", 2);
  }

  @Test
  void reportsSkippedKeysAndThePrefixedKeyWinsACollision() throws IOException {
    List<String> notes = DeriveCatalog.derive(FIXTURE.getBytes(StandardCharsets.UTF_8)).notes();

    assertThat(notes).anySatisfy(n -> assertThat(n)
        .contains("'gemini/gemini-x' and 'gemini-x' both give gcp.gemini/gemini-x; kept 'gemini/gemini-x'; they differ"));
    assertThat(notes).anySatisfy(n -> assertThat(n).contains("skipped 1 keys with a '/'").contains("azure/eu/gpt-x"));
    assertThat(notes).anySatisfy(n -> assertThat(n).contains("without per-token prices: [azure/container]"));
  }

  @Test
  void theOutputParsesBackIntoACatalog() throws IOException {
    String csv = DeriveCatalog.derive(FIXTURE.getBytes(StandardCharsets.UTF_8)).csv();

    ModelCatalog c = ModelCatalog.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "fixture");

    assertThat(c.size()).isEqualTo(5);
    assertThat(c.find("openai", "o-x").orElseThrow().prices().orElseThrow().input().toPlainString())
        .isEqualTo("0.000000100000000000000001");
  }

  @Test
  void inconsistentSourceEntriesFailTheRun() {
    assertThatThrownBy(() -> derive("""
        {"m": {"mode": "chat", "litellm_provider": "openai", "input_cost_per_token": 1e-06}}"""))
        .hasMessageContaining("only one of input_cost_per_token and output_cost_per_token");
    assertThatThrownBy(() -> derive("""
        {"m": {"mode": "chat", "litellm_provider": "openai", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06,
               "output_cost_per_token_above_128k_tokens": 2e-06}}"""))
        .hasMessageContaining("a tier without input_cost_per_token_above_*");
    assertThatThrownBy(() -> derive("""
        {"m": {"mode": "chat", "litellm_provider": "openai", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06,
               "input_cost_per_token_above_128k_tokens": 2e-06, "input_cost_per_token_above_200k_tokens": 3e-06}}"""))
        .hasMessageContaining("more than one tier threshold");
    assertThatThrownBy(() -> derive("""
        {"m": {"mode": "chat", "litellm_provider": "openai", "input_cost_per_token": -1e-06, "output_cost_per_token": 1e-06}}"""))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> derive("""
        {"m": {"mode": "chat", "litellm_provider": "openai", "max_input_tokens": 1.5,
               "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06}}"""))
        .hasMessageContaining("max_input_tokens");
  }

  /**
   * The shipped models.csv is exactly what the tool derives from the recorded LiteLLM snapshot.
   * Runs when that snapshot is at {@code -Daigw.litellm.json=…} (default: the shared data folder).
   */
  @Test
  void shippedCsvIsWhatTheToolDerivesFromTheRecordedSnapshot() throws IOException {
    Path json = Path.of(System.getProperty("aigw.litellm.json", "/work/shared/data/litellm-model-prices.json"));
    assumeTrue(Files.isReadable(json), "LiteLLM snapshot not available at " + json);
    byte[] bytes = Files.readAllBytes(json);
    assertThat(DeriveCatalog.sha256(bytes)).as("the snapshot recorded in SOURCES.md").isEqualTo(SOURCE_SHA256);

    String derived = DeriveCatalog.derive(bytes).csv();

    assertThat(derived.lines().toList()).isEqualTo(ShippedCatalogTest.shippedLines());
  }

  private static DeriveCatalog.Derivation derive(String json) throws IOException {
    return DeriveCatalog.derive(json.getBytes(StandardCharsets.UTF_8));
  }
}
