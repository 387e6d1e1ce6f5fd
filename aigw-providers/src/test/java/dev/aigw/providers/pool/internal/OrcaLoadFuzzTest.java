package dev.aigw.providers.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigw.providers.pool.ReplicaLoad;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import okhttp3.Headers;

/**
 * Fuzzes {@link OrcaLoad}, which reads the {@code endpoint-load-metrics} headers of replicas'
 * answers. Contract: it reads "leniently" and returns null for what it cannot read, so nothing
 * may escape; a load it returns holds only what the class promises (negative values ignored, KV
 * usage at most 1), and a binary report reads the same in every base64 spelling
 * it accepts.
 */
class OrcaLoadFuzzTest {
  private static final Instant NOW = Instant.parse("2025-11-02T08:00:00Z");

  /** Any value of {@code endpoint-load-metrics}: TEXT, JSON, BIN or no prefix. */
  @FuzzTest
  @DictionaryEntries({"TEXT ", "JSON ", "BIN ", "named_metrics.", "num_requests_waiting", "num_requests_running",
      "kv_cache_usage_perc", "kv_cache_utilization", "\"named_metrics\"", "\"namedMetrics\"", "1e308", "NaN", "-Inf"})
  void header(byte[] bytes) {
    String value = new String(bytes, StandardCharsets.UTF_8);
    check(OrcaLoad.parse(value, NOW));
    check(OrcaLoad.fromHeaders(Headers.of(OrcaLoad.RESPONSE_HEADER_BIN, "", OrcaLoad.RESPONSE_HEADER, ascii(value)), NOW));
  }

  /** A serialized {@code OrcaLoadReport} of arbitrary bytes, in each base64 form the class accepts. */
  @FuzzTest
  @DictionaryEntries({"num_requests_waiting", "num_requests_running", "kv_cache_usage_perc"})
  void binary(byte[] report) {
    String standard = Base64.getEncoder().encodeToString(report);
    ReplicaLoad load = OrcaLoad.parseBinary(standard, NOW);
    check(load);
    assertThat(OrcaLoad.parseBinary(Base64.getUrlEncoder().withoutPadding().encodeToString(report), NOW)).isEqualTo(load);
    assertThat(OrcaLoad.parse("BIN " + standard, NOW)).isEqualTo(load);
    assertThat(OrcaLoad.fromHeaders(Headers.of(OrcaLoad.RESPONSE_HEADER_BIN, standard), NOW)).isEqualTo(load);
  }

  private static void check(ReplicaLoad load) {
    if (load == null) {
      return;
    }
    assertThat(load.isKnown()).isTrue();
    assertThat(load.observedAt()).isEqualTo(NOW);
    // NaN (not reported) or a number; -0.0 counts as 0. A sum of repeated huge values may reach
    // +Infinity (each value is finite; the class only promises to drop infinite values).
    assertThat(Double.isNaN(load.waiting()) || load.waiting() >= 0).as("waiting %s", load.waiting()).isTrue();
    assertThat(Double.isNaN(load.running()) || load.running() >= 0).as("running %s", load.running()).isTrue();
    double kv = load.kvCacheUsage();
    assertThat(Double.isNaN(kv) || kv >= 0 && kv <= 1).as("KV usage %s", kv).isTrue();
  }

  /** OkHttp only takes header values of printable ASCII and tabs: others are replaced by '?'. */
  private static String ascii(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      out.append(c == '\t' || c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
