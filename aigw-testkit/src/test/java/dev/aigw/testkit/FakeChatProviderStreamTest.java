package dev.aigw.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.FinishReason;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.Usage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FakeChatProviderStreamTest {
  private static final CallContext CONTEXT = CallContext.empty();
  private static final String TEXT = "The quick brown fox jumps over the lazy dog.";

  private static List<ChatChunk> chunksOf(ChatStream stream) {
    List<ChatChunk> chunks = new ArrayList<>();
    try (stream) {
      for (ChatChunk chunk : stream) {
        chunks.add(chunk);
      }
    }
    return chunks;
  }

  @Test
  void splitsTextIntoChunksOfTheChunkSizeThatReassembleToTheSameText() {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text(TEXT)).build();

    List<ChatChunk> chunks = chunksOf(fake.stream(ChatRequest.of("gpt-4o", "?"), CONTEXT));

    List<ChatChunk> textChunks = chunks.subList(0, chunks.size() - 1);
    assertThat(textChunks).hasSize(6).allSatisfy(c -> assertThat(c.text()).hasSizeBetween(1, 8));
    assertThat(textChunks.stream().map(ChatChunk::text).reduce("", String::concat)).isEqualTo(TEXT);
  }

  @Test
  void theFirstChunkCarriesIdAndModelAndTheLastFinishReasonAndUsage() {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text(TEXT)).build();

    List<ChatChunk> chunks = chunksOf(fake.stream(ChatRequest.of("gpt-4o", "abcd"), CONTEXT));

    ChatChunk first = chunks.get(0);
    assertThat(first.id()).contains("fake-1");
    assertThat(first.model()).contains("gpt-4o");
    assertThat(chunks.subList(1, chunks.size())).allSatisfy(c -> assertThat(c.id()).isEmpty());
    ChatChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.text()).isEmpty();
    assertThat(last.finishReason()).contains(FinishReason.STOP);
    assertThat(last.usage()).contains(Usage.of(1, 11));
    assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> {
      assertThat(c.finishReason()).isEmpty();
      assertThat(c.usage()).isEmpty();
    });
  }

  @Test
  void collectGivesTheSameAnswerAsChat() {
    ToolCall call = new ToolCall("call_7", "lookup", "{\"query\":\"capital of France\"}");
    FakeReply reply = FakeReply.toolCalls(call).withText(TEXT).withReasoning("the user wants a lookup");
    FakeChatProvider fake = FakeChatProvider.builder().reply(reply).chunkSize(5).build();
    ChatRequest request = ChatRequest.of("m", "What is the capital of France?");

    ChatResponse blocking = fake.chat(request, CONTEXT);
    ChatResponse streamed = fake.stream(request, CONTEXT).collect();

    assertThat(streamed.id()).isEqualTo("fake-2");
    assertThat(streamed.toBuilder().id(blocking.id()).build()).isEqualTo(blocking);
  }

  @Test
  void reasoningChunksComeBeforeTextChunks() {
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply(FakeReply.text("answer text").withReasoning("reasoning text"))
        .chunkSize(4)
        .build();

    List<ChatChunk> chunks = chunksOf(fake.stream(ChatRequest.of("m", "?"), CONTEXT));

    List<String> kinds = new ArrayList<>();
    for (ChatChunk c : chunks) {
      kinds.add(!c.reasoning().isEmpty() ? "r" : !c.text().isEmpty() ? "t" : "end");
    }
    assertThat(String.join("", kinds)).isEqualTo("rrrrttt" + "end");
  }

  @Test
  void toolCallsArriveAsAStartFragmentAndARestFragmentThatReassemble() {
    ToolCall weather = new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}");
    ToolCall time = new ToolCall("call_2", "time", "{\"zone\":\"CET\"}");
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.toolCalls(weather, time)).build();

    List<ChatChunk> chunks = chunksOf(fake.stream(ChatRequest.of("m", "?"), CONTEXT));

    List<ToolCallDelta> deltas = chunks.stream().flatMap(c -> c.toolCalls().stream()).toList();
    assertThat(deltas).hasSize(4);
    assertThat(deltas.get(0)).isEqualTo(ToolCallDelta.start(0, "call_1", "weather", "{\"city\":"));
    assertThat(deltas.get(1)).isEqualTo(ToolCallDelta.arguments(0, "\"Paris\"}"));
    assertThat(deltas.get(2).index()).isEqualTo(1);
    assertThat(deltas.get(2).id()).contains("call_2");
    assertThat(deltas.get(3).id()).isEqualTo(Optional.empty());
    assertThat(chunks.get(chunks.size() - 1).finishReason()).contains(FinishReason.TOOL_CALLS);

    ChatResponse collected = fake.stream(ChatRequest.of("m", "?"), CONTEXT).collect();
    assertThat(collected.toolCalls()).containsExactly(weather, time);
    assertThat(collected.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void chunksNeverSplitASurrogatePair() {
    String emoji = "a\uD83D\uDE00b\uD83D\uDE00";
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text(emoji)).chunkSize(2).build();

    List<ChatChunk> chunks = chunksOf(fake.stream(ChatRequest.of("m", "?"), CONTEXT));

    assertThat(chunks.stream().map(ChatChunk::text).filter(t -> !t.isEmpty()).toList())
        .containsExactly("a", "\uD83D\uDE00", "b", "\uD83D\uDE00");
  }

  @Test
  void anEmptyTextStreamsOnlyTheFinalChunk() {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text("")).build();

    List<ChatChunk> chunks = chunksOf(fake.stream(ChatRequest.of("m", "?"), CONTEXT));

    assertThat(chunks).singleElement().satisfies(c -> {
      assertThat(c.id()).isPresent();
      assertThat(c.finishReason()).contains(FinishReason.STOP);
      assertThat(c.usage()).contains(Usage.of(1, 0));
    });
  }

  @Test
  void failMidStreamDeliversSomeChunksThenTheIterationThrows() {
    ProviderException broken = new ProviderException("fake", 502, true, "connection reset");
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply(FakeReply.text(TEXT).failMidStream(2, broken))
        .build();

    ChatStream stream = fake.stream(ChatRequest.of("m", "?"), CONTEXT);
    List<String> received = new ArrayList<>();
    assertThatThrownBy(() -> {
      for (ChatChunk chunk : stream) {
        received.add(chunk.text());
      }
    }).isSameAs(broken);

    assertThat(received).containsExactly("The quic", "k brown ");
    assertThat(fake.cancellations()).isZero();
  }

  @Test
  void failMidStreamBeyondTheContentReplacesTheFinalChunk() {
    ProviderException broken = new ProviderException("fake", 0, true, "stream cut");
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply(FakeReply.text("short").failMidStream(99, broken))
        .build();

    ChatStream stream = fake.stream(ChatRequest.of("m", "?"), CONTEXT);
    Iterator<ChatChunk> chunks = stream.iterator();

    assertThat(chunks.next().text()).isEqualTo("short");
    assertThatThrownBy(chunks::hasNext).isSameAs(broken);
  }

  @Test
  void failMidStreamAtZeroFailsOnTheFirstRead() {
    ProviderException broken = new ProviderException("fake", 0, true, "stream cut");
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text(TEXT).failMidStream(0, broken)).build();

    ChatStream stream = fake.stream(ChatRequest.of("m", "?"), CONTEXT);

    assertThatThrownBy(stream::collect).isSameAs(broken);
  }

  @Test
  void failMidStreamMakesABlockingChatThrow() {
    ProviderException broken = new ProviderException("fake", 0, true, "stream cut");
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text(TEXT).failMidStream(3, broken)).build();

    assertThatThrownBy(() -> fake.chat(ChatRequest.of("m", "?"), CONTEXT)).isSameAs(broken);
  }

  @Test
  void closingAStreamBeforeItsEndCountsAsACancellationAndLaterReadsThrow() {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text(TEXT)).build();
    ChatStream stream = fake.stream(ChatRequest.of("m", "?"), CONTEXT);
    Iterator<ChatChunk> chunks = stream.iterator();
    chunks.next();

    stream.close();
    stream.close();

    assertThat(fake.cancellations()).isOne();
    assertThatThrownBy(chunks::hasNext).isInstanceOf(CallCancelledException.class);
    assertThat(fake.cancellations()).isOne();
  }

  @Test
  void closingAStreamAfterItsEndIsNotACancellation() {
    FakeChatProvider fake = FakeChatProvider.builder().reply(FakeReply.text(TEXT)).build();
    ChatStream stream = fake.stream(ChatRequest.of("m", "?"), CONTEXT);

    chunksOf(stream);
    stream.close();

    assertThat(fake.cancellations()).isZero();
  }
}
