package dev.aigw.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentPart;
import dev.aigw.api.Cost;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.Target;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.Usage;
import dev.aigw.core.cache.CachedResponse;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The binary form of cache entries: exact round trips, compactness, and clear failures. */
class CachedResponseCodecTest {
  private static final Instant STORED_AT = Instant.parse("2026-03-04T05:06:07.123456789Z");
  private static final Usage FULL_USAGE = new Usage(12_345_678_901L, 987_654, 10_000, 2_345, 321, true);

  /** A response with every field set: several text parts, reasoning, tool calls, usage. */
  static ChatResponse richResponse() {
    List<ToolCall> calls = List.of(
        new ToolCall("call_1", "get_weather", "{\"city\":\"Zürich\",\"unit\":\"°C\"}"),
        new ToolCall("call_2", "lookup", ""),
        new ToolCall("call_3", "search", "{\"q\":\"東京 🗼\"}"));
    Message message = Message.assistantToolCalls(calls)
        .withContent(List.of(ContentPart.text("Let me check — "), ContentPart.text(""), ContentPart.text("naïve ✓ 🌍")));
    return ChatResponse.builder().id("resp-Ω-1").model("gpt/ß-model").message(message)
        .reasoning("Der Nutzer möchte das Wetter wissen… 🤔").finishReason(FinishReason.TOOL_CALLS)
        .usage(FULL_USAGE).build();
  }

  /** A stream with every kind of chunk: id and model, text, reasoning, fragments of several tool calls, usage. */
  static List<ChatChunk> richChunks() {
    return List.of(
        ChatChunk.builder().id("chatcmpl-9").model("p/model").reasoning("Thinking ").build(),
        ChatChunk.builder().reasoning("about π…").build(),
        ChatChunk.text("Grüße, "),
        ChatChunk.text(""),
        ChatChunk.builder().build(),
        // an emoji cut between its two UTF-16 halves, as a stream may deliver it
        ChatChunk.text("smile \uD83D"),
        ChatChunk.text("\uDE00!"),
        ChatChunk.builder().toolCalls(List.of(
            ToolCallDelta.start(0, "call_a", "get_weather", "{\"ci"),
            ToolCallDelta.start(1, "call_b", "get_time", ""))).build(),
        ChatChunk.builder().toolCalls(List.of(ToolCallDelta.arguments(0, "ty\":\"Paris\"}"), ToolCallDelta.arguments(1, "{}"))).build(),
        ChatChunk.builder().toolCalls(List.of(new ToolCallDelta(2, Optional.of("call_c"), Optional.of("noop"), ""))).build(),
        ChatChunk.builder().finishReason(FinishReason.TOOL_CALLS).build(),
        ChatChunk.builder().usage(FULL_USAGE).build());
  }

  private static Cost manyDecimals() {
    return new Cost(new BigDecimal("12345678901234567890.000000000123456789012345678900"), Currency.getInstance("EUR"));
  }

  private static CachedResponse roundTrip(CachedResponse value) {
    return CachedResponseCodec.decode(CachedResponseCodec.encode(value));
  }

  @Test
  void aRichResponseRoundTripsToAnEqualEntry() {
    CachedResponse value = CachedResponse.ofResponse(richResponse(), STORED_AT,
        new Target("pool", "meta-llama/Llama-3.1-8B-Instruct"), manyDecimals());

    CachedResponse decoded = roundTrip(value);

    assertThat(decoded).isEqualTo(value);
    assertThat(decoded.toResponse()).isEqualTo(value.toResponse());
    assertThat(decoded.toResponse().message().content()).isEqualTo(value.toResponse().message().content());
    assertThat(decoded.storedAt()).isEqualTo(STORED_AT);
    assertThat(decoded.cost().orElseThrow().amount()).isEqualByComparingTo("12345678901234567890.0000000001234567890123456789");
    assertThat(decoded.cost().orElseThrow().currency()).isEqualTo(Currency.getInstance("EUR"));
    assertThat(decoded.toResponse().usage()).contains(FULL_USAGE);
    // the response form stays a response: its chunks are the derived ones, as from memory
    assertThat(decoded.toChunks()).isEqualTo(value.toChunks());
  }

