package dev.aigw.bench;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Role;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.guardrail.DenyListGuardrail;
import dev.aigw.core.guardrail.Guardrail;
import dev.aigw.core.guardrail.Guardrail.Site;
import dev.aigw.core.guardrail.PiiGuardrail;
import dev.aigw.core.guardrail.PromptInjectionGuardrail;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What guardrails cost.
 *
 * <ul>
 *   <li>{@code scanInput}: the input scan of one 64 KiB user message (65,536 ASCII chars) by
 *       the {@code guardrails} set; MB/s = 65,536 / the time per scan. {@code text} is {@code
 *       prose} (English prose with years, prices and versions, no personal data) or {@code pii}
 *       (the same with an e-mail, card, IBAN, phone or API key every ~200 chars).
 *   <li>{@code stream}: a whole streamed call through the gateway to an in-process provider that
 *       sends {@value #CHUNKS} chunks of about 24 chars, with {@code output} guardrails: {@code
 *       none} (the baseline), {@code denyList} (phrases on output) or {@code pii} (PII scanning
 *       of output, whose private-key and JWT detectors make the stream hold back 4,096 chars).
 *       Added latency per chunk = (time − the {@code none} time) / {@value #CHUNKS}.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class GuardrailBenchmark {
  static final int TEXT_CHARS = 65_536;
  static final int CHUNKS = 64;

  /** The input scan's guardrails and text. */
  @State(Scope.Benchmark)
  public static class Scan {
    /** {@code pii}, {@code injection}, {@code denyList}, or {@code defaultSet} (all three, as a gateway would run them). */
    @Param({"pii", "injection", "denyList", "defaultSet"})
    String guardrails;

    /** {@code prose} or {@code pii}. */
    @Param({"prose", "pii"})
    String text;

    List<Guardrail> set;
    String message;

    @Setup(Level.Trial)
    public void setUp() {
      set = switch (guardrails) {
        case "pii" -> List.of(PiiGuardrail.defaults());
        case "injection" -> List.of(PromptInjectionGuardrail.defaults());
        case "denyList" -> List.of(denyList(false));
        case "defaultSet" -> List.of(PiiGuardrail.defaults(), PromptInjectionGuardrail.defaults(), denyList(false));
        default -> throw new IllegalArgumentException(guardrails);
      };
      message = text(text.equals("pii"));
    }
  }

  /** The streamed call's gateway and output guardrails. */
  @State(Scope.Benchmark)
  public static class Stream {
    /** {@code none}, {@code denyList} or {@code pii}. */
    @Param({"none", "denyList", "pii"})
    String output;

    AiGateway gateway;
    ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() {
      AiGateway.Builder b = AiGateway.builder().provider(new ChunkedProvider());
      switch (output) {
        case "none" -> { }
        case "denyList" -> b.guardrail(denyList(true));
        case "pii" -> b.guardrail(PiiGuardrail.builder().scanInput(false).scanOutput(true).build());
        default -> throw new IllegalArgumentException(output);
      }
      gateway = b.build();
      request = ChatRequest.of(ChunkedProvider.ID + "/m", "tell me a story");
      String collected = gateway.stream(request).collect().text();
      if (!collected.equals(ChunkedProvider.TEXT)) {
        throw new IllegalStateException("the guarded stream changed the answer: " + collected);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      gateway.close();
    }
  }

  /** A deny list of 200 phrases (competitor and product names), on input or output. */
  static DenyListGuardrail denyList(boolean output) {
    List<String> phrases = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      phrases.add("forbidden product " + i);
    }
    phrases.add("acme rocket skates");
    DenyListGuardrail.Builder b = DenyListGuardrail.builder();
    return (output ? b.outputPhrases(phrases.toArray(String[]::new)) : b.inputPhrases(phrases.toArray(String[]::new))).build();
  }

  /** 64 KiB of prose; with {@code pii}, a piece of personal data or a secret every ~200 chars. */
  static String text(boolean pii) {
    String[] sentences = {
        "The quarterly report for 2024 shows revenue of $4,512.30 per customer, up 12% on the year before. ",
        "Version 3.2.1 of the service shipped on 14 March with 27 fixes and a faster start-up. ",
        "Our team in Lisbon reviewed the onboarding flow and removed two of its seven steps. ",
        "Please summarise the attached notes and list the three biggest risks for the board. ",
    };
    String[] data = {
        "Contact jane.doe@example.com for details. ", "Card 4111 1111 1111 1111 was charged. ",
        "Pay to DE89 3704 0044 0532 0130 00 today. ", "Call +44 20 7946 0958 after noon. ",
        "The key sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6 leaked. ",
    };
    StringBuilder b = new StringBuilder(TEXT_CHARS + 200);
    int i = 0;
    while (b.length() < TEXT_CHARS) {
      b.append(sentences[i % sentences.length]);
      if (pii && i % 2 == 1) {
        b.append(data[(i / 2) % data.length]);
      }
      i++;
    }
    return b.substring(0, TEXT_CHARS);
  }

  /** The input scan of one 64 KiB user message by the whole set. */
  @Benchmark
  public void scanInput(Scan scan, Blackhole bh) {
    Site site = Site.input(Role.USER, 0);
    for (Guardrail g : scan.set) {
      bh.consume(g.scan(scan.message, site));
    }
  }

  /** A streamed call of {@value #CHUNKS} chunks, consumed whole, with the {@code output} guardrails. */
  @Benchmark
  public ChatResponse stream(Stream stream) {
    return stream.gateway.stream(stream.request).collect();
  }

  /** Streams {@value #CHUNKS} chunks of prose; answers blocking calls with the same text. */
  static final class ChunkedProvider implements ChatProvider {
    static final String ID = "chunked";
    static final String TEXT;
    private static final List<ChatChunk> CHUNK_LIST;

    static {
      String prose = text(false);
      List<ChatChunk> chunks = new ArrayList<>(CHUNKS + 1);
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < CHUNKS; i++) {
        String piece = prose.substring(i * 24, i * 24 + 24);
        all.append(piece);
        chunks.add(ChatChunk.builder().id("r").model("m").text(piece).build());
      }
      chunks.add(ChatChunk.builder().finishReason(FinishReason.STOP).usage(Usage.of(10, 400)).build());
      TEXT = all.toString();
      CHUNK_LIST = List.copyOf(chunks);
    }

    @Override
    public String id() {
      return ID;
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      return ChatResponse.builder().id("r").model("m").text(TEXT).finishReason(FinishReason.STOP).usage(Usage.of(10, 400)).build();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      return ChatStream.of(CHUNK_LIST);
    }
  }
}
