package dev.aigw.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aigw.api.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSyntaxTest {

  private static void assertAccepted(String json) {
    assertThat(JsonSyntax.requireObject(json, "schema")).isSameAs(json);
  }

  private static InvalidRequestException assertRejected(String json) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
        () -> JsonSyntax.requireObject(json, "schema"));
    assertThat(e).as("expected %s to be rejected", json).isNotNull();
    assertThat(e.field()).isEqualTo("schema");
    assertThat(e.getMessage()).startsWith("schema: is not valid JSON: ").contains(" at offset ");
    return e;
  }

  private static String nested(int depth) {
    return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{}",
      "{ }",
      " \t\r\n{}\n ",
      "{\"a\":1}",
      "{\"a\":-0}",
      "{\"a\":0.5}",
      "{\"a\":-12.75e+10}",
      "{\"a\":1E-7}",
      "{\"a\":6.02e23}",
      "{\"a\":true,\"b\":false,\"c\":null}",
      "{\"a\":[]}",
      "{\"a\":[1, \"two\", [3], {\"four\":4}]}",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"enum\":[\"Paris\",\"Köln\"]}},\"required\":[\"city\"]}",
      "{\"esc\":\"quote \\\" backslash \\\\ slash \\/ \\b\\f\\n\\r\\t\"}",
      "{\"u\":\"\\u00e9\\u20AC\\uD83D\\uDE00\"}",
      "{\"\":\"empty key is legal\"}",
      "{\"a\" : 1 , \"b\" :\n[ 1 ,2 ] }",
      "{\"raw\":\"unicode ü € 😀 and DEL \u007f\"}",
      "{\"dup\":1,\"dup\":2}",
  })
  void validObjectsAreAccepted(String json) {
    assertAccepted(json);
  }

  @Test
  void nestingOf512LevelsIsAccepted() {
    assertAccepted(nested(512));
  }

  @Test
  void nestingDeeperThan512IsRejectedWithoutOverflowingTheStack() {
    assertThat(assertRejected(nested(514)).getMessage()).contains("nesting deeper than 512");
    assertThat(assertRejected("[".repeat(100_000)).getMessage()).contains("expected a JSON object");
    assertThat(assertRejected("{\"a\":" + "[".repeat(100_000)).getMessage()).contains("nesting deeper than 512");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "[]", "[{}]", "\"{}\"", "1", "true", "null"})
  void nonObjectsAreRejected(String json) {
    assertThat(assertRejected(json).getMessage()).contains("expected a JSON object");
  }

  @Test
  void trailingTextIsRejected() {
    assertThat(assertRejected("{}x").getMessage()).contains("unexpected text after the JSON value at offset 2");
    assertRejected("{}{}");
    assertRejected("{\"a\":1}}");
    assertRejected("{} // comment");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"a\":\"\\x\"}",
      "{\"a\":\"\\'\"}",
      "{\"a\":\"\\U0041\"}",
      "{\"a\":\"\\u12\"}",
      "{\"a\":\"\\u12G4\"}",
      "{\"a\":\"\\",
      "{\"a\":\"\\u",
  })
  void badEscapesAreRejected(String json) {
    assertRejected(json);
  }

  @Test
  void unicodeEscapesNeedAsciiHexDigits() {
    // RFC 8259: \\u followed by four HEXDIG (ASCII 0-9 A-F a-f). Fullwidth or Arabic-Indic digits are not hex digits.
    assertRejected("{\"a\":\"\\u\uFF10\uFF10\uFF14\uFF11\"}");
    assertRejected("{\"a\":\"\\u\u0660\u0660\u0664\u0661\"}");
    assertRejected("{\"a\":\"\\u00\uFF21\uFF21\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a", "{\"a\":\"b", "{\"a\":\"b}", "{\"a\":\"b\\\"}"})
  void unterminatedStringsAreRejected(String json) {
    assertRejected(json);
  }

  @Test
  void unterminatedStringIsReportedAsSuch() {
    assertThat(assertRejected("{\"a\":\"never closed").getMessage()).contains("unterminated string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1,}", "{\"a\":[1,2,]}", "{,}", "{\"a\":[,1]}", "{\"a\":1,,\"b\":2}"})
  void trailingAndStrayCommasAreRejected(String json) {
    assertRejected(json);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":01}", "{\"a\":-01}", "{\"a\":[00]}", "{\"a\":007}"})
  void numbersWithLeadingZerosAreRejected(String json) {
    assertRejected(json);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":0x10}",
      "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1 2}",
  })
  void malformedNumbersAreRejected(String json) {
    assertRejected(json);
  }

  @Test
  void controlCharactersInStringsAreRejected() {
    assertThat(assertRejected("{\"a\":\"line\nbreak\"}").getMessage())
        .contains("control character in string at offset 10");
    assertRejected("{\"a\":\"tab\there\"}");
    assertRejected("{\"a\":\"nul\u0000\"}");
    assertRejected("{\"a\u001f\":1}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":\f1}", "{\u00a0}", "\u000b{}"})
  void onlyTheFourJsonWhitespaceCharactersAreAllowed(String json) {
    assertRejected(json);
  }

  @Test
  void missingValueIsRejectedAtItsOffset() {
    assertThat(assertRejected("{\"a\":}").getMessage()).contains("at offset 5");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{a:1}", "{'a':1}", "{\"a\" 1}", "{\"a\":1", "{\"a\":tru}", "{\"a\":trueish}", "{\"a\":nul}", "{\"a\":[1}",
      "{\"a\":{\"b\":1}", "{1:2}", "{\"a\":undefined}",
  })
  void otherSyntaxErrorsAreRejected(String json) {
    assertRejected(json);
  }
}
