package dev.aigw.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatStream;
import dev.aigw.core.AiGateway;
import dev.aigw.providers.openai.OpenAiProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * What a proxy gateway adds to each call, next to what aigw adds in-process. One local
 * OpenAI-shaped upstream ({@link ChatCompletionsServer}), and the same chat-completions request
 * made three ways:
 *
 * <ul>
 *   <li>{@code floor}: a plain OkHttp client posting straight to the upstream (the least code that
 *       makes the call: a request record, Jackson, OkHttp, a small record for the answer);
 *   <li>{@code portkey}: the same client, same code, posting to a proxy gateway on loopback (the
 *       Portkey AI gateway, started by {@code report.sh}) that forwards to the upstream: it is
 *       told where by the headers {@code x-portkey-provider: openai} and {@code
 *       x-portkey-custom-host: http://127.0.0.1:PORT/v1};
 *   <li>{@code aigw}: an {@link AiGateway} in the same JVM with {@code
 *       OpenAiProvider.compatible(upstream + "/v1")}, and nothing else configured.
 * </ul>
 *
 * <p>Each mode is measured blocking (one call, the answer's text read) and streaming (the whole
 * event stream read; the time to the first chunk with text is recorded too), from one thread
 * (sequential) and from {@code -Dconcurrency} threads (16). For each it prints the latency per call
 * (p50, p90, p99, mean, in µs) and the calls per second. The added latency of a mode is its figure
 * minus the floor's: the proxy's hop (two more loopback legs and the proxy's own work) against
 * aigw's in-process work. Every client is checked to return the canned answer before it is
 * measured.
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * # floor and aigw only (no proxy)
 * java -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.ProxyOverheadHarness
 * # with a Portkey gateway listening on 127.0.0.1:8787 (report.sh installs and starts one)
 * java -Dportkey.url=http://127.0.0.1:8787 -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.ProxyOverheadHarness
 * # one mode per JVM, as report.sh runs it, so no mode's classes or JIT profiles touch another's
 * java -Dmodes=aigw -Dout=proxy-aigw.json -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.ProxyOverheadHarness
 * </pre>
 *
 * Properties: {@code modes} ({@code floor,portkey,aigw}; {@code portkey} is left out when {@code
 * portkey.url} is not set), {@code kinds} ({@code blocking,stream}), {@code concurrency} (16; 1 is
 * always run first), {@code warmup} (5 s per cell), {@code seconds} (10 s per cell), {@code
 * portkey.url}, {@code out} (a JSON file for the report).
 */
public final class ProxyOverheadHarness {
  private static final String API_KEY = "sk-bench-not-a-real-key-0000000000000000";
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private final List<String> kinds = List.of(System.getProperty("kinds", "blocking,stream").split(","));
  private final int concurrency = Integer.getInteger("concurrency", 16);
  private final double warmupSeconds = Double.parseDouble(System.getProperty("warmup", "5"));
  private final double seconds = Double.parseDouble(System.getProperty("seconds", "10"));
  private final @Nullable String portkeyUrl = blankToNull(System.getProperty("portkey.url"));

  private ProxyOverheadHarness() {}

  public static void main(String[] args) throws Exception {
    int status = new ProxyOverheadHarness().run();
    System.exit(status);
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** One way of making the call. */
  private interface Caller extends AutoCloseable {
    /** A blocking call; returns the answer's text. */
    String blocking();

    /** Reads a whole stream; stores the time of the first chunk with text in {@code firstAt[0]}; returns the text. */
    String stream(long[] firstAt);

    @Override
    void close();
  }

  private int run() throws Exception {
    String defaultModes = portkeyUrl == null ? "floor,aigw" : "floor,portkey,aigw";
    List<String> modes = List.of(System.getProperty("modes", defaultModes).split(","));
    List<Integer> threadCounts = concurrency == 1 ? List.of(1) : List.of(1, concurrency);
    System.out.printf(Locale.ROOT, "proxy overhead: modes %s, kinds %s, threads %s, %.1f s warm-up and %.1f s measured per cell%n",
        modes, kinds, threadCounts, warmupSeconds, seconds);
    List<Map<String, Object>> cells = new ArrayList<>();
    int status = 0;
    try (ChatCompletionsServer upstream = ChatCompletionsServer.start()) {
      System.out.println("upstream: " + upstream.baseUrl() + "/v1/chat/completions");
      if (portkeyUrl != null) {
        System.out.println("portkey: " + portkeyUrl + " (x-portkey-provider: openai, x-portkey-custom-host: "
            + upstream.baseUrl() + "/v1)");
      }
      System.out.printf(Locale.ROOT, "%-8s %-9s %7s %9s %9s %9s %9s %10s %10s %8s %11s%n",
          "mode", "kind", "threads", "p50 us", "p90 us", "p99 us", "mean us", "calls/s", "first p50", "errors", "upstream conns");
      for (String mode : modes) {
        try (Caller caller = caller(mode, upstream)) {
          check(mode, caller);
          for (int threads : threadCounts) {
            for (String kind : kinds) {
              Map<String, Object> cell = measure(mode, kind, threads, caller, upstream);
              cells.add(cell);
              if (((Number) cell.get("calls")).longValue() == 0) {
                status = 1;
              }
            }
          }
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("harness", "ProxyOverheadHarness");
    out.put("warmupSeconds", warmupSeconds);
    out.put("seconds", seconds);
    out.put("portkeyUrl", portkeyUrl);
    out.put("portkeyVersion", System.getProperty("portkey.version"));
    out.put("cells", cells);
    JsonOut.write(out);
    return status;
  }

  private Caller caller(String mode, ChatCompletionsServer upstream) {
    return switch (mode) {
      case "floor" -> new HttpCaller(upstream.baseUrl() + "/v1/chat/completions", Headers.of());
      case "portkey" -> {
        if (portkeyUrl == null) {
          throw new IllegalStateException("mode portkey needs -Dportkey.url=http://127.0.0.1:PORT");
        }
        yield new HttpCaller(portkeyUrl + "/v1/chat/completions", Headers.of(
            "x-portkey-provider", "openai",
            "x-portkey-custom-host", upstream.baseUrl() + "/v1"));
      }
      case "aigw" -> new AigwCaller(upstream.baseUrl() + "/v1");
      default -> throw new IllegalArgumentException("unknown mode " + mode + " (floor, portkey, aigw)");
    };
  }

  /** Every mode must return the canned answer, blocking and streamed, before it is measured. */
  private static void check(String mode, Caller caller) {
    String blocking = caller.blocking();
    long[] first = new long[1];
    String streamed = caller.stream(first);
    if (!ChatCompletionsServer.ANSWER.equals(blocking) || !ChatCompletionsServer.ANSWER.equals(streamed) || first[0] == 0) {
      throw new IllegalStateException(mode + " did not return the canned answer: blocking '" + blocking + "', streamed '"
          + streamed + "'");
    }
  }

  /** Warms the cell up, then measures it; returns its figures. */
  private Map<String, Object> measure(String mode, String kind, int threads, Caller caller, ChatCompletionsServer upstream)
      throws InterruptedException {
    boolean stream = kind.equals("stream");
    drive(caller, stream, threads, warmupSeconds);
    upstream.resetCounts();
    Samples s = drive(caller, stream, threads, seconds);
    long[] total = s.total;
    long[] first = s.first;
    Map<String, Object> cell = new LinkedHashMap<>();
    cell.put("mode", mode);
    cell.put("kind", kind);
    cell.put("threads", threads);
    cell.put("calls", (long) total.length);
    cell.put("errors", s.errors);
    cell.put("firstError", s.firstError);
    cell.put("seconds", s.seconds);
    cell.put("callsPerSecond", total.length / s.seconds);
    cell.put("p50Us", pct(total, 0.50));
    cell.put("p90Us", pct(total, 0.90));
    cell.put("p99Us", pct(total, 0.99));
    cell.put("meanUs", mean(total));
    if (stream) {
      cell.put("firstChunkP50Us", pct(first, 0.50));
      cell.put("firstChunkP90Us", pct(first, 0.90));
      cell.put("firstChunkP99Us", pct(first, 0.99));
      cell.put("firstChunkMeanUs", mean(first));
    }
    cell.put("upstreamRequests", upstream.requests());
    cell.put("upstreamConnections", upstream.connections());
    System.out.printf(Locale.ROOT, "%-8s %-9s %7d %9.1f %9.1f %9.1f %9.1f %,10.0f %10s %8d %11d%n",
        mode, kind, threads, pct(total, 0.50), pct(total, 0.90), pct(total, 0.99), mean(total), total.length / s.seconds,
        stream ? String.format(Locale.ROOT, "%.1f", pct(first, 0.50)) : "-", s.errors, upstream.connections());
    if (s.firstError != null) {
      System.out.println("  first error: " + s.firstError);
    }
    return cell;
  }

  /** Per-call latencies in ns (sorted), the first-chunk latencies for streams, errors and the elapsed time. */
  private record Samples(long[] total, long[] first, long errors, @Nullable String firstError, double seconds) {}

  /** Calls from {@code threads} threads, each in a loop, for {@code forSeconds}. */
  private static Samples drive(Caller caller, boolean stream, int threads, double forSeconds) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> firstError = new AtomicReference<>();
    long[][] totals = new long[threads][];
    long[][] firsts = new long[threads][];
    long[] errors = new long[threads];
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int me = t;
      Thread worker = new Thread(() -> {
        long[] total = new long[1 << 14];
        long[] first = new long[stream ? 1 << 14 : 0];
        long[] firstAt = new long[1];
        int n = 0;
        while (!stop.get()) {
          long t0 = System.nanoTime();
          try {
            if (stream) {
              firstAt[0] = 0;
              caller.stream(firstAt);
            } else {
              caller.blocking();
            }
          } catch (RuntimeException e) {
            errors[me]++;
            firstError.compareAndSet(null, e.toString());
            continue;
          }
          long t1 = System.nanoTime();
          if (n == total.length) {
            total = Arrays.copyOf(total, n * 2);
            if (stream) {
              first = Arrays.copyOf(first, n * 2);
            }
          }
          total[n] = t1 - t0;
          if (stream) {
            first[n] = firstAt[0] - t0;
          }
          n++;
        }
        totals[me] = Arrays.copyOf(total, n);
        firsts[me] = Arrays.copyOf(first, stream ? n : 0);
      }, "proxy-harness-" + t);
      workers.add(worker);
    }
    long start = System.nanoTime();
    workers.forEach(Thread::start);
    Thread.sleep((long) (forSeconds * 1000));
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] total = Arrays.stream(totals).flatMapToLong(Arrays::stream).sorted().toArray();
    long[] first = Arrays.stream(firsts).flatMapToLong(Arrays::stream).sorted().toArray();
    return new Samples(total, first, Arrays.stream(errors).sum(), firstError.get(), elapsed);
  }

  /** The {@code p} quantile of sorted nanoseconds, in µs (nearest rank). */
  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1))] / 1e3;
  }

  private static double mean(long[] values) {
    return values.length == 0 ? Double.NaN : Arrays.stream(values).average().orElse(Double.NaN) / 1e3;
  }

  /**
   * The floor and the proxy's client: one {@link OkHttpClient} with default settings, the request
   * built from records and written with Jackson on every call, the answer parsed into records. The
   * only difference between the two modes is the URL and the proxy's two routing headers.
   */
  private static final class HttpCaller implements Caller {
    private final OkHttpClient http = new OkHttpClient();
    private final String url;
    private final Headers headers;

    HttpCaller(String url, Headers extra) {
      this.url = url;
      this.headers = extra.newBuilder().add("Authorization", "Bearer " + API_KEY).build();
    }

    private Response post(boolean stream) throws IOException {
      FloorClient.ChatRequest body = new FloorClient.ChatRequest(ChatCompletionsServer.MODEL,
          List.of(new FloorClient.Message("user", ChatCompletionsServer.PROMPT)),
          stream ? Boolean.TRUE : null,
          stream ? new FloorClient.StreamOptions(true) : null);
      Request request = new Request.Builder().url(url).headers(headers)
          .post(RequestBody.create(MAPPER.writeValueAsBytes(body), JSON)).build();
      Response response = http.newCall(request).execute();
      if (!response.isSuccessful()) {
        String text = response.body().string();
        response.close();
        throw new IllegalStateException("HTTP " + response.code() + ": " + text.substring(0, Math.min(200, text.length())));
      }
      return response;
    }

    @Override
    public String blocking() {
      try (Response response = post(false)) {
        FloorClient.ChatResponse answer = MAPPER.readValue(response.body().byteStream(), FloorClient.ChatResponse.class);
        return answer.choices().get(0).message().content();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String stream(long[] firstAt) {
      try (Response response = post(true)) {
        BufferedSource source = response.body().source();
        StringBuilder text = new StringBuilder();
        String line;
        while ((line = source.readUtf8Line()) != null) {
          if (!line.startsWith("data:")) {
            continue;
          }
          String data = line.substring(5).strip();
          if (data.equals("[DONE]")) {
            break;
          }
          FloorClient.Chunk chunk = MAPPER.readValue(data, FloorClient.Chunk.class);
          if (chunk.choices() != null && !chunk.choices().isEmpty() && chunk.choices().get(0).delta() != null) {
            String content = chunk.choices().get(0).delta().content();
            if (content != null && !content.isEmpty()) {
              if (firstAt[0] == 0) {
                firstAt[0] = System.nanoTime();
              }
              text.append(content);
            }
          }
        }
        return text.toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  /** aigw in-process: a gateway with one OpenAI-compatible provider and nothing else. */
  private static final class AigwCaller implements Caller {
    private static final String TARGET = "openai-compatible/" + ChatCompletionsServer.MODEL;
    private final AiGateway gateway;

    AigwCaller(String baseUrl) {
      this.gateway = AiGateway.builder().provider(OpenAiProvider.compatible(baseUrl).apiKey(API_KEY).build()).build();
    }

    @Override
    public String blocking() {
      return gateway.chat(ChatRequest.of(TARGET, ChatCompletionsServer.PROMPT), CallContext.empty()).text();
    }

    @Override
    public String stream(long[] firstAt) {
      try (ChatStream stream = gateway.stream(ChatRequest.of(TARGET, ChatCompletionsServer.PROMPT), CallContext.empty())) {
        StringBuilder text = new StringBuilder();
        for (ChatChunk chunk : stream) {
          String piece = chunk.text();
          if (!piece.isEmpty()) {
            if (firstAt[0] == 0) {
              firstAt[0] = System.nanoTime();
            }
            text.append(piece);
          }
        }
        return text.toString();
      }
    }

    @Override
    public void close() {
      gateway.close();
    }
  }
}
