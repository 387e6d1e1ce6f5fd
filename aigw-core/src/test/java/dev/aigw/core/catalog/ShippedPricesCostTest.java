package dev.aigw.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.Cost;
import dev.aigw.api.Usage;
import dev.aigw.core.pricing.Prices;
import java.util.Currency;
import org.junit.jupiter.api.Test;

/**
 * Costs of calls to real models of the shipped catalog, against figures computed by hand.
 * Usage's input includes cached and cache-write tokens; its output includes reasoning tokens.
 */
class ShippedPricesCostTest {
  private static final ModelCatalog CATALOG = ModelCatalog.defaults();

  private static Prices prices(String provider, String model) {
    return CATALOG.find(provider, model).orElseThrow().prices().orElseThrow();
  }

  private static Cost cost(String provider, String model, Usage usage) {
    Cost cost = prices(provider, model).cost(usage);
    assertThat(cost.currency()).isEqualTo(Currency.getInstance("USD"));
    return cost;
  }

  @Test
  void openAiGpt4oWithCachedInput() {
    // gpt-4o: input 0.0000025, output 0.00001, cache read 0.00000125
    // 10,000 in (8,000 cached), 500 out:
    //   2,000 × 0.0000025 = 0.005; 8,000 × 0.00000125 = 0.01; 500 × 0.00001 = 0.005 → 0.02
    assertThat(cost("openai", "gpt-4o", new Usage(10_000, 500, 8_000, 0, 0)).amount()).isEqualByComparingTo("0.02");
  }

  @Test
  void oneTokenIsExactlyItsPrice() {
    // 1 × 0.0000025 = 0.0000025, not 2.5000000000000003E-6
    Cost one = prices("openai", "gpt-4o").estimate(1, 0);
    assertThat(one.amount()).isEqualByComparingTo("0.0000025");
    assertThat(one.amount().toPlainString()).isEqualTo("0.0000025");
  }

  @Test
  void openAiO3MiniReasoningTokensAtTheOutputPrice() {
    // o3-mini: input 0.0000011, output 0.0000044, no separate reasoning price → output price
    // 1,200 in, 3,000 out (2,500 reasoning):
    //   1,200 × 0.0000011 = 0.00132; 500 × 0.0000044 = 0.0022; 2,500 × 0.0000044 = 0.011 → 0.01452
    assertThat(cost("openai", "o3-mini", new Usage(1_200, 3_000, 0, 0, 2_500)).amount())
        .isEqualByComparingTo("0.01452");
  }

  @Test
  void openAiGpt5WithCachedInputAndReasoning() {
    // gpt-5: input 0.00000125, output 0.00001, cache read 0.000000125
    // 50,000 in (40,000 cached), 4,000 out (3,000 reasoning):
    //   10,000 × 0.00000125 = 0.0125; 40,000 × 0.000000125 = 0.005
    //   1,000 × 0.00001 = 0.01; 3,000 × 0.00001 = 0.03 → 0.0575
    assertThat(cost("openai", "gpt-5", new Usage(50_000, 4_000, 40_000, 0, 3_000)).amount())
        .isEqualByComparingTo("0.0575");
  }

  @Test
  void geminiFlashPreviewPricesReasoningSeparately() {
    // gemini-2.5-flash-preview-04-17: input 0.00000015, output 0.0000006, cache read 0.0000000375,
    // reasoning 0.0000035
    // 20,000 in (10,000 cached), 3,000 out (2,000 reasoning):
    //   10,000 × 0.00000015 = 0.0015; 10,000 × 0.0000000375 = 0.000375
    //   1,000 × 0.0000006 = 0.0006; 2,000 × 0.0000035 = 0.007 → 0.009475
    assertThat(cost("gcp.gemini", "gemini-2.5-flash-preview-04-17", new Usage(20_000, 3_000, 10_000, 0, 2_000)).amount())
        .isEqualByComparingTo("0.009475");
  }

  @Test
  void anthropicClaudeHaikuWithCacheReadAndCacheWrite() {
    // claude-3-5-haiku-20241022: input 0.0000008, output 0.000004, cache read 0.00000008, cache write 0.000001
    // 12,000 in (8,000 cached, 3,000 written), 700 out:
    //   1,000 × 0.0000008 = 0.0008; 8,000 × 0.00000008 = 0.00064; 3,000 × 0.000001 = 0.003
    //   700 × 0.000004 = 0.0028 → 0.00724
    assertThat(cost("anthropic", "claude-3-5-haiku-20241022", new Usage(12_000, 700, 8_000, 3_000, 0)).amount())
        .isEqualByComparingTo("0.00724");
  }

