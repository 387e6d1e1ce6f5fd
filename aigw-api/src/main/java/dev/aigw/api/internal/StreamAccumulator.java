package dev.aigw.api.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Assembles streamed chunks into a {@link ChatResponse}, and turns a response back into one chunk.
 * One instance per stream; not thread-safe.
 */
public final class StreamAccumulator {
  private @Nullable String id;
  private @Nullable String model;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder reasoning = new StringBuilder();
  private final Map<Integer, PartialCall> toolCalls = new TreeMap<>();
  private @Nullable FinishReason finishReason;
  private @Nullable Usage usage;

  private static final class PartialCall {
    @Nullable String id;
    @Nullable String name;
    final StringBuilder arguments = new StringBuilder();
  }

  /** Adds one chunk. */
  public void add(ChatChunk chunk) {
    if (id == null) {
      id = chunk.id().orElse(null);
    }
    if (model == null) {
      model = chunk.model().orElse(null);
    }
    text.append(chunk.text());
    reasoning.append(chunk.reasoning());
    for (ToolCallDelta delta : chunk.toolCalls()) {
      PartialCall call = toolCalls.computeIfAbsent(delta.index(), i -> new PartialCall());
      if (call.id == null) {
        call.id = delta.id().orElse(null);
      }
      if (call.name == null) {
        call.name = delta.name().orElse(null);
      }
      call.arguments.append(delta.arguments());
    }
    if (chunk.finishReason().isPresent()) {
      finishReason = chunk.finishReason().get();
    }
    if (chunk.usage().isPresent()) {
      usage = chunk.usage().get();
    }
  }

  /** The usage reported so far (the last one reported wins). */
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  /** The finish reason reported so far. */
  public Optional<FinishReason> finishReason() {
    return Optional.ofNullable(finishReason);
  }

  /**
   * The response assembled from the chunks added so far.
   *
   * @throws AiGatewayException when a tool call never received its name
   */
  public ChatResponse toResponse(ResponseMetadata metadata) {
    List<ToolCall> calls = new ArrayList<>(toolCalls.size());
    for (Map.Entry<Integer, PartialCall> e : toolCalls.entrySet()) {
      PartialCall call = e.getValue();
      if (call.name == null) {
        throw new AiGatewayException("streamed tool call " + e.getKey() + " never received its name");
      }
      calls.add(new ToolCall(call.id != null ? call.id : "call_" + e.getKey(), call.name, call.arguments.toString()));
    }
    Message message = calls.isEmpty() ? Message.assistant(text.toString()) : Message.assistant(text.toString(), calls);
    FinishReason reason = finishReason != null ? finishReason : calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
    ChatResponse.Builder b = ChatResponse.builder()
        .id(id != null ? id : "unknown")
        .model(model != null ? model : "unknown")
        .message(message)
        .reasoning(reasoning.toString())
        .finishReason(reason)
        .metadata(metadata);
    if (usage != null) {
      b.usage(usage);
    }
    return b.build();
  }

  /** One chunk that carries everything in {@code response}. */
  public static ChatChunk toChunk(ChatResponse response) {
    List<ToolCallDelta> deltas = new ArrayList<>();
    List<ToolCall> calls = response.toolCalls();
    for (int i = 0; i < calls.size(); i++) {
      deltas.add(ToolCallDelta.start(i, calls.get(i).id(), calls.get(i).name(), calls.get(i).arguments()));
    }
    ChatChunk.Builder b = ChatChunk.builder()
        .id(response.id())
        .model(response.model())
        .text(response.text())
        .reasoning(response.reasoning())
        .toolCalls(deltas)
        .finishReason(response.finishReason());
    response.usage().ifPresent(b::usage);
    return b.build();
  }
}
