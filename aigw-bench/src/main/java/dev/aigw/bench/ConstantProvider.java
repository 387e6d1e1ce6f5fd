package dev.aigw.bench;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * A provider that answers every call with the same prebuilt response (or the same prebuilt
 * chunks), so a benchmark measures the gateway and not the fake. It records nothing, takes no
 * lock and touches no shared mutable state: {@link #chat} allocates nothing, {@link #stream}
 * allocates only what {@link ChatStream#of(List)} itself allocates (a copy of the chunk list, the
 * source and the stream), which the {@code providerDirectStream} baseline measures.
 */
final class ConstantProvider implements ChatProvider {
  /** The provider id the benchmark routes to. */
  static final String ID = "const";

  /** How many chunks a stream has. */
  static final int CHUNKS = 8;

  private final ChatResponse response;
  private final List<ChatChunk> chunks;

  ConstantProvider() {
    this.response = ChatResponse.builder()
        .id("resp-1")
        .model("model-a")
        .text("The capital of France is Paris.")
        .finishReason(FinishReason.STOP)
        .usage(Usage.of(12, 8))
        .build();
    List<ChatChunk> list = new ArrayList<>(CHUNKS);
    String[] pieces = {"The", " capital", " of", " France", " is", " Paris", ".", ""};
    for (int i = 0; i < CHUNKS; i++) {
      ChatChunk.Builder b = ChatChunk.builder().id("resp-1").model("model-a").text(pieces[i]);
      if (i == CHUNKS - 1) {
        b.finishReason(FinishReason.STOP).usage(Usage.of(12, 8));
      }
      list.add(b.build());
    }
    this.chunks = List.copyOf(list);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    return response;
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    return ChatStream.of(chunks);
  }
}