  @Test
  void anthropicClaudeSonnet45AboveTheLongContextThreshold() {
    // claude-sonnet-4-5 above 200,000 input tokens: input 0.000006, output 0.0000225,
    // cache read 0.0000006, cache write 0.0000075
    // 250,000 in (100,000 cached, 20,000 written), 2,000 out:
    //   130,000 × 0.000006 = 0.78; 100,000 × 0.0000006 = 0.06; 20,000 × 0.0000075 = 0.15
    //   2,000 × 0.0000225 = 0.045 → 1.035
    assertThat(cost("anthropic", "claude-sonnet-4-5", new Usage(250_000, 2_000, 100_000, 20_000, 0)).amount())
        .isEqualByComparingTo("1.035");
  }

  @Test
  void anthropicClaudeSonnet45AtAndJustAboveTheThreshold() {
    // at 200,000: base input 0.000003, output 0.000015: 200,000 × 0.000003 = 0.6; 1,000 × 0.000015 = 0.015 → 0.615
    assertThat(prices("anthropic", "claude-sonnet-4-5").estimate(200_000, 1_000).amount()).isEqualByComparingTo("0.615");
    // at 200,001: tier input 0.000006, output 0.0000225: 200,001 × 0.000006 = 1.200006; 1,000 × 0.0000225 = 0.0225
    //   → 1.222506
    assertThat(prices("anthropic", "claude-sonnet-4-5").estimate(200_001, 1_000).amount())
        .isEqualByComparingTo("1.222506");
  }

  @Test
  void geminiPro25BelowTheTier() {
    // gemini-2.5-pro up to 200,000 input tokens: input 0.00000125, output 0.00001, cache read 0.000000125
    // 100,000 in (60,000 cached), 5,000 out (4,000 reasoning):
    //   40,000 × 0.00000125 = 0.05; 60,000 × 0.000000125 = 0.0075
    //   1,000 × 0.00001 = 0.01; 4,000 × 0.00001 = 0.04 → 0.1075
    assertThat(cost("gcp.gemini", "gemini-2.5-pro", new Usage(100_000, 5_000, 60_000, 0, 4_000)).amount())
        .isEqualByComparingTo("0.1075");
  }

  @Test
  void geminiPro25AboveTheTier() {
    // gemini-2.5-pro above 200,000 input tokens: input 0.0000025, output 0.000015, cache read 0.00000025
    // 300,000 in (200,000 cached), 5,000 out (4,000 reasoning):
    //   100,000 × 0.0000025 = 0.25; 200,000 × 0.00000025 = 0.05
    //   1,000 × 0.000015 = 0.015; 4,000 × 0.000015 = 0.06 → 0.375
    assertThat(cost("gcp.gemini", "gemini-2.5-pro", new Usage(300_000, 5_000, 200_000, 0, 4_000)).amount())
        .isEqualByComparingTo("0.375");
  }

  @Test
  void geminiFlash15TierKeepsTheBaseCacheReadPrice() {
    // gemini-1.5-flash-001 above 128,000: input 0.00000015, output 0.0000006; the source gives no tier
    // cache-read price, so the base one stands: 0.00000001875
    // 150,000 in (50,000 cached), 1,000 out:
    //   100,000 × 0.00000015 = 0.015; 50,000 × 0.00000001875 = 0.0009375; 1,000 × 0.0000006 = 0.0006
    //   → 0.0165375
    assertThat(cost("gcp.gemini", "gemini-1.5-flash-001", new Usage(150_000, 1_000, 50_000, 0, 0)).amount())
        .isEqualByComparingTo("0.0165375");
  }

  @Test
  void azureGpt4oPlainAndCached() {
    // azure gpt-4o: input 0.0000025, output 0.00001, cache read 0.00000125
    // 1,000,000 in, 1,000,000 out: 2.5 + 10 → 12.5
    assertThat(cost("azure.ai.openai", "gpt-4o", Usage.of(1_000_000, 1_000_000)).amount()).isEqualByComparingTo("12.5");
    // 4,000 in (2,048 cached), 1,000 out:
    //   1,952 × 0.0000025 = 0.00488; 2,048 × 0.00000125 = 0.00256; 1,000 × 0.00001 = 0.01 → 0.01744
    assertThat(cost("azure.ai.openai", "gpt-4o", new Usage(4_000, 1_000, 2_048, 0, 0)).amount())
        .isEqualByComparingTo("0.01744");
  }
}
