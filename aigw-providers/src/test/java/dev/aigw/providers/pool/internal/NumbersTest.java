package dev.aigw.providers.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumbersTest {

  private static double parse(String s) {
    return Numbers.parse(s, 0, s.length());
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0.0",
    "3, 3.0",
    "3.0, 3.0",
    "-0.25, -0.25",
    "+7, 7.0",
    ".5, 0.5",
    "5., 5.0",
    "007, 7.0",
    "1e3, 1000.0",
    "1E3, 1000.0",
    "1.5e-3, 0.0015",
    "-2.5e+2, -250.0",
    "1.7587120893621042e+09, 1.7587120893621042e9",
    "4.1262583808e+010, 4.1262583808e10",
    "0.6843137254901961, 0.6843137254901961",
    "123456789012345678901234567890, 1.2345678901234568e29",
    "1e400, Infinity",
    "1e-400, 0.0",
  })
  void parsesDecimalNumbers(String text, double expected) {
    assertThat(parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"+Inf", "Inf", "inf", "+inf", "INF", "Infinity", "+infinity"})
  void parsesPositiveInfinity(String text) {
    assertThat(parse(text)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-Inf", "-inf", "-Infinity"})
  void parsesNegativeInfinity(String text) {
    assertThat(parse(text)).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "nan", "NAN"})
  void nanIsNaNAndSaysSo(String text) {
    assertThat(parse(text)).isNaN();
    assertThat(Numbers.isNaN(text, 0, text.length())).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "+", "-", ".", "e5", ".e5", "1e", "1e+", "1.5d", "1.5f", "2D", "0x10", "0x1p3", "1_000",
    " 1", "1 ", "1..2", "1.2.3", "--1", "+-1", "abc", "in", "infin", "nanx", "-nan", "1e5.5", "١",
  })
  void rejectsWhatIsNotANumber(String text) {
    assertThat(parse(text)).isNaN();
    assertThat(Numbers.isNaN(text, 0, text.length())).isFalse();
  }

  @Test
  void readsARangeOfALongerString() {
    String line = "metric 42.5 1712345678901";
    assertThat(Numbers.parse(line, 7, 11)).isEqualTo(42.5);
    assertThat(Numbers.parse(line, 12, line.length())).isEqualTo(1.712345678901e12);
  }

  @Test
  void theStringFormIgnoresSurroundingBlanks() {
    assertThat(Numbers.parse("  0.4 ")).isEqualTo(0.4);
    assertThat(Numbers.parse("x")).isNaN();
  }

  @Test
  void negativeZeroKeepsItsSign() {
    assertThat(Double.doubleToRawLongBits(parse("-0.0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  /** The fast path must round exactly as Double.parseDouble does, for every kind of input. */
  @Test
  void agreesWithDoubleParseDoubleOnRandomDecimals() {
    Random random = new Random(20250915);
    for (int k = 0; k < 200_000; k++) {
      String text = randomDecimal(random);
      assertThat(parse(text)).as(text).isEqualTo(Double.parseDouble(text));
    }
  }

  @Test
  void agreesWithDoubleParseDoubleOnWhatPythonWrites() {
    Random random = new Random(7);
    for (int k = 0; k < 100_000; k++) {
      double value = switch (k % 4) {
        case 0 -> random.nextDouble();
        case 1 -> random.nextInt(100_000);
        case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
        default -> Math.scalb(random.nextDouble(), random.nextInt(2000) - 1000);
      };
      // Java's shortest repr, and a plain decimal with trailing zeros, as other clients write.
      String repr = Double.toString(value);
      String plain = new BigDecimal(value).toPlainString();
      assertThat(parse(repr)).as(repr).isEqualTo(value);
      assertThat(parse(plain)).as(plain).isEqualTo(Double.parseDouble(plain));
    }
  }

  private static String randomDecimal(Random random) {
    StringBuilder s = new StringBuilder();
    if (random.nextInt(4) == 0) {
      s.append(random.nextBoolean() ? '-' : '+');
    }
    int intDigits = random.nextInt(12);
    for (int i = 0; i < intDigits; i++) {
      s.append((char) ('0' + random.nextInt(10)));
    }
    int fracDigits = random.nextInt(22);
    if (intDigits == 0 || fracDigits > 0 || random.nextBoolean()) {
      s.append('.');
      for (int i = 0; i < Math.max(fracDigits, intDigits == 0 ? 1 : 0); i++) {
        s.append((char) ('0' + random.nextInt(10)));
      }
    }
    if (random.nextInt(3) == 0) {
      s.append(random.nextBoolean() ? 'e' : 'E');
      int sign = random.nextInt(3);
      if (sign == 1) {
        s.append('-');
      } else if (sign == 2) {
        s.append('+');
      }
      s.append(random.nextInt(random.nextBoolean() ? 30 : 330));
    }
    return s.toString();
  }
}
