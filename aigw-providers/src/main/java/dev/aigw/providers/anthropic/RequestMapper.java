package dev.aigw.providers.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ContentPart;
import dev.aigw.api.InvalidRequestException;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolChoice;
import dev.aigw.api.ToolSpec;
import dev.aigw.providers.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Maps a {@link ChatRequest} to the Messages API's request body. Stateless. */
final class RequestMapper {
  /** Fields the provider derives from the request; passthrough must not replace them. */
  private static final Set<String> RESERVED = Set.of("model", "messages", "stream");

  /** The tool a {@code json_object} response format is answered through. */
  static final String JSON_OBJECT_TOOL = "json_response";

  private static final String PERMISSIVE_SCHEMA = "{\"type\":\"object\"}";
  private static final String SCHEMA_TOOL_DESCRIPTION =
      "Respond with your answer as this tool's input: a JSON value matching its input schema.";

  private RequestMapper() {}

  /**
   * A request body, and the name of the tool that carries a structured answer when the request
   * asked for JSON (its input is the answer's text), or null.
   */
  record Prepared(Wire.MessagesRequest body, @Nullable String schemaTool) {}

  static Prepared map(ChatRequest request, int defaultMaxTokens, boolean stream) {
    Map<String, Object> extra = request.extra();
    for (String key : extra.keySet()) {
      if (RESERVED.contains(key)) {
        throw new InvalidRequestException(
            "extra." + key, "is set by the Anthropic provider from the request and cannot be passed through");
      }
    }

    StringBuilder system = null;
    List<Wire.InputMessage> messages = new ArrayList<>();
    List<Message> conversation = request.messages();
    for (int i = 0; i < conversation.size(); i++) {
      Message m = conversation.get(i);
      String field = "messages[" + i + "]";
      switch (m.role()) {
        case SYSTEM -> {
          String text = m.text();
          if (!text.isEmpty()) {
            system = system == null ? new StringBuilder(text) : system.append("\n\n").append(text);
          }
        }
        case USER -> append(messages, "user", userBlocks(m, field));
        case ASSISTANT -> append(messages, "assistant", assistantBlocks(m, field));
        case TOOL -> {
          String result = m.text();
          append(messages, "user", List.of(new Wire.ToolResultBlock(
              m.toolCallId().orElseThrow(() -> new InvalidRequestException(field + ".toolCallId", "must be set")),
              result.isEmpty() ? null : result)));
        }
      }
    }
    if (messages.isEmpty()) {
      throw new InvalidRequestException("messages", "Anthropic needs at least one user or assistant message besides system messages");
    }

    List<Wire.Tool> tools = new ArrayList<>();
    for (ToolSpec tool : request.tools()) {
      tools.add(new Wire.Tool(tool.name(), tool.description().isEmpty() ? null : tool.description(), tool.parametersSchema()));
    }
    String schemaTool = null;
    Wire.ToolChoiceParam toolChoice = toolChoice(request);
    ResponseFormat format = request.responseFormat();
    if (format.type() != ResponseFormat.Type.TEXT) {
      schemaTool = format.type() == ResponseFormat.Type.JSON_SCHEMA ? format.name().orElseThrow() : JSON_OBJECT_TOOL;
      String schema = format.type() == ResponseFormat.Type.JSON_SCHEMA ? format.schema().orElseThrow() : PERMISSIVE_SCHEMA;
      for (ToolSpec tool : request.tools()) {
        if (tool.name().equals(schemaTool)) {
          throw new InvalidRequestException("responseFormat.name",
              "'" + schemaTool + "' is also the name of a tool; Anthropic answers structured output through a tool of that name");
        }
      }
      boolean userTools = !tools.isEmpty();
      tools.add(new Wire.Tool(schemaTool, SCHEMA_TOOL_DESCRIPTION, schema));
      ToolChoice choice = request.toolChoice().orElse(ToolChoice.auto());
      if (thinkingEnabled(extra)) {
        // Anthropic rejects forced tool use together with extended thinking: offer the schema tool
        // without forcing it (and without the caller's tools when they must not be called).
        if (userTools && choice.mode() == ToolChoice.Mode.NONE) {
          tools.subList(0, tools.size() - 1).clear();
        }
        if (choice.mode() != ToolChoice.Mode.TOOL) {
          toolChoice = new Wire.ToolChoiceParam("auto", null);
        }
      } else if (!userTools || choice.mode() == ToolChoice.Mode.NONE) {
        toolChoice = new Wire.ToolChoiceParam("tool", schemaTool);
      } else if (choice.mode() != ToolChoice.Mode.TOOL) {
        toolChoice = new Wire.ToolChoiceParam("any", null);
      }
    }

    int maxTokens = request.maxOutputTokens().orElse(defaultMaxTokens);
    Wire.MessagesRequest body = new Wire.MessagesRequest(
        request.model(),
        extra.containsKey("max_tokens") ? null : maxTokens,
        extra.containsKey("system") || system == null ? null : system.toString(),
        messages,
        extra.containsKey("tools") || tools.isEmpty() ? null : tools,
        extra.containsKey("tool_choice") ? null : toolChoice,
        extra.containsKey("temperature") || request.temperature().isEmpty() ? null : request.temperature().getAsDouble(),
        extra.containsKey("top_p") || request.topP().isEmpty() ? null : request.topP().getAsDouble(),
        extra.containsKey("stop_sequences") || request.stop().isEmpty() ? null : request.stop(),
        stream ? Boolean.TRUE : null,
        extra);
    return new Prepared(body, schemaTool);
  }

