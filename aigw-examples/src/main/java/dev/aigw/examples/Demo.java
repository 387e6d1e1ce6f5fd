package dev.aigw.examples;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.Target;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The demo behind the README's first command: a gateway over two simulated providers (no keys,
 * no network), one of which is rate limited half of the time, serving blocking, streaming and
 * async calls through a route with a fallback, then a table of what happened.
 *
 * <p>Run: {@code ./mvnw -q -pl aigw-examples -am -Pdemo -Dmaven.test.skip package}
 *
 * <p>With spans: the system property {@value #SPANS_PROPERTY} set to {@code true} (or the argument
 * {@code --spans}) also registers {@link dev.aigw.otel.GenAiTelemetry} on the gateway and, after
 * the summary, prints the OpenTelemetry spans of each call: its CLIENT span ({@code chat chat}),
 * with its attempts' spans ({@code attempt openai/gpt-4o-mini}) and the gateway's decisions
 * ({@code event aigw.fallback}) under it. The rest of the output is the same as without.
 *
 * <pre>{@code
 * ./mvnw -q -pl aigw-examples -am -Pdemo -Dmaven.test.skip -Daigw.demo.spans package
 * }</pre>
 *
 * <p>The profile runs the demo inside Maven's JVM, which sets {@code -D} properties as system
 * properties; {@code -Dexec.args=--spans} works too. Sending the spans to a collector instead is
 * {@link TelemetryExample}.
 */
public final class Demo {
  /** The system property that turns the printing of spans on: {@value}. */
  public static final String SPANS_PROPERTY = "aigw.demo.spans";

  private static final Map<String, String> ANSWERS = Map.of(
      "What is the capital of France?", "Paris.",
      "Name three primary colours.", "Red, yellow and blue.",
      "What does HTTP 429 mean?", "Too Many Requests: the client is being rate limited.",
      "Explain a circuit breaker in one sentence.",
      "It stops calling a failing dependency for a while so the failure does not spread.",
      "Write a haiku about fallbacks.", "First model is busy / the second one answers you / the user never knows.",
      "Why stream answers?", "Users see the first words sooner, so the wait feels shorter.",
      "What is a deadline?", "The instant by which a call must finish, after which it is cancelled.");

  private Demo() {}

  /**
   * Runs the demo and prints the summary to standard output; with the argument {@code --spans} or
   * the system property {@value #SPANS_PROPERTY} set to {@code true}, prints spans too.
   */
  public static void main(String[] args) {
    run(System.out, List.of(args).contains("--spans") || Boolean.getBoolean(SPANS_PROPERTY));
  }

  /** Runs the demo, printing to {@code out}. Returns the rows it printed (used by tests). */
  public static List<Row> run(PrintStream out) {
    return run(out, false);
  }

  /**
   * Runs the demo, printing to {@code out}, and with {@code spans} its OpenTelemetry spans as well.
   * Returns the rows it printed (used by tests).
   */
  public static List<Row> run(PrintStream out, boolean spans) {
    if (!spans) {
      return runWith(out, null);
    }
    try (ConsoleSpans console = ConsoleSpans.start(out)) {
      return runWith(out, console);
    }
  }

  /** Runs the demo; with {@code spans}, the gateway also reports to it. */
  private static List<Row> runWith(PrintStream out, @Nullable ConsoleSpans spans) {
    FakeChatProvider openAi = scripted("openai", Duration.ofMillis(40))
        .failureRate(0.5, FakeReply.rateLimited(Duration.ofSeconds(1)))
        .seed(7)
        .build();
    FakeChatProvider anthropic = scripted("anthropic", Duration.ofMillis(60)).build();
    FakeChatProvider slow = FakeChatProvider.builder().id("slow").latency(Duration.ofSeconds(5)).build();
    EventCounter events = new EventCounter();

    AiGateway.Builder builder = AiGateway.builder()
        .provider(openAi)
        .provider(anthropic)
        .provider(slow)
        .route("chat", Route.fallback("openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"))
        // no retries on openai, so a rate limit moves on to anthropic at once
        .resilience("openai", Resilience.custom().maxAttempts(1).build())
        .listener(events);
    if (spans != null) {
      builder.listenerFactory(spans.telemetry());
    }

    List<Row> rows = new ArrayList<>();
    try (AiGateway gateway = builder.build()) {
      out.println("aigw demo: route 'chat' = openai/gpt-4o-mini (rate limited half the time) -> anthropic/claude-3-5-haiku-latest");
      out.println();
      CallContext acme = CallContext.builder().tenant("acme").timeout(Duration.ofSeconds(10)).build();
      List<String> prompts = new ArrayList<>(ANSWERS.keySet());
      prompts.sort(null);

      for (String prompt : prompts.subList(0, 3)) {
        rows.add(blocking(gateway, prompt, acme));
      }
      for (String prompt : prompts.subList(3, 5)) {
        rows.add(streaming(gateway, prompt, acme, out));
      }
      List<CompletableFuture<ChatResponse>> async = new ArrayList<>();
      List<String> asyncPrompts = prompts.subList(5, 7);
      for (String prompt : asyncPrompts) {
        async.add(gateway.chatAsync(ChatRequest.of("chat", prompt), acme));
      }
      for (int i = 0; i < async.size(); i++) {
        rows.add(asyncRow(async.get(i), asyncPrompts.get(i)));
      }
      rows.add(blocking(gateway, "Summarise this very long report.",
          CallContext.builder().tenant("acme").timeout(Duration.ofMillis(150)).build(), "slow/big-model"));
      rows.add(abandonedStream(gateway, prompts.get(0), acme));
    }

    out.println();
    printTable(rows, out);
    out.println();
    out.printf("listener saw %d calls: %d succeeded, %d failed, %d fallbacks%n",
        events.started.get(), events.ended.get(), events.failed.get(), events.fallbacks.get());
    out.printf("providers received: openai %d, anthropic %d, slow %d (cancelled at the deadline: %d)%n",
        openAi.requestCount(), anthropic.requestCount(), slow.requestCount(), slow.cancellations());
    return rows;
  }

