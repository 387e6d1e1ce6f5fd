package dev.aigw.providers.pool.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigw.providers.internal.Json;
import dev.aigw.providers.pool.ReplicaLoad;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Reads the ORCA load report a server attaches to a response ({@code endpoint-load-metrics}) into
 * a {@link ReplicaLoad}. ORCA is the Open Request Cost Aggregation format of {@code
 * xds.data.orca.v3.OrcaLoadReport}; its application-specific values travel in {@code
 * named_metrics}.
 *
 * <p>vLLM (since late 2025) sends the header on a completion or chat completion response when the
 * request carried {@value #REQUEST_HEADER}{@code : TEXT} or {@code JSON} (case-insensitive), with
 * two named metrics read from its Prometheus gauges when the response is built: {@value
 * #KV_CACHE_USAGE} (0 to 1) and {@value #WAITING}. It does not send the running count, and only
 * non-streaming successful responses carry the header (a streamed response's headers leave before
 * its end). Examples of what it writes:
 *
 * <pre>
 * endpoint-load-metrics: TEXT named_metrics.kv_cache_usage_perc=0.25, named_metrics.num_requests_waiting=3.0
 * endpoint-load-metrics: JSON {"named_metrics": {"kv_cache_usage_perc": 0.25, "num_requests_waiting": 3.0}}
 * </pre>
 *
 * <p>Read here, leniently:
 *
 * <ul>
 *   <li>{@code TEXT}: comma-separated {@code key=value} pairs ({@code key:value} as Envoy reads
 *       them is accepted too), named metrics prefixed with {@code named_metrics.}; blanks around
 *       pairs are ignored. A pair that is not a finite number is skipped, not the whole header.
 *       When a server with several data-parallel engines repeats a metric (vLLM writes one pair
 *       per gauge label set), waiting values are summed and the KV usage is the maximum, as in
 *       {@link ServerMetrics}.
 *   <li>{@code JSON}: an object whose {@code named_metrics} (or proto3 JSON's {@code
 *       namedMetrics}) maps names to numbers (or numeric strings).
 *   <li>{@code BIN}: base64 of the serialized protobuf, either as {@code endpoint-load-metrics:
 *       BIN ...} or as the gRPC-style {@value #RESPONSE_HEADER_BIN} header; only field 8 ({@code
 *       named_metrics}, a map of string to double) is read, the rest skipped by wire type.
 *   <li>A value without the format prefix is read as JSON when it starts with <code>{</code>,
 *       else as TEXT (some vLLM-compatible servers leave the prefix out).
 * </ul>
 *
 * <p>Named metrics read: {@value #WAITING}, {@value #RUNNING} (no known server sends it yet) and
 * {@value #KV_CACHE_USAGE}, with {@value #KV_CACHE_UTILIZATION} as an alias (the name in the ORCA
 * design document's examples). The standard fields ({@code cpu_utilization}, {@code
 * mem_utilization}, {@code rps_fractional}, ...) say nothing about an inference queue and are
 * ignored. Negative, NaN and infinite values are ignored; KV usage is clamped to at most 1.
 */
public final class OrcaLoad {
  /** The request header that asks the server for a load report in the response. */
  public static final String REQUEST_HEADER = "endpoint-load-metrics-format";
  /** {@link #REQUEST_HEADER} value: the report as comma-separated {@code key=value} pairs. */
  public static final String FORMAT_TEXT = "TEXT";
  /** {@link #REQUEST_HEADER} value: the report as JSON. */
  public static final String FORMAT_JSON = "JSON";
  /** The response header with the report, prefixed by its format. */
  public static final String RESPONSE_HEADER = "endpoint-load-metrics";
  /** The gRPC-style response header with the report as base64 protobuf, no prefix. */
  public static final String RESPONSE_HEADER_BIN = "endpoint-load-metrics-bin";

  /** Named metric: requests waiting (vLLM's {@code vllm:num_requests_waiting}). */
  public static final String WAITING = "num_requests_waiting";
  /** Named metric: requests running. */
  public static final String RUNNING = "num_requests_running";
  /** Named metric: KV-cache usage, 0 to 1 (vLLM's {@code vllm:kv_cache_usage_perc}). */
  public static final String KV_CACHE_USAGE = "kv_cache_usage_perc";
  /** Named metric accepted as an alias of {@link #KV_CACHE_USAGE}. */
  public static final String KV_CACHE_UTILIZATION = "kv_cache_utilization";

  /** Header values longer than this are not read. */
  static final int MAX_HEADER_CHARS = 16 * 1024;

  private static final String NAMED_PREFIX = "named_metrics.";
  /** OrcaLoadReport.named_metrics. */
  private static final int FIELD_NAMED_METRICS = 8;
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LEN = 2;
  private static final int WIRE_FIXED32 = 5;

  private OrcaLoad() {}

  /**
   * The load in a response's headers: {@value #RESPONSE_HEADER_BIN} when present and readable,
   * else {@value #RESPONSE_HEADER}.
   *
   * @return the load, or null when the headers hold no readable report with any of the values
   */
  public static @Nullable ReplicaLoad fromHeaders(Headers headers, Instant observedAt) {
    ReplicaLoad binary = parseBinary(headers.get(RESPONSE_HEADER_BIN), observedAt);
    return binary != null ? binary : parse(headers.get(RESPONSE_HEADER), observedAt);
  }

  /**
   * Reads an {@value #RESPONSE_HEADER} value ({@code TEXT ...}, {@code JSON ...} or {@code BIN
   * ...}).
   *
   * @param value the header value, or null when the response had none
   * @param observedAt when the response arrived, by the pool's clock
   * @return the load, or null when the value is missing, unreadable or reports none of waiting,
   *     running and KV usage
   */
  public static @Nullable ReplicaLoad parse(@Nullable String value, Instant observedAt) {
    if (value == null || value.length() > MAX_HEADER_CHARS) {
      return null;
    }
    String report = value.strip();
    Load load = new Load();
    boolean read;
    if (hasPrefix(report, "TEXT")) {
      read = text(report.substring(4), load);
    } else if (hasPrefix(report, "JSON")) {
      read = json(report.substring(4), load);
    } else if (hasPrefix(report, "BIN")) {
      read = binary(report.substring(3), load);
    } else if (report.startsWith("{")) {
      read = json(report, load);
    } else {
      read = text(report, load);
    }
    return read ? load.toReplicaLoad(observedAt) : null;
  }

  /**
   * Reads an {@value #RESPONSE_HEADER_BIN} value: base64 (standard or URL-safe, padded or not) of
   * a serialized {@code OrcaLoadReport}.
   *
   * @return the load, or null when the value is missing, unreadable or reports none of the values
   */
  public static @Nullable ReplicaLoad parseBinary(@Nullable String value, Instant observedAt) {
    if (value == null || value.length() > MAX_HEADER_CHARS) {
      return null;
    }
    Load load = new Load();
    return binary(value, load) ? load.toReplicaLoad(observedAt) : null;
  }

  /** Whether {@code report} starts with {@code format} (any case) followed by a blank or its end. */
  private static boolean hasPrefix(String report, String format) {
    int n = format.length();
    return report.regionMatches(true, 0, format, 0, n)
        && (report.length() == n || report.charAt(n) == ' ' || report.charAt(n) == '\t');
  }

  private static boolean text(String pairs, Load load) {
    int start = 0;
    while (start <= pairs.length()) {
      int comma = pairs.indexOf(',', start);
      int end = comma < 0 ? pairs.length() : comma;
      String pair = pairs.substring(start, end).strip();
      int separator = pair.indexOf('=');
      if (separator < 0) {
        separator = pair.indexOf(':');
      }
      if (separator > 0) {
        String key = pair.substring(0, separator).strip();
        if (key.startsWith(NAMED_PREFIX)) {
          load.add(key.substring(NAMED_PREFIX.length()), Numbers.parse(pair.substring(separator + 1)));
        }
      }
      start = end + 1;
    }
    return true;
  }

  private static boolean json(String document, Load load) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(document);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (root == null || !root.isObject()) {
      return false;
    }
    JsonNode named = root.get("named_metrics");
    if (named == null) {
      named = root.get("namedMetrics");
    }
    if (named != null && named.isObject()) {
      for (Map.Entry<String, JsonNode> field : named.properties()) {
        JsonNode number = field.getValue();
        if (number.isNumber()) {
          load.add(field.getKey(), number.doubleValue());
        } else if (number.isTextual()) {
          load.add(field.getKey(), Numbers.parse(number.textValue()));
        }
      }
    }
    return true;
  }

  private static boolean binary(String base64, Load load) {
    String encoded = base64.strip();
    if (encoded.isEmpty()) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException standardFailed) {
      try {
        bytes = Base64.getUrlDecoder().decode(encoded);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    try {
      Protobuf report = new Protobuf(bytes, 0, bytes.length);
      while (report.hasMore()) {
        long tag = report.varint();
        int wireType = (int) (tag & 7);
        if (tag >>> 3 == FIELD_NAMED_METRICS && wireType == WIRE_LEN) {
          namedMetric(report.message(), load);
        } else {
          report.skip(wireType);
        }
      }
      return true;
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  /** Reads one {@code map<string, double>} entry: key is field 1, value field 2. */
  private static void namedMetric(Protobuf entry, Load load) {
    String key = "";
    double value = 0.0;
    while (entry.hasMore()) {
      long tag = entry.varint();
      int wireType = (int) (tag & 7);
      long field = tag >>> 3;
      if (field == 1 && wireType == WIRE_LEN) {
        key = entry.string();
      } else if (field == 2 && wireType == WIRE_FIXED64) {
        value = Double.longBitsToDouble(entry.fixed64());
      } else {
        entry.skip(wireType);
      }
    }
    load.add(key, value);
  }

  /** What a report said so far. */
  private static final class Load {
    private double waiting;
    private double running;
    private double kvCache;
    private boolean hasWaiting;
    private boolean hasRunning;
    private boolean hasKvCache;

    /** Adds a named metric; unknown names and unusable values are ignored. */
    void add(String name, double value) {
      if (!Double.isFinite(value) || value < 0) {
        return;
      }
      switch (name.toLowerCase(Locale.ROOT)) {
        case WAITING -> {
          waiting += value;
          hasWaiting = true;
        }
        case RUNNING -> {
          running += value;
          hasRunning = true;
        }
        case KV_CACHE_USAGE, KV_CACHE_UTILIZATION -> {
          kvCache = hasKvCache ? Math.max(kvCache, value) : value;
          hasKvCache = true;
        }
        default -> {}
      }
    }

    @Nullable ReplicaLoad toReplicaLoad(Instant observedAt) {
      if (!hasWaiting && !hasRunning && !hasKvCache) {
        return null;
      }
      return new ReplicaLoad(
          hasWaiting ? waiting : Double.NaN,
          hasRunning ? running : Double.NaN,
          hasKvCache ? Math.min(kvCache, 1.0) : Double.NaN,
          observedAt);
    }
  }

  /**
   * A protobuf reader over a byte range, for the few wire types a load report uses. Malformed
   * input (truncated, over-long varints, groups) throws {@link IllegalArgumentException}.
   */
  private static final class Protobuf {
    private final byte[] bytes;
    private final int limit;
    private int position;

    Protobuf(byte[] bytes, int from, int limit) {
      this.bytes = bytes;
      this.position = from;
      this.limit = limit;
    }

    boolean hasMore() {
      return position < limit;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= limit) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte b = bytes[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    long fixed64() {
      need(8);
      long value = 0;
      for (int k = 7; k >= 0; k--) {
        value = (value << 8) | (bytes[position + k] & 0xffL);
      }
      position += 8;
      return value;
    }

    /** The length-delimited field that follows, as a reader of its own bytes. */
    Protobuf message() {
      int length = length();
      Protobuf nested = new Protobuf(bytes, position, position + length);
      position += length;
      return nested;
    }

    String string() {
      int length = length();
      String value = new String(bytes, position, length, StandardCharsets.UTF_8);
      position += length;
      return value;
    }

    void skip(int wireType) {
      switch (wireType) {
        case WIRE_VARINT -> varint();
        case WIRE_FIXED64 -> {
          need(8);
          position += 8;
        }
        case WIRE_LEN -> {
          int length = length(); // before reading position: length() advances it
          position += length;
        }
        case WIRE_FIXED32 -> {
          need(4);
          position += 4;
        }
        default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
      }
    }

    private int length() {
      long length = varint();
      if (length < 0 || length > limit - position) {
        throw new IllegalArgumentException("length beyond the message");
      }
      return (int) length;
    }

    private void need(int n) {
      if (limit - position < n) {
        throw new IllegalArgumentException("truncated field");
      }
    }
  }
}
