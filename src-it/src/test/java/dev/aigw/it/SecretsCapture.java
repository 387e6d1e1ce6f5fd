package dev.aigw.it;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.BudgetAction;
import dev.aigw.api.BudgetUsage;
import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.GuardrailFinding;
import dev.aigw.api.Message;
import dev.aigw.api.ModelResponse;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.api.Target;
import dev.aigw.api.ToolCall;
import dev.aigw.api.Usage;
import dev.aigw.core.cache.CacheKey;
import dev.aigw.core.cache.CacheStats;
import dev.aigw.core.cache.CacheStore;
import dev.aigw.core.cache.CachedResponse;
import dev.aigw.core.cache.InMemoryCacheStore;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures everything a gateway emits, by source, as text to search for secrets: JUL records of
 * every logger at every level (System.Logger lands in JUL), exceptions with their whole stack
 * traces (causes and suppressed included), the {@code toString()} of every argument of every
 * listener event (and the texts of {@code content}), spans and metrics of an OpenTelemetry SDK
 * with in-memory exporters, the cache's keys, entries and stored texts, the {@code toString()}
 * of whatever the test adds, and what is printed on stdout and stderr (where uncaught exceptions
 * of threads land). MockWebServer's own log records are left out: they are the test's fake
 * upstream talking, not the gateway. With {@code -Daigw.secrets.dump=DIR} it writes the captured
 * texts to DIR, one file per source, to see what was checked.
 */
final class SecretsCapture implements AutoCloseable {
  private final Map<String, List<String>> texts = new ConcurrentHashMap<>();
  private final Logger root = Logger.getLogger("");
  private final Level rootLevel = root.getLevel();
  private final Handler handler;
  private final PrintStream out = System.out;
  private final PrintStream err = System.err;
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final SdkTracerProvider tracerProvider;
  private final SdkMeterProvider meterProvider;
  final OpenTelemetry otel;
  final RecordingStore cache = new RecordingStore(InMemoryCacheStore.builder().build());
  final Listener listener = new Listener();