  @Test
  void minimalResponsesRoundTrip() {
    ChatResponse empty = ChatResponse.builder().id("i").model("m").text("").build();
    ChatResponse onlyTools = ChatResponse.builder().id("i").model("m")
        .message(Message.assistantToolCalls(List.of(new ToolCall("c", "t", "{}")))).build();
    for (ChatResponse r : List.of(empty, onlyTools)) {
      CachedResponse value = CachedResponse.ofResponse(r, Instant.EPOCH, null, null);
      assertThat(roundTrip(value)).isEqualTo(value);
    }
    CachedResponse zeroCost = CachedResponse.ofResponse(empty, Instant.parse("1969-07-20T20:17:40.000000001Z"),
        null, Cost.usd("0"));
    assertThat(roundTrip(zeroCost)).isEqualTo(zeroCost);
    assertThat(roundTrip(zeroCost).storedAt()).isEqualTo(Instant.parse("1969-07-20T20:17:40.000000001Z"));
  }

  @Test
  void everyFinishReasonAndUsageShapeRoundTrips() {
    List<Usage> usages = List.of(Usage.ZERO, Usage.of(1, 0), Usage.estimated(3, 4), new Usage(10, 9, 2, 3, 9),
        new Usage(Long.MAX_VALUE, Long.MAX_VALUE, 0, Long.MAX_VALUE, Long.MAX_VALUE, true));
    for (FinishReason f : FinishReason.values()) {
      for (Usage u : usages) {
        CachedResponse value = CachedResponse.ofResponse(
            ChatResponse.builder().id("i").model("m").text("t").finishReason(f).usage(u).build(), STORED_AT, null, null);
        assertThat(roundTrip(value)).isEqualTo(value);
      }
    }
  }

  @Test
  void aStreamRoundTripsToExactlyTheSameChunks() {
    List<ChatChunk> chunks = richChunks();
    CachedResponse value = CachedResponse.ofChunks(chunks, STORED_AT, new Target("p", "model"), Cost.usd("0.000001234"));

    CachedResponse decoded = roundTrip(value);

    assertThat(decoded).isEqualTo(value);
    assertThat(decoded.toChunks()).containsExactlyElementsOf(chunks);
    assertThat(decoded.toResponse()).isEqualTo(value.toResponse());
    assertThat(decoded.toResponse().text()).isEqualTo("Grüße, smile \uD83D\uDE00!");
    assertThat(decoded.toResponse().toolCalls()).extracting(ToolCall::name).containsExactly("get_weather", "get_time", "noop");
  }

  @Test
  void stringsThatAreNotWellFormedUtf16SurviveUnchanged() {
    for (String s : List.of("\uD83D", "\uDE00", "a\uDE00\uD83Db", "x\uD83D", "\uD83D\uDE00")) {
      CachedResponse value = CachedResponse.ofChunks(List.of(ChatChunk.text(s), ChatChunk.builder().reasoning(s).build()),
          STORED_AT, null, null);
      CachedResponse decoded = roundTrip(value);
      assertThat(decoded.toChunks().get(0).text()).isEqualTo(s);
      assertThat(decoded).isEqualTo(value);
    }
  }