  private static FakeChatProvider.Builder scripted(String id, Duration latency) {
    FakeChatProvider.Builder builder = FakeChatProvider.builder()
        .id(id)
        .latency(latency)
        .latencyVariance(0.3)
        .timeToFirstChunk(Duration.ofMillis(25))
        .chunkInterval(Duration.ofMillis(8))
        .chunkSize(6)
        .seed(11);
    ANSWERS.forEach((question, answer) ->
        builder.replyWhen(request -> request.lastUserText().equals(question), FakeReply.text(answer)));
    return builder;
  }

  private static Row blocking(AiGateway gateway, String prompt, CallContext context) {
    return blocking(gateway, prompt, context, "chat");
  }

  private static Row blocking(AiGateway gateway, String prompt, CallContext context, String model) {
    try {
      ChatResponse r = gateway.chat(ChatRequest.of(model, prompt), context);
      return Row.of("blocking", prompt, r.metadata(), r.usage().orElse(null), "ok");
    } catch (AiGatewayException e) {
      return Row.failed("blocking", prompt, e);
    }
  }

  private static Row streaming(AiGateway gateway, String prompt, CallContext context, PrintStream out) {
    out.print("  streaming \"" + prompt + "\": ");
    try (ChatStream stream = gateway.stream(ChatRequest.of("chat", prompt), context)) {
      Usage usage = null;
      for (ChatChunk chunk : stream) {
        out.print(chunk.text());
        out.flush();
        usage = chunk.usage().orElse(usage);
      }
      out.println();
      return Row.of("stream", prompt, stream.metadata(), usage, "ok");
    } catch (AiGatewayException e) {
      out.println();
      return Row.failed("stream", prompt, e);
    }
  }

  private static Row asyncRow(CompletableFuture<ChatResponse> future, String prompt) {
    try {
      ChatResponse r = future.join();
      return Row.of("async", prompt, r.metadata(), r.usage().orElse(null), "ok");
    } catch (java.util.concurrent.CompletionException e) {
      return Row.failed("async", prompt, (AiGatewayException) e.getCause());
    }
  }

  private static Row abandonedStream(AiGateway gateway, String prompt, CallContext context) {
    ChatStream stream = gateway.stream(ChatRequest.of("chat", prompt), context);
    Iterator<ChatChunk> chunks = stream.iterator();
    chunks.next();
    stream.close();
    return Row.of("stream", prompt, stream.metadata(), null, "closed early");
  }

  private static void printTable(List<Row> rows, PrintStream out) {
    String format = "%-3s %-9s %-36s %-17s %-35s %8s %8s %8s %9s%n";
    out.printf(format, "#", "kind", "prompt", "outcome", "served by", "attempts", "latency", "ttft", "tokens");
    out.printf(format, "-", "----", "------", "-------", "---------", "--------", "-------", "----", "------");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      out.printf(format, i + 1, r.kind, shorten(r.prompt, 36), shorten(r.outcome, 17), r.servedBy, r.attempts,
          r.latencyMs < 0 ? "-" : r.latencyMs + " ms", r.ttftMs < 0 ? "-" : r.ttftMs + " ms", r.tokens);
    }
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** One line of the summary. */
  public record Row(
      String kind, String prompt, String outcome, String servedBy, String attempts, long latencyMs, long ttftMs,
      String tokens) {

    static Row of(String kind, String prompt, ResponseMetadata m, Usage usage, String outcome) {
      boolean fellBack = m.attempts().stream().anyMatch(a -> !m.target().map(a.target()::equals).orElse(false));
      String attempts = m.attempts().size() + (fellBack ? " (fb)" : m.attempts().size() > 1 ? " (retry)" : "");
      return new Row(kind, prompt, outcome, m.target().map(Target::toString).orElse("-"), attempts,
          m.latency().toMillis(), m.timeToFirstToken().map(Duration::toMillis).orElse(-1L),
          usage == null ? "-" : usage.inputTokens() + "/" + usage.outputTokens());
    }

    static Row failed(String kind, String prompt, AiGatewayException e) {
      return new Row(kind, prompt, e.getClass().getSimpleName().replace("Exception", ""), "-", "-", -1, -1, "-");
    }
  }

  /** Counts listener events, to show that observation is separate from the calls. */
  private static final class EventCounter implements GatewayListener {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger ended = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger fallbacks = new AtomicInteger();

    @Override
    public void callStart(CallInfo call) {
      started.incrementAndGet();
    }

    @Override
    public void callEnd(CallInfo call, dev.aigw.api.ModelResponse response) {
      ended.incrementAndGet();
    }

    @Override
    public void callFailed(CallInfo call, AiGatewayException error) {
      failed.incrementAndGet();
    }

    @Override
    public void fallback(CallInfo call, Target from, Target to, AiGatewayException cause) {
      fallbacks.incrementAndGet();
    }
  }
}
