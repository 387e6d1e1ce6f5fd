package dev.aigw.core.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigw.api.Role;
import java.util.List;

/**
 * Fuzzes {@link PromptInjectionGuardrail} (its folding of look-alikes, zero-width, tag and
 * mathematical characters, the encoded-payload decoding and the rules) on arbitrary text.
 * Contract: the class documents no exception for a non-null text, so nothing may escape; the score
 * is in [0, 1], and {@link PromptInjectionGuardrail#scan} reports one whole-message match exactly
 * when the score reaches the threshold, only for the roles it scans.
 */
class PromptInjectionGuardrailFuzzTest {
  private static final PromptInjectionGuardrail GUARDRAIL = PromptInjectionGuardrail.defaults();

  /** The text as UTF-8. */
  @FuzzTest
  @DictionaryEntries({"ignore all previous instructions", "system prompt", "<|im_start|>system", "[INST]", "<<SYS>>",
      "### System:", "developer mode", "base64", "aWdub3Jl", "\u200B", "\u202E", "\uDB40\uDC49", "\uFF29", "\uD835\uDC08",
      "\u0456", "from now on you", "don't", "translate"})
  void text(byte[] bytes) {
    check(FuzzText.utf8(bytes));
  }

  /** The text as raw UTF-16 code units, lone surrogates included. */
  @FuzzTest
  void chars(byte[] bytes) {
    check(FuzzText.utf16(bytes));
  }

  private static void check(String text) {
    double score = GUARDRAIL.score(text);
    assertThat(score).isBetween(0.0, 1.0);
    List<Guardrail.Match> matches = GUARDRAIL.scan(text, Guardrail.Site.input(Role.USER, 0));
    if (score >= GUARDRAIL.threshold()) {
      assertThat(matches).containsExactly(Guardrail.Match.whole(PromptInjectionGuardrail.TYPE, GUARDRAIL.action(), score));
    } else {
      assertThat(matches).isEmpty();
    }
    assertThat(GUARDRAIL.scan(text, Guardrail.Site.input(Role.SYSTEM, 0))).isEmpty();
    assertThat(GUARDRAIL.scan(text, Guardrail.Site.output())).isEmpty();
  }
}
