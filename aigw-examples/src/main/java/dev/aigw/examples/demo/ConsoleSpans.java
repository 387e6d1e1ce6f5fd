package dev.aigw.examples.demo;

import dev.aigw.otel.GenAiTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The demo's {@code --spans}: an OpenTelemetry SDK that keeps the spans a gateway's {@link
 * GenAiTelemetry} reports and, on {@link #close()}, prints one trace of each shape (the same
 * spans, events and statuses: a fallback, a cache hit, a blocked call...) as a tree, in the order
 * the traces started:
 *
 * <pre>
 * chat chat  CLIENT  135 ms  trace 2543650…  (and 8 more like it)
 *     aigw.attempts=2  aigw.route=chat  gen_ai.provider.name=anthropic  …
 *   +0 ms attempt openai/gpt-4o-mini  INTERNAL  41 ms  ERROR fake rate limit; retry after 1000 ms
 *       aigw.attempt.number=1  aigw.attempt.outcome=failure  …
 *   +41 ms event aigw.fallback
 *       aigw.fallback.from=openai/gpt-4o-mini  aigw.fallback.to=anthropic/claude-3-5-haiku-latest  …
 *   +41 ms attempt anthropic/claude-3-5-haiku-latest  INTERNAL  94 ms
 * </pre>
 *
 * <p>A span's attributes follow its line, sorted by name; its child spans and events follow in
 * time order, each at its offset from the start of the trace's first span.
 *
 * <p>Printed at the end rather than as each span ends, so they do not cut into the demo's own
 * lines (a streaming call's span ends before the demo ends the line it streamed into), and with
 * the span events, status and durations that {@code LoggingSpanExporter}'s one-line format leaves
 * out. Everything is kept in memory: fine for a demo, not for a service, which exports to a
 * collector as {@link dev.aigw.examples.TelemetryExample} does.
 */
final class ConsoleSpans implements AutoCloseable {
  private static final int WIDTH = 120;
  private static final Comparator<SpanData> BY_START = Comparator.comparingLong(SpanData::getStartEpochNanos);

  private final PrintStream out;
  private final ConcurrentLinkedQueue<SpanData> finished = new ConcurrentLinkedQueue<>();
  private final OpenTelemetrySdk sdk;

  private ConsoleSpans(PrintStream out) {
    this.out = out;
    this.sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            // hands each span to the exporter on the thread that ends it, as it ends
            .addSpanProcessor(SimpleSpanProcessor.create(new Keeper()))
            .build())
        .build();
  }

  /** Starts keeping spans, to print to {@code out} on {@link #close()}. */
  static ConsoleSpans start(PrintStream out) {
    return new ConsoleSpans(Objects.requireNonNull(out, "out"));
  }

  /** Telemetry for a gateway's {@code listenerFactory}, reporting to this SDK. */
  GenAiTelemetry telemetry() {
    return GenAiTelemetry.create(sdk);
  }

  /** Shuts the SDK down and prints the spans it kept. */
  @Override
  public void close() {
    sdk.shutdown().join(5, TimeUnit.SECONDS);
    print();
  }

  private void print() {
    List<SpanData> spans = new ArrayList<>(finished);
    Set<String> ids = new HashSet<>();
    spans.forEach(s -> ids.add(s.getSpanId()));
    Map<String, List<SpanData>> children = new HashMap<>();
    List<SpanData> roots = new ArrayList<>();
    for (SpanData span : spans) {
      if (span.getParentSpanContext().isValid() && ids.contains(span.getParentSpanId())) {
        children.computeIfAbsent(span.getParentSpanId(), k -> new ArrayList<>()).add(span);
      } else {
        roots.add(span);
      }
    }
    roots.sort(BY_START);

    Map<String, List<SpanData>> byShape = new LinkedHashMap<>();
    for (SpanData root : roots) {
      byShape.computeIfAbsent(shape(root, children), k -> new ArrayList<>()).add(root);
    }

    out.println();
    out.println("spans: " + spans.size() + " in " + roots.size() + " traces (one per call) of " + byShape.size()
        + " shapes; the first trace of each shape, offsets from the call's start:");
    for (List<SpanData> same : byShape.values()) {
      SpanData root = same.get(0);
      out.println();
      out.println(describe(root) + "  trace " + root.getTraceId()
          + (same.size() > 1 ? "  (and " + (same.size() - 1) + " more like it)" : ""));
      attributes(root.getAttributes(), "    ");
      timeline(root, root.getStartEpochNanos(), children, "  ");
    }
  }

  /**
   * What a trace looks like, without its timings and values: span names, kinds and statuses,
   * event names, and the cache status, in tree order. Calls that took the same path share a shape.
   */
  private static String shape(SpanData span, Map<String, List<SpanData>> children) {
    StringBuilder s = new StringBuilder(span.getName()).append('|').append(span.getKind()).append('|')
        .append(span.getStatus().getStatusCode());
    String cache = span.getAttributes().get(AttributeKey.stringKey("aigw.cache.status"));
    if (cache != null) {
      s.append("|cache=").append(cache);
    }
    span.getEvents().stream().map(EventData::getName).distinct().sorted().forEach(e -> s.append("|e:").append(e));
    List<SpanData> kids = new ArrayList<>(children.getOrDefault(span.getSpanId(), List.of()));
    kids.sort(BY_START);
    for (SpanData child : kids) {
      s.append("[").append(shape(child, children)).append("]");
    }
    return s.toString();
  }

  /** The children and events of {@code span}, in time order, indented by {@code indent}. */
  private void timeline(SpanData span, long origin, Map<String, List<SpanData>> children, String indent) {
    TreeMap<Long, List<Runnable>> items = new TreeMap<>();
    for (SpanData child : children.getOrDefault(span.getSpanId(), List.of())) {
      items.computeIfAbsent(child.getStartEpochNanos(), k -> new ArrayList<>()).add(() -> {
        out.println(indent + offset(child.getStartEpochNanos(), origin) + describe(child));
        attributes(child.getAttributes(), indent + "    ");
        timeline(child, origin, children, indent + "  ");
      });
    }
    for (EventData event : span.getEvents()) {
      items.computeIfAbsent(event.getEpochNanos(), k -> new ArrayList<>()).add(() -> {
        out.println(indent + offset(event.getEpochNanos(), origin) + "event " + event.getName());
        attributes(event.getAttributes(), indent + "    ");
      });
    }
    items.values().forEach(list -> list.forEach(Runnable::run));
  }

  /** Name, kind, duration and (unless unset) status. */
  private static String describe(SpanData span) {
    StringBuilder s = new StringBuilder(span.getName()).append("  ").append(span.getKind())
        .append("  ").append(millis(span.getEndEpochNanos() - span.getStartEpochNanos())).append(" ms");
    StatusData status = span.getStatus();
    if (status.getStatusCode() != StatusCode.UNSET) {
      s.append("  ").append(status.getStatusCode());
      if (!status.getDescription().isEmpty()) {
        s.append(' ').append(status.getDescription());
      }
    }
    return s.toString();
  }

  /** {@code key=value} pairs sorted by key, two spaces apart, wrapped at {@value #WIDTH} columns. */
  private void attributes(Attributes attributes, String indent) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    attributes.forEach((key, value) -> sorted.put(key.getKey(), value));
    StringBuilder line = new StringBuilder(indent);
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      String pair = e.getKey() + "=" + e.getValue();
      if (line.length() > indent.length() && line.length() + 2 + pair.length() > WIDTH) {
        out.println(line);
        line.setLength(0);
        line.append(indent);
      }
      line.append(line.length() > indent.length() ? "  " : "").append(pair);
    }
    if (line.length() > indent.length()) {
      out.println(line);
    }
  }

  private static String offset(long epochNanos, long origin) {
    return "+" + millis(epochNanos - origin) + " ms ";
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Keeps every span it is given; the SDK calls it as each span ends. */
  private final class Keeper implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      finished.addAll(spans);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