  /** Whether the passthrough turns on extended thinking ({@code "thinking":{"type":"enabled",...}}). */
  private static boolean thinkingEnabled(Map<String, Object> extra) {
    return extra.get("thinking") instanceof Map<?, ?> thinking && "enabled".equals(thinking.get("type"));
  }

  private static Wire.@Nullable ToolChoiceParam toolChoice(ChatRequest request) {
    if (request.tools().isEmpty() || request.toolChoice().isEmpty()) {
      return null;
    }
    ToolChoice choice = request.toolChoice().get();
    return switch (choice.mode()) {
      case AUTO -> new Wire.ToolChoiceParam("auto", null);
      case NONE -> new Wire.ToolChoiceParam("none", null);
      case REQUIRED -> new Wire.ToolChoiceParam("any", null);
      case TOOL -> new Wire.ToolChoiceParam("tool", choice.toolName().orElseThrow());
    };
  }

  /** Adds blocks as a turn of {@code role}, joining them to the previous turn when it has the same role. */
  private static void append(List<Wire.InputMessage> messages, String role, List<Wire.RequestBlock> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    if (!messages.isEmpty()) {
      Wire.InputMessage last = messages.get(messages.size() - 1);
      if (last.role().equals(role)) {
        last.content().addAll(blocks);
        return;
      }
    }
    messages.add(new Wire.InputMessage(role, new ArrayList<>(blocks)));
  }

  private static List<Wire.RequestBlock> userBlocks(Message m, String field) {
    List<Wire.RequestBlock> blocks = new ArrayList<>(m.content().size());
    List<ContentPart> parts = m.content();
    for (int j = 0; j < parts.size(); j++) {
      ContentPart part = parts.get(j);
      if (part instanceof ContentPart.Text t) {
        if (!t.text().isEmpty()) {
          blocks.add(new Wire.TextBlock(t.text()));
        }
      } else if (part instanceof ContentPart.Image image) {
        blocks.add(new Wire.ImageBlock(imageSource(image, field + ".content[" + j + "]")));
      }
    }
    return blocks;
  }

  private static Wire.ImageSource imageSource(ContentPart.Image image, String field) {
    if (image.bytes().isPresent()) {
      return Wire.ImageSource.base64(image.mediaType().orElseThrow(), Base64.getEncoder().encodeToString(image.bytes().get()));
    }
    String url = image.url().orElseThrow();
    if (!url.regionMatches(true, 0, "data:", 0, 5)) {
      return Wire.ImageSource.url(url);
    }
    // Anthropic's URL source fetches http(s) URLs only: send data: URLs inline.
    int comma = url.indexOf(',');
    String header = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
    if (comma < 0 || !header.endsWith(";base64")) {
      throw new InvalidRequestException(field, "a data: image URL must be base64-encoded (data:image/png;base64,...)");
    }
    return Wire.ImageSource.base64(header.substring(0, header.length() - ";base64".length()), url.substring(comma + 1));
  }

  private static List<Wire.RequestBlock> assistantBlocks(Message m, String field) {
    List<Wire.RequestBlock> blocks = new ArrayList<>(m.content().size() + m.toolCalls().size());
    String text = m.text();
    if (!text.isEmpty()) {
      blocks.add(new Wire.TextBlock(text));
    }
    List<ToolCall> calls = m.toolCalls();
    for (int j = 0; j < calls.size(); j++) {
      ToolCall call = calls.get(j);
      blocks.add(new Wire.ToolUseBlock(call.id(), call.name(), jsonObject(call.arguments(), field + ".toolCalls[" + j + "].arguments")));
    }
    return blocks;
  }

  /**
   * {@code json} when it is one JSON object ({@code "{}"} when blank): Anthropic takes a tool
   * call's input as an object, and the text is embedded in the body as it is.
   */
  private static String jsonObject(String json, String field) {
    if (json.isBlank()) {
      return "{}";
    }
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
      if (parser.nextToken() == JsonToken.START_OBJECT) {
        parser.skipChildren();
        if (parser.nextToken() == null) {
          return json;
        }
      }
    } catch (IOException malformed) {
      // reported below
    }
    throw new InvalidRequestException(field, "must be a JSON object: Anthropic takes tool-call arguments as an object");
  }
}
