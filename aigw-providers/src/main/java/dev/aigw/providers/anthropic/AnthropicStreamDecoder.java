package dev.aigw.providers.anthropic;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.providers.internal.ErrorBody;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.internal.Json;
import dev.aigw.providers.internal.SseEvent;
import dev.aigw.providers.internal.StreamDecoder;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns the Messages API's stream events into chunks: {@code message_start} gives the first chunk
 * (id and model); text, thinking and tool-input deltas become text, reasoning and tool-call
 * fragments; {@code message_delta} gives the finish reason and the final usage; {@code
 * message_stop} ends the stream; {@code error} fails it. The structured-output tool's input
 * fragments are passed on as text. One instance per stream.
 */
final class AnthropicStreamDecoder implements StreamDecoder {
  private enum Kind { TEXT, THINKING, TOOL, SCHEMA, OTHER }

  /** What a content block (by its index in the message) streams into. */
  private static final class Block {
    final Kind kind;
    final int toolIndex;
    boolean sawInput;

    Block(Kind kind, int toolIndex) {
      this.kind = kind;
      this.toolIndex = toolIndex;
    }
  }

  private final String provider;
  private final @Nullable String secret;
  private final @Nullable String schemaTool;
  private final Map<Integer, Block> blocks = new HashMap<>();
  private Wire.@Nullable WireUsage startUsage;
  private int toolCalls;
  private boolean schemaAnswered;
  private boolean started;
  private boolean complete;

  /**
   * @param provider the provider id, for errors
   * @param secret the credential in use, redacted from error messages
   * @param schemaTool the tool whose input is the answer's text, or null
   */
  AnthropicStreamDecoder(String provider, @Nullable String secret, @Nullable String schemaTool) {
    this.provider = provider;
    this.secret = secret;
    this.schemaTool = schemaTool;
  }

  @Override
  public void onEvent(SseEvent event, Consumer<ChatChunk> out) {
    if (event.event().equals("ping")) {
      return;
    }
    Wire.StreamEvent e;
    try {
      e = Json.read(event.data(), Wire.StreamEvent.class);
    } catch (IOException malformed) {
      // the event name is the server's text: redacted like any text of its that reaches a message
      throw ErrorMapping.malformed(provider, 200, "a stream event '" + ErrorMapping.redact(event.event(), secret)
          + "' that is not the documented JSON (" + malformed.getClass().getSimpleName() + ")", malformed);
    }
    if (e == null) {
      throw ErrorMapping.malformed(provider, 200, "a stream event that is JSON null", null);
    }
    String type = e.type() != null ? e.type() : event.event();
    switch (type) {
      case "message_start" -> messageStart(e, out);
      case "content_block_start" -> blockStart(e, out);
      case "content_block_delta" -> blockDelta(e, out);
      case "content_block_stop" -> blockStop(e, out);
      case "message_delta" -> messageDelta(e, out);
      case "message_stop" -> complete = true;
      case "error" -> throw ErrorMapping.fromStreamError(
          provider, new ErrorBody(e.error(), null), secret);
      default -> {
        // ping, and event types added later
      }
    }
  }

  private void messageStart(Wire.StreamEvent e, Consumer<ChatChunk> out) {
    Wire.MessagesResponse message = e.message();
    if (message == null || ResponseMapper.isBlank(message.id()) || ResponseMapper.isBlank(message.model())) {
      throw ErrorMapping.malformed(provider, 200, "a message_start event without the message's id or model", null);
    }
    started = true;
    startUsage = message.usage();
    out.accept(ChatChunk.builder().id(message.id()).model(message.model()).build());
  }

