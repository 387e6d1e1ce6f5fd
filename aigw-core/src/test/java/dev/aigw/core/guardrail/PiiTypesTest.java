package dev.aigw.core.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.Role;
import dev.aigw.core.guardrail.Guardrail.Match;
import dev.aigw.core.guardrail.Guardrail.Site;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What each {@link PiiType} finds and what it leaves alone, one table per type. A positive is
 * embedded in a sentence and must be found whole, as the only match; a negative must yield no
 * match of the type (or none at all where said).
 *
 * <p>Secret-looking values are assembled at run time from a prefix and a generated body, so that
 * no credential-shaped literal sits in the source for secret scanners to trip on.
 */
class PiiTypesTest {
  static final Site INPUT = Site.input(Role.USER, 0);
  static final PiiGuardrail PII = PiiGuardrail.defaults();

  /** The matches in {@code text} as "TYPE[matched text]". */
  static List<String> found(String text) {
    return found(PII, text, INPUT);
  }

  static List<String> found(PiiGuardrail guardrail, String text, Site site) {
    List<String> out = new ArrayList<>();
    for (Match m : guardrail.scan(text, site)) {
      out.add(m.type() + "[" + text.substring(m.start(), m.end()) + "]");
    }
    return out;
  }

  static void assertFoundAlone(PiiType type, String value) {
    for (String text : List.of(value, "Here: " + value + ".", "(" + value + ")", "x " + value + "\nnext line")) {
      assertThat(found(text)).as(text).containsExactly(type + "[" + value + "]");
    }
  }

  static void assertNoneOf(PiiType type, String text) {
    assertThat(found("Here: " + text + " ok")).as(text).noneMatch(m -> m.startsWith(type + "["));
  }

  // ---------------------------------------------------------------- payment cards

