package dev.aigw.providers.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ContentPart;
import dev.aigw.api.InvalidRequestException;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.Role;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolChoice;
import dev.aigw.api.ToolSpec;
import dev.aigw.api.internal.JsonSyntax;
import dev.aigw.providers.gemini.GeminiWire.Content;
import dev.aigw.providers.gemini.GeminiWire.FunctionCall;
import dev.aigw.providers.gemini.GeminiWire.FunctionCallingConfig;
import dev.aigw.providers.gemini.GeminiWire.FunctionDeclaration;
import dev.aigw.providers.gemini.GeminiWire.FunctionResponse;
import dev.aigw.providers.gemini.GeminiWire.GenerateContentRequest;
import dev.aigw.providers.gemini.GeminiWire.GenerationConfig;
import dev.aigw.providers.gemini.GeminiWire.Part;
import dev.aigw.providers.gemini.GeminiWire.Tool;
import dev.aigw.providers.gemini.GeminiWire.ToolConfig;
import dev.aigw.providers.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Maps a {@link ChatRequest} to Gemini's {@code GenerateContentRequest}. Stateless apart from the signature memory. */
final class GeminiRequests {
  /** Keys of {@code generationConfig} that hold the output schema; Gemini takes at most one. */
  private static final Set<String> SCHEMA_KEYS = Set.of("responseJsonSchema", "responseSchema", "_responseJsonSchema");

  private GeminiRequests() {}

  /**
   * The request body for {@code request}.
   *
   * @param model the model name as it goes in the URL (decides whether thought signatures are required)
   * @throws InvalidRequestException when the conversation cannot be expressed for Gemini (a tool
   *     result answering no earlier call, tool-call arguments that are not a JSON object, a
   *     passthrough value of the wrong shape)
   */
  static GenerateContentRequest chat(ChatRequest request, String model, ThoughtSignatures signatures) {
    List<Part> system = new ArrayList<>();
    List<Content> contents = new ArrayList<>();
    List<Part> toolResults = new ArrayList<>();
    List<Message> messages = request.messages();
    boolean signaturesRequired = ThoughtSignatures.required(model);
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (m.role() == Role.TOOL) {
        toolResults.add(toolResult(messages, i));
        continue;
      }
      if (m.role() == Role.SYSTEM) {
        // Gemini has one system instruction: system messages anywhere in the conversation go there, in order.
        String text = m.text();
        if (!text.isEmpty()) {
          system.add(Part.text(text));
        }
        continue;
      }
      flushToolResults(contents, toolResults);
      List<Part> parts = m.role() == Role.USER ? userParts(m) : modelParts(m, i, signatures, signaturesRequired);
      if (!parts.isEmpty()) {
        contents.add(new Content(m.role() == Role.USER ? "user" : "model", parts));
      }
    }
    flushToolResults(contents, toolResults);
    if (contents.isEmpty()) {
      throw new InvalidRequestException("messages", "Gemini needs at least one non-empty user, assistant or tool message besides system messages");
    }

    List<Object> tools = null;
    if (!request.tools().isEmpty()) {
      List<FunctionDeclaration> declarations = new ArrayList<>(request.tools().size());
      for (ToolSpec tool : request.tools()) {
        declarations.add(new FunctionDeclaration(tool.name(), tool.description(), tool.parametersSchema()));
      }
      tools = new ArrayList<>(List.of(new Tool(declarations)));
    }
    Object toolConfig = request.toolChoice().map(GeminiRequests::toolConfig).orElse(null);

