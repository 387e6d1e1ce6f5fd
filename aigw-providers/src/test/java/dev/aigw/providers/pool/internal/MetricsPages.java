package dev.aigw.providers.pool.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The hand-written {@code /metrics} pages under {@code src/test/resources/pool/}. */
final class MetricsPages {
  /** The served model name in the vLLM page. */
  static final String VLLM_MODEL = "meta-llama/Llama-3.1-8B-Instruct";

  private MetricsPages() {}

  /** A vLLM 0.10-style page: two data-parallel engines, histograms, counters, info gauges. */
  static String vllm() {
    return read("vllm-metrics.txt");
  }

  /** An SGLang page: one scheduler (TP rank 0). */
  static String sglang() {
    return read("sglang-metrics.txt");
  }

  /** A TGI page: no HELP lines, no labels on the gauges, summaries with quantiles. */
  static String tgi() {
    return read("tgi-metrics.txt");
  }

  /** How many lines of {@code page} are samples: neither blank nor comments. */
  static long sampleLines(String page) {
    return page.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).count();
  }

  private static String read(String name) {
    try (InputStream in = MetricsPages.class.getClassLoader().getResourceAsStream("pool/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource pool/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
