package dev.aigw.core.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigw.api.Role;
import java.util.List;

/**
 * Fuzzes {@link PiiGuardrail} (every {@link PiiType} detector, in one pass) on arbitrary text.
 * Contract: only {@link NullPointerException} for a null argument is documented, so nothing may
 * escape; matches are sorted by start, do not overlap and lie within the text; an output match is
 * no longer than its type's {@link PiiType#maxLength()}; and, as documented, input and output are
 * scanned alike except for private keys and JWTs longer than 4,096 chars, so below that length
 * both find the same.
 */
class PiiGuardrailFuzzTest {
  private static final PiiGuardrail GUARDRAIL = PiiGuardrail.builder().scanOutput(true).build();
  private static final Guardrail.Site INPUT = Guardrail.Site.input(Role.USER, 0);

  /** The text as UTF-8. */
  @FuzzTest
  @DictionaryEntries({"@example.com", "+1 415-555-2671", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00",
      "123-45-6789", "192.168.", "::ffff:", "AKIA", "sk-proj-", "ghp_", "AIza", "xoxb-", "-----BEGIN PRIVATE KEY-----",
      "-----END PRIVATE KEY-----", "eyJhbGciOi", "postgres://app:", "\\n"})
  void text(byte[] bytes) {
    check(FuzzText.utf8(bytes));
  }

  /** The text as raw UTF-16 code units, lone surrogates included. */
  @FuzzTest
  void chars(byte[] bytes) {
    check(FuzzText.utf16(bytes));
  }

  private static void check(String text) {
    List<Guardrail.Match> input = GUARDRAIL.scan(text, INPUT);
    List<Guardrail.Match> output = GUARDRAIL.scan(text, Guardrail.Site.output());
    checkSpans(input, text);
    checkSpans(output, text);
    for (Guardrail.Match match : output) {
      assertThat(match.end() - match.start()).isLessThanOrEqualTo(PiiType.valueOf(match.type()).maxLength());
    }
    if (text.length() <= PiiType.JWT.maxLength()) {
      assertThat(output).isEqualTo(input);
    }
  }

  private static void checkSpans(List<Guardrail.Match> matches, String text) {
    int previousEnd = 0;
    for (Guardrail.Match match : matches) {
      assertThat(match.start()).isGreaterThanOrEqualTo(previousEnd);
      assertThat(match.end()).isGreaterThan(match.start()).isLessThanOrEqualTo(text.length());
      assertThat(match.score()).isEqualTo(1.0);
      previousEnd = match.end();
    }
  }
}
