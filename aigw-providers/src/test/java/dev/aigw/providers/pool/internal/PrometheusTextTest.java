package dev.aigw.providers.pool.internal;

import static dev.aigw.providers.pool.internal.MetricsPages.VLLM_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.aigw.providers.pool.internal.PrometheusText.Result;
import dev.aigw.providers.pool.internal.PrometheusText.Sample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrometheusTextTest {

  private static Sample sample(String name, double value, String... labels) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return new Sample(name, map, value);
  }

  private static List<Sample> samples(String text) {
    Result result = PrometheusText.parse(text);
    assertThat(result.skippedLines()).as("skipped lines").isZero();
    return result.samples();
  }

  /** The one sample {@code line} holds. */
  private static Sample only(String line) {
    List<Sample> samples = samples(line);
    assertThat(samples).hasSize(1);
    return samples.get(0);
  }

  private static int skipped(String text) {
    return PrometheusText.parse(text).skippedLines();
  }

  @Nested
  class RealPages {
    @Test
    void readsEverySampleOfAVllmPage() {
      String page = MetricsPages.vllm();
      Result result = PrometheusText.parse(page);

      assertThat(result.skippedLines()).isZero();
      assertThat(result.truncated()).isFalse();
      assertThat(result.samples()).hasSize((int) MetricsPages.sampleLines(page));
      assertThat(result.samples()).contains(
          sample("vllm:num_requests_waiting", 3.0, "engine", "0", "model_name", VLLM_MODEL),
          sample("vllm:num_requests_waiting", 1.0, "engine", "1", "model_name", VLLM_MODEL),
          sample("vllm:kv_cache_usage_perc", 0.6843137254901961, "engine", "0", "model_name", VLLM_MODEL),
          sample("python_info", 1.0,
              "implementation", "CPython", "major", "3", "minor", "12", "patchlevel", "11", "version", "3.12.11"),
          sample("process_virtual_memory_bytes", 4.1262583808e10),
          sample("vllm:prompt_tokens_total", 1.843302e6, "engine", "0", "model_name", VLLM_MODEL),
          sample("vllm:prompt_tokens_created", 1.7587120893621042e9, "engine", "0", "model_name", VLLM_MODEL),
          sample("vllm:request_success_total", 112.0,
              "engine", "1", "finished_reason", "length", "model_name", VLLM_MODEL));
    }

    @Test
    void readsHistogramSeriesWithTheirLeLabels() {
      List<Sample> ttft = PrometheusText.parse(MetricsPages.vllm()).samples().stream()
          .filter(s -> s.name().startsWith("vllm:time_to_first_token_seconds_") && "0".equals(s.label("engine")))
          .toList();

      assertThat(ttft).filteredOn(s -> s.name().endsWith("_bucket")).hasSize(23)
          .allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("engine", "le", "model_name"));
      assertThat(ttft).contains(
          sample("vllm:time_to_first_token_seconds_bucket", 0.0,
              "engine", "0", "le", "0.001", "model_name", VLLM_MODEL),
          sample("vllm:time_to_first_token_seconds_bucket", 1991.0,
              "engine", "0", "le", "+Inf", "model_name", VLLM_MODEL),
          sample("vllm:time_to_first_token_seconds_count", 1991.0, "engine", "0", "model_name", VLLM_MODEL),
          sample("vllm:time_to_first_token_seconds_sum", 412.77120327949524, "engine", "0", "model_name", VLLM_MODEL));
    }

    @Test
    void keepsCommasAndEmptyValuesInsideQuotes() {
      Sample lora = PrometheusText.parse(MetricsPages.vllm()).samples().stream()
          .filter(s -> s.name().equals("vllm:lora_requests_info")).findFirst().orElseThrow();

      assertThat(lora.labels()).containsExactlyInAnyOrderEntriesOf(Map.of(
          "max_lora", "4", "running_lora_adapters", "sql-lora,chat-lora", "waiting_lora_adapters", ""));
      assertThat(lora.value()).isEqualTo(1.7587124519471834e9);
    }

    @Test
    void readsAnSglangPage() {
      String page = MetricsPages.sglang();
      Result result = PrometheusText.parse(page);

      assertThat(result.skippedLines()).isZero();
      assertThat(result.samples()).hasSize((int) MetricsPages.sampleLines(page));
      assertThat(result.samples()).contains(
          sample("sglang:num_queue_reqs", 5.0, "engine_type", "unified",
              "model_name", "Qwen/Qwen2.5-7B-Instruct", "pp_rank", "0", "tp_rank", "0"),
          sample("sglang:time_to_first_token_seconds_bucket", 6611.0,
              "le", "+Inf", "model_name", "Qwen/Qwen2.5-7B-Instruct"));
    }

    @Test
    void readsATgiPageWithSummariesAndBlankLines() {
      String page = MetricsPages.tgi();
      Result result = PrometheusText.parse(page);

      assertThat(result.skippedLines()).isZero();
      assertThat(result.samples()).hasSize((int) MetricsPages.sampleLines(page));
      assertThat(result.samples()).contains(
          sample("tgi_queue_size", 7.0),
          sample("tgi_batch_current_size", 32.0),
          sample("tgi_request_inference_duration", 2.2198474540468106, "quantile", "0.5"),
          sample("tgi_request_inference_duration_count", 4790.0),
          sample("tgi_batch_inference_duration", 0.387221029, "method", "prefill", "quantile", "0.99"),
          sample("tgi_batch_next_size_bucket", 3012.0, "le", "+Inf"));
    }

    @Test
    void theNameFilterKeepsOnlyWhatItAccepts() {
      Result result = PrometheusText.parse(MetricsPages.vllm(), ServerMetrics.NAMES::contains);

      assertThat(result.samples()).extracting(Sample::name).containsExactly(
          "vllm:num_requests_running", "vllm:num_requests_running",
          "vllm:num_requests_waiting", "vllm:num_requests_waiting",
          "vllm:gpu_cache_usage_perc", "vllm:gpu_cache_usage_perc",
          "vllm:kv_cache_usage_perc", "vllm:kv_cache_usage_perc");
      assertThat(result.samples().get(0).labels()).containsEntry("engine", "0");
    }

    @Test
    void theNameFilterStillCountsMalformedLinesOfOtherNames() {
      String text = "other{a=\"unterminated} 1\nvllm:num_requests_waiting 2\nother{a=\"ok\"} x\n";

      Result result = PrometheusText.parse(text, "vllm:num_requests_waiting"::equals);

      assertThat(result.samples()).containsExactly(sample("vllm:num_requests_waiting", 2.0));
      assertThat(result.skippedLines()).isEqualTo(2);
    }
  }

  @Nested
  class Lines {
    @Test
    void skipsHelpTypeUnitAndOtherComments() {
      assertThat(samples("""
          # HELP m A metric.
          # TYPE m gauge
          # UNIT m seconds
          #some other comment
          #
          m 1
          """)).containsExactly(sample("m", 1.0));
    }

    @Test
    void skipsBlankLinesAndBlanksAroundTokens() {
      assertThat(samples("\n\n   \n\t\nm 1\n  n\t2  \n\n")).containsExactly(sample("m", 1.0), sample("n", 2.0));
    }

    @Test
    void readsCrLfLineEndingsAndALastLineWithoutNewline() {
      assertThat(samples("# TYPE m gauge\r\nm 1\r\nn{a=\"b\"} 2\r\no 3")).containsExactly(
          sample("m", 1.0), sample("n", 2.0, "a", "b"), sample("o", 3.0));
    }

    @Test
    void emptyInputHasNoSamples() {
      Result result = PrometheusText.parse("");
      assertThat(result.samples()).isEmpty();
      assertThat(result.skippedLines()).isZero();
      assertThat(result.truncated()).isFalse();
    }

    @Test
    void namesMayHaveColonsUnderscoresAndDigits() {
      assertThat(samples("vllm:num_requests_waiting 1\n:leading 2\n_x9:y_ 3\nA_b 4\n"))
          .extracting(Sample::name)
          .containsExactly("vllm:num_requests_waiting", ":leading", "_x9:y_", "A_b");
    }

    @Test
    void aSampleValueIsRequired() {
      assertThat(skipped("no_value\nno_value   \nm{a=\"b\"}\nm{a=\"b\"}  \n")).isEqualTo(4);
    }
  }

  @Nested
  class Labels {
    @Test
    void unescapesBackslashQuoteAndNewline() {
      Sample s = only("m{path=\"C:\\\\dir\\\\\",quote=\"say \\\"hi\\\"\",lines=\"one\\ntwo\"} 1");

      assertThat(s.labels()).containsExactlyInAnyOrderEntriesOf(Map.of(
          "path", "C:\\dir\\", "quote", "say \"hi\"", "lines", "one\ntwo"));
    }

    @Test
    void keepsOtherBackslashesAsWritten() {
      assertThat(only("m{a=\"tab\\there\",b=\"\\q\"} 1").labels())
          .containsEntry("a", "tab\\there")
          .containsEntry("b", "\\q");
    }

    @Test
    void aQuoteAfterAnEscapedBackslashClosesTheValue() {
      assertThat(only("m{a=\"x\\\\\",b=\"y\"} 1").labels()).containsEntry("a", "x\\").containsEntry("b", "y");
    }

    @Test
    void allowsBlanksAroundCommasAndEqualsAndATrailingComma() {
      Map<String, String> expected = Map.of("a", "1", "b", "2");
      assertThat(only("m{ a = \"1\" , b=\"2\" } 3").labels()).isEqualTo(expected);
      assertThat(only("m{a=\"1\",b=\"2\",} 3").labels()).isEqualTo(expected);
      assertThat(only("m{a=\"1\", b=\"2\" ,\t} 3").labels()).isEqualTo(expected);
      assertThat(only("m{a=\"1\",b=\"2\"}3").labels()).isEqualTo(expected);
    }

    @Test
    void anEmptyLabelSetIsNoLabels() {
      assertThat(only("m{} 4")).isEqualTo(sample("m", 4.0));
      assertThat(only("m{ } 4").labels()).isEmpty();
    }

    @Test
    void keepsBracesSpacesHashesAndUnicodeInsideValues() {
      assertThat(only("m{a=\"{x} # y=\\\"z\\\", w\",model=\"Qwen/Qwen2.5 模型\"} 1").labels())
          .containsEntry("a", "{x} # y=\"z\", w")
          .containsEntry("model", "Qwen/Qwen2.5 模型");
    }

    @Test
    void labelsAreImmutable() {
      Sample s = only("m{a=\"1\"} 1");
      assertThatThrownBy(() -> s.labels().put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
      assertThat(s.label("a")).isEqualTo("1");
      assertThat(s.label("missing")).isNull();
    }

    @Test
    void samplesAreImmutable() {
      List<Sample> list = PrometheusText.parse("m 1\n").samples();
      assertThatThrownBy(() -> list.add(sample("n", 2))).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class Values {
    @Test
    void readsSpecialValues() {
      List<Sample> s = samples("a NaN\nb +Inf\nc -Inf\nd Inf\ne nan\nf +inf\n");
      assertThat(s.get(0).value()).isNaN();
      assertThat(s.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(s.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
      assertThat(s.get(3).value()).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(s.get(4).value()).isNaN();
      assertThat(s.get(5).value()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void readsExponentNotationAndSigns() {
      assertThat(samples("a 1e3\nb 1.5E-3\nc -2.5e+2\nd .5\ne 1.7587120893621042e+09\nf -0\n"))
          .extracting(Sample::value)
          .containsExactly(1000.0, 0.0015, -250.0, 0.5, 1.7587120893621042e9, -0.0);
    }

    @Test
    void dropsTimestamps() {
      assertThat(samples("""
          a 1 1712345678901
          b{x="y"} 2 1.712345678901e9
          c 3   -5
          d 4\t1712345678901\t
          """)).containsExactly(sample("a", 1), sample("b", 2, "x", "y"), sample("c", 3), sample("d", 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {
      "m abc", "m 1.5d", "m 0x10", "m 1,5", "m 1 2 3", "m 1 notatimestamp", "m 1 NaN", "m 1 +Inf",
      "m --1", "m 1e", "m \"1\"",
    })
    void skipsLinesWhoseValueOrTimestampIsNotANumber(String line) {
      Result result = PrometheusText.parse(line + "\nok 1\n");
      assertThat(result.skippedLines()).isEqualTo(1);
      assertThat(result.samples()).containsExactly(sample("ok", 1));
    }
  }

  @Nested
  class OpenMetrics {
    @Test
    void readsAnOpenMetricsPageUpToEof() {
      String page = """
          # TYPE acme_http_router_request_seconds summary
          # UNIT acme_http_router_request_seconds seconds
          # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
          acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
          acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
          acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
          # TYPE foo histogram
          foo_bucket{le="0.5"} 3 # {trace_id="abc"} 0.67 1.6e9
          foo_bucket{le="+Inf"} 7 1.6e9 # {trace_id="def",span_id="x y"} 12.5
          foo_count 7
          foo_sum 19.2
          # TYPE bar counter
          bar_total 17.0 1520879607.789 # {a="b"} 1
          # EOF
          after_eof 1
          garbage after eof {{{
          """;

      Result result = PrometheusText.parse(page);

      assertThat(result.skippedLines()).isZero();
      assertThat(result.samples()).containsExactly(
          sample("acme_http_router_request_seconds_sum", 9036.32, "path", "/api/v1", "method", "GET"),
          sample("acme_http_router_request_seconds_count", 807283.0, "path", "/api/v1", "method", "GET"),
          sample("acme_http_router_request_seconds_created", 1605281325.0, "path", "/api/v1", "method", "GET"),
          sample("foo_bucket", 3, "le", "0.5"),
          sample("foo_bucket", 7, "le", "+Inf"),
          sample("foo_count", 7),
          sample("foo_sum", 19.2),
          sample("bar_total", 17.0));
    }

    @Test
    void eofMayHaveTrailingBlanksAndCrLf() {
      assertThat(samples("a 1\r\n# EOF  \r\nb 2\r\n")).containsExactly(sample("a", 1));
    }

    @Test
    void onlyAnExactEofEndsThePage() {
      assertThat(samples("a 1\n# EOFX\n#EOF\n# EOF more\nb 2\n")).containsExactly(sample("a", 1), sample("b", 2));
    }
  }

  @Nested
  class Malformed {
    @Test
    void skipsAndCountsMalformedLinesAndKeepsTheRest() {
      String page = String.join("\n",
          "good_1 1",
          "m{a=\"unterminated} 1",
          "m{a=unquoted} 1",
          "m{a=\"1\" b=\"2\"} 1",
          "m{a=\"1\",a=\"2\"} 1",
          "m{=\"x\"} 1",
          "m{1a=\"x\"} 1",
          "m{a.b=\"x\"} 1",
          "m{a=\"x\"",
          "m{a=\"x\\",
          "m{,} 1",
          "m{a} 1",
          "m{a=} 1",
          "1metric 1",
          "-m 1",
          "m-x 1",
          "m.x 1",
          "{\"utf8.name\"} 1",
          "{} 1",
          "good_2{a=\"b\"} 2",
          "");

      Result result = PrometheusText.parse(page);

      assertThat(result.samples()).containsExactly(sample("good_1", 1), sample("good_2", 2, "a", "b"));
      assertThat(result.skippedLines()).isEqualTo(18);
    }

    @Test
    void neverThrowsOnRandomGarbage() {
      Random random = new Random(42);
      char[] alphabet = "ab:_{}=\",\\ \t\n\r#.+-eE019NaInf\u0000\u00e9".toCharArray();
      for (int round = 0; round < 5_000; round++) {
        char[] chars = new char[random.nextInt(200)];
        for (int i = 0; i < chars.length; i++) {
          chars[i] = alphabet[random.nextInt(alphabet.length)];
        }
        String text = new String(chars);
        assertThatNoException().as(text).isThrownBy(() -> PrometheusText.parse(text));
      }
    }

    @Test
    void neverThrowsOnMutatedRealPages() {
      String page = MetricsPages.vllm();
      Random random = new Random(7);
      for (int round = 0; round < 300; round++) {
        char[] chars = page.toCharArray();
        for (int k = 0; k < 50; k++) {
          chars[random.nextInt(chars.length)] = "{}\"\\= ,#\n".charAt(random.nextInt(9));
        }
        String text = new String(chars);
        Result result = PrometheusText.parse(text);
        assertThat(result.samples().size() + result.skippedLines())
            .isLessThanOrEqualTo((int) text.lines().count());
      }
    }
  }

  @Nested
  class Bounds {
    @Test
    void readsOnlyTheFirstFourMebibytes() {
      // 64-character lines: the cap falls exactly after line 65536.
      String pad = "x".repeat(64 - "m{i=\"0000000\",p=\"\"} 1\n".length());
      int lines = PrometheusText.MAX_INPUT_CHARS / 64 + 1000;
      StringBuilder page = new StringBuilder(lines * 64);
      for (int i = 0; i < lines; i++) {
        page.append(String.format("m{i=\"%07d\",p=\"%s\"} 1\n", i, pad));
      }
      assertThat(page.length()).isEqualTo(lines * 64);

      Result result = PrometheusText.parse(page.toString());

      assertThat(result.truncated()).isTrue();
      assertThat(result.skippedLines()).isZero();
      assertThat(result.samples()).hasSize(PrometheusText.MAX_INPUT_CHARS / 64);
      assertThat(result.samples().get(result.samples().size() - 1).label("i")).isEqualTo("0065535");
    }

    @Test
    void aPageJustUnderTheCapIsReadWhole() {
      String line = "m 1\n";
      String page = line.repeat(PrometheusText.MAX_INPUT_CHARS / line.length());

      Result result = PrometheusText.parse(page, name -> false);

      assertThat(result.truncated()).isFalse();
      assertThat(result.skippedLines()).isZero();
    }

    @Test
    void thePartialLineAtTheCapIsNotReadOrCounted() {
      // The cap falls inside a line that would be malformed if cut: it must be dropped, not counted.
      String filler = "#" + "x".repeat(PrometheusText.MAX_INPUT_CHARS - 20) + "\n";
      String page = filler + "m{a=\"this line crosses the cap\"} 1\n";

      Result result = PrometheusText.parse(page);

      assertThat(result.truncated()).isTrue();
      assertThat(result.samples()).isEmpty();
      assertThat(result.skippedLines()).isZero();
    }

    @Test
    void keepsAtMostMaxSamples() {
      String page = "m 1\n".repeat(PrometheusText.MAX_SAMPLES + 10);

      Result result = PrometheusText.parse(page);

      assertThat(result.samples()).hasSize(PrometheusText.MAX_SAMPLES);
      assertThat(result.truncated()).isTrue();
    }

    @Test
    void exactlyMaxSamplesIsNotTruncated() {
      Result result = PrometheusText.parse("m 1\n".repeat(PrometheusText.MAX_SAMPLES));

      assertThat(result.samples()).hasSize(PrometheusText.MAX_SAMPLES);
      assertThat(result.truncated()).isFalse();
    }
  }
}
