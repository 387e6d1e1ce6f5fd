package dev.aigw.providers.openai;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.aigw.providers.internal.ErrorBody;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The chat-completions and embeddings wire format, as records the shared mapper binds. */
final class OpenAiWire {
  private OpenAiWire() {}

  /** POST /chat/completions. Provider options from {@code extra} are written as top-level fields. */
  record ChatRequestBody(
      String model,
      List<MessageBody> messages,
      @Nullable List<ToolBody> tools,
      @JsonProperty("tool_choice") @Nullable Object toolChoice,
      @JsonProperty("response_format") @Nullable ResponseFormatBody responseFormat,
      @Nullable Double temperature,
      @JsonProperty("top_p") @Nullable Double topP,
      @JsonProperty("max_tokens") @Nullable Integer maxTokens,
      @JsonProperty("max_completion_tokens") @Nullable Integer maxCompletionTokens,
      @Nullable List<String> stop,
      @Nullable Long seed,
      @Nullable Boolean stream,
      @JsonProperty("stream_options") @Nullable StreamOptions streamOptions,
      @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extra) {

    @JsonAnyGetter
    Map<String, Object> extraFields() {
      return extra;
    }
  }

  record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {}

  /** {@code content} is a String, a list of {@link PartBody}, or null (assistant tool calls only). */
  record MessageBody(
      String role,
      @Nullable Object content,
      @JsonProperty("tool_calls") @Nullable List<ToolCallBody> toolCalls,
      @JsonProperty("tool_call_id") @Nullable String toolCallId) {}

  record PartBody(String type, @Nullable String text, @JsonProperty("image_url") @Nullable ImageUrl imageUrl) {}

  record ImageUrl(String url) {}

  record ToolCallBody(String id, String type, FunctionCallBody function) {}

  record FunctionCallBody(String name, String arguments) {}

  record ToolBody(String type, FunctionBody function) {}

  record FunctionBody(String name, @Nullable String description, @JsonRawValue String parameters) {}

  record NamedToolChoice(String type, NamedFunction function) {}

  record NamedFunction(String name) {}

  record ResponseFormatBody(String type, @JsonProperty("json_schema") @Nullable JsonSchemaBody jsonSchema) {}

  record JsonSchemaBody(String name, @JsonRawValue String schema, boolean strict) {}

  // ---- responses ----

  record ChatResponseBody(
      @Nullable String id, @Nullable String model, @Nullable List<Choice> choices, @Nullable UsageBody usage,
      ErrorBody.@Nullable Detail error) {}

  record Choice(int index, @Nullable AnswerMessage message, @JsonProperty("finish_reason") @Nullable String finishReason) {}

  record AnswerMessage(
      @Nullable String content,
      @Nullable String refusal,
      @JsonProperty("tool_calls") @Nullable List<AnswerToolCall> toolCalls,
      @JsonProperty("reasoning_content") @Nullable String reasoningContent,
      @Nullable String reasoning) {}

  record AnswerToolCall(@Nullable Integer index, @Nullable String id, @Nullable AnswerFunction function) {}

  record AnswerFunction(@Nullable String name, @Nullable String arguments) {}

  record UsageBody(
      @JsonProperty("prompt_tokens") long promptTokens,
      @JsonProperty("completion_tokens") long completionTokens,
      @JsonProperty("prompt_tokens_details") @Nullable PromptDetails promptDetails,
      @JsonProperty("completion_tokens_details") @Nullable CompletionDetails completionDetails) {}

  record PromptDetails(@JsonProperty("cached_tokens") @Nullable Long cachedTokens) {}

  record CompletionDetails(@JsonProperty("reasoning_tokens") @Nullable Long reasoningTokens) {}

  /** One streamed chunk: the same shape with {@code delta} in place of {@code message}. */
  record ChunkBody(
      @Nullable String id, @Nullable String model, @Nullable List<DeltaChoice> choices, @Nullable UsageBody usage,
      ErrorBody.@Nullable Detail error) {}

  record DeltaChoice(int index, @Nullable AnswerMessage delta, @JsonProperty("finish_reason") @Nullable String finishReason) {}

  // ---- embeddings ----

  record EmbeddingRequestBody(
      String model, List<String> input, @Nullable Integer dimensions,
      @JsonProperty("encoding_format") String encodingFormat,
      @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extra) {

    @JsonAnyGetter
    Map<String, Object> extraFields() {
      return extra;
    }
  }

  record EmbeddingResponseBody(@Nullable String model, @Nullable List<EmbeddingData> data, @Nullable UsageBody usage) {}

  record EmbeddingData(int index, float @Nullable [] embedding) {}
}
