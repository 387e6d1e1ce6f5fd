package dev.aigw.api;

import static dev.aigw.api.MessageTest.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

  @Nested
  class ToolSpecs {
    @Test
    void toolWithoutArgumentsGetsAnEmptyObjectSchema() {
      ToolSpec t = ToolSpec.of("get_time", "The time");

      assertThat(t.name()).isEqualTo("get_time");
      assertThat(t.description()).isEqualTo("The time");
      assertThat(t.parametersSchema()).isEqualTo("{\"type\":\"object\",\"properties\":{}}");
    }

    @Test
    void namesOfOneToSixtyFourAllowedCharactersAreAccepted() {
      assertThat(ToolSpec.of("a", "").name()).isEqualTo("a");
      assertThat(ToolSpec.of("Get-Weather_2", "").name()).isEqualTo("Get-Weather_2");
      assertThat(ToolSpec.of("x".repeat(64), "").name()).hasSize(64);
    }

    @Test
    void invalidNamesAreRejectedNamingTheField() {
      assertRejects(() -> ToolSpec.of("", "d"), "tool.name");
      assertRejects(() -> ToolSpec.of("x".repeat(65), "d"), "tool.name");
      assertRejects(() -> ToolSpec.of("get weather", "d"), "tool.name");
      assertRejects(() -> ToolSpec.of("get.weather", "d"), "tool.name");
      assertRejects(() -> ToolSpec.of("wetter_ä", "d"), "tool.name");
      assertRejects(() -> ToolSpec.of(null, "d"), "tool.name");
    }

    @Test
    void nullDescriptionIsRejected() {
      assertRejects(() -> ToolSpec.of("t", null), "tool.description");
    }

    @Test
    void invalidJsonSchemaIsRejectedWithTheOffsetInTheMessage() {
      InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
          () -> ToolSpec.of("t", "d", "{\"type\":}"));

      assertThat(e.field()).isEqualTo("tool.parametersSchema");
      assertThat(e.getMessage()).contains("offset 8");
    }

    @Test
    void schemaThatIsNotAnObjectIsRejected() {
      assertRejects(() -> ToolSpec.of("t", "d", "[]"), "tool.parametersSchema");
      assertRejects(() -> ToolSpec.of("t", "d", "\"object\""), "tool.parametersSchema");
      assertRejects(() -> ToolSpec.of("t", "d", ""), "tool.parametersSchema");
      assertRejects(() -> ToolSpec.of("t", "d", null), "tool.parametersSchema");
    }
  }

  @Nested
  class ResponseFormats {
    @Test
    void jsonSchemaFormatCarriesNameSchemaAndStrictness() {
      ResponseFormat f = ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}", true);

      assertThat(f.type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
      assertThat(f.name()).contains("answer");
      assertThat(f.schema()).contains("{\"type\":\"object\"}");
      assertThat(f.strict()).isTrue();
      assertThat(f).isEqualTo(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}", true))
          .isNotEqualTo(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}", false));
    }

    @Test
    void textAndJsonObjectHaveNoSchema() {
      assertThat(ResponseFormat.text().type()).isEqualTo(ResponseFormat.Type.TEXT);
      assertThat(ResponseFormat.jsonObject().type()).isEqualTo(ResponseFormat.Type.JSON_OBJECT);
      assertThat(ResponseFormat.jsonObject().schema()).isEmpty();
      assertThat(ResponseFormat.text().name()).isEmpty();
    }

    @Test
    void jsonSchemaWithInvalidNameIsRejected() {
      assertRejects(() -> ResponseFormat.jsonSchema("", "{}", false), "responseFormat.name");
      assertRejects(() -> ResponseFormat.jsonSchema("my schema", "{}", false), "responseFormat.name");
      assertRejects(() -> ResponseFormat.jsonSchema("n".repeat(65), "{}", false), "responseFormat.name");
      assertRejects(() -> ResponseFormat.jsonSchema(null, "{}", false), "responseFormat.name");
    }

    @Test
    void jsonSchemaWithInvalidSchemaIsRejected() {
      assertRejects(() -> ResponseFormat.jsonSchema("a", "{\"type\":\"object\",}", false), "responseFormat.schema");
      assertRejects(() -> ResponseFormat.jsonSchema("a", "[1]", false), "responseFormat.schema");
      assertRejects(() -> ResponseFormat.jsonSchema("a", null, false), "responseFormat.schema");
    }
  }

  @Nested
  class ToolChoices {
    @Test
    void modesAndToolName() {
      assertThat(ToolChoice.auto().mode()).isEqualTo(ToolChoice.Mode.AUTO);
      assertThat(ToolChoice.none().mode()).isEqualTo(ToolChoice.Mode.NONE);
      assertThat(ToolChoice.required().mode()).isEqualTo(ToolChoice.Mode.REQUIRED);
      assertThat(ToolChoice.auto().toolName()).isEmpty();
      assertThat(ToolChoice.tool("f").mode()).isEqualTo(ToolChoice.Mode.TOOL);
      assertThat(ToolChoice.tool("f").toolName()).contains("f");
    }

    @Test
    void namedChoicesAreEqualByName() {
      assertThat(ToolChoice.tool("f")).isEqualTo(ToolChoice.tool("f")).hasSameHashCodeAs(ToolChoice.tool("f"));
      assertThat(ToolChoice.tool("f")).isNotEqualTo(ToolChoice.tool("g"));
      assertThat(ToolChoice.tool("f").toString()).isEqualTo("tool(f)");
      assertThat(ToolChoice.required().toString()).isEqualTo("required");
    }

    @Test
    void blankToolNameIsRejected() {
      assertRejects(() -> ToolChoice.tool(" "), "toolChoice.name");
      assertRejects(() -> ToolChoice.tool(null), "toolChoice.name");
    }
  }

  @Nested
  class Targets {
    @Test
    void parseSplitsAtTheFirstSlash() {
      assertThat(Target.parse("openai/gpt-4o")).isEqualTo(new Target("openai", "gpt-4o"));
    }

    @Test
    void modelMayContainSlashes() {
      Target t = Target.parse("pool/meta-llama/Llama-3.1-8B-Instruct");

      assertThat(t.provider()).isEqualTo("pool");
      assertThat(t.model()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
      assertThat(t.toString()).isEqualTo("pool/meta-llama/Llama-3.1-8B-Instruct");
    }

    @Test
    void missingPartsAreRejected() {
      assertRejects(() -> Target.parse("gpt-4o"), "target");
      assertRejects(() -> Target.parse("/gpt-4o"), "target");
      assertRejects(() -> Target.parse("openai/"), "target");
      assertRejects(() -> Target.parse("/"), "target");
      assertRejects(() -> Target.parse(""), "target");
      assertRejects(() -> Target.parse(null), "target");
    }

    @Test
    void blankPartsAreRejectedNamingThePart() {
      assertRejects(() -> Target.parse(" /gpt-4o"), "target.provider");
      assertRejects(() -> Target.parse("openai/ "), "target.model");
    }

    @Test
    void providerIdMustNotContainASlash() {
      assertRejects(() -> new Target("a/b", "m"), "target.provider");
    }
  }

  @Nested
  class Usages {
    @Test
    void fullUsageRecordsEveryCountAndTotal() {
      Usage u = new Usage(100, 40, 30, 20, 10);

      assertThat(u.totalTokens()).isEqualTo(140);
      assertThat(Usage.of(3, 4)).isEqualTo(new Usage(3, 4, 0, 0, 0));
      assertThat(Usage.ZERO.totalTokens()).isZero();
    }

    @Test
    void partsMayEqualTheirWhole() {
      assertThat(new Usage(50, 10, 30, 20, 10).cachedInputTokens()).isEqualTo(30);
    }

    @Test
    void cachedPlusCacheWriteAboveInputIsRejected() {
      assertRejects(() -> new Usage(50, 10, 30, 21, 0), "usage.cachedInputTokens");
      assertRejects(() -> new Usage(10, 0, 11, 0, 0), "usage.cachedInputTokens");
    }

    @Test
    void cachedPlusCacheWriteThatOverflowsALongIsStillRejected() {
      // Long.MAX_VALUE + Long.MAX_VALUE wraps to -2, which is not greater than 10.
      assertRejects(() -> new Usage(10, 0, Long.MAX_VALUE, Long.MAX_VALUE, 0), "usage.cachedInputTokens");
    }

    @Test
    void reasoningAboveOutputIsRejected() {
      assertRejects(() -> new Usage(10, 5, 0, 0, 6), "usage.reasoningTokens");
    }

    @Test
    void negativeCountsAreRejectedNamingTheCount() {
      assertRejects(() -> new Usage(-1, 0, 0, 0, 0), "usage.inputTokens");
      assertRejects(() -> new Usage(0, -1, 0, 0, 0), "usage.outputTokens");
      assertRejects(() -> new Usage(5, 0, -1, 0, 0), "usage.cachedInputTokens");
      assertRejects(() -> new Usage(5, 0, 0, -1, 0), "usage.cacheWriteTokens");
      assertRejects(() -> new Usage(0, 5, 0, 0, -1), "usage.reasoningTokens");
    }

    @Test
    void plusAddsFieldWise() {
      Usage sum = new Usage(100, 40, 30, 20, 10).plus(new Usage(1, 2, 0, 1, 2));

      assertThat(sum).isEqualTo(new Usage(101, 42, 30, 21, 12));
      assertThat(Usage.ZERO.plus(Usage.of(3, 4))).isEqualTo(Usage.of(3, 4));
    }
  }

  @Nested
  class Costs {
    @Test
    void sumsAreExact() {
      assertThat(Cost.usd("0.10").plus(Cost.usd("0.20"))).isEqualTo(Cost.usd("0.3"));
    }

    @Test
    void manyTinyPricesAddUpWithoutDrift() {
      Cost total = Cost.zero(Currency.getInstance("USD"));
      for (int i = 0; i < 1000; i++) {
        total = total.plus(Cost.usd("0.000001"));
      }

      assertThat(total).isEqualTo(Cost.usd("0.001"));
    }

    @Test
    void equalAmountsWithDifferentScalesAreEqual() {
      assertThat(Cost.usd("1.500")).isEqualTo(Cost.usd("1.5")).hasSameHashCodeAs(Cost.usd("1.5"));
      assertThat(Cost.usd("100")).isEqualTo(Cost.usd(new BigDecimal("1E+2")));
      assertThat(Cost.usd("0.000")).isEqualTo(Cost.zero(Currency.getInstance("USD")));
      assertThat(Cost.usd("100").toString()).isEqualTo("100 USD");
    }

    @Test
    void differentCurrenciesCannotBeCombined() {
      Cost eur = new Cost(new BigDecimal("1"), Currency.getInstance("EUR"));

      assertThatThrownBy(() -> Cost.usd("1").plus(eur)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("EUR");
      assertThatThrownBy(() -> Cost.usd("1").compareTo(eur)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeAmountsAreRejected() {
      assertRejects(() -> Cost.usd("-0.01"), "cost.amount");
      assertRejects(() -> Cost.usd(new BigDecimal("-1")), "cost.amount");
    }

    @Test
    void malformedOrMissingAmountsAreRejected() {
      assertRejects(() -> Cost.usd("ten cents"), "cost.amount");
      assertRejects(() -> Cost.usd((String) null), "cost.amount");
      assertRejects(() -> new Cost(BigDecimal.ONE, null), "cost.currency");
    }

    @Test
    void costsCompareByAmount() {
      assertThat(Cost.usd("0.2")).isGreaterThan(Cost.usd("0.10"));
      assertThat(Cost.usd("0.20").compareTo(Cost.usd("0.2"))).isZero();
    }
  }
}
