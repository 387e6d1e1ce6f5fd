package dev.aigw.core.guardrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.GuardrailAction;
import dev.aigw.api.Role;
import dev.aigw.core.guardrail.Guardrail.Match;
import dev.aigw.core.guardrail.Guardrail.Site;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DenyListGuardrailTest {
  private static final Site USER = Site.input(Role.USER, 0);

  private static List<String> found(Guardrail guardrail, String text) {
    List<String> out = new ArrayList<>();
    for (Match m : guardrail.scan(text, USER)) {
      out.add(text.substring(m.start(), m.end()));
    }
    return out;
  }

  @Test
  void findsPhrasesOnWordBoundariesWhateverTheCase() {
    DenyListGuardrail g = DenyListGuardrail.builder().phrase("Acme Corp", "globex").build();
    assertThat(found(g, "We compared ACME corp with Globex's offer (globex).")).containsExactly("ACME corp", "Globex", "globex");
    assertThat(found(g, "acmecorp, globexian, myglobex")).isEmpty();
  }

  @Test
  void matchesCarryTheTypeTheActionAndAScoreOfOne() {
    DenyListGuardrail g = DenyListGuardrail.builder().phrase("globex").type("COMPETITOR").action(GuardrailAction.MASK).build();
    List<Match> matches = g.scan("try Globex today", USER);
    assertThat(matches).containsExactly(new Match("COMPETITOR", 4, 10, GuardrailAction.MASK, 1));
    assertThat(g.name()).isEqualTo("deny_list");
    assertThat(g.type()).isEqualTo("COMPETITOR");
  }

  @Test
  void defaultsAreBlockDeniedAndBothDirections() {
    DenyListGuardrail g = DenyListGuardrail.builder().phrase("x-ray").build();
    assertThat(g.scan("an x-ray", USER)).containsExactly(Match.of("DENIED", 3, 8, GuardrailAction.BLOCK));
    assertThat(g.scansInput()).isTrue();
    assertThat(g.scansOutput()).isTrue();
    assertThat(g.roles()).containsExactlyInAnyOrder(Role.USER, Role.ASSISTANT, Role.TOOL);
  }

  @Test
  void evasionsFoldAndOffsetsPointIntoTheOriginalText() {
    DenyListGuardrail g = DenyListGuardrail.builder().phrase("acme corp").build();
    // Cyrillic А and С, fullwidth ｏ, a zero-width space and a soft hyphen inside, a line break between
    String text = "Buy from \u0410\u0421me\u200B \uFF43\u043Er\u00ADp\n today";
    List<Match> matches = g.scan(text, USER);
    assertThat(matches).hasSize(1);
    Match m = matches.get(0);
    assertThat(m.start()).isEqualTo(9);
    assertThat(m.end()).isEqualTo(text.indexOf('\n'));
    assertThat(text.substring(m.start(), m.end())).isEqualTo("\u0410\u0421me\u200B \uFF43\u043Er\u00ADp");
  }

  @Test
  void runsOfWhiteSpaceMatchOneSpace() {
    DenyListGuardrail g = DenyListGuardrail.builder().phrase("  Acme   Corp ").build();
    String text = "see acme \t\n  corp and acme corp";
    List<Match> matches = g.scan(text, USER);
    assertThat(matches).extracting(Match::start).containsExactly(4, 22);
    assertThat(text.substring(matches.get(0).start(), matches.get(0).end())).isEqualTo("acme \t\n  corp");
  }

  @Test
  void mathematicalLettersMapToTheirSurrogatePairs() {
    DenyListGuardrail g = DenyListGuardrail.builder().phrase("acme").build();
    String text = "x \uD835\uDC1A\uD835\uDC1C\uD835\uDC26\uD835\uDC1E y"; // 𝐚𝐜𝐦𝐞
    Match m = g.scan(text, USER).get(0);
    assertThat(m.start()).isEqualTo(2);
    assertThat(m.end()).isEqualTo(10);
  }

  @Test
  void leetspeakOnlyWithTheFlag() {
    DenyListGuardrail plain = DenyListGuardrail.builder().phrase("acme corp").build();
    DenyListGuardrail leet = DenyListGuardrail.builder().phrase("acme corp").foldLeetspeak(true).build();
    assertThat(found(plain, "4CM3 C0RP rocks")).isEmpty();
    assertThat(found(leet, "4CM3 C0RP rocks")).containsExactly("4CM3 C0RP");
    assertThat(found(DenyListGuardrail.builder().phrase("kill").foldLeetspeak(true).build(), "k1ll it"))
        .containsExactly("k1ll");
  }

  @Test
  void diacriticsOnlyWithTheFlag() {
    assertThat(found(DenyListGuardrail.builder().phrase("cafe").build(), "Caf\u00E9 Noir")).isEmpty();
    assertThat(found(DenyListGuardrail.builder().phrase("cafe").foldDiacritics(true).build(), "Caf\u00E9 Noir"))
        .containsExactly("Caf\u00E9");
    assertThat(found(DenyListGuardrail.builder().phrase("caf\u00E9").build(), "CAFE\u0301 noir")).containsExactly("CAFE\u0301");
  }

  @Test
  void regexesRunOnTheFoldedTextCaseInsensitively() {
    DenyListGuardrail g = DenyListGuardrail.builder().regex("project\\s+(?:falcon|eagle)-\\d+").build();
    String text = "See PROJECT  Falcon-7 and pr\u043Eject eagle-12.";
    assertThat(found(g, text)).containsExactly("PROJECT  Falcon-7", "pr\u043Eject eagle-12");
  }

  @Test
  void regexesDoNotSeeLeetspeakFolding() {
    DenyListGuardrail g = DenyListGuardrail.builder().phrase("acme").regex("file\\d+").foldLeetspeak(true).build();
    assertThat(found(g, "open file12 from 4cme")).containsExactly("file12", "4cme");
  }

  @Test
  void overlappingFindingsResolveLeftmostLongestAndSortByStart() {
    DenyListGuardrail g = DenyListGuardrail.builder().phrase("acme", "acme corp", "corp ltd").regex("ltd\\.?").build();
    String text = "ltd. acme corp ltd";
    List<Match> matches = g.scan(text, USER);
    assertThat(matches).extracting(m -> text.substring(m.start(), m.end())).containsExactly("ltd.", "acme corp", "ltd");
    for (int i = 1; i < matches.size(); i++) {
      assertThat(matches.get(i).start()).isGreaterThanOrEqualTo(matches.get(i - 1).end());
    }
  }

  @Test
  void hundredsOfPhrasesAreAllFound() {
    List<String> phrases = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      phrases.add("brand" + i + " " + (char) ('a' + i % 26) + "co");
    }
    DenyListGuardrail g = DenyListGuardrail.builder().phrases(phrases).build();
    assertThat(g.inputPhraseCount()).isEqualTo(600);
    assertThat(g.outputPhraseCount()).isEqualTo(600);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 600; i += 7) {
      text.append("we met ").append(phrases.get(i).toUpperCase()).append(" yesterday. ");
    }
    assertThat(g.scan(text.toString(), USER)).hasSize((600 + 6) / 7);
  }

  @Test
  void manyPhrasesInALargeAlphabetStillMatch() {
    // thousands of Han phrases make the dense table too big, so the automaton follows failure links
    Random random = new Random(3);
    List<String> phrases = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      StringBuilder p = new StringBuilder();
      for (int k = 0; k < 4; k++) {
        p.append((char) (0x4E00 + random.nextInt(6000)));
      }
      phrases.add(p.toString());
    }
    DenyListGuardrail g = DenyListGuardrail.builder().phrases(phrases).build();
    String text = "他说" + phrases.get(17) + "很好，还有" + phrases.get(2999) + "。acme";
    assertThat(found(g, text)).containsExactly(phrases.get(17), phrases.get(2999));
  }

  @Test
  void scriptsWithoutSpacesNeedNoWordBoundary() {
    DenyListGuardrail g = DenyListGuardrail.builder().phrase("竞争对手", "acme").build();
    assertThat(found(g, "我们的竞争对手是acme公司")).containsExactly("竞争对手", "acme");
  }

  @Test
  void scansTheConfiguredRolesOnInput() {
    DenyListGuardrail g = DenyListGuardrail.builder().phrase("acme").build();
    assertThat(g.scan("acme", Site.input(Role.SYSTEM, 0))).isEmpty();
    assertThat(g.scan("acme", Site.input(Role.TOOL, 2))).hasSize(1);
    assertThat(g.scan("acme", Site.input(Role.ASSISTANT, 1))).hasSize(1);
    assertThat(g.scan("acme", Site.output())).hasSize(1);
    DenyListGuardrail systemOnly = DenyListGuardrail.builder().phrase("acme").roles(Role.SYSTEM).build();
    assertThat(systemOnly.scan("acme", Site.input(Role.SYSTEM, 0))).hasSize(1);
    assertThat(systemOnly.scan("acme", USER)).isEmpty();
  }

  @Test
  void eachDirectionHasItsOwnListsAndIsScannedWhenItHasOne() {
    DenyListGuardrail outputOnly = DenyListGuardrail.builder().outputPhrases("acme rocket skates").build();
    assertThat(outputOnly.scansInput()).isFalse();
    assertThat(outputOnly.scansOutput()).isTrue();
    assertThat(outputOnly.scan("Acme Rocket Skates", USER)).isEmpty();
    assertThat(outputOnly.scan("Acme Rocket Skates", Site.output())).hasSize(1);

    DenyListGuardrail split = DenyListGuardrail.builder()
        .phrase("shared")
        .inputPhrases("jailbreak kit")
        .outputPhrases("globex")
        .inputRegex("ticket-\\d+")
        .outputRegex("build-\\d+")
        .build();
    String text = "shared jailbreak kit globex ticket-42 build-7";
    assertThat(split.scan(text, USER)).extracting(m -> text.substring(m.start(), m.end()))
        .containsExactly("shared", "jailbreak kit", "ticket-42");
    assertThat(split.scan(text, Site.output())).extracting(m -> text.substring(m.start(), m.end()))
        .containsExactly("shared", "globex", "build-7");
    assertThat(split.inputPhraseCount()).isEqualTo(2);
    assertThat(split.outputPhraseCount()).isEqualTo(2);

    DenyListGuardrail inputOnly = DenyListGuardrail.builder().inputRegex("secret-\\w+").build();
    assertThat(inputOnly.scansOutput()).isFalse();
    assertThat(inputOnly.scan("secret-x", Site.output())).isEmpty();
    assertThat(inputOnly.maxMatchLength()).isZero();
  }

  @Test
  void maxMatchLengthCoversPaddedOutputPhrasesAndTheRegexBound() {
    assertThat(DenyListGuardrail.builder().phrase("acme", "acme corporation").build().maxMatchLength()).isEqualTo(64);
    assertThat(DenyListGuardrail.builder().phrase("acme").regex("x+").build().maxMatchLength()).isEqualTo(256);
    assertThat(DenyListGuardrail.builder().regex("x+").maxRegexMatchLength(1000).build().maxMatchLength()).isEqualTo(1000);
    assertThat(DenyListGuardrail.builder().outputPhrases("acme").inputPhrases("a much longer input phrase").build()
        .maxMatchLength()).isEqualTo(16);
  }

  @Test
  void theBuilderRejectsBadArgumentsAtOnce() {
    assertThatThrownBy(() -> DenyListGuardrail.builder().regex("ok", "(unclosed"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(unclosed");
    assertThatThrownBy(() -> DenyListGuardrail.builder().phrase(" \u200B "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("phrase");
    assertThatThrownBy(() -> DenyListGuardrail.builder().phrase((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> DenyListGuardrail.builder().type("competitor"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> DenyListGuardrail.builder().name("Deny List"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> DenyListGuardrail.builder().maxRegexMatchLength(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRegexMatchLength");
    assertThatThrownBy(() -> DenyListGuardrail.builder().roles())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("roles");
    assertThatThrownBy(() -> DenyListGuardrail.builder().action(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> DenyListGuardrail.builder().outputRegex("[z-a]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[z-a]");
    assertThatThrownBy(() -> DenyListGuardrail.builder().inputPhrases("ok", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("phrase");
    assertThatThrownBy(() -> DenyListGuardrail.builder().roles(Role.USER, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("roles[1]");
    assertThatThrownBy(() -> DenyListGuardrail.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("phrase or regex");
  }

  @Test
  void emptyRegexMatchesAreIgnored() {
    DenyListGuardrail g = DenyListGuardrail.builder().regex("x*").build();
    assertThat(found(g, "abc xx d")).containsExactly("xx");
  }
}
