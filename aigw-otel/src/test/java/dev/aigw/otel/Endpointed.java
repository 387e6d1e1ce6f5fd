package dev.aigw.otel;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.EmbeddingProvider;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.ManualClock;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake provider at a server address, as an HTTP provider would be: it records the span current
 * on the thread that calls it (what HTTP client instrumentation would nest under) and advances
 * the test clock by its latency, so durations are exact.
 */
final class Endpointed implements ChatProvider, EmbeddingProvider {
  final FakeChatProvider fake;
  private final URI endpoint;
  private final ManualClock clock;
  private final Duration latency;
  final List<SpanContext> currentSpans = new CopyOnWriteArrayList<>();

  Endpointed(FakeChatProvider fake, String endpoint, ManualClock clock, Duration latency) {
    this.fake = fake;
    this.endpoint = URI.create(endpoint);
    this.clock = clock;
    this.latency = latency;
  }

  @Override
  public String id() {
    return fake.id();
  }

  @Override
  public String providerName() {
    return fake.providerName();
  }

  @Override
  public Optional<URI> endpoint() {
    return Optional.of(endpoint);
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    currentSpans.add(Span.current().getSpanContext());
    clock.advance(latency);
    return fake.chat(request, context);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    currentSpans.add(Span.current().getSpanContext());
    clock.advance(latency);
    return fake.stream(request, context);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    currentSpans.add(Span.current().getSpanContext());
    clock.advance(latency);
    return fake.embed(request, context);
  }
}