  SecretsCapture() {
    handler = new Handler() {
      private final SimpleFormatter formatter = new SimpleFormatter();

      @Override
      public void publish(LogRecord r) {
        if (r.getLoggerName() != null && r.getLoggerName().startsWith("mockwebserver3")) {
          return;
        }
        StringBuilder sb = new StringBuilder(r.getLevel() + " " + r.getLoggerName() + ": " + formatter.formatMessage(r))
            .append(" | raw=").append(r.getMessage());
        if (r.getParameters() != null) {
          sb.append(" | params=").append(Arrays.toString(r.getParameters()));
        }
        if (r.getThrown() != null) {
          sb.append('\n').append(trace(r.getThrown()));
        }
        add("log", sb.toString());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    System.setOut(new Tee(out, "stdout"));
    System.setErr(new Tee(err, "stderr"));
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.ALL);
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), "secrets-it")));
    tracerProvider = SdkTracerProvider.builder().setResource(resource).addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    meterProvider = SdkMeterProvider.builder().setResource(resource).registerMetricReader(metrics).build();
    otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).setMeterProvider(meterProvider).build();
  }

  void add(String source, String text) {
    texts.computeIfAbsent(source, k -> new CopyOnWriteArrayList<>()).add(text);
  }

  /** An exception the caller got: message, toString and the whole stack trace with causes and suppressed. */
  void exception(Throwable e) {
    add("exception", String.valueOf(e.getMessage()) + "\n" + e.getLocalizedMessage() + "\n" + trace(e));
  }

  List<String> texts(String source) {
    return texts.getOrDefault(source, List.of());
  }

  /** Exports spans and metrics into the texts, as {@code toString()} of each (attributes, events, status, resource...). */
  List<SpanData> collectTelemetry() {
    tracerProvider.forceFlush();
    List<SpanData> finished = spans.getFinishedSpanItems();
    for (SpanData s : finished) {
      add("span", s.toString());
    }
    for (MetricData m : metrics.collectAllMetrics()) {
      add("metric", m.toString());
    }
    return finished;
  }

  /**
   * Every place one of {@code secrets} occurs in the captured texts, as {@code source: secret in
   * "...context..."}; empty when none leaked.
   */
  List<String> leaks(List<String> secrets) {
    List<String> found = new ArrayList<>();
    texts.forEach((source, list) -> {
      for (String text : list) {
        for (String secret : secrets) {
          int at = text.indexOf(secret);
          if (at >= 0) {
            int from = Math.max(0, at - 160);
            int to = Math.min(text.length(), at + secret.length() + 80);
            found.add(source + ": '" + secret + "' in \"" + text.substring(from, to).replace('\n', ' ') + "\"");
          }
        }
      }
    });
    return found;
  }

  int count(String source) {
    return texts(source).size();
  }

  static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w, true));
    return t + "\n" + w;
  }

  @Override
  public void close() {
    if (System.getProperty("aigw.secrets.dump") != null) {
      try {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("aigw.secrets.dump"));
        java.nio.file.Files.createDirectories(dir);
        for (var e : texts.entrySet()) {
          java.nio.file.Files.write(dir.resolve(e.getKey() + "-" + System.nanoTime() + ".txt"), e.getValue());
        }
      } catch (java.io.IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
    }
    root.removeHandler(handler);
    root.setLevel(rootLevel);
    System.setOut(out);
    System.setErr(err);
    tracerProvider.close();
    meterProvider.close();
  }

  /** Passes what is printed on and records it too, line by line (uncaught exceptions of threads land on stderr). */
  private final class Tee extends PrintStream {
    private final String source;
    private final StringBuilder line = new StringBuilder();

    Tee(PrintStream target, String source) {
      super(target, true, StandardCharsets.UTF_8);
      this.source = source;
    }

    @Override
    public synchronized void write(int b) {
      super.write(b);
      record(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) {
      super.write(buf, off, len);
      record(buf, off, len);
    }

    private void record(byte[] buf, int off, int len) {
      line.append(new String(buf, off, len, StandardCharsets.UTF_8));
      int nl;
      while ((nl = line.indexOf("\n")) >= 0) {
        add(source, line.substring(0, nl));
        line.delete(0, nl + 1);
      }
    }
  }

  /** A listener that records every event with the {@code toString()} of every argument. */
  final class Listener implements GatewayListener {
    private void event(String name, Object... args) {
      StringBuilder sb = new StringBuilder(name).append('(');
      for (Object a : args) {
        sb.append(a instanceof Throwable t ? trace(t) : String.valueOf(a)).append(", ");
      }
      add("listener", sb.append(')').toString());
    }

    @Override public void callStart(CallInfo call) { event("callStart", call, call.request(), call.context(), call.topology()); }
    @Override public void cacheHit(CallInfo call, CacheStatus status, Duration age) { event("cacheHit", call, status, age); }
    @Override public void cacheMiss(CallInfo call) { event("cacheMiss", call); }
    @Override public void cacheStore(CallInfo call, long bytes) { event("cacheStore", call, bytes); }
    @Override public void route(CallInfo call, String model, List<Target> candidates) { event("route", call, model, candidates); }
    @Override public void attemptStart(CallInfo call, Target target, int attempt) { event("attemptStart", call, target, attempt); }
    @Override public void attemptEnd(CallInfo call, Target target, int attempt, Duration latency) { event("attemptEnd", call, target, attempt, latency); }
    @Override public void attemptFailed(CallInfo call, Target target, int attempt, Duration latency, AiGatewayException error) {
      event("attemptFailed", call, target, attempt, latency, error);
    }
    @Override public void retry(CallInfo call, Target target, int attempt, Duration delay, AiGatewayException cause) {
      event("retry", call, target, attempt, delay, cause);
    }
    @Override public void fallback(CallInfo call, Target from, Target to, AiGatewayException cause) { event("fallback", call, from, to, cause); }
    @Override public void hedge(CallInfo call, Target from, Target to) { event("hedge", call, from, to); }
    @Override public void guardrail(CallInfo call, String guardrail, boolean input, GuardrailAction action, List<GuardrailFinding> findings) {
      event("guardrail", call, guardrail, input, action, findings);
    }
    @Override public void budgetReserved(CallInfo call, BudgetUsage usage, BigDecimal reserved) { event("budgetReserved", call, usage, reserved); }
    @Override public void budgetExceeded(CallInfo call, BudgetUsage usage, BigDecimal requested, BudgetAction action) {
      event("budgetExceeded", call, usage, requested, action);
    }
    @Override public void budgetThreshold(CallInfo call, BudgetUsage usage, double threshold) { event("budgetThreshold", call, usage, threshold); }
    @Override public void budgetReconciled(CallInfo call, BudgetUsage usage, BigDecimal reserved, BigDecimal actual) {
      event("budgetReconciled", call, usage, reserved, actual);
    }
    @Override public void storeUnavailable(CallInfo call, StoreUnavailableException error) { event("storeUnavailable", call, error); }
    @Override public void firstChunk(CallInfo call, Duration ttfc) { event("firstChunk", call, ttfc); }
    @Override public void usage(CallInfo call, Usage usage) { event("usage", call, usage); }
    @Override public void callEnd(CallInfo call, ModelResponse response) { event("callEnd", call, response, response.metadata()); }
    @Override public void callFailed(CallInfo call, AiGatewayException error) { event("callFailed", call, error); }

    /** Also records the texts observers get: they must hold placeholders only. */
    @Override
    public void content(CallInfo call, ChatRequest request, Optional<ChatResponse> response) {
      event("content", call, request, response);
      StringBuilder sb = new StringBuilder("content texts: ");
      for (Message m : request.messages()) {
        sb.append(m.role()).append(": ").append(m.text()).append(" | ");
        for (ToolCall t : m.toolCalls()) {
          sb.append(t.name()).append(' ').append(t.arguments()).append(" | ");
        }
      }
      response.ifPresent(r -> sb.append("answer: ").append(r.text()).append(' ').append(r.reasoning()));
      add("content", sb.toString());
    }

    @Override
    public Scope attemptScope(CallInfo call, Target target, int attempt) {
      event("attemptScope", call, target, attempt);
      return Scope.NONE;
    }
  }

  /** A cache store that records every key, entry and stored text on its way in and out. */
  final class RecordingStore implements CacheStore {
    private final CacheStore delegate;

    RecordingStore(CacheStore delegate) {
      this.delegate = delegate;
    }

    private void key(String op, CacheKey key) {
      add("cache", op + " " + key + " partition=" + key.partition() + " hash=" + key.hash());
    }

    private void entry(String op, CachedResponse value) {
      ChatResponse r = value.toResponse();
      StringBuilder sb = new StringBuilder(op + " " + value + " " + r + " text=" + r.text() + " reasoning=" + r.reasoning());
      for (ToolCall t : r.toolCalls()) {
        sb.append(" tool=").append(t.name()).append(' ').append(t.arguments());
      }
      for (ChatChunk c : value.toChunks()) {
        sb.append(" chunk=").append(c).append(' ').append(c.text());
      }
      add("cache", sb.toString());
      add("cache-text", r.text());
    }

    @Override
    public Optional<CachedResponse> get(CacheKey key) {
      key("get", key);
      Optional<CachedResponse> v = delegate.get(key);
      v.ifPresent(e -> entry("got", e));
      return v;
    }

    @Override
    public Optional<CachedResponse> getLocal(CacheKey key) {
      key("getLocal", key);
      Optional<CachedResponse> v = delegate.getLocal(key);
      v.ifPresent(e -> entry("gotLocal", e));
      return v;
    }

    @Override
    public void put(CacheKey key, CachedResponse value, Duration ttl) {
      key("put", key);
      entry("put", value);
      delegate.put(key, value, ttl);
    }

    @Override
    public void invalidate(CacheKey key) {
      key("invalidate", key);
      delegate.invalidate(key);
    }

    @Override
    public void invalidatePartition(String partition) {
      add("cache", "invalidatePartition " + partition);
      delegate.invalidatePartition(partition);
    }

    @Override
    public CacheStats stats() {
      CacheStats s = delegate.stats();
      add("cache", "stats " + s);
      return s;
    }

    @Override
    public void close() {
      delegate.close();
    }

    @Override
    public String toString() {
      return "RecordingStore[" + delegate + "]";
    }
  }
}