    Map<String, Object> extra = new LinkedHashMap<>(request.extra());
    Object extraGeneration = extra.remove("generationConfig");
    Object extraTools = extra.remove("tools");
    if (extraTools != null) {
      if (!(extraTools instanceof List<?> list)) {
        throw new InvalidRequestException("extra.tools", "must be a list of Gemini Tool objects");
      }
      if (tools == null) {
        tools = new ArrayList<>();
      }
      tools.addAll(list);
    }
    GenerationConfig generation = generationConfig(request, extraGeneration);
    // Any other passthrough key replaces the field aigw would have written.
    return new GenerateContentRequest(
        extra.containsKey("contents") ? null : contents,
        extra.containsKey("systemInstruction") || system.isEmpty() ? null : new Content(null, system),
        tools,
        extra.containsKey("toolConfig") ? null : toolConfig,
        generation,
        extra);
  }

  private static void flushToolResults(List<Content> contents, List<Part> toolResults) {
    if (!toolResults.isEmpty()) {
      contents.add(new Content("user", List.copyOf(toolResults)));
      toolResults.clear();
    }
  }

  private static List<Part> userParts(Message m) {
    List<Part> parts = new ArrayList<>(m.content().size());
    for (ContentPart part : m.content()) {
      if (part instanceof ContentPart.Text t) {
        if (!t.text().isEmpty()) {
          parts.add(Part.text(t.text()));
        }
      } else if (part instanceof ContentPart.Image image) {
        parts.add(image(image));
      }
    }
    return parts;
  }

  private static Part image(ContentPart.Image image) {
    if (image.bytes().isPresent()) {
      return Part.inline(image.mediaType().orElse("image/jpeg"), Base64.getEncoder().encodeToString(image.bytes().get()));
    }
    String url = image.url().orElseThrow();
    if (url.regionMatches(true, 0, "data:", 0, 5)) {
      return dataUrl(url);
    }
    return Part.file(guessImageType(url), url);
  }

  /** A {@code data:} URL becomes inline data: Gemini does not fetch {@code data:} URIs. */
  private static Part dataUrl(String url) {
    int comma = url.indexOf(',');
    if (comma < 0) {
      throw new InvalidRequestException("image.url", "is a data: URL without a comma");
    }
    String meta = url.substring(5, comma);
    String payload = url.substring(comma + 1);
    boolean base64 = meta.toLowerCase(Locale.ROOT).endsWith(";base64");
    String mimeType = (base64 ? meta.substring(0, meta.length() - 7) : meta).split(";", 2)[0].trim();
    if (mimeType.isEmpty()) {
      mimeType = "image/jpeg";
    }
    String data = base64 ? payload : Base64.getEncoder().encodeToString(percentDecode(payload));
    return Part.inline(mimeType, data);
  }

  /** The bytes of a percent-encoded data: URL payload ({@code +} is not a space there). */
  private static byte[] percentDecode(String payload) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(payload.length());
    for (int i = 0; i < payload.length(); i++) {
      char c = payload.charAt(i);
      if (c == '%' && i + 2 < payload.length()
          && Character.digit(payload.charAt(i + 1), 16) >= 0 && Character.digit(payload.charAt(i + 2), 16) >= 0) {
        out.write(Character.digit(payload.charAt(i + 1), 16) * 16 + Character.digit(payload.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toByteArray();
  }

  /** The image type from the URL's path extension; {@code image/jpeg} when it says nothing. */
  static String guessImageType(String url) {
    String path = url;
    int cut = indexOfAny(path, '?', '#');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    int dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/')) {
      return "image/jpeg";
    }
    return switch (path.substring(dot + 1).toLowerCase(Locale.ROOT)) {
      case "png" -> "image/png";
      case "webp" -> "image/webp";
      case "gif" -> "image/gif";
      case "heic" -> "image/heic";
      case "heif" -> "image/heif";
      case "bmp" -> "image/bmp";
      default -> "image/jpeg";
    };
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }

  private static List<Part> modelParts(Message m, int index, ThoughtSignatures signatures, boolean signaturesRequired) {
    List<Part> parts = new ArrayList<>(m.content().size() + m.toolCalls().size());
    for (ContentPart part : m.content()) {
      if (part instanceof ContentPart.Text t && !t.text().isEmpty()) {
        parts.add(Part.text(t.text()));
      }
    }
    List<ToolCall> calls = m.toolCalls();
    String[] known = new String[calls.size()];
    boolean anyKnown = false;
    for (int j = 0; j < calls.size(); j++) {
      ToolCall call = calls.get(j);
      known[j] = signatures.recall(call.id(), call.name(), call.arguments());
      anyKnown |= known[j] != null;
    }
    for (int j = 0; j < calls.size(); j++) {
      ToolCall call = calls.get(j);
      String args = call.arguments().isBlank()
          ? "{}"
          : JsonSyntax.requireObject(call.arguments(), "messages[" + index + "].toolCalls[" + j + "].arguments");
      // Gemini signs only the first call of a parallel turn; a turn with no known signature gets
      // the placeholder on its first call, where the validator looks.
      String signature = anyKnown ? known[j] : signaturesRequired && j == 0 ? ThoughtSignatures.SKIP_VALIDATOR : null;
      parts.add(Part.call(new FunctionCall(call.id(), call.name(), args), signature));
    }
    return parts;
  }

  private static Part toolResult(List<Message> messages, int index) {
    Message m = messages.get(index);
    String id = m.toolCallId().orElseThrow();
    String name = toolName(messages, index, id);
    String text = m.text();
    return Part.response(new FunctionResponse(id, name, isJsonObject(text) ? text : wrap(text)));
  }

  /** The name of the tool the nearest earlier assistant message called with {@code id}. */
  private static String toolName(List<Message> messages, int index, String id) {
    for (int i = index - 1; i >= 0; i--) {
      Message earlier = messages.get(i);
      if (earlier.role() == Role.ASSISTANT) {
        for (ToolCall call : earlier.toolCalls()) {
          if (call.id().equals(id)) {
            return call.name();
          }
        }
      }
    }
    throw new InvalidRequestException(
        "messages[" + index + "].toolCallId",
        "'" + id + "' answers no tool call of an earlier assistant message; Gemini needs the tool's name");
  }

  private static boolean isJsonObject(String text) {
    int i = 0;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    if (i == text.length() || text.charAt(i) != '{') {
      return false;
    }
    try {
      JsonSyntax.requireObject(text, "result");
      return true;
    } catch (InvalidRequestException notAnObject) {
      return false;
    }
  }

  /** {@code {"result": text}}: Gemini's function response must be a JSON object. */
  private static String wrap(String text) {
    try {
      return "{\"result\":" + Json.MAPPER.writeValueAsString(text) + "}";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON string", e);
    }
  }

  private static ToolConfig toolConfig(ToolChoice choice) {
    return new ToolConfig(switch (choice.mode()) {
      case AUTO -> new FunctionCallingConfig("AUTO", null);
      case NONE -> new FunctionCallingConfig("NONE", null);
      case REQUIRED -> new FunctionCallingConfig("ANY", null);
      case TOOL -> new FunctionCallingConfig("ANY", List.of(choice.toolName().orElseThrow()));
    });
  }

  private static @Nullable GenerationConfig generationConfig(ChatRequest request, @Nullable Object extraValue) {
    Map<String, Object> extra;
    if (extraValue == null) {
      extra = Map.of();
    } else if (extraValue instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) map;
      extra = typed;
    } else {
      throw new InvalidRequestException("extra.generationConfig", "must be an object (a Map) of Gemini GenerationConfig fields");
    }
    ResponseFormat format = request.responseFormat();
    String mimeType = format.type() == ResponseFormat.Type.TEXT ? null : "application/json";
    String schema = format.type() == ResponseFormat.Type.JSON_SCHEMA ? format.schema().orElseThrow() : null;
    boolean extraSchema = extra.keySet().stream().anyMatch(SCHEMA_KEYS::contains);
    // A passthrough value replaces the one aigw derives from the request.
    GenerationConfig config = new GenerationConfig(
        extra.containsKey("stopSequences") || request.stop().isEmpty() ? null : request.stop(),
        extra.containsKey("maxOutputTokens") ? null : boxed(request.maxOutputTokens()),
        extra.containsKey("temperature") ? null : boxed(request.temperature()),
        extra.containsKey("topP") ? null : boxed(request.topP()),
        extra.containsKey("seed") ? null : seed(request),
        extra.containsKey("responseMimeType") ? null : mimeType,
        extraSchema ? null : schema,
        extra);
    boolean empty = config.stopSequences() == null && config.maxOutputTokens() == null && config.temperature() == null
        && config.topP() == null && config.seed() == null && config.responseMimeType() == null
        && config.responseJsonSchema() == null && extra.isEmpty();
    return empty ? null : config;
  }

  /**
   * Gemini's seed is 32 bits. A seed outside that range is folded (high half XOR low half), so
   * the same request seed still gives the same Gemini seed.
   */
  private static @Nullable Integer seed(ChatRequest request) {
    if (request.seed().isEmpty()) {
      return null;
    }
    long seed = request.seed().getAsLong();
    return seed == (int) seed ? (int) seed : (int) (seed ^ (seed >>> 32));
  }

  private static @Nullable Integer boxed(java.util.OptionalInt value) {
    return value.isPresent() ? value.getAsInt() : null;
  }

  private static @Nullable Double boxed(java.util.OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }
}
