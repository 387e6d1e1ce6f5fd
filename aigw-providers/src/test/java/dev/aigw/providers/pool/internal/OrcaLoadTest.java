package dev.aigw.providers.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.providers.pool.ReplicaLoad;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import okhttp3.Headers;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrcaLoadTest {
  static final Instant NOW = Instant.parse("2025-11-02T08:00:00Z");
  static final double NaN = Double.NaN;

  private static ReplicaLoad parse(String value) {
    return OrcaLoad.parse(value, NOW);
  }

  @Test
  void requestHeaderAndFormatsAreTheOnesVllmReads() {
    assertThat(OrcaLoad.REQUEST_HEADER).isEqualTo("endpoint-load-metrics-format");
    assertThat(OrcaLoad.FORMAT_TEXT).isEqualTo("TEXT");
    assertThat(OrcaLoad.FORMAT_JSON).isEqualTo("JSON");
    assertThat(OrcaLoad.RESPONSE_HEADER).isEqualTo("endpoint-load-metrics");
    assertThat(OrcaLoad.RESPONSE_HEADER_BIN).isEqualTo("endpoint-load-metrics-bin");
  }

  @Nested
  class Text {
    @Test
    void readsWhatVllmSends() {
      assertThat(parse("TEXT named_metrics.kv_cache_usage_perc=0.25, named_metrics.num_requests_waiting=3.0"))
          .isEqualTo(new ReplicaLoad(3.0, NaN, 0.25, NOW));
    }

    @Test
    void ignoresTheStandardFields() {
      assertThat(parse("TEXT cpu_utilization=0.3, mem_utilization=0.8, rps_fractional=10.0, eps=1, "
              + "named_metrics.kv_cache_usage_perc=0.4, named_metrics.num_requests_waiting=3"))
          .isEqualTo(new ReplicaLoad(3.0, NaN, 0.4, NOW));
    }

    @Test
    void readsTheRunningCountWhenSent() {
      assertThat(parse("TEXT named_metrics.num_requests_running=12,named_metrics.num_requests_waiting=0"))
          .isEqualTo(new ReplicaLoad(0.0, 12.0, NaN, NOW));
    }

    @Test
    void acceptsEnvoysColonSeparatorAndAnyCasePrefix() {
      assertThat(parse("TEXT named_metrics.num_requests_waiting:2, named_metrics.kv_cache_usage_perc:0.5"))
          .isEqualTo(new ReplicaLoad(2.0, NaN, 0.5, NOW));
      assertThat(parse("text named_metrics.num_requests_waiting=2")).isEqualTo(new ReplicaLoad(2.0, NaN, NaN, NOW));
      assertThat(parse("  TEXT\tnamed_metrics.num_requests_waiting = 2 ,")).isEqualTo(new ReplicaLoad(2.0, NaN, NaN, NOW));
    }

    @Test
    void readsAValueWithoutTheFormatPrefixAsText() {
      assertThat(parse("named_metrics.kv_cache_usage_perc=0.75,named_metrics.num_requests_waiting=3"))
          .isEqualTo(new ReplicaLoad(3.0, NaN, 0.75, NOW));
    }

    @Test
    void sumsRepeatedWaitingAndTakesTheFullestKvCache() {
      // vLLM with two data-parallel engines writes one pair per engine.
      assertThat(parse("TEXT named_metrics.kv_cache_usage_perc=0.7, named_metrics.kv_cache_usage_perc=0.2, "
              + "named_metrics.num_requests_waiting=1.0, named_metrics.num_requests_waiting=4.0"))
          .isEqualTo(new ReplicaLoad(5.0, NaN, 0.7, NOW));
    }

    @Test
    void acceptsTheKvCacheUtilizationAlias() {
      assertThat(parse("TEXT named_metrics.kv_cache_utilization=0.4").kvCacheUsage()).isEqualTo(0.4);
    }

    @Test
    void skipsUnusablePairsButKeepsTheRest() {
      assertThat(parse("TEXT named_metrics.num_requests_waiting=abc, garbage, =1, named_metrics.=2, "
              + "named_metrics.num_requests_running=nan, named_metrics.kv_cache_usage_perc=inf, "
              + "named_metrics.num_requests_waiting=-3, named_metrics.kv_cache_usage_perc=0.5"))
          .isEqualTo(new ReplicaLoad(NaN, NaN, 0.5, NOW));
    }

    @Test
    void clampsKvCacheUsageToOne() {
      assertThat(parse("TEXT named_metrics.kv_cache_usage_perc=1.5").kvCacheUsage()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
      "", "   ", "TEXT", "TEXT ", "TEXT cpu_utilization=0.3", "TEXT named_metrics.other=1",
      "TEXT named_metrics.num_requests_waiting=", "TEXTnamed_metrics.num_requests_waiting=1",
      "XML <load/>", "TEXT named_metrics.kv_cache_usage_perc=NaN",
    })
    void isNullWithoutAUsableValue(String value) {
      assertThat(parse(value)).isNull();
    }
  }

  @Nested
  class Json {
    @Test
    void readsWhatVllmSends() {
      assertThat(parse("JSON {\"named_metrics\": {\"kv_cache_usage_perc\": 0.25, \"num_requests_waiting\": 3.0}}"))
          .isEqualTo(new ReplicaLoad(3.0, NaN, 0.25, NOW));
    }

    @Test
    void readsTheProto3JsonNamesAndNumericStrings() {
      assertThat(parse("JSON {\"cpuUtilization\": 0.3, \"namedMetrics\": "
              + "{\"num_requests_waiting\": \"2\", \"num_requests_running\": 7, \"kv_cache_usage_perc\": \"0.5\"}}"))
          .isEqualTo(new ReplicaLoad(2.0, 7.0, 0.5, NOW));
    }

    @Test
    void readsAnObjectWithoutTheFormatPrefix() {
      assertThat(parse("{\"named_metrics\":{\"num_requests_waiting\":0,\"kv_cache_usage_perc\":0.0}}"))
          .isEqualTo(new ReplicaLoad(0.0, NaN, 0.0, NOW));
    }

    @Test
    void ignoresUnknownAndNonNumericMetrics() {
      assertThat(parse("json {\"cpu_utilization\": 0.3, \"named_metrics\": {\"foo\": 1, "
              + "\"num_requests_waiting\": true, \"num_requests_running\": null, \"kv_cache_usage_perc\": 0.9}}"))
          .isEqualTo(new ReplicaLoad(NaN, NaN, 0.9, NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {
      "JSON", "JSON ", "JSON {", "JSON []", "JSON 42", "JSON {\"cpu_utilization\": 0.3}",
      "JSON {\"named_metrics\": [1, 2]}", "JSON {\"named_metrics\": {}}", "{\"named_metrics\": {\"x\": 1}}",
      "JSON {\"named_metrics\": {\"num_requests_waiting\": NaN}}", "JSON named_metrics.num_requests_waiting=1",
    })
    void isNullWithoutAUsableValue(String value) {
      assertThat(parse(value)).isNull();
    }
  }

  @Nested
  class Binary {
    @Test
    void readsNamedMetricsFromTheBinHeader() {
      byte[] report = report();

      assertThat(OrcaLoad.parseBinary(Base64.getEncoder().encodeToString(report), NOW))
          .isEqualTo(new ReplicaLoad(3.0, 5.0, 0.625, NOW));
    }

    @Test
    void readsTheBinPrefixOfTheTextHeader() {
      assertThat(parse("BIN " + Base64.getEncoder().encodeToString(report())))
          .isEqualTo(new ReplicaLoad(3.0, 5.0, 0.625, NOW));
    }

    @Test
    void acceptsUnpaddedAndUrlSafeBase64() {
      byte[] report = report();
      assertThat(OrcaLoad.parseBinary(Base64.getEncoder().withoutPadding().encodeToString(report), NOW))
          .isEqualTo(new ReplicaLoad(3.0, 5.0, 0.625, NOW));
      assertThat(OrcaLoad.parseBinary(Base64.getUrlEncoder().encodeToString(report), NOW))
          .isEqualTo(new ReplicaLoad(3.0, 5.0, 0.625, NOW));
    }

    @Test
    void aMapEntryWithoutAValueIsZero() {
      Proto entry = new Proto().string(1, "num_requests_waiting");
      byte[] report = new Proto().bytes(8, entry.toByteArray()).toByteArray();

      assertThat(OrcaLoad.parseBinary(Base64.getEncoder().encodeToString(report), NOW))
          .isEqualTo(new ReplicaLoad(0.0, NaN, NaN, NOW));
    }

    @Test
    void aReportWithoutNamedMetricsIsNull() {
      byte[] report = new Proto().fixed64(1, 0.3).fixed64(2, 0.1).toByteArray();

      assertThat(OrcaLoad.parseBinary(Base64.getEncoder().encodeToString(report), NOW)).isNull();
    }

    @Test
    void malformedBinaryIsNull() {
      byte[] report = report();
      byte[] truncated = java.util.Arrays.copyOf(report, report.length - 3);
      byte[] group = new Proto().tag(8, 3).toByteArray();
      byte[] overlong = {(byte) 0x42, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
      byte[] wrongWireType = new Proto().fixed64(8, 1.0).toByteArray();
      Base64.Encoder base64 = Base64.getEncoder();

      assertThat(OrcaLoad.parseBinary(base64.encodeToString(truncated), NOW)).isNull();
      assertThat(OrcaLoad.parseBinary(base64.encodeToString(group), NOW)).isNull();
      assertThat(OrcaLoad.parseBinary(base64.encodeToString(overlong), NOW)).isNull();
      assertThat(OrcaLoad.parseBinary(base64.encodeToString(wrongWireType), NOW)).isNull();
      assertThat(OrcaLoad.parseBinary("!!not base64!!", NOW)).isNull();
      assertThat(OrcaLoad.parseBinary("", NOW)).isNull();
      assertThat(OrcaLoad.parseBinary(null, NOW)).isNull();
      assertThat(parse("BIN")).isNull();
    }

    /**
     * An OrcaLoadReport with every field kind: cpu_utilization (1, double), rps (3, varint),
     * utilization (5, map), named_metrics (8, map) with waiting, running, KV usage and an unknown
     * metric, application_utilization (9, double), and an unknown fixed32 field (20).
     */
    private byte[] report() {
      return new Proto()
          .fixed64(1, 0.35)
          .varint(3, 120)
          .bytes(5, new Proto().string(1, "gpu").fixed64(2, 0.9).toByteArray())
          .bytes(8, new Proto().string(1, "num_requests_waiting").fixed64(2, 3.0).toByteArray())
          .bytes(8, new Proto().fixed64(2, 5.0).string(1, "num_requests_running").toByteArray())
          .bytes(8, new Proto().string(1, "kv_cache_usage_perc").fixed64(2, 0.625).toByteArray())
          .bytes(8, new Proto().string(1, "other").fixed64(2, 99.0).toByteArray())
          .fixed64(9, 0.5)
          .fixed32(20, 7)
          .toByteArray();
    }
  }

  @Nested
  class FromHeaders {
    @Test
    void readsTheTextHeader() {
      Headers headers = Headers.of("content-type", "application/json",
          "endpoint-load-metrics", "TEXT named_metrics.num_requests_waiting=2.0");

      assertThat(OrcaLoad.fromHeaders(headers, NOW)).isEqualTo(new ReplicaLoad(2.0, NaN, NaN, NOW));
    }

    @Test
    void prefersTheBinHeaderAndFallsBackWhenItIsUnreadable() {
      String binary = Base64.getEncoder().encodeToString(new Proto()
          .bytes(8, new Proto().string(1, "num_requests_waiting").fixed64(2, 9.0).toByteArray())
          .toByteArray());
      String text = "TEXT named_metrics.num_requests_waiting=2.0";

      assertThat(OrcaLoad.fromHeaders(Headers.of("endpoint-load-metrics-bin", binary, "endpoint-load-metrics", text), NOW))
          .isEqualTo(new ReplicaLoad(9.0, NaN, NaN, NOW));
      assertThat(OrcaLoad.fromHeaders(Headers.of("endpoint-load-metrics-bin", "%%%", "endpoint-load-metrics", text), NOW))
          .isEqualTo(new ReplicaLoad(2.0, NaN, NaN, NOW));
    }

    @Test
    void noReportIsNull() {
      assertThat(OrcaLoad.fromHeaders(Headers.of("content-type", "application/json"), NOW)).isNull();
      assertThat(OrcaLoad.parse(null, NOW)).isNull();
    }

    @Test
    void anOversizedHeaderIsNotRead() {
      String value = "TEXT named_metrics.num_requests_waiting=1, " + "x=1, ".repeat(OrcaLoad.MAX_HEADER_CHARS);

      assertThat(parse(value)).isNull();
    }
  }

  /** A minimal protobuf encoder for building test reports. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto tag(int field, int wireType) {
      return rawVarint(((long) field << 3) | wireType);
    }

    Proto varint(int field, long value) {
      return tag(field, 0).rawVarint(value);
    }

    Proto fixed64(int field, double value) {
      tag(field, 1);
      long bits = Double.doubleToLongBits(value);
      for (int k = 0; k < 8; k++) {
        out.write((int) (bits >>> (8 * k)) & 0xff);
      }
      return this;
    }

    Proto fixed32(int field, int value) {
      tag(field, 5);
      for (int k = 0; k < 4; k++) {
        out.write((value >>> (8 * k)) & 0xff);
      }
      return this;
    }

    Proto bytes(int field, byte[] value) {
      tag(field, 2).rawVarint(value.length);
      out.writeBytes(value);
      return this;
    }

    Proto string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }

    private Proto rawVarint(long value) {
      long v = value;
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }
  }
}
