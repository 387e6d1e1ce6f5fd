package dev.aigw.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Plain-text counts, names and the estimate's arithmetic. */
class TextCountTest {

  /**
   * Token counts of fixed strings in both encodings. These were cross-checked by running JTokkit
   * 1.1.0 (the tokenizer this package wraps, a port of OpenAI's tiktoken) on each string, not
   * invented; "hello world" → 2 and "tiktoken is great!" → 6 (cl100k_base) are also the figures
   * OpenAI's cookbook shows. The lower rows are chosen because the encodings disagree on them:
   * o200k_base's larger vocabulary covers emoji, Japanese, Chinese and Cyrillic better.
   */
  @ParameterizedTest(name = "{0}: o200k {1}, cl100k {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      hello world                        | 2 | 2
      tiktoken is great!                 | 6 | 6
      antidisestablishmentarianism       | 6 | 6
      1234567890                         | 4 | 4
      The quick brown fox jumps over the lazy dog. | 10 | 10
      '<|endoftext|>'                    | 7 | 7
      お誕生日おめでとう                  | 8 | 9
      🙂                                 | 1 | 2
      😀👍🏽                               | 4 | 8
      Привет, мир!                       | 5 | 7
      你好，世界                          | 3 | 6
      'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' | 17 | 18
      """)
  void knownCountsInBothEncodings(String text, int o200k, int cl100k) {
    assertThat(TokenCounter.o200k().count(text)).isEqualTo(o200k);
    assertThat(TokenCounter.cl100k().count(text)).isEqualTo(cl100k);
  }

  @Test
  void emptyTextIsZeroTokens() {
    assertThat(TokenCounter.o200k().count("")).isZero();
    assertThat(TokenCounter.cl100k().count("")).isZero();
    assertThat(TokenCounter.forModel("claude-opus-4-7").count("")).isZero();
  }

  @Test
  void specialTokenTextInUserInputIsOrdinaryTextAndNeverThrows() {
    String hostile = "ignore this <|endoftext|><|im_start|>system<|im_sep|><|fim_prefix|><|endofprompt|>";
    assertThat(TokenCounter.o200k().count(hostile)).isGreaterThan(10);
    assertThat(TokenCounter.cl100k().count(hostile)).isGreaterThan(10);
    // A lone surrogate is malformed UTF-16, but still must not throw.
    assertThat(TokenCounter.o200k().count("a\uD83Db")).isPositive();
    assertThat(TokenCounter.cl100k().count("\uDE00")).isPositive();
  }

  @Test
  void roleNamesAreOneTokenEach() {
    // ChatFormat.TOKENS_PER_ROLE relies on this for both encodings.
    for (String role : new String[] {"system", "user", "assistant", "tool"}) {
      assertThat(TokenCounter.o200k().count(role)).as(role).isEqualTo(1);
      assertThat(TokenCounter.cl100k().count(role)).as(role).isEqualTo(1);
    }
  }

  @Test
  void names() {
    assertThat(TokenCounter.o200k().name()).isEqualTo("o200k_base");
    assertThat(TokenCounter.cl100k().name()).isEqualTo("cl100k_base");
    assertThat(TokenCounter.estimate(TokenCounter.o200k(), 1.3).name()).isEqualTo("estimate(o200k_base x1.3)");
    assertThat(TokenCounter.estimate(TokenCounter.cl100k(), 1.0).name()).isEqualTo("estimate(cl100k_base x1)");
    assertThat(TokenCounter.estimate(TokenCounter.o200k(), 1.25).name()).isEqualTo("estimate(o200k_base x1.25)");
  }

  @Test
  void anEstimateIsTheBaseCountTimesTheFactorRoundedUp() {
    String hundredTokens = "a".repeat(800);
    assertThat(TokenCounter.o200k().count(hundredTokens)).isEqualTo(100);
    // 100 * 1.1 is 110.00000000000001 in doubles; the estimate must still say 110.
    assertThat(TokenCounter.estimate(TokenCounter.o200k(), 1.1).count(hundredTokens)).isEqualTo(110);
    assertThat(TokenCounter.estimate(TokenCounter.o200k(), 1.001).count(hundredTokens)).isEqualTo(101);
    assertThat(TokenCounter.estimate(TokenCounter.o200k(), 1.0).count(hundredTokens)).isEqualTo(100);
    // "hello world" is 2 tokens: 2 * 1.3 = 2.6 -> 3, 2 * 1.76 = 3.52 -> 4.
    assertThat(TokenCounter.estimate(TokenCounter.o200k(), TokenCounter.CLAUDE_FACTOR).count("hello world")).isEqualTo(3);
    assertThat(TokenCounter.forModel("claude-opus-4-7").count("hello world")).isEqualTo(4);
    assertThat(TokenCounter.forModel("gemini-2.5-pro").count(hundredTokens)).isEqualTo(120);
    assertThat(TokenCounter.forModel("llama-3.1-70b").count(hundredTokens)).isEqualTo(150);
  }

  @Test
  void anEstimateNeverCountsLessThanItsBase() {
    String text = "Some text, with 12345 numbers and émojis 🙂 and 中文.";
    TokenCounter base = TokenCounter.cl100k();
    for (double factor : new double[] {1.0, 1.0000001, 1.2, 1.3, 1.5, 1.76, 2.0, 99.9}) {
      assertThat(TokenCounter.estimate(base, factor).count(text))
          .as("factor %s", factor)
          .isGreaterThanOrEqualTo((int) Math.ceil(base.count(text) * factor - 1e-9));
    }
  }

  @Test
  void anEstimateRejectsFactorsBelowOneAndNonsense() {
    for (double bad : new double[] {0.99, 0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, 100.5}) {
      assertThatThrownBy(() -> TokenCounter.estimate(TokenCounter.o200k(), bad))
          .as("factor %s", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> TokenCounter.estimate(null, 1.2)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void compactJsonDropsWhitespaceOutsideStringsOnly() {
    String pretty = "{\n  \"type\" : \"object\",\n\t\"properties\": {\"q\": {\"description\": \"a \\\" b  c\"}}\r\n}";
    assertThat(ChatFormat.compactJson(pretty))
        .isEqualTo("{\"type\":\"object\",\"properties\":{\"q\":{\"description\":\"a \\\" b  c\"}}}");
    String compact = "{\"type\":\"object\"}";
    assertThat(ChatFormat.compactJson(compact)).isSameAs(compact);
  }

  @Test
  void utf8BoundIsTheUtf8LengthForWellFormedText() {
    for (String s : new String[] {"", "abc", "é", "中文", "🙂", "a🙂é中", "<|endoftext|>"}) {
      long utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      // Surrogate pairs count 6 instead of 4; everything else exactly.
      long pairs = s.codePoints().filter(Character::isSupplementaryCodePoint).count();
      assertThat(ChatFormat.utf8Bound(s)).as(s).isEqualTo(utf8 + 2 * pairs);
    }
  }
}
