package dev.aigw.core.guardrail;

import static dev.aigw.core.guardrail.PiiTypesTest.found;
import static dev.aigw.core.guardrail.PiiTypesTest.jwt;
import static dev.aigw.core.guardrail.PiiTypesTest.pem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.GuardrailAction;
import dev.aigw.api.Role;
import dev.aigw.core.guardrail.Guardrail.Match;
import dev.aigw.core.guardrail.Guardrail.Site;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PiiGuardrailTest {
  static final Site INPUT = Site.input(Role.USER, 0);
  static final Site OUTPUT = Site.output();

  /** One of each type, with the text of each. */
  static final String EMAIL = "jane.doe@example.com";
  static final String PHONE = "+1 415-555-2671";
  static final String CARD = "4111 1111 1111 1111";
  static final String IBAN = "DE89 3704 0044 0532 0130 00";
  static final String SSN = "123-45-6789";
  static final String IP = "192.168.10.24";
  static final String KEY = "AKIA" + "IOSFODNN7EXAMPLE";
  static final String PRIVATE_KEY = pem("PRIVATE KEY", PiiTypesTest.base64Lines(1190, 64, "\n", 7));
  static final String JWT = jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"42\"}");
  static final String PASSWORD = "hunter2";
  static final String ALL = "Mail " + EMAIL + ", call " + PHONE + ", card " + CARD + ", IBAN " + IBAN + ", SSN " + SSN
      + ", host " + IP + ", key " + KEY + ",\n" + PRIVATE_KEY + "\ntoken " + JWT + ", db postgres://app:" + PASSWORD
      + "@db.internal/app.";
  static final List<String> VALUES = List.of(EMAIL, PHONE, CARD, IBAN, SSN, IP, KEY, PRIVATE_KEY, JWT, PASSWORD);

  @Test
  void theDefaultsMaskEveryTypeOnInputAndDoNotScanOutput() {
    PiiGuardrail pii = PiiGuardrail.defaults();
    assertThat(pii.name()).isEqualTo("pii");
    assertThat(pii.scansInput()).isTrue();
    assertThat(pii.scansOutput()).isFalse();
    assertThat(pii.actions()).containsOnlyKeys(PiiType.values()).allSatisfy((type, action) -> assertThat(action).isEqualTo(GuardrailAction.MASK));
    assertThat(pii.maxMatchLength()).isEqualTo(4096);
    assertThat(PiiGuardrail.builder().build().actions()).isEqualTo(pii.actions());
  }

  @Test
  void everyTypeIsFoundInOneTextInOrderWithItsAction() {
    List<Match> matches = PiiGuardrail.defaults().scan(ALL, INPUT);
    assertThat(matches).extracting(Match::type).containsExactly(
        "EMAIL", "PHONE", "PAYMENT_CARD", "IBAN", "US_SSN", "IP_ADDRESS", "API_KEY", "PRIVATE_KEY", "JWT", "URL_PASSWORD");
    for (int i = 0; i < matches.size(); i++) {
      Match m = matches.get(i);
      assertThat(ALL.substring(m.start(), m.end())).isEqualTo(VALUES.get(i));
      assertThat(m.action()).isEqualTo(GuardrailAction.MASK);
      assertThat(m.score()).isEqualTo(1.0);
    }
  }

  @Test
  void aMatchCarriesNoTextAndNeitherDoesTheGuardrail() {
    PiiGuardrail pii = PiiGuardrail.builder().scanOutput(true).build();
    List<Match> matches = pii.scan(ALL, INPUT);
    assertThat(matches).hasSize(VALUES.size());
    for (Match m : matches) {
      for (String value : VALUES) {
        assertThat(m.toString()).doesNotContain(value);
      }
    }
    for (String value : VALUES) {
      assertThat(pii.toString()).doesNotContain(value);
    }
    assertThatThrownBy(() -> pii.scan(null, INPUT)).isInstanceOf(NullPointerException.class).hasMessage("text");
    assertThatThrownBy(() -> pii.scan(ALL, null)).isInstanceOf(NullPointerException.class).hasMessage("site");
  }

  @Test
  void eachTypeHasItsOwnAction() {
    PiiGuardrail pii = PiiGuardrail.builder()
        .action(PiiType.PRIVATE_KEY, GuardrailAction.BLOCK)
        .action(PiiType.EMAIL, GuardrailAction.FLAG)
        .build();
    assertThat(pii.scan(ALL, INPUT)).allSatisfy(m -> assertThat(m.action()).isEqualTo(
        m.type().equals("PRIVATE_KEY") ? GuardrailAction.BLOCK : m.type().equals("EMAIL") ? GuardrailAction.FLAG : GuardrailAction.MASK));
    assertThat(pii.actions()).containsEntry(PiiType.PRIVATE_KEY, GuardrailAction.BLOCK).containsEntry(PiiType.PHONE, GuardrailAction.MASK);
  }

  @Test
  void onlyAndDisableChooseTheTypesAndActionEnablesAgain() {
    PiiGuardrail emails = PiiGuardrail.builder().action(PiiType.EMAIL, GuardrailAction.BLOCK).only(PiiType.EMAIL).build();
    assertThat(emails.actions()).containsExactly(java.util.Map.entry(PiiType.EMAIL, GuardrailAction.BLOCK));
    assertThat(emails.scan(ALL, INPUT)).extracting(Match::type).containsExactly("EMAIL");
    assertThat(emails.maxMatchLength()).isEqualTo(254);

    PiiGuardrail noIp = PiiGuardrail.builder().disable(PiiType.IP_ADDRESS, PiiType.PRIVATE_KEY).build();
    assertThat(noIp.actions()).doesNotContainKeys(PiiType.IP_ADDRESS, PiiType.PRIVATE_KEY).hasSize(8);
    assertThat(noIp.scan(ALL, INPUT)).extracting(Match::type).doesNotContain("IP_ADDRESS", "PRIVATE_KEY").hasSize(8);

    PiiGuardrail again = PiiGuardrail.builder().only(PiiType.EMAIL).action(PiiType.PHONE, GuardrailAction.FLAG).build();
    assertThat(again.actions()).containsOnlyKeys(PiiType.EMAIL, PiiType.PHONE);

    PiiGuardrail short256 = PiiGuardrail.builder().disable(PiiType.PRIVATE_KEY, PiiType.JWT).build();
    assertThat(short256.maxMatchLength()).isEqualTo(256);
    assertThat(PiiGuardrail.builder().only(PiiType.US_SSN).build().maxMatchLength()).isEqualTo(11);
  }

  @Test
  void maxMatchLengthIsTheLargestOfTheTypes() {
    for (PiiType type : PiiType.values()) {
      assertThat(PiiGuardrail.builder().only(type).build().maxMatchLength()).isEqualTo(type.maxLength());
    }
    assertThat(EnumSet.allOf(PiiType.class)).filteredOn(PiiType::isSecret)
        .containsExactlyInAnyOrder(PiiType.API_KEY, PiiType.PRIVATE_KEY, PiiType.JWT, PiiType.URL_PASSWORD);
  }

  @Test
  void outputIsScannedOnlyWhenAskedAndWithTheSameActions() {
    PiiGuardrail pii = PiiGuardrail.builder().scanOutput(true).action(PiiType.API_KEY, GuardrailAction.BLOCK).build();
    assertThat(pii.scansOutput()).isTrue();
    assertThat(pii.scansInput()).isTrue();
    assertThat(pii.scan(ALL, OUTPUT)).isEqualTo(pii.scan(ALL, INPUT));
    PiiGuardrail outputOnly = PiiGuardrail.builder().scanInput(false).scanOutput(true).build();
    assertThat(outputOnly.scansInput()).isFalse();
  }

  @Test
  void onOutputNoMatchIsLongerThanMaxMatchLength() {
    PiiGuardrail pii = PiiGuardrail.builder().scanOutput(true).build();
    String longJwt = jwt("{\"alg\":\"RS256\"}", "{\"groups\":\"" + "g".repeat(4000) + "\"}");
    String longKey = pem("RSA PRIVATE KEY", PiiTypesTest.base64Lines(6300, 64, "\n", 9)); // an RSA-8192 key's size
    assertThat(longJwt.length()).isGreaterThan(pii.maxMatchLength());
    assertThat(longKey.length()).isGreaterThan(pii.maxMatchLength());
    assertThat(found(pii, longJwt + " " + longKey, INPUT)).containsExactly("JWT[" + longJwt + "]", "PRIVATE_KEY[" + longKey + "]");
    assertThat(pii.scan(longJwt + " " + longKey, OUTPUT)).isEmpty();
    assertThat(pii.scan(ALL, OUTPUT)).allSatisfy(m -> assertThat(m.end() - m.start()).isLessThanOrEqualTo(pii.maxMatchLength()));
  }

  @Test
  void theBuilderChecksEachArgumentAtOnce() {
    PiiGuardrail.Builder builder = PiiGuardrail.builder();
    assertThatThrownBy(() -> builder.name(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> builder.name("PII")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> builder.name("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.action(null, GuardrailAction.MASK)).isInstanceOf(NullPointerException.class).hasMessage("type");
    assertThatThrownBy(() -> builder.action(PiiType.EMAIL, null)).isInstanceOf(NullPointerException.class).hasMessage("action");
    assertThatThrownBy(() -> builder.only()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("types");
    assertThatThrownBy(() -> builder.only((PiiType[]) null)).isInstanceOf(NullPointerException.class).hasMessage("types");
    assertThatThrownBy(() -> builder.only(PiiType.EMAIL, null)).isInstanceOf(NullPointerException.class).hasMessage("types[1]");
    assertThatThrownBy(() -> builder.disable((PiiType) null)).isInstanceOf(NullPointerException.class).hasMessage("types[0]");
    assertThat(builder.name("pii-strict").build().name()).isEqualTo("pii-strict");

    assertThatThrownBy(() -> PiiGuardrail.builder().disable(PiiType.values()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no PII type");
    assertThatThrownBy(() -> PiiGuardrail.builder().scanInput(false).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("neither input nor output");
  }

  @Test
  void positionsAreCharOffsetsAndOnlyAsciiDigitsCount() {
    String text = "😀 é " + EMAIL;
    assertThat(PiiGuardrail.defaults().scan(text, INPUT)).containsExactly(Match.of("EMAIL", 5, 5 + EMAIL.length(), GuardrailAction.MASK));
    assertThat(found("４１１１ １１１１ １１１１ １１１１")).isEmpty(); // full-width digits
    assertThat(found("١٢٣-٤٥-٦٧٨٩")).isEmpty(); // Arabic-Indic digits
    assertThat(found("é4111111111111111 and ü123-45-6789")).isEmpty(); // glued to letters of another script
  }

  /**
   * Text full of numbers that are not personal data: prices, dates, times, order and invoice
   * numbers, versions, hashes, identifiers, code. One match is expected and kept here on purpose:
   * a four-part dotted number whose parts are 0–255 is an IPv4 address to the detector, so the
   * OID below is reported (version numbers are not, after "v", "version", "build" or "release").
   */
  @Test
  void benignTextWithManyNumbersYieldsTheExpectedMatchesOnly() {
    String text = String.join("\n",
        "Order #100234567 shipped on 2024-03-05 at 10:30:15 UTC; total $1,299.99 (3 items, 15% off, 2 x 49.50).",
        "Invoice INV-2024-000123 is due 15.04.2024 for EUR 2.499,00; ref 2024/03/05-17, customer no. 004711.",
        "Release notes for version 2.14.1 (build 20240305.1): fixes #4521 and #4533; see RFC 5322 section 3.4.1.",
        "Upgrade from v1.2.3.4 to version 1.2.3.5 (build 4.3.2.1); Python 3.11.4; node v20.11.1; Java 17.0.15+6.",
        "Tracking 1Z999AA10123456784, ISBN 978-3-16-148410-0, SKU 12-3456-789, part 3-4567-8901-2.",
        "Coordinates 37.7749,-122.4194; elevation 52 m; 23.5 °C; ratio 16:9; final score 3-2; 1/2 cup.",
        "Epoch 1709631015 s or 1709631015123 ms; uuid 123e4567-e89b-12d3-a456-426614174000.",
        "Commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39, image sha256:9b2a44c1, port 8080, pid 31337.",
        "Screen 1920 x 1080 at 60 Hz, 1024x768, 4K; chapter 12.3.4; OID 2.5.29.17; years 1999-2004.",
        "C++: std::vector<int> v; a::b::c(); Rust: Vec::new(); Haskell: f :: Int -> Int; ::before and after::",
        "Phone extension x1234, room 4-201, flight LH 454, seat 12A, gate B22, call 555-0100 (fictional).",
        "Math: 3.14159265358979, 2.718281828, 1e-9, 6.022e23, 1,000,000 and 10^12; +5% and (+3) points.",
        "Account ID 123456789 (not an SSN: no cue), PIN 1234, code 000-000, batch 2024-000001-01.",
        "Markdown:\n-----\n---\n| a | b |\n|---|---|\n- item: value\nNote: http://example.com/a:b@c is a path.",
        "Names: sk-learn, skip_this, ghost, xoxo, hfile, npm install, AKIA (a word), eyJust kidding, DEAR Sir.");
    List<Match> matches = PiiGuardrail.defaults().scan(text, INPUT);
    assertThat(found(text)).containsExactly("IP_ADDRESS[2.5.29.17]");
    assertThat(matches).hasSize(1);
  }

  /** Invariants on random text rich in the chars detectors look at: sorted, apart, in bounds, no exception. */
  @Test
  void randomTextKeepsTheInvariants() {
    String[] pieces = {"@", ".", ":", "::", "-", "--", "-----BEGIN PRIVATE KEY-----\n", "-----END PRIVATE KEY-----", "+", "(", ")",
        " ", "\n", "/", "//", "://", "a", "Z", "e", "eyJ", "sk-", "ghp_", "AKIA", "DE89", "0", "1", "4", "9", "00", "4111",
        "123", "45", "6789", "com", "x", "é", "😀", "\\n", "=", "_", "SSN ", "v", "%", "[", "]", "#", ","};
    Random random = new Random(42);
    PiiGuardrail pii = PiiGuardrail.builder().scanOutput(true).build();
    for (int round = 0; round < 3000; round++) {
      StringBuilder sb = new StringBuilder();
      int count = random.nextInt(80);
      for (int i = 0; i < count; i++) {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
      String text = sb.toString();
      for (Site site : List.of(INPUT, OUTPUT)) {
        List<Match> matches = pii.scan(text, site);
        int end = 0;
        for (Match m : matches) {
          assertThat(m.start()).as(text).isGreaterThanOrEqualTo(end);
          assertThat(m.end()).as(text).isGreaterThan(m.start()).isLessThanOrEqualTo(text.length());
          end = m.end();
        }
      }
    }
  }

  @Test
  void aPiiTypeNamesAValidPlaceholder() {
    for (PiiType type : PiiType.values()) {
      assertThat(Match.of(type.name(), 0, 1, GuardrailAction.MASK).type()).isEqualTo(type.name());
      assertThat(type.name()).matches("[A-Z][A-Z0-9_]*").hasSizeLessThanOrEqualTo(12);
    }
  }
}
