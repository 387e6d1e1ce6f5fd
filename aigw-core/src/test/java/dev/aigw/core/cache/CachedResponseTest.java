package dev.aigw.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.Attempt;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Cost;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.Target;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedResponseTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Target TARGET = new Target("openai", "gpt-4o-mini");
  static final Cost COST = Cost.usd("0.00042");
  static final Usage USAGE = new Usage(120, 80, 20, 0, 30);

  /** A stream as providers deliver it: reasoning, text and two interleaved tool calls in pieces. */
  static List<ChatChunk> streamedChunks() {
    return List.of(
        ChatChunk.builder().id("resp_1").model("gpt-4o-mini-2024-07-18").reasoning("Think").build(),
        ChatChunk.builder().reasoning("ing...").build(),
        ChatChunk.text("The weather "),
        ChatChunk.text("in two cities:"),
        ChatChunk.builder().toolCalls(List.of(ToolCallDelta.start(0, "call_a", "weather", "{\"ci"))).build(),
        ChatChunk.builder().toolCalls(List.of(
            ToolCallDelta.arguments(0, "ty\":\"Paris\"}"),
            ToolCallDelta.start(1, "call_b", "weather", ""))).build(),
        ChatChunk.builder().toolCalls(List.of(ToolCallDelta.arguments(1, "{\"city\":\"Lyon\"}"))).build(),
        ChatChunk.builder().finishReason(FinishReason.TOOL_CALLS).build(),
        ChatChunk.builder().usage(USAGE).build());
  }

  static ChatResponse fullResponse() {
    return ChatResponse.builder()
        .id("resp_2")
        .model("claude-3-5-haiku")
        .message(Message.assistant("Checking both.", List.of(
            new ToolCall("call_a", "weather", "{\"city\":\"Paris\"}"),
            new ToolCall("call_b", "weather", "{\"city\":\"Lyon\"}"))))
        .reasoning("The user wants two forecasts.")
        .finishReason(FinishReason.TOOL_CALLS)
        .usage(USAGE)
        .build();
  }

  @Test
  void chunksBecomeTheResponseAStreamCollects() {
    List<ChatChunk> chunks = streamedChunks();
    CachedResponse cached = CachedResponse.ofChunks(chunks, NOW, TARGET, COST);

    ChatResponse response = cached.toResponse();
    assertThat(response).isEqualTo(ChatStream.of(chunks).collect());
    assertThat(response.id()).isEqualTo("resp_1");
    assertThat(response.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(response.text()).isEqualTo("The weather in two cities:");
    assertThat(response.reasoning()).isEqualTo("Thinking...");
    assertThat(response.toolCalls()).containsExactly(
        new ToolCall("call_a", "weather", "{\"city\":\"Paris\"}"),
        new ToolCall("call_b", "weather", "{\"city\":\"Lyon\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.usage()).contains(USAGE);
    assertThat(response.metadata()).isEqualTo(ResponseMetadata.empty());
    // The stored chunks are replayed as they were.
    assertThat(cached.toChunks()).isEqualTo(chunks);
  }

  @Test
  void chunksWithoutFinishReasonUsageOrIdAssembleLikeAStream() {
    List<ChatChunk> chunks = List.of(ChatChunk.text("Hel"), ChatChunk.text("lo"));
    ChatResponse response = CachedResponse.ofChunks(chunks, NOW, null, null).toResponse();
    assertThat(response).isEqualTo(ChatStream.of(chunks).collect());
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEmpty();
  }

  @Test
  void responseBecomesAFaithfulChunkSequence() {
    ChatResponse original = fullResponse();
    CachedResponse cached = CachedResponse.ofResponse(original, NOW, TARGET, COST);

    List<ChatChunk> chunks = cached.toChunks();
    assertThat(chunks).hasSize(5);
    assertThat(chunks.get(0).id()).contains("resp_2");
    assertThat(chunks.get(0).model()).contains("claude-3-5-haiku");
    assertThat(chunks.get(0).reasoning()).isEqualTo("The user wants two forecasts.");
    assertThat(chunks.get(1).text()).isEqualTo("Checking both.");
    assertThat(chunks.get(2).toolCalls()).containsExactly(ToolCallDelta.start(0, "call_a", "weather", "{\"city\":\"Paris\"}"));
    assertThat(chunks.get(3).toolCalls()).containsExactly(ToolCallDelta.start(1, "call_b", "weather", "{\"city\":\"Lyon\"}"));
    assertThat(chunks.get(4).finishReason()).contains(FinishReason.TOOL_CALLS);
    assertThat(chunks.get(4).usage()).contains(USAGE);
    for (ChatChunk chunk : chunks.subList(1, 5)) {
      assertThat(chunk.id()).isEmpty();
      assertThat(chunk.model()).isEmpty();
    }
    for (ChatChunk chunk : chunks.subList(0, 4)) {
      assertThat(chunk.finishReason()).isEmpty();
      assertThat(chunk.usage()).isEmpty();
    }

    ChatResponse replayed = ChatStream.of(chunks).collect();
    assertThat(replayed).isEqualTo(original);
    assertThat(cached.toResponse()).isEqualTo(original);
  }

  @Test
  void responseRoundTripsInEveryShape() {
    List<ChatResponse> shapes = List.of(
        ChatResponse.builder().id("r").model("m").text("Only text").build(),
        ChatResponse.builder().id("r").model("m").text("").finishReason(FinishReason.LENGTH).build(),
        ChatResponse.builder().id("r").model("m").text("With usage").usage(Usage.estimated(3, 4)).finishReason(FinishReason.CONTENT_FILTER).build(),
        ChatResponse.builder().id("r").model("m").reasoning("only reasoning").build(),
        ChatResponse.builder().id("r").model("m").message(Message.assistantToolCalls(List.of(new ToolCall("c", "t", "")))).finishReason(FinishReason.TOOL_CALLS).build(),
        // A tool call without finish reason TOOL_CALLS stays as it was.
        ChatResponse.builder().id("r").model("m").message(Message.assistantToolCalls(List.of(new ToolCall("c", "t", "{}")))).finishReason(FinishReason.STOP).build());
    for (ChatResponse shape : shapes) {
      List<ChatChunk> chunks = CachedResponse.ofResponse(shape, NOW, null, null).toChunks();
      assertThat(chunks.get(0).id()).contains("r");
      assertThat(chunks.get(chunks.size() - 1).finishReason()).contains(shape.finishReason());
      assertThat(ChatStream.of(chunks).collect()).as(shape.toString()).isEqualTo(shape);
      // And back again, through the chunk form.
      assertThat(CachedResponse.ofChunks(chunks, NOW, null, null).toResponse()).isEqualTo(shape);
    }
  }

  @Test
  void chunksRoundTripThroughTheResponseForm() {
    ChatResponse fromChunks = CachedResponse.ofChunks(streamedChunks(), NOW, null, null).toResponse();
    List<ChatChunk> again = CachedResponse.ofResponse(fromChunks, NOW, null, null).toChunks();
    assertThat(ChatStream.of(again).collect()).isEqualTo(fromChunks);
  }

  @Test
  void theCallsMetadataIsNotStored() {
    ResponseMetadata metadata = ResponseMetadata.empty().toBuilder()
        .target(TARGET)
        .cost(COST)
        .latency(Duration.ofMillis(900))
        .attempts(List.of(Attempt.success(TARGET, Duration.ofMillis(900))))
        .build();
    ChatResponse withMetadata = fullResponse().toBuilder().metadata(metadata).build();
    CachedResponse cached = CachedResponse.ofResponse(withMetadata, NOW, TARGET, COST);
    assertThat(cached.toResponse().metadata()).isEqualTo(ResponseMetadata.empty());
    assertThat(cached.toResponse()).isEqualTo(fullResponse());
  }

  @Test
  void carriesWhereAndWhenTheAnswerCameFromAndWhatItCost() {
    CachedResponse cached = CachedResponse.ofResponse(fullResponse(), NOW, TARGET, COST);
    assertThat(cached.storedAt()).isEqualTo(NOW);
    assertThat(cached.target()).contains(TARGET);
    assertThat(cached.cost()).contains(COST);
    CachedResponse bare = CachedResponse.ofChunks(streamedChunks(), NOW, null, null);
    assertThat(bare.target()).isEmpty();
    assertThat(bare.cost()).isEmpty();
  }

  @Test
  void storedChunksAreACopy() {
    List<ChatChunk> chunks = new ArrayList<>(streamedChunks());
    CachedResponse cached = CachedResponse.ofChunks(chunks, NOW, null, null);
    chunks.clear();
    assertThat(cached.toChunks()).isEqualTo(streamedChunks());
    assertThatThrownBy(() -> cached.toChunks().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> CachedResponse.ofResponse(fullResponse(), NOW, null, null).toChunks().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void weightGrowsWithContent() {
    CachedResponse small = CachedResponse.ofResponse(ChatResponse.builder().id("r").model("m").text("hi").build(), NOW, null, null);
    String text = "x".repeat(100_000);
    CachedResponse large = CachedResponse.ofResponse(ChatResponse.builder().id("r").model("m").text(text).build(), NOW, TARGET, COST);
    assertThat(small.weightBytes()).isPositive().isLessThan(1_000);
    assertThat(large.weightBytes()).isBetween(200_000L, 201_500L);
    assertThat(large.weightBytes()).isEqualTo(large.weightBytes());

    CachedResponse chunked = CachedResponse.ofChunks(List.of(ChatChunk.text(text.substring(0, 50_000)), ChatChunk.text(text.substring(50_000))), NOW, null, null);
    assertThat(chunked.weightBytes()).isBetween(200_000L, 201_500L);
    CachedResponse reasoning = CachedResponse.ofChunks(streamedChunks(), NOW, null, null);
    assertThat(reasoning.weightBytes()).isGreaterThan(2L * "The weather in two cities:Thinking...".length());
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> CachedResponse.ofResponse(null, NOW, null, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> CachedResponse.ofResponse(fullResponse(), null, null, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> CachedResponse.ofChunks(null, NOW, null, null)).isInstanceOf(NullPointerException.class);
    List<ChatChunk> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> CachedResponse.ofChunks(withNull, NOW, null, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> CachedResponse.ofChunks(List.of(), null, null, null)).isInstanceOf(NullPointerException.class);
    // A tool call that never received its name cannot be replayed as a response.
    List<ChatChunk> nameless = List.of(ChatChunk.builder().toolCalls(List.of(ToolCallDelta.arguments(0, "{}"))).build());
    assertThatThrownBy(() -> CachedResponse.ofChunks(nameless, NOW, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never received its name");
  }

  @Test
  void equalityFollowsTheStoredForm() {
    assertThat(CachedResponse.ofResponse(fullResponse(), NOW, TARGET, COST))
        .isEqualTo(CachedResponse.ofResponse(fullResponse(), NOW, TARGET, COST))
        .hasSameHashCodeAs(CachedResponse.ofResponse(fullResponse(), NOW, TARGET, COST))
        .isNotEqualTo(CachedResponse.ofResponse(fullResponse(), NOW.plusSeconds(1), TARGET, COST))
        .isNotEqualTo(CachedResponse.ofResponse(fullResponse(), NOW, null, COST));
    assertThat(CachedResponse.ofChunks(streamedChunks(), NOW, null, null))
        .isEqualTo(CachedResponse.ofChunks(streamedChunks(), NOW, null, null));
  }

  @Test
  void toStringShowsNoContent() {
    String s = CachedResponse.ofResponse(fullResponse(), NOW, TARGET, COST).toString();
    assertThat(s).contains("response", "openai/gpt-4o-mini").doesNotContain("Checking", "Paris", "forecasts");
    assertThat(CachedResponse.ofChunks(streamedChunks(), NOW, null, null).toString()).contains("9 chunks").doesNotContain("weather");
  }
}
