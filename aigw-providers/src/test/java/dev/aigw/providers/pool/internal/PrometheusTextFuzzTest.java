package dev.aigw.providers.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Fuzzes {@link PrometheusText}, which reads inference servers' {@code /metrics} pages, and the
 * {@link Numbers} parser under it. Contract: "server garbage never throws", so nothing may escape;
 * and what it reads must be consistent: a name filter keeps the same samples as filtering
 * afterwards, and the samples, written back in the exposition format, read back the same.
 */
class PrometheusTextFuzzTest {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  /** Decimal syntax as {@link Numbers} reads it; all of it is also Java syntax for the same value. */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern INFINITY = Pattern.compile("[+-]?(?i:inf|infinity)");

  @FuzzTest
  @DictionaryEntries({"# HELP ", "# TYPE ", "# EOF", "{", "}", "=\"", "\",", "\\\"", "\\\\", "\\n", "NaN", "+Inf",
      "-Inf", "1.7e+09", "vllm:num_requests_waiting", "le=\"+Inf\"", "_bucket", " # {trace_id=\"abc\"} 0.67 1.6e9"})
  void parse(byte[] body) {
    String page = new String(body, StandardCharsets.UTF_8);
    PrometheusText.Result all = PrometheusText.parse(page);
    assertThat(all.skippedLines()).isNotNegative();
    for (PrometheusText.Sample sample : all.samples()) {
      assertThat(sample.name()).matches(METRIC_NAME);
      sample.labels().keySet().forEach(label -> assertThat(label).matches(LABEL_NAME));
    }

    Predicate<String> someNames = name -> (name.hashCode() & 1) == 0;
    PrometheusText.Result some = PrometheusText.parse(page, someNames);
    assertThat(some.samples()).isEqualTo(all.samples().stream().filter(s -> someNames.test(s.name())).toList());
    assertThat(some.skippedLines()).isLessThanOrEqualTo(all.skippedLines());

    if (!all.truncated()) {
      PrometheusText.Result again = PrometheusText.parse(write(all.samples()));
      assertThat(again.skippedLines()).isZero();
      assertThat(again.samples()).isEqualTo(all.samples());
    }
  }

  /** {@link Numbers#parse} against Java's parser on the syntax they share, NaN for anything else. */
  @FuzzTest
  @DictionaryEntries({"e+", "E-", "Inf", "Infinity", "NaN", "0000000000000000000", "1e22", "1e23", ".5e-324"})
  void numbers(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    double value = Numbers.parse(text, 0, text.length());
    double expected;
    if (DECIMAL.matcher(text).matches()) {
      expected = Double.parseDouble(text);
    } else if (INFINITY.matcher(text).matches()) {
      expected = text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    } else {
      expected = Double.NaN;
    }
    assertThat(Double.doubleToLongBits(value))
        .as("Numbers.parse(\"%s\") = %s, expected %s", text, value, expected)
        .isEqualTo(Double.doubleToLongBits(expected));
    assertThat(Numbers.isNaN(text, 0, text.length())).isEqualTo(text.toLowerCase(Locale.ROOT).equals("nan"));
  }

  /** The samples in the exposition format, label values escaped. */
  private static String write(List<PrometheusText.Sample> samples) {
    StringBuilder page = new StringBuilder();
    for (PrometheusText.Sample sample : samples) {
      page.append(sample.name()).append('{');
      for (Map.Entry<String, String> label : sample.labels().entrySet()) {
        String value = label.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        page.append(label.getKey()).append("=\"").append(value).append("\",");
      }
      page.append("} ").append(sample.value()).append('\n');
    }
    return page.toString();
  }
}
