package dev.aigw.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.Cost;
import dev.aigw.api.Usage;
import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PricesTest {
  private static final Currency USD = Currency.getInstance("USD");
  private static final Currency EUR = Currency.getInstance("EUR");

  @Nested
  class Defaults {
    @Test
    void currencyIsUsdAndCacheAndReasoningPricesDefaultToInputAndOutput() {
      Prices p = Prices.perToken("0.000003", "0.000015");

      assertThat(p.currency()).isEqualTo(USD);
      assertThat(p.input()).isEqualByComparingTo("0.000003");
      assertThat(p.output()).isEqualByComparingTo("0.000015");
      assertThat(p.cacheRead()).isEqualByComparingTo("0.000003");
      assertThat(p.cacheWrite()).isEqualByComparingTo("0.000003");
      assertThat(p.reasoning()).isEqualByComparingTo("0.000015");
      assertThat(p.tierThreshold()).isEmpty();
      assertThat(p.tier()).isEmpty();
    }

    @Test
    void explicitPricesOverrideTheDefaults() {
      Prices p = Prices.builder()
          .currency(EUR)
          .input("0.000003")
          .output(new BigDecimal("0.000015"))
          .cacheRead("0.0000003")
          .cacheWrite(new BigDecimal("0.00000375"))
          .reasoning("0.00002")
          .build();

      assertThat(p.currency()).isEqualTo(EUR);
      assertThat(p.cacheRead()).isEqualByComparingTo("0.0000003");
      assertThat(p.cacheWrite()).isEqualByComparingTo("0.00000375");
      assertThat(p.reasoning()).isEqualByComparingTo("0.00002");
      assertThat(p.estimate(1, 0).currency()).isEqualTo(EUR);
    }

    @Test
    void perMillionTokensMovesTheDecimalPointSixPlacesExactly() {
      Prices p = Prices.perMillionTokens("2.50", "10");

      assertThat(p.input().toPlainString()).isEqualTo("0.0000025");
      assertThat(p.output().toPlainString()).isEqualTo("0.00001");
      assertThat(p).isEqualTo(Prices.perToken("0.0000025", "0.00001"));
    }

    @Test
    void zeroPricesAreAllowed() {
      Prices free = Prices.perToken("0", "0.000");

      assertThat(free.estimate(1_000_000, 1_000_000).amount()).isEqualByComparingTo("0");
    }
  }

  @Nested
  class Cost_ {
    // input 0.000002, output 0.000008, cache read 0.0000005, cache write 0.0000025, reasoning 0.00001
    private final Prices prices = Prices.builder()
        .input("0.000002")
        .output("0.000008")
        .cacheRead("0.0000005")
        .cacheWrite("0.0000025")
        .reasoning("0.00001")
        .build();

    @Test
    void plainUsageIsInputTimesInputPricePlusOutputTimesOutputPrice() {
      // 1,000 × 0.000002 = 0.002; 500 × 0.000008 = 0.004; total 0.006
      assertThat(prices.cost(Usage.of(1_000, 500)).amount()).isEqualByComparingTo("0.006");
    }

    @Test
    void cachedCacheWriteAndReasoningTokensArePricedOutOfTheirTotals() {
      // input 10,000 = 6,000 plain + 3,000 cached + 1,000 written; output 2,000 = 500 plain + 1,500 reasoning
      // 6,000 × 0.000002 = 0.012; 3,000 × 0.0000005 = 0.0015; 1,000 × 0.0000025 = 0.0025
      // 500 × 0.000008 = 0.004; 1,500 × 0.00001 = 0.015; total 0.035
      Cost cost = prices.cost(new Usage(10_000, 2_000, 3_000, 1_000, 1_500));

      assertThat(cost.amount()).isEqualByComparingTo("0.035");
      assertThat(cost.currency()).isEqualTo(USD);
    }

    @Test
    void estimateIsTheCostOfPlainUsage() {
      assertThat(prices.estimate(1_000, 500)).isEqualTo(prices.cost(Usage.of(1_000, 500)));
      assertThat(prices.estimate(0, 0).amount()).isEqualByComparingTo("0");
    }

    @Test
    void noFloatingPointAnywhere() {
      Prices p = Prices.perToken("0.0000025", "0.00000125");

      // One token at 2.5e-6 is exactly 0.0000025.
      assertThat(p.estimate(1, 0).amount()).isEqualByComparingTo("0.0000025");
      assertThat(p.estimate(1, 0).amount().toPlainString()).isEqualTo("0.0000025");
      // 3 × 0.0000025 is 7.500000000000001E-6 in double arithmetic; exactly 0.0000075 here.
      assertThat(3 * 0.0000025).isNotEqualTo(0.0000075);
      assertThat(p.estimate(3, 0).amount().toPlainString()).isEqualTo("0.0000075");
      // 3 × 0.00000125 is 3.7500000000000005E-6 in double arithmetic; exactly 0.00000375 here.
      assertThat(p.estimate(0, 3).amount().toPlainString()).isEqualTo("0.00000375");
      // 3 × 0.1 is 0.30000000000000004 in double arithmetic; exactly 0.3 here.
      assertThat(Prices.perToken("0.1", "0.1").estimate(3, 0).amount().toPlainString()).isEqualTo("0.3");
      // A price with more digits than a double holds keeps them all.
      Prices fine = Prices.perToken("0.00000010000000000000001", "0");
      assertThat(fine.estimate(1, 0).amount().toPlainString()).isEqualTo("0.00000010000000000000001");
      // Large counts stay exact: 10^15 tokens × 0.0000025 = 2,500,000,000.
      assertThat(p.estimate(1_000_000_000_000_000L, 0).amount().toPlainString()).isEqualTo("2500000000");
    }
  }

  @Nested
  class Tier {
    // base: in 0.00000125 out 0.00001 cache read 0.000000125; above 200,000: in 0.0000025 out 0.000015 cache read 0.00000025
    private final Prices prices = Prices.builder()
        .input("0.00000125")
        .output("0.00001")
        .cacheRead("0.000000125")
        .tier(200_000, Prices.builder().input("0.0000025").output("0.000015").cacheRead("0.00000025").build())
        .build();

    @Test
    void exposesThresholdAndTierPrices() {
      assertThat(prices.tierThreshold()).hasValue(200_000);
      assertThat(prices.tier()).hasValueSatisfying(t -> assertThat(t.input()).isEqualByComparingTo("0.0000025"));
    }

    @Test
    void callsAtOrBelowTheThresholdUseTheBasePrices() {
      // 200,000 × 0.00000125 = 0.25; 1,000 × 0.00001 = 0.01; total 0.26
      assertThat(prices.estimate(200_000, 1_000).amount()).isEqualByComparingTo("0.26");
    }

    @Test
    void callsAboveTheThresholdUseTheTierForEveryToken() {
      // 200,001 input = 100,001 plain + 100,000 cached; 1,000 output
      // 100,001 × 0.0000025 = 0.2500025; 100,000 × 0.00000025 = 0.025; 1,000 × 0.000015 = 0.015
      // total 0.2900025
      assertThat(prices.cost(new Usage(200_001, 1_000, 100_000, 0, 0)).amount()).isEqualByComparingTo("0.2900025");
    }

    @Test
    void theTiersOwnDefaultsApplyToIt() {
      Prices p = Prices.builder().input("1").output("2").cacheRead("0.1").tier(10, Prices.perToken("3", "4")).build();

      assertThat(p.tier().orElseThrow().cacheRead()).isEqualByComparingTo("3");
      assertThat(p.tier().orElseThrow().reasoning()).isEqualByComparingTo("4");
    }
  }

  @Nested
  class GpuHour {
    @Test
    void perTokenPriceIsHourlyPriceOverTokensPerHourTo12SignificantDigits() {
      // $2.00/h at 2,000 output tok/s: 2 / (2,000 × 3,600) = 2 / 7,200,000 = 0.000000277777777777…
      //   → 12 significant digits, half up: 0.000000277777777778
      // at 10,000 input tok/s: 2 / 36,000,000 = 0.0000000555555555555… → 0.0000000555555555556
      Prices p = Prices.fromGpuHour(Cost.usd("2.00"), 10_000, 2_000);

      assertThat(p.output()).isEqualByComparingTo("0.000000277777777778");
      assertThat(p.output().precision()).isEqualTo(12);
      assertThat(p.input()).isEqualByComparingTo("0.0000000555555555556");
      assertThat(p.currency()).isEqualTo(USD);
      assertThat(p.cacheRead()).isEqualTo(p.input());
      assertThat(p.reasoning()).isEqualTo(p.output());
    }

    @Test
    void exactQuotientsStayExactAndTheCurrencyComesFromTheHourlyCost() {
      // €3.60/h at 1,000 tok/s: 3.6 / 3,600,000 = 0.000001 exactly; at 0.5 tok/s: 3.6 / 1,800 = 0.002
      Prices p = Prices.fromGpuHour(new Cost(new BigDecimal("3.60"), EUR), 1_000, 0.5);

      assertThat(p.input().toPlainString()).isEqualTo("0.000001");
      assertThat(p.output().toPlainString()).isEqualTo("0.002");
      assertThat(p.currency()).isEqualTo(EUR);
    }
  }

  @Nested
  class Validation {
    @Test
    void negativePricesAreRejectedNamingTheArgument() {
      assertThatThrownBy(() -> Prices.builder().input("-0.000001"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input");
      assertThatThrownBy(() -> Prices.builder().output(new BigDecimal("-1")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output");
      assertThatThrownBy(() -> Prices.builder().cacheRead("-1"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cacheRead");
      assertThatThrownBy(() -> Prices.builder().cacheWrite("-1"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cacheWrite");
      assertThatThrownBy(() -> Prices.builder().reasoning("-1"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reasoning");
      assertThatThrownBy(() -> Prices.perMillionTokens("2.5", "-10"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output");
    }

    @Test
    void nonDecimalStringsAreRejectedNamingTheArgument() {
      assertThatThrownBy(() -> Prices.perToken("2.5e-6x", "0.00001"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input").hasMessageContaining("2.5e-6x");
      assertThatThrownBy(() -> Prices.perMillionTokens("2.5", "ten"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output");
    }

    @Test
    void nullsAreRejectedNamingTheArgument() {
      assertThatThrownBy(() -> Prices.perToken(null, "1"))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("input");
      assertThatThrownBy(() -> Prices.builder().output((String) null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("output");
      assertThatThrownBy(() -> Prices.builder().currency(null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("currency");
      assertThatThrownBy(() -> Prices.perToken("1", "1").cost(null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("usage");
      assertThatThrownBy(() -> Prices.fromGpuHour(null, 1, 1))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("perHour");
    }

    @Test
    void inputAndOutputAreRequiredAtBuild() {
      assertThatThrownBy(() -> Prices.builder().output("1").build())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("input");
      assertThatThrownBy(() -> Prices.builder().input("1").build())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("output");
    }

    @Test
    void tierMustHaveAPositiveThresholdNoTierOfItsOwnAndTheSameCurrency() {
      Prices tier = Prices.perToken("2", "2");
      assertThatThrownBy(() -> Prices.builder().tier(0, tier))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aboveInputTokens");
      assertThatThrownBy(() -> Prices.builder().tier(100, null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("tier");
      Prices tiered = Prices.builder().input("1").output("1").tier(10, tier).build();
      assertThatThrownBy(() -> Prices.builder().tier(100, tiered))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tier");
      Prices euro = Prices.builder().currency(EUR).input("2").output("2").build();
      assertThatThrownBy(() -> Prices.builder().input("1").output("1").tier(10, euro).build())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("EUR").hasMessageContaining("USD");
    }

    @Test
    void negativeTokenCountsAndBadThroughputsAreRejectedNamingTheArgument() {
      Prices p = Prices.perToken("1", "1");
      assertThatThrownBy(() -> p.estimate(-1, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputTokens");
      assertThatThrownBy(() -> p.estimate(0, -1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputTokens");
      for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
        assertThatThrownBy(() -> Prices.fromGpuHour(Cost.usd("1"), bad, 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputTokensPerSecond");
        assertThatThrownBy(() -> Prices.fromGpuHour(Cost.usd("1"), 1, bad))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputTokensPerSecond");
      }
    }
  }

  @Nested
  class ValueSemantics {
    @Test
    void equalWhenEveryCallCostsTheSame() {
      Prices a = Prices.perToken("0.0000025", "0.00001");
      Prices b = Prices.builder().input("0.00000250").output("0.000010").cacheRead("0.0000025").reasoning("0.00001").build();

      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
      assertThat(a).isNotEqualTo(Prices.builder().input("0.0000025").output("0.00001").cacheRead("0.00000125").build());
      assertThat(a).isNotEqualTo(Prices.builder().currency(EUR).input("0.0000025").output("0.00001").build());
      assertThat(a).isNotEqualTo(Prices.builder().input("0.0000025").output("0.00001").tier(1, a).build());
    }

    @Test
    void toStringShowsPerMillionFiguresAndOnlyNonDefaultExtras() {
      assertThat(Prices.perMillionTokens("2.50", "10.00")).hasToString("Prices[USD in=2.5/M out=10/M]");
      Prices p = Prices.builder()
          .input("0.00000125").output("0.00001").cacheRead("0.000000125")
          .tier(200_000, Prices.perToken("0.0000025", "0.000015"))
          .build();
      assertThat(p).hasToString(
          "Prices[USD in=1.25/M out=10/M cacheRead=0.125/M above 200000: [in=2.5/M out=15/M]]");
    }
  }
}
