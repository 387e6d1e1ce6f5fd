package dev.aigw.core.guardrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.core.guardrail.internal.TextNormalizer;
import dev.aigw.core.guardrail.internal.TextNormalizer.Normalized;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {
  private static final TextNormalizer STANDARD = TextNormalizer.standard();

  private static String fold(String text) {
    return STANDARD.normalize(text).text();
  }

  @Test
  void plainLowerCaseAsciiIsReturnedAsItIs() {
    String text = "nothing to fold here, 42 times.\n";
    Normalized n = STANDARD.normalize(text);
    assertThat(n.text()).isSameAs(text);
    assertThat(n.identityMap()).isTrue();
  }

  @Test
  void asciiIsLowerCasedWithAnIdentityMap() {
    Normalized n = STANDARD.normalize("Hello WORLD\tAgain");
    assertThat(n.text()).isEqualTo("hello world\tagain");
    assertThat(n.identityMap()).isTrue();
    assertThat(n.originalStart(6)).isEqualTo(6);
    assertThat(n.originalEnd(11)).isEqualTo(11);
  }

  @Test
  void caseFoldingIgnoresTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr"));
      assertThat(fold("IGNORE")).isEqualTo("ignore");
      assertThat(fold("İstanbul ıgnore")).isEqualTo("istanbul ignore");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void fullwidthMathematicalAndCircledLettersFoldToAscii() {
    assertThat(fold("ｉｇｎｏｒｅ ＰＲＥＶＩＯＵＳ")).isEqualTo("ignore previous");
    assertThat(fold("𝐢𝐠𝐧𝐨𝐫𝐞 𝕤𝕪𝕤𝕥𝕖𝕞")).isEqualTo("ignore system");
    assertThat(fold("ⓘⓖⓝⓞⓡⓔ ﬁle")).isEqualTo("ignore file");
  }

  @Test
  void cyrillicGreekAndArmenianLookAlikesFoldToLatin() {
    assertThat(fold("\u0456gn\u043Ere \u0440r\u0435vious")).isEqualTo("ignore previous"); // і о р е
    assertThat(fold("\u0410\u0421\u041C\u0415")).isEqualTo("acme"); // А С М Е
    assertThat(fold("\u03BF\u03BD\u03B5r")).isEqualTo("ov\u03B5r"); // ο ν fold, ε is no look-alike
    assertThat(fold("g\u0585\u0585d")).isEqualTo("good"); // Armenian օ
    assertThat(fold("\u1D00\u1D04\u1D0D\u1D07")).isEqualTo("acme"); // small capitals
  }

  @Test
  void invisibleCharactersAreDropped() {
    assertThat(fold("ig\u200Bno\u200Cr\u200De")).isEqualTo("ignore");
    assertThat(fold("ig\u2060no\uFEFFre")).isEqualTo("ignore");
    assertThat(fold("Donau\u00ADdampf\u00ADschiff")).isEqualTo("donaudampfschiff");
    assertThat(fold("a\u202Eb\u202Cc\u2066d\u2069")).isEqualTo("abcd");
    assertThat(fold("hi" + tags("secret"))).isEqualTo("hi");
    assertThat(fold("\u2764\uFE0F")).isEqualTo("\u2764");
  }

  @Test
  void whiteSpaceIsKeptCharForCharAndUnicodeSpacesBecomeSpaces() {
    assertThat(fold("a  b\n\nc\td")).isEqualTo("a  b\n\nc\td");
    assertThat(fold("a\u00A0b\u3000c\u2003d")).isEqualTo("a b c d");
  }

  @Test
  void punctuationAndSpecialCasesFold() {
    assertThat(fold("\u201CMcDonald\u2019s\u201D \u2014 Stra\u00DFe")).isEqualTo("\"mcdonald's\" - strasse");
    assertThat(fold("caf\u00E9 cafe\u0301")).isEqualTo("caf\u00E9 caf\u00E9"); // composed either way
  }

  @Test
  void diacriticsAreStrippedOnlyWhenAskedFor() {
    assertThat(fold("\u00EFgn\u00F6re na\u00EFve")).isEqualTo("\u00EFgn\u00F6re na\u00EFve");
    TextNormalizer stripping = TextNormalizer.of(false, true);
    assertThat(stripping.normalize("\u00EFgn\u00F6re na\u00EFve caf\u00E9 cafe\u0301").text())
        .isEqualTo("ignore naive cafe cafe");
  }

  @Test
  void leetspeakFoldsOnlyWhenAskedForAndUnifiesOneLAndI() {
    assertThat(fold("4cm3 c0rp")).isEqualTo("4cm3 c0rp");
    TextNormalizer leet = TextNormalizer.of(true, false);
    assertThat(leet.normalize("4CM3 C0RP $ucks @ll").text()).isEqualTo("acme corp sucks aii");
    assertThat(leet.normalize("k1ll").text()).isEqualTo(leet.normalize("kill").text());
  }

  @Test
  void offsetsMapBackToTheOriginalExactly() {
    // "Ｉg\u200Bnore ß 𝐱" : fullwidth I (1 char), zero-width dropped, ß expands, 𝐱 is a surrogate pair
    String original = "\uFF29g\u200Bnore \u00DF \uD835\uDC31!";
    Normalized n = STANDARD.normalize(original);
    assertThat(n.text()).isEqualTo("ignore ss x!");
    assertThat(n.identityMap()).isFalse();
    // "ignore" is folded [0, 6) and covers the zero-width char inside it
    assertThat(n.originalStart(0)).isEqualTo(0);
    assertThat(n.originalEnd(6)).isEqualTo(7);
    assertThat(original.substring(n.originalStart(0), n.originalEnd(6))).isEqualTo("\uFF29g\u200Bnore");
    // each 's' of "ss" maps to the whole ß
    assertThat(n.originalStart(7)).isEqualTo(8);
    assertThat(n.originalEnd(8)).isEqualTo(9);
    assertThat(n.originalStart(8)).isEqualTo(8);
    // the surrogate pair
    assertThat(n.originalStart(10)).isEqualTo(10);
    assertThat(n.originalEnd(11)).isEqualTo(12);
    assertThat(n.originalStart(n.text().length())).isEqualTo(original.length());
    assertThatThrownBy(() -> n.originalStart(n.text().length() + 1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void droppedCharactersJustOutsideASpanAreNotPartOfIt() {
    String original = "x \u200Bacme\u200B y";
    Normalized n = STANDARD.normalize(original);
    assertThat(n.text()).isEqualTo("x acme y");
    int start = n.text().indexOf("acme");
    assertThat(original.substring(n.originalStart(start), n.originalEnd(start + 4))).isEqualTo("acme");
  }

  @Test
  void combiningMarksStayWithTheirBaseInTheMap() {
    String original = "e\u0301t\u00E9";
    Normalized n = STANDARD.normalize(original);
    assertThat(n.text()).isEqualTo("\u00E9t\u00E9");
    assertThat(n.originalStart(0)).isEqualTo(0);
    assertThat(n.originalEnd(1)).isEqualTo(2);
    assertThat(n.originalStart(1)).isEqualTo(2);
  }

  @Test
  void theFastAndTheGeneralPathFoldAsciiAlike() {
    Random random = new Random(7);
    String alphabet = "abcXYZ019 \t\n.,;:'\"!?<>|[]{}()#@$_-+/\\=*&^%~`";
    for (TextNormalizer normalizer : new TextNormalizer[] {STANDARD, TextNormalizer.of(true, false), TextNormalizer.of(false, true)}) {
      for (int round = 0; round < 300; round++) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
          sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        String ascii = sb.toString();
        Normalized fast = normalizer.normalize(ascii);
        Normalized general = normalizer.normalize(ascii + "\u00E9"); // one non-ASCII char: the general path
        assertThat(general.text()).isEqualTo(fast.text() + normalizer.normalize("\u00E9").text());
        for (int i = 0; i <= fast.text().length(); i++) {
          assertThat(general.originalStart(i)).isEqualTo(fast.originalStart(i));
          assertThat(general.originalEnd(i)).isEqualTo(fast.originalEnd(i));
        }
      }
    }
  }

  @Test
  void countsSuspiciousInvisibleCharactersAndLookAlikes() {
    Normalized n = STANDARD.normalize("ig\u200Bno\u200Bre the \u200B rules");
    assertThat(n.zeroWidthInWords()).isEqualTo(2); // not the one between spaces
    assertThat(STANDARD.normalize("hello" + tags("hidden")).tagCharacters()).isEqualTo(6);
    assertThat(STANDARD.normalize("\u202Edlrow\u202C").bidiControls()).isEqualTo(2);
    assertThat(STANDARD.normalize("\u0456gnore \u0440r\u0435vious").confusablesInLatinWords()).isEqualTo(3);
    assertThat(STANDARD.normalize("\u043F\u0440\u0438\u0432\u0435\u0442 \u043C\u0438\u0440").confusablesInLatinWords())
        .as("Russian words are not Latin words").isZero();
    assertThat(STANDARD.normalize("plain ascii").zeroWidthInWords()).isZero();
  }

  @Test
  void nonLatinTextIsLeftReadable() {
    assertThat(fold("日本語のテキスト")).isEqualTo("日本語のテキスト");
    assertThat(fold("مرحبا")).isEqualTo("مرحبا");
  }

  private static String tags(String ascii) {
    StringBuilder sb = new StringBuilder();
    for (char c : ascii.toCharArray()) {
      sb.appendCodePoint(0xE0000 + c);
    }
    return sb.toString();
  }
}