  private void blockStart(Wire.StreamEvent e, Consumer<ChatChunk> out) {
    requireStarted("content_block_start");
    int index = index(e);
    Wire.ResponseBlock block = e.contentBlock();
    String type = block == null || block.type() == null ? "" : block.type();
    switch (type) {
      case "text" -> {
        blocks.put(index, new Block(Kind.TEXT, -1));
        emitText(block.text(), out);
      }
      case "thinking" -> {
        blocks.put(index, new Block(Kind.THINKING, -1));
        if (block.thinking() != null && !block.thinking().isEmpty()) {
          out.accept(ChatChunk.builder().reasoning(block.thinking()).build());
        }
      }
      case "tool_use" -> {
        if (ResponseMapper.isBlank(block.id()) || ResponseMapper.isBlank(block.name())) {
          throw ErrorMapping.malformed(provider, 200, "a tool_use block without an id or name", null);
        }
        if (block.name().equals(schemaTool)) {
          blocks.put(index, new Block(Kind.SCHEMA, -1));
          schemaAnswered = true;
        } else {
          int toolIndex = toolCalls++;
          blocks.put(index, new Block(Kind.TOOL, toolIndex));
          out.accept(ChatChunk.builder()
              .toolCalls(List.of(ToolCallDelta.start(toolIndex, block.id(), block.name(), "")))
              .build());
        }
      }
      default -> blocks.put(index, new Block(Kind.OTHER, -1));
    }
  }

  private void blockDelta(Wire.StreamEvent e, Consumer<ChatChunk> out) {
    requireStarted("content_block_delta");
    Block block = blocks.get(index(e));
    Wire.Delta delta = e.delta();
    if (block == null || delta == null || delta.type() == null) {
      throw ErrorMapping.malformed(provider, 200, "a content_block_delta for a block that never started", null);
    }
    switch (delta.type()) {
      case "text_delta" -> emitText(delta.text(), out);
      case "thinking_delta" -> {
        if (delta.thinking() != null && !delta.thinking().isEmpty()) {
          out.accept(ChatChunk.builder().reasoning(delta.thinking()).build());
        }
      }
      case "input_json_delta" -> {
        String json = delta.partialJson() == null ? "" : delta.partialJson();
        if (json.isEmpty()) {
          return;
        }
        block.sawInput = true;
        if (block.kind == Kind.SCHEMA) {
          out.accept(ChatChunk.text(json));
        } else if (block.kind == Kind.TOOL) {
          out.accept(ChatChunk.builder().toolCalls(List.of(ToolCallDelta.arguments(block.toolIndex, json))).build());
        }
      }
      default -> {
        // signature_delta, citations_delta and delta types added later
      }
    }
  }

  private void blockStop(Wire.StreamEvent e, Consumer<ChatChunk> out) {
    Block block = blocks.get(index(e));
    // A tool called without arguments streams no input: its input is the empty object, as in a blocking answer.
    if (block != null && !block.sawInput) {
      if (block.kind == Kind.TOOL) {
        out.accept(ChatChunk.builder().toolCalls(List.of(ToolCallDelta.arguments(block.toolIndex, "{}"))).build());
      } else if (block.kind == Kind.SCHEMA) {
        out.accept(ChatChunk.text("{}"));
      }
    }
  }

  private void messageDelta(Wire.StreamEvent e, Consumer<ChatChunk> out) {
    requireStarted("message_delta");
    String stopReason = e.delta() == null ? null : e.delta().stopReason();
    if ("refusal".equals(stopReason)) {
      throw ResponseMapper.refused(provider);
    }
    ChatChunk.Builder chunk = ChatChunk.builder();
    if (stopReason != null) {
      chunk.finishReason(ResponseMapper.finishReason(stopReason, schemaAnswered && toolCalls == 0));
    }
    Wire.WireUsage usage = e.usage();
    if (usage != null) {
      chunk.usage(ResponseMapper.usage(usage, startUsage));
    } else if (startUsage != null) {
      chunk.usage(ResponseMapper.usage(startUsage, null));
    }
    out.accept(chunk.build());
  }

  private void emitText(@Nullable String text, Consumer<ChatChunk> out) {
    if (text != null && !text.isEmpty()) {
      out.accept(ChatChunk.text(text));
    }
  }

  private int index(Wire.StreamEvent e) {
    if (e.index() == null || e.index() < 0) {
      throw ErrorMapping.malformed(provider, 200, "a content block event without an index", null);
    }
    return e.index();
  }

  private void requireStarted(String what) {
    if (!started) {
      throw ErrorMapping.malformed(provider, 200, "a " + what + " event before message_start", null);
    }
  }

  @Override
  public boolean isComplete() {
    return complete;
  }
}
