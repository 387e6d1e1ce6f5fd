package dev.aigw.providers.gemini;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.aigw.providers.internal.ErrorBody;
import dev.aigw.providers.internal.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Gemini v1beta wire format, as records bound by the shared mapper (nulls are not written,
 * unknown fields are ignored). Field names follow the API's OpenAPI description. JSON that aigw
 * passes through untouched (tool schemas, function arguments and results) is kept as raw JSON
 * text, checked once, and never parsed into a tree.
 */
final class GeminiWire {
  private GeminiWire() {}

  // ---------------------------------------------------------------- request

  /**
   * {@code GenerateContentRequest}. {@code extra} holds passthrough keys written at the top level
   * after the typed fields.
   */
  record GenerateContentRequest(
      @Nullable List<Content> contents,
      @Nullable Content systemInstruction,
      @Nullable List<Object> tools,
      @Nullable Object toolConfig,
      @Nullable GenerationConfig generationConfig,
      @JsonIgnore Map<String, Object> extra) {

    @JsonAnyGetter
    Map<String, Object> passthrough() {
      return extra;
    }
  }

  /** {@code Content}: a turn of the conversation; no role for the system instruction. */
  record Content(@Nullable String role, @Nullable List<Part> parts) {}

  /** {@code Part}: exactly one of the data fields is set. */
  record Part(
      @Nullable String text,
      @Nullable Blob inlineData,
      @Nullable FileData fileData,
      @Nullable FunctionCall functionCall,
      @Nullable FunctionResponse functionResponse,
      @Nullable Boolean thought,
      @Nullable String thoughtSignature) {

    static Part text(String text) {
      return new Part(text, null, null, null, null, null, null);
    }

    static Part inline(String mimeType, String base64) {
      return new Part(null, new Blob(mimeType, base64), null, null, null, null, null);
    }

    static Part file(String mimeType, String uri) {
      return new Part(null, null, new FileData(mimeType, uri), null, null, null, null);
    }

    static Part call(FunctionCall call, @Nullable String thoughtSignature) {
      return new Part(null, null, null, call, null, null, thoughtSignature);
    }

    static Part response(FunctionResponse response) {
      return new Part(null, null, null, null, response, null, null);
    }
  }

  /** {@code Blob}: inline bytes, base64. */
  record Blob(@Nullable String mimeType, @Nullable String data) {}

  /** {@code FileData}: a URI the service fetches. */
  record FileData(@Nullable String mimeType, @Nullable String fileUri) {}

  /**
   * {@code FunctionCall}. {@code args} is the JSON object as text: written raw (it was checked to
   * be a JSON object) and read back raw.
   */
  record FunctionCall(
      @Nullable String id,
      @Nullable String name,
      @JsonRawValue @JsonDeserialize(using = RawJson.class) @Nullable String args) {}

  /** {@code FunctionResponse}; {@code response} is a JSON object as text, written raw. */
  record FunctionResponse(@Nullable String id, String name, @JsonRawValue String response) {}

  /** {@code Tool} with function declarations only (other tools come through passthrough). */
  record Tool(List<FunctionDeclaration> functionDeclarations) {}

  /**
   * {@code FunctionDeclaration}. The schema goes to {@code parametersJsonSchema}, which takes
   * JSON Schema as it is ({@code parameters} takes only an OpenAPI subset).
   */
  record FunctionDeclaration(String name, String description, @JsonRawValue String parametersJsonSchema) {}

  /** {@code ToolConfig}. */
  record ToolConfig(FunctionCallingConfig functionCallingConfig) {}

  /** {@code FunctionCallingConfig}: mode AUTO, ANY or NONE. */
  record FunctionCallingConfig(String mode, @Nullable List<String> allowedFunctionNames) {}

  /**
   * {@code GenerationConfig}. {@code extra} holds passthrough keys (for example {@code
   * thinkingConfig}) written after the typed fields.
   */
  record GenerationConfig(
      @Nullable List<String> stopSequences,
      @Nullable Integer maxOutputTokens,
      @Nullable Double temperature,
      @Nullable Double topP,
      @Nullable Integer seed,
      @Nullable String responseMimeType,
      @JsonRawValue @Nullable String responseJsonSchema,
      @JsonIgnore Map<String, Object> extra) {

    @JsonAnyGetter
    Map<String, Object> passthrough() {
      return extra;
    }
  }

  /** {@code BatchEmbedContentsRequest}. */
  record BatchEmbedContentsRequest(List<EmbedContentRequest> requests) {}

  /**
   * {@code EmbedContentRequest}; {@code extra} (for example {@code taskType}) is written at its top
   * level, and a typed field is null when {@code extra} has the same key.
   */
  record EmbedContentRequest(
      @Nullable String model, @Nullable Content content, @Nullable Integer outputDimensionality,
      @JsonIgnore Map<String, Object> extra) {

    @JsonAnyGetter
    Map<String, Object> passthrough() {
      return extra;
    }
  }

  // --------------------------------------------------------------- response

  /**
   * {@code GenerateContentResponse}, one whole answer or one streamed chunk. {@code error} is set
   * when a stream carries an error object instead.
   */
  record GenerateContentResponse(
      @Nullable List<Candidate> candidates,
      @Nullable PromptFeedback promptFeedback,
      @Nullable UsageMetadata usageMetadata,
      @Nullable String modelVersion,
      @Nullable String responseId,
      ErrorBody.@Nullable Detail error) {}

  /** {@code Candidate}. */
  record Candidate(@Nullable Content content, @Nullable String finishReason, @Nullable Integer index) {}

  /** {@code PromptFeedback}. */
  record PromptFeedback(@Nullable String blockReason) {}

  /** {@code UsageMetadata}. */
  record UsageMetadata(
      @Nullable Long promptTokenCount,
      @Nullable Long cachedContentTokenCount,
      @Nullable Long candidatesTokenCount,
      @Nullable Long toolUsePromptTokenCount,
      @Nullable Long thoughtsTokenCount,
      @Nullable Long totalTokenCount) {}

  /** {@code BatchEmbedContentsResponse}. */
  record BatchEmbedContentsResponse(@Nullable List<ContentEmbedding> embeddings) {}

  /** {@code ContentEmbedding}. */
  record ContentEmbedding(float @Nullable [] values) {}

  /** Reads any JSON value as its text, by streaming copy (no tree). */
  static final class RawJson extends StdDeserializer<String> {
    private static final long serialVersionUID = 1L;

    RawJson() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      StringWriter out = new StringWriter();
      try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
        g.copyCurrentStructureExact(p);
      }
      return out.toString();
    }
  }
}
