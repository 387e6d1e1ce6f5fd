package dev.aigw.providers.anthropic;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.aigw.providers.internal.ErrorBody;
import dev.aigw.providers.internal.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Messages API's wire format, as Jackson-bound records: only the fields this client writes or
 * reads. Requests leave out null fields (the shared mapper's setting); responses ignore unknown
 * fields, so new fields Anthropic adds do not break the client.
 */
final class Wire {
  private Wire() {}

  // ---------------------------------------------------------------- request

  /**
   * The body of {@code POST /v1/messages}. {@code extra} holds passthrough options, written as
   * top-level fields after the typed ones.
   */
  record MessagesRequest(
      String model,
      @JsonProperty("max_tokens") @Nullable Integer maxTokens,
      @Nullable String system,
      List<InputMessage> messages,
      @Nullable List<Tool> tools,
      @JsonProperty("tool_choice") @Nullable ToolChoiceParam toolChoice,
      @Nullable Double temperature,
      @JsonProperty("top_p") @Nullable Double topP,
      @JsonProperty("stop_sequences") @Nullable List<String> stopSequences,
      @Nullable Boolean stream,
      @JsonIgnore Map<String, Object> extra) {

    @JsonAnyGetter
    Map<String, Object> passthrough() {
      return extra;
    }
  }

  /** One turn: role {@code user} or {@code assistant}, with content blocks. */
  record InputMessage(String role, List<RequestBlock> content) {}

  /** A content block of a request message. */
  sealed interface RequestBlock permits TextBlock, ImageBlock, ToolUseBlock, ToolResultBlock {}

  /** {@code {"type":"text","text":...}}. */
  record TextBlock(String type, String text) implements RequestBlock {
    TextBlock(String text) {
      this("text", text);
    }
  }

  /** {@code {"type":"image","source":{...}}}. */
  record ImageBlock(String type, ImageSource source) implements RequestBlock {
    ImageBlock(ImageSource source) {
      this("image", source);
    }
  }

  /** {@code {"type":"base64","media_type","data"}} or {@code {"type":"url","url"}}. */
  record ImageSource(
      String type, @JsonProperty("media_type") @Nullable String mediaType, @Nullable String data, @Nullable String url) {
    static ImageSource base64(String mediaType, String data) {
      return new ImageSource("base64", mediaType, data, null);
    }

    static ImageSource url(String url) {
      return new ImageSource("url", null, null, url);
    }
  }

  /** An earlier tool call of the assistant; {@code input} is a JSON object, written as it is. */
  record ToolUseBlock(String type, String id, String name, @JsonRawValue String input) implements RequestBlock {
    ToolUseBlock(String id, String name, String input) {
      this("tool_use", id, name, input);
    }
  }

  /** The result of a tool call, sent in a user turn. */
  record ToolResultBlock(String type, @JsonProperty("tool_use_id") String toolUseId, @Nullable String content)
      implements RequestBlock {
    ToolResultBlock(String toolUseId, @Nullable String content) {
      this("tool_result", toolUseId, content);
    }
  }

  /** A tool; {@code input_schema} is a JSON Schema object, written as it is. */
  record Tool(String name, @Nullable String description, @JsonProperty("input_schema") @JsonRawValue String inputSchema) {}

  /** {@code {"type":"auto|any|none|tool","name"}}. */
  record ToolChoiceParam(String type, @Nullable String name) {}

  // ---------------------------------------------------------------- response

  /** A complete message (the blocking answer, and {@code message_start}'s message). */
  record MessagesResponse(
      @Nullable String id,
      @Nullable String model,
      @Nullable List<ResponseBlock> content,
      @JsonProperty("stop_reason") @Nullable String stopReason,
      @Nullable WireUsage usage) {}

  /**
   * A content block of an answer, of any type, in one lenient shape: {@code text}, {@code
   * thinking}, {@code tool_use} (its {@code input} kept as JSON text) and types this client skips.
   */
  record ResponseBlock(
      @Nullable String type,
      @Nullable String text,
      @Nullable String id,
      @Nullable String name,
      @JsonDeserialize(using = RawJson.class) @Nullable String input,
      @Nullable String thinking) {}

  /** Token counts; Anthropic's {@code input_tokens} excludes cache reads and writes. */
  record WireUsage(
      @JsonProperty("input_tokens") @Nullable Long inputTokens,
      @JsonProperty("output_tokens") @Nullable Long outputTokens,
      @JsonProperty("cache_creation_input_tokens") @Nullable Long cacheCreationInputTokens,
      @JsonProperty("cache_read_input_tokens") @Nullable Long cacheReadInputTokens) {}

  // ---------------------------------------------------------------- stream

  /** Any stream event, in one lenient shape; {@code type} says which fields are set. */
  record StreamEvent(
      @Nullable String type,
      @Nullable MessagesResponse message,
      @Nullable Integer index,
      @JsonProperty("content_block") @Nullable ResponseBlock contentBlock,
      @Nullable Delta delta,
      @Nullable WireUsage usage,
      ErrorBody.@Nullable Detail error) {}

  /** The delta of {@code content_block_delta} (by {@code type}) or of {@code message_delta}. */
  record Delta(
      @Nullable String type,
      @Nullable String text,
      @JsonProperty("partial_json") @Nullable String partialJson,
      @Nullable String thinking,
      @JsonProperty("stop_reason") @Nullable String stopReason) {}

  /** Reads any JSON value as its compact JSON text, streaming token by token (no tree is built). */
  static final class RawJson extends JsonDeserializer<String> {
    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      StringWriter out = new StringWriter();
      try (JsonGenerator generator = Json.MAPPER.getFactory().createGenerator(out)) {
        generator.copyCurrentStructure(parser);
      }
      return out.toString();
    }
  }
}
