package dev.aigw.providers.anthropic;

import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.ToolCall;
import dev.aigw.api.Usage;
import dev.aigw.providers.internal.ErrorMapping;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Maps the Messages API's answer to a {@link ChatResponse}, and holds what streams share with it. */
final class ResponseMapper {
  private ResponseMapper() {}

  /**
   * The response for a blocking call.
   *
   * @param schemaTool the tool whose input is the answer's text (structured output), or null
   * @throws ContentFilteredException when the model refused
   */
  static ChatResponse toResponse(String provider, Wire.MessagesResponse wire, @Nullable String schemaTool) {
    if (isBlank(wire.id()) || isBlank(wire.model())) {
      throw ErrorMapping.malformed(provider, 200, "a message without an id or model", null);
    }
    if ("refusal".equals(wire.stopReason())) {
      throw refused(provider);
    }
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    boolean answeredThroughSchema = false;
    if (wire.content() != null) {
      for (Wire.ResponseBlock block : wire.content()) {
        // a null block carries nothing, like a block of a type this client skips
        String type = block == null || block.type() == null ? "" : block.type();
        switch (type) {
          case "text" -> text.append(block.text() == null ? "" : block.text());
          case "thinking" -> reasoning.append(block.thinking() == null ? "" : block.thinking());
          case "tool_use" -> {
            if (isBlank(block.id()) || isBlank(block.name())) {
              throw ErrorMapping.malformed(provider, 200, "a tool_use block without an id or name", null);
            }
            String input = block.input() == null ? "{}" : block.input();
            if (block.name().equals(schemaTool)) {
              text.append(input);
              answeredThroughSchema = true;
            } else {
              calls.add(new ToolCall(block.id(), block.name(), input));
            }
          }
          default -> {
            // redacted_thinking, server tool blocks and future types carry nothing the api models
          }
        }
      }
    }
    Message message = calls.isEmpty() ? Message.assistant(text.toString()) : Message.assistant(text.toString(), calls);
    ChatResponse.Builder b = ChatResponse.builder()
        .id(wire.id())
        .model(wire.model())
        .message(message)
        .reasoning(reasoning.toString())
        .finishReason(finishReason(wire.stopReason(), answeredThroughSchema && calls.isEmpty()));
    if (wire.usage() != null) {
      b.usage(usage(wire.usage(), null));
    }
    return b.build();
  }

  /**
   * Anthropic's stop reason in the api's words. A {@code tool_use} stop is {@link
   * FinishReason#STOP} when the only tool called was the structured-output tool.
   */
  static FinishReason finishReason(@Nullable String stopReason, boolean onlySchemaTool) {
    if (stopReason == null) {
      return FinishReason.STOP;
    }
    return switch (stopReason) {
      case "end_turn", "stop_sequence" -> FinishReason.STOP;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "tool_use" -> onlySchemaTool ? FinishReason.STOP : FinishReason.TOOL_CALLS;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER; // pause_turn and reasons added later
    };
  }

  /**
   * The api's usage: Anthropic's {@code input_tokens} excludes cache reads and writes, the api's
   * input count includes them. Values in {@code latest} win over those in {@code earlier} (a
   * stream's {@code message_delta} over its {@code message_start}).
   */
  static Usage usage(Wire.WireUsage latest, Wire.@Nullable WireUsage earlier) {
    long input = pick(latest.inputTokens(), earlier == null ? null : earlier.inputTokens());
    long output = pick(latest.outputTokens(), earlier == null ? null : earlier.outputTokens());
    long cacheRead = pick(latest.cacheReadInputTokens(), earlier == null ? null : earlier.cacheReadInputTokens());
    long cacheWrite = pick(latest.cacheCreationInputTokens(), earlier == null ? null : earlier.cacheCreationInputTokens());
    return new Usage(input + cacheRead + cacheWrite, output, cacheRead, cacheWrite, 0);
  }

  private static long pick(@Nullable Long latest, @Nullable Long earlier) {
    Long value = latest != null ? latest : earlier;
    return value == null || value < 0 ? 0 : value;
  }

  static ContentFilteredException refused(String provider) {
    return new ContentFilteredException(provider, 0,
        "provider '" + provider + "' refused to answer (stop_reason 'refusal')");
  }

  static boolean isBlank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