  @Test
  void imageAndTextContentPartsRoundTrip() {
    // a ChatResponse holds only text parts (images are for user messages); the part encoding covers every kind
    List<ContentPart> parts = List.of(ContentPart.text("ünïcode"), ContentPart.text(""),
        ContentPart.imageUrl("https://example.com/cat.png"),
        ContentPart.imageUrl("data:image/png;base64,iVBORw0KGgo="),
        ContentPart.imageBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, -1, 127}, "image/png"));
    CachedResponseCodec.Out out = new CachedResponseCodec.Out(8);
    for (ContentPart p : parts) {
      CachedResponseCodec.part(out, p);
    }
    byte[] bytes = out.toByteArray();
    CachedResponseCodec.In in = new CachedResponseCodec.In(bytes, 0, bytes.length);
    for (ContentPart p : parts) {
      assertThat(CachedResponseCodec.part(in)).isEqualTo(p);
    }
    assertThat(in.pos).isEqualTo(bytes.length);
  }

  @Test
  void theEncodingIsCompact() {
    CachedResponse response = CachedResponse.ofResponse(richResponse(), STORED_AT, new Target("p", "m"), manyDecimals());
    CachedResponse stream = CachedResponse.ofChunks(richChunks(), STORED_AT, new Target("p", "m"), Cost.usd("0.002"));
    for (CachedResponse value : List.of(response, stream)) {
      byte[] bytes = CachedResponseCodec.encode(value);
      assertThat(bytes.length).as("smaller than the in-heap estimate").isLessThan((int) value.weightBytes() / 2);
    }

    // a plain answer costs little more than its text: version, flags, time, lengths, checksum
    String text = "The capital of France is Paris. ".repeat(20);
    CachedResponse plain = CachedResponse.ofResponse(ChatResponse.builder().id("chatcmpl-123").model("gpt-4o-mini")
        .text(text).usage(Usage.of(25, 160)).build(), STORED_AT, new Target("openai", "gpt-4o-mini"), Cost.usd("0.000099"));
    int content = text.length() + "chatcmpl-123".length() + 2 * "gpt-4o-mini".length() + "openai".length();
    assertThat(CachedResponseCodec.encode(plain).length).isLessThanOrEqualTo(content + 40);
  }

  @Test
  void anUnknownVersionIsAClearError() {
    byte[] bytes = CachedResponseCodec.encode(CachedResponse.ofChunks(richChunks(), STORED_AT, null, null));
    bytes[0] = 2;
    assertThatThrownBy(() -> CachedResponseCodec.decode(bytes))
        .isInstanceOf(CachedResponseCodec.MalformedEntryException.class)
        .hasMessageContaining("format version 2")
        .hasMessageContaining("reads version 1");
  }

  @Test
  void corruptOrTruncatedBytesAreAClearError() {
    byte[] good = CachedResponseCodec.encode(CachedResponse.ofResponse(richResponse(), STORED_AT, null, null));
    for (int i = 1; i < good.length; i++) {
      byte[] flipped = good.clone();
      flipped[i] ^= 0x10;
      assertThatThrownBy(() -> CachedResponseCodec.decode(flipped))
          .isInstanceOf(CachedResponseCodec.MalformedEntryException.class)
          .hasMessageContaining("checksum mismatch");
    }
    for (int n : new int[] {0, 1, 5, good.length / 2, good.length - 1}) {
      byte[] truncated = java.util.Arrays.copyOf(good, n);
      assertThatThrownBy(() -> CachedResponseCodec.decode(truncated))
          .isInstanceOf(CachedResponseCodec.MalformedEntryException.class)
          .hasMessageStartingWith("not a cached response this gateway can read");
    }
    assertThatThrownBy(() -> CachedResponseCodec.decode("garbage".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CachedResponseCodec.MalformedEntryException.class);
  }

  @Test
  void wellCheckedButInvalidContentIsAClearErrorToo() {
    byte[] good = CachedResponseCodec.encode(CachedResponse.ofResponse(richResponse(), STORED_AT, null, null));
    byte[] unknownFlags = good.clone();
    unknownFlags[1] = (byte) 0x80;
    assertThatThrownBy(() -> CachedResponseCodec.decode(withChecksum(unknownFlags)))
        .isInstanceOf(CachedResponseCodec.MalformedEntryException.class)
        .hasMessageContaining("unknown flags");

    // a blank response id passes the checksum but not ChatResponse's builder
    CachedResponseCodec.Out out = new CachedResponseCodec.Out(16);
    out.write(CachedResponseCodec.VERSION);
    out.write(0);
    out.varlong(0);
    out.varlong(0);
    out.string(" ");
    out.string("m");
    out.string("");
    out.write(0);
    out.write(0);
    out.varlong(0);
    out.varlong(0);
    out.write(new byte[4]);
    assertThatThrownBy(() -> CachedResponseCodec.decode(withChecksum(out.toByteArray())))
        .isInstanceOf(CachedResponseCodec.MalformedEntryException.class)
        .hasMessageContaining("invalid content");
  }

  /** The bytes with their last four replaced by the CRC-32C of the rest. */
  private static byte[] withChecksum(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    int sum = (int) crc.getValue();
    for (int i = 0; i < 4; i++) {
      bytes[bytes.length - 4 + i] = (byte) (sum >>> (24 - 8 * i));
    }
    return bytes;
  }
}