  /** Test numbers published by the card networks and acquirers for their test environments. */
  @ParameterizedTest
  @ValueSource(strings = {
      "4111111111111111", "4012888888881881", "4242424242424242", "4000056655665556", "4222222222222", // Visa 16, 13
      "4111111111111111110", // Visa 19
      "5555555555554444", "5105105105105100", "2223003122003222", "2221000000000009", // Mastercard 5x, 2-series
      "378282246310005", "371449635398431", "378734493671000", // American Express
      "6011111111111117", "6011000990139424", "6011981111111113", "6221260000000000", // Discover, UnionPay co-brand
      "3530111333300000", "3566002020360505", // JCB
      "30569309025904", "38520000023237", "36227206271667", // Diners Club
      "6200000000000005", "6200000000000047", // UnionPay
      "6759649826438453", "6304000000000000", // Maestro
      "2200000000000004", // Mir
      "4111 1111 1111 1111", "4111-1111-1111-1111", "3782 822463 10005", "3056 9309 0259 04", "4111 1111 1111 1111 110"})
  void paymentCardsOfTheNetworksTestRangesAreFound(String card) {
    assertFoundAlone(PiiType.PAYMENT_CARD, card);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "4111111111111112", "4111 1111 1111 1112", "5555555555554445", // Luhn check digit wrong
      "1234567812345670", "9111111111111110", "8000000000000003", // Luhn-valid, but no network has the prefix
      "0000000000000000", "0000 0000 0000 0000", "6666666666666", // one repeated digit (the only Luhn-valid ones)
      "37828224631000", "3782822463100050", // Amex is 15 digits
      "4111 1111-1111 1111", "4111  1111 1111 1111", "411 11111 1111 1111", // mixed or double separators, first group not 4
      "41111111111111111111", // 20 digits
      "x4111111111111111", "4111111111111111x", "4111111111111111.50", "4111111111111111-2"})
  void numbersThatAreNoCardAreLeftAlone(String text) {
    assertNoneOf(PiiType.PAYMENT_CARD, text);
  }

  @Test
  void theLuhnCheckIsIso7812s() {
    assertThat(dev.aigw.core.guardrail.internal.Luhn.valid("79927398713")).isTrue(); // the textbook example
    for (int last = 0; last <= 9; last++) {
      assertThat(dev.aigw.core.guardrail.internal.Luhn.valid("7992739871" + last)).isEqualTo(last == 3);
    }
    assertThat(dev.aigw.core.guardrail.internal.Luhn.valid("0")).isTrue();
  }

  @Test
  void aGroupedCardEndsAtTheLastGroupThatMakesItValid() {
    String text = "card 4111 1111 1111 1111 123 exp 12/29";
    assertThat(PII.scan(text, INPUT)).containsExactly(Match.of("PAYMENT_CARD", 5, 24, dev.aigw.api.GuardrailAction.MASK));
  }

  // ---------------------------------------------------------------- IBAN

  /** Examples of the SWIFT IBAN registry and of national banks. */
  @ParameterizedTest
  @ValueSource(strings = {
      "DE89370400440532013000", "GB29NWBK60161331926819", "GB82WEST12345698765432", "FR1420041010050500013M02606",
      "NL91ABNA0417164300", "BE68539007547034", "ES9121000418450200051332", "IT60X0542811101000000123456",
      "CH9300762011623852957", "AT611904300234573201", "NO9386011117947", "PL61109010140000071219812874",
      "DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606", "NL91 ABNA 0417 1643 00"})
  void ibansFromTheRegistryAreFound(String iban) {
    assertFoundAlone(PiiType.IBAN, iban);
  }

  static Stream<String> computedIbans() {
    return Stream.of(
        iban("DE", "500105175407324931"), iban("GB", "NWBK60161331926819"), iban("FR", "30006000011234567890189"),
        iban("NL", "INGB0001234567"), iban("ES", "21000418450200051332"), iban("IT", "X0542811101000000123456"),
        iban("PL", "109010140000071219812874"), iban("SE", "50000000058398257466"), iban("NO", "86011117947"),
        iban("BE", "539007547034"), iban("CH", "00762011623852957"), iban("MT", "MALT011000012345MTLCAST001S"),
        iban("SA", "80000000608010167519"), iban("BR", "00360305000010009795493P1"), iban("LC", "HEMM000100010012001200023015"))
        .flatMap(iban -> Stream.of(iban, print(iban)));
  }

  @ParameterizedTest
  @MethodSource("computedIbans")
  void ibansWithComputedCheckDigitsAreFoundInBothFormats(String iban) {
    assertFoundAlone(PiiType.IBAN, iban);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "DE88370400440532013000", "DE89 3704 0044 0532 0130 01", // check digits wrong
      "DE8937040044053201300", "DE89 3704 0044 0532 0130 0", // one char short of DE's 22
      "DE893704004405320130000", "NL91ABNA04171643001", // one char too many
      "XX89370400440532013000", "US12345678901234567890", // no IBAN country
      "de89370400440532013000", // lower case
      "DE89 37040044 0532 0130 00", "DE89  3704 0044 0532 0130 00", // broken grouping
      "ADE89370400440532013000"})
  void ibansThatAreWrongAreLeftAlone(String text) {
    assertThat(found("Here: " + text + " ok")).as(text).isEmpty();
  }

  @Test
  void theLengthTableFollowsTheRegistry() {
    assertThat(dev.aigw.core.guardrail.internal.Iban.length("DE")).isEqualTo(22);
    assertThat(dev.aigw.core.guardrail.internal.Iban.length("NO")).isEqualTo(15); // the shortest
    assertThat(dev.aigw.core.guardrail.internal.Iban.length("RU")).isEqualTo(33); // the longest in use
    assertThat(dev.aigw.core.guardrail.internal.Iban.length("CR")).isEqualTo(22);
    assertThat(dev.aigw.core.guardrail.internal.Iban.length("US")).isZero();
    assertThat(dev.aigw.core.guardrail.internal.Iban.length("de")).isZero();
  }

  /** An IBAN with check digits computed here, independently of the detector (BigInteger mod 97). */
  static String iban(String country, String bban) {
    StringBuilder digits = new StringBuilder();
    for (char c : (bban + country + "00").toCharArray()) {
      digits.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    int check = 98 - new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue();
    return country + String.format("%02d", check) + bban;
  }

  /** The print format: groups of four. */
  static String print(String iban) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < iban.length(); i += 4) {
      out.append(i == 0 ? "" : " ").append(iban, i, Math.min(iban.length(), i + 4));
    }
    return out.toString();
  }

  // ---------------------------------------------------------------- US SSN

  @ParameterizedTest
  @ValueSource(strings = {"123-45-6789", "078-05-1120", "001-01-0001", "899-99-9999", "665-12-3456", "123 45 6789"})
  void ssnsInTheirWrittenFormsAreFound(String ssn) {
    assertFoundAlone(PiiType.US_SSN, ssn);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SSN: 123456789", "SSN#123456789", "ssn 123456789", "Social Security number 123456789",
      "social security no. 123456789", "my SSN is 123456789"})
  void nineDigitsInARowAreAnSsnOnlyAfterACue(String text) {
    assertThat(found(text)).containsExactly("US_SSN[123456789]");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", // areas never issued
      "123-00-6789", "123-45-0000", // group 00, serial 0000
      "SSN: 000123456", "SSN: 666123456", "SSN: 123006789",
      "123456789", "order 123456789", "SSN: 12345678", "SSN 1234567890", // no cue, or not nine digits
      "SSN 123-45-67890", "1123-45-6789", "123-45-6789-1", "123-456-789", "123-45 6789"})
  void numbersThatAreNoSsnAreLeftAlone(String text) {
    assertNoneOf(PiiType.US_SSN, text);
  }

  @Test
  void aCueBelongsToTheNextNumberOnly() {
    assertThat(found("SSN: 123456789 and order 234567890")).containsExactly("US_SSN[123456789]");
  }

  // ---------------------------------------------------------------- e-mail

  @ParameterizedTest
  @ValueSource(strings = {"john.doe@example.com", "john+tag@example.co.uk", "j_d%x-y@sub.example.org", "JOHN@EXAMPLE.COM",
      "x@xn--80ak6aa92e.com", "123456@qq.com", "a@b.io"})
  void emailsAreFound(String email) {
    assertFoundAlone(PiiType.EMAIL, email);
  }

  @ParameterizedTest
  @ValueSource(strings = {"<%s>", "'%s'", "\"%s\"", "%s.", "%s,", "%s;", "mailto:%s", "Email:%s", "[%s](mailto:%s)",
      "...%s", "{\"email\":\"%s\"}", "(%s)", "%s!"})
  void emailsInPunctuationAreFoundWithoutIt(String template) {
    String text = template.replace("%s", "jane.doe@example.com");
    assertThat(found(text)).as(text).isNotEmpty().allMatch(m -> m.equals("EMAIL[jane.doe@example.com]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"@mention", "foo@bar", "user@localhost", "logo@2x.png", "icon@3x.jpg", "john@@example.com",
      "john..doe@example.com", "john.@example.com", "john@-example.com", "john@example-.com", "john@example.c",
      "john@example.123", "pkg@1.2.3", "lodash@4.17.21", "https://bob@example.com/", "ftp://anonymous@ftp.example.org",
      "café@example.com", "john@bücher.de"})
  void textsThatAreNoEmailAreLeftAlone(String text) {
    assertNoneOf(PiiType.EMAIL, text);
  }

  @Test
  void anEmailsSpanIsExact() {
    String text = "Write to <jane.doe@example.com>, please.";
    assertThat(PII.scan(text, INPUT)).singleElement().satisfies(m -> {
      assertThat(m.start()).isEqualTo(10);
      assertThat(m.end()).isEqualTo(30);
    });
  }

  // ---------------------------------------------------------------- phone

  @ParameterizedTest
  @ValueSource(strings = {"+1 415-555-2671", "+1 (415) 555-2671", "+14155552671", "+1.415.555.2671", "+44 20 7946 0958",
      "+44 (0)20 7946 0958", "+44(0)20 7946 0958", "+33 1 23 45 67 89", "+49 30 12345678", "+49 (0)30 12345678",
      "+49 30/1234567", "+31 20-123 4567", "+353 1 234 5678", "+81 3-1234-5678", "0049 30 1234567", "0033 1 23 45 67 89",
      "00441234567890", "(415) 555-2671", "(415)555-2671", "415-555-2671", "415.555.2671", "415 555 2671",
      "1-800-555-0199", "1 (800) 555-0199"})
  void phoneNumbersAreFound(String phone) {
    assertFoundAlone(PiiType.PHONE, phone);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2024-01-15", "15.01.2024", "01/15/2024", "12:30:45", "v1.2.3", "3.14159265", "1,234,567", // dates, times, numbers
      "4155552671", "555-0100", "1234567", // bare or local numbers
      "123-456-7890", "415-155-2671", "911-555-2671", "415-911-2671", // area or exchange starting with 1, N11
      "+123", "+1234567", "+0 123 456 789", "+1234567890123456", // too short, country code 0, more than 15 digits
      "1+12345678901", "x+14155552671", "ID-415-555-2671", "#415-555-2671", // glued to something
      "415-555-26710", "415-555-2671-2", "ISBN 978-3-16-148410-0", "(555) 12-3456", "415-555.2671"})
  void textsThatAreNoPhoneNumberAreLeftAlone(String text) {
    assertNoneOf(PiiType.PHONE, text);
  }

  @Test
  void cardsIbansAndIpsAreNotTakenForPhoneNumbers() {
    assertThat(found("4111 1111 1111 1111")).containsExactly("PAYMENT_CARD[4111 1111 1111 1111]");
    assertThat(found("DE89 3704 0044 0532 0130 00")).containsExactly("IBAN[DE89 3704 0044 0532 0130 00]");
    assertThat(found("DE89 3704 0044 0532 0130 01")).isEmpty(); // mistyped IBAN: "0044 0532 0130 01" is no phone either
    assertThat(found("192.168.100.200")).containsExactly("IP_ADDRESS[192.168.100.200]");
  }

  // ---------------------------------------------------------------- IP addresses

  @ParameterizedTest
  @ValueSource(strings = {"192.168.0.1", "10.0.0.1", "255.255.255.255", "0.0.0.0", "8.8.8.8", "127.0.0.1",
      "2001:db8::1", "::1", "fe80::1", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8:85a3::8a2e:370:7334",
      "::ffff:192.0.2.128", "64:ff9b::192.0.2.33", "2001:db8::", "1::", "FE80::0202:B3FF:FE1E:8329",
      "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4"})
  void ipAddressesAreFound(String ip) {
    assertFoundAlone(PiiType.IP_ADDRESS, ip);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "256.1.1.1", "1.2.3", "1.2.3.4.5", "192.168.01.1", "1.2.3.4a", // not four numbers 0-255 without leading zeros
      "v1.2.3.4", "version 1.2.3.4", "Version: 1.2.3.4", "release 10.0.0.1", "build 4.3.2.1", // version numbers
      "12:30:45", "std::vector", "Foo::bar", "a::b", "Cafe::Face", "dead::beef", "::", "a :: b", // code, times
      "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "2001:db8::1::2", "12345::1", "::ffff:999.0.0.1",
      "00:1A:2B:3C:4D:5E"}) // a MAC address
  void textsThatAreNoIpAddressAreLeftAlone(String text) {
    assertNoneOf(PiiType.IP_ADDRESS, text);
  }

  @Test
  void anIpAddressesSpanLeavesOutPortZoneAndBrackets() {
    assertThat(found("http://[2001:db8::1]:8080/")).containsExactly("IP_ADDRESS[2001:db8::1]");
    assertThat(found("fe80::1%eth0")).containsExactly("IP_ADDRESS[fe80::1]");
    assertThat(found("connect to 10.0.0.1:5432.")).containsExactly("IP_ADDRESS[10.0.0.1]");
    assertThat(found("the host is 2001:db8::1.")).containsExactly("IP_ADDRESS[2001:db8::1]");
    assertThat(found("10.0.0.1-10.0.0.255")).containsExactly("IP_ADDRESS[10.0.0.1]", "IP_ADDRESS[10.0.0.255]");
    assertThat(found("10.0.0.0/8")).containsExactly("IP_ADDRESS[10.0.0.0]");
  }

  // ---------------------------------------------------------------- API keys

  static Stream<String> apiKeys() {
    return Stream.of(
        "AKIA" + "IOSFODNN7EXAMPLE", // AWS's documented example access key id
        "ASIA" + body(16, UPPER_DIGITS, 1), "AROA" + body(16, UPPER_DIGITS, 2), "AIDA" + body(16, UPPER_DIGITS, 3),
        "AIza" + body(35, BASE64URL, 4),
        "sk-" + body(48, ALNUM, 5), "sk-proj-" + body(156, BASE64URL, 6), "sk-svcacct-" + body(80, BASE64URL, 7),
        "sk-ant-api03-" + body(93, BASE64URL, 8) + "AA",
        "ghp_" + body(36, ALNUM, 9), "gho_" + body(36, ALNUM, 10), "ghs_" + body(36, ALNUM, 11),
        "github_pat_" + body(22, ALNUM, 12) + "_" + body(59, ALNUM, 13),
        "glpat-" + body(20, BASE64URL, 14),
        "xoxb-" + "123456789012-1234567890123-" + body(24, ALNUM, 15), "xoxp-" + "1234-5678-9012-" + body(32, "abcdef0123456789", 16),
        "sk_" + "live_" + body(24, ALNUM, 17), "rk_" + "live_" + body(99, ALNUM, 18),
        "hf_" + body(34, LETTERS, 19), "npm_" + body(36, ALNUM, 20));
  }

  @ParameterizedTest
  @MethodSource("apiKeys")
  void apiKeysOfTheirPublishedFormatsAreFound(String key) {
    assertFoundAlone(PiiType.API_KEY, key);
    assertThat(found("OPENAI_API_KEY=" + key + "\n")).containsExactly("API_KEY[" + key + "]");
    assertThat(found("Authorization: Bearer " + key)).containsExactly("API_KEY[" + key + "]");
    assertThat(found("{\"key\":\"" + key + "\"}")).containsExactly("API_KEY[" + key + "]");
  }

  static Stream<String> notApiKeys() {
    return Stream.of(
        "sk-learn", "sk-" + body(40, "abcdefghij-", 21), // a word; one class of chars only
        "sk-" + body(20, ALNUM, 22), // too short
        "AKIA" + body(15, UPPER_DIGITS, 23), "AKIA" + body(17, UPPER_DIGITS, 24), "AKIA" + body(16, "abcdefgh12", 25),
        "AIza" + body(34, BASE64URL, 26), "ghp_" + body(35, ALNUM, 27), "ghp_" + body(36, ALNUM, 28) + "-x",
        "xsk-" + body(48, ALNUM, 29), "my_ghp_" + body(36, ALNUM, 30), "sk_" + "test_" + body(24, ALNUM, 31),
        "sk-" + body(300, ALNUM, 32), // longer than any key format
        "hf_" + body(10, ALNUM, 33), "xoxb-" + body(5, ALNUM, 34));
  }

  @ParameterizedTest
  @MethodSource("notApiKeys")
  void tokensThatAreNoApiKeyAreLeftAlone(String text) {
    assertNoneOf(PiiType.API_KEY, text);
  }

  // ---------------------------------------------------------------- private keys

  static Stream<String> privateKeys() {
    String body = base64Lines(1190, 64, "\n", 40);
    return Stream.of(
        pem("PRIVATE KEY", body), pem("RSA PRIVATE KEY", body), pem("EC PRIVATE KEY", base64Lines(160, 64, "\n", 41)),
        pem("OPENSSH PRIVATE KEY", base64Lines(400, 70, "\n", 42)), pem("ENCRYPTED PRIVATE KEY", body),
        pem("DSA PRIVATE KEY", base64Lines(900, 64, "\r\n", 43)),
        pem("RSA PRIVATE KEY", "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\n" + body),
        pem("PGP PRIVATE KEY BLOCK", "Version: Test 1.0\nComment: a test key\n\n" + base64Lines(600, 64, "\n", 44) + "=AbCd\n"),
        pem("PRIVATE KEY", base64Lines(64, 64, "\n", 45)), // an Ed25519 key in PKCS#8
        "-----BEGIN PRIVATE KEY-----\\n" + base64Lines(1190, 64, "\\n", 46) + "-----END PRIVATE KEY-----"); // escaped in JSON
  }

  @ParameterizedTest
  @MethodSource("privateKeys")
  void privateKeyBlocksAreFoundWhole(String block) {
    assertFoundAlone(PiiType.PRIVATE_KEY, block);
    assertThat(found("{\"private_key\": \"" + block + "\\n\"}")).containsExactly("PRIVATE_KEY[" + block + "]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUBLIC KEY", "CERTIFICATE", "RSA PUBLIC KEY", "CERTIFICATE REQUEST"})
  void otherPemBlocksAreLeftAlone(String label) {
    assertThat(found(pem(label, base64Lines(600, 64, "\n", 47)))).isEmpty();
  }

  @Test
  void brokenPrivateKeyBlocksAreLeftAlone() {
    String body = base64Lines(600, 64, "\n", 48);
    assertThat(found("-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END PRIVATE KEY-----")).isEmpty(); // labels differ
    assertThat(found("-----BEGIN PRIVATE KEY-----\n" + body)).isEmpty(); // no end
    assertThat(found(pem("PRIVATE KEY", "...\n"))).isEmpty(); // a placeholder in documentation
    assertThat(found(pem("PRIVATE KEY", "MIIEvQIBADANBg\n"))).isEmpty(); // too short to be a key
    assertThat(found(pem("PRIVATE KEY", "{{ private_key }} <- fill in\n"))).isEmpty();
  }

  // ---------------------------------------------------------------- JWT

  @Test
  void jwtsAreFoundByTheirHeader() {
    String jws = jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"1234567890\",\"name\":\"John\"}");
    assertFoundAlone(PiiType.JWT, jws);
    assertThat(found("Authorization: Bearer " + jws)).containsExactly("JWT[" + jws + "]");
    assertThat(found("https://app.example.com/cb#access_token=" + jws + "&state=x")).containsExactly("JWT[" + jws + "]");
    String spaced = jwt("{\"typ\": \"JWT\",\r\n \"alg\": \"RS256\"}", "{}");
    assertFoundAlone(PiiType.JWT, spaced);
    String jwe = b64("{\"alg\":\"dir\",\"enc\":\"A256GCM\"}") + ".." + body(16, BASE64URL, 50) + "." + body(40, BASE64URL, 51) + "."
        + body(22, BASE64URL, 52);
    assertFoundAlone(PiiType.JWT, jwe);
  }

  @Test
  void dotSeparatedWordsAreNoJwt() {
    assertThat(found("foo.bar.baz")).isEmpty();
    assertThat(found("eyJfoo.bar.baz")).isEmpty(); // does not decode to JSON
    assertThat(found(jwt("{\"typ\":\"JWT\"}", "{\"sub\":\"1\"}"))).isEmpty(); // no "alg"
    assertThat(found(b64("{\"alg\":\"HS256\"}") + "." + b64("{\"sub\":\"1\"}"))).isEmpty(); // two segments
    assertThat(found(jwt("{\"alg\":\"HS256\"}", "{}") + ".more")).isEmpty(); // four segments
    assertThat(found(b64("{\"alg\":\"none\"}") + "." + b64("{\"sub\":\"1\"}") + ".")).isEmpty(); // unsecured: not found
    assertThat(found("key" + jwt("{\"alg\":\"HS256\"}", "{}"))).isEmpty(); // glued to a word
  }

  // ---------------------------------------------------------------- URL passwords

  @Test
  void onlyThePasswordOfAUrlIsTheSpan() {
    String text = "DATABASE_URL=postgres://admin:s3cr3t@db.example.com:5432/app";
    int start = text.indexOf("s3cr3t");
    assertThat(PII.scan(text, INPUT)).containsExactly(
        Match.of("URL_PASSWORD", start, start + "s3cr3t".length(), dev.aigw.api.GuardrailAction.MASK));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://user:%s@example.com/path", "redis://:%s@cache:6379/0", "mongodb+srv://app:%s@cluster0.example.net/db",
      "jdbc:postgresql://u:%s@localhost/db", "amqp://guest:%s@[::1]:5672", "see (https://bob:%s@example.com)"})
  void urlPasswordsAreFound(String template) {
    for (String password : List.of("hunter2", "p@ss", "p%40ss:word", "x")) {
      String text = template.replace("%s", password);
      assertThat(found(text)).as(text).first().isEqualTo("URL_PASSWORD[" + password + "]");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://user@example.com/", "https://example.com/a:b@c", "https://user:@example.com",
      "https://u:p@", "https://example.com?x=a:b@c", "ssh://git@github.com:22/org/repo.git", "http://:@host"})
  void urlsWithoutAPasswordAreLeftAlone(String text) {
    assertNoneOf(PiiType.URL_PASSWORD, text);
  }

  // ---------------------------------------------------------------- helpers

  static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  static final String ALNUM = LETTERS + "0123456789";
  static final String BASE64URL = ALNUM + "-_";

  /** {@code length} chars of {@code alphabet}, the same for the same seed; the first two are 'A' and 'b' or '7'. */
  static String body(int length, String alphabet, long seed) {
    Random random = new Random(seed);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    // Make sure a body mixes classes where its alphabet does, as real keys do.
    if (length >= 2 && alphabet.contains("A") && alphabet.contains("b")) {
      out.setCharAt(0, 'A');
      out.setCharAt(1, 'b');
    } else if (length >= 2 && alphabet.contains("A") && alphabet.contains("7")) {
      out.setCharAt(0, 'A');
      out.setCharAt(1, '7');
    }
    return out.toString();
  }

  /** {@code chars} base64 chars in lines of {@code width}, each line ended by {@code newline}. */
  static String base64Lines(int chars, int width, String newline, long seed) {
    String all = body(chars, ALNUM + "+/", seed);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < all.length(); i += width) {
      out.append(all, i, Math.min(all.length(), i + width)).append(newline);
    }
    return out.toString();
  }

  static String pem(String label, String body) {
    return "-----BEGIN " + label + "-----\n" + body + "-----END " + label + "-----";
  }

  static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static String jwt(String header, String payload) {
    return b64(header) + "." + b64(payload) + "." + body(43, BASE64URL, header.hashCode());
  }
}
