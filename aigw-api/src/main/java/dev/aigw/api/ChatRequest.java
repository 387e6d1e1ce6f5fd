package dev.aigw.api;

import dev.aigw.api.internal.JsonValues;
import dev.aigw.api.internal.Require;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A chat completion request: the model (a route alias or {@code "provider/model"}), the
 * conversation, and the parameters that shape the answer. Immutable; build one with
 * {@link #builder()} or {@link #of(String, String)}, change one with {@link #toBuilder()}.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder()
 *     .model("chat")
 *     .system("You answer in one sentence.")
 *     .user("What is the capital of France?")
 *     .temperature(0.2)
 *     .maxOutputTokens(100)
 *     .build();
 * }</pre>
 *
 * <p>{@link #toString()} shows the shape of the request, never its content.
 */
public final class ChatRequest implements ModelRequest {
  private final String model;
  private final List<Message> messages;
  private final List<ToolSpec> tools;
  private final @Nullable ToolChoice toolChoice;
  private final ResponseFormat responseFormat;
  private final @Nullable Double temperature;
  private final @Nullable Double topP;
  private final @Nullable Integer maxOutputTokens;
  private final List<String> stop;
  private final @Nullable Long seed;
  private final Map<String, Object> extra;
  private final @Nullable PromptRef prompt;

  private ChatRequest(ChatRequest base, String model) {
    this.model = model;
    this.messages = base.messages;
    this.tools = base.tools;
    this.toolChoice = base.toolChoice;
    this.responseFormat = base.responseFormat;
    this.temperature = base.temperature;
    this.topP = base.topP;
    this.maxOutputTokens = base.maxOutputTokens;
    this.stop = base.stop;
    this.seed = base.seed;
    this.extra = base.extra;
    this.prompt = base.prompt;
  }

  private ChatRequest(Builder b) {
    this.model = b.model;
    this.messages = List.copyOf(b.messages);
    this.tools = List.copyOf(b.tools);
    this.toolChoice = b.toolChoice;
    this.responseFormat = b.responseFormat;
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.maxOutputTokens = b.maxOutputTokens;
    this.stop = List.copyOf(b.stop);
    this.seed = b.seed;
    this.extra = b.extra;
    this.prompt = b.prompt;
  }

  /**
   * {@return a request with one user message}
   *
   * @param model a route alias or {@code "provider/model"}
   * @param userText the user message's text
   */
  public static ChatRequest of(String model, String userText) {
    return builder().model(model).user(userText).build();
  }

  /**
   * {@return a new, empty builder} {@link Builder#model(String)} and at least one message are
   * required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * This request for another model, sharing everything else (cheaper than {@code
   * toBuilder().model(model).build()}; the router uses it for every attempt).
   *
   * @param model a route alias or {@code "provider/model"}
   * @return a copy of this request addressed to {@code model}
   */
  public ChatRequest withModel(String model) {
    return new ChatRequest(this, Require.nonBlank(model, "model"));
  }

  /** {@return a builder holding this request's values} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String model() {
    return model;
  }

  /** {@return the conversation, oldest first; never empty} */
  public List<Message> messages() {
    return messages;
  }

  /** {@return the tools the model may call} */
  public List<ToolSpec> tools() {
    return tools;
  }

  /** {@return whether and which tool the model must call; absent means the provider's default} */
  public Optional<ToolChoice> toolChoice() {
    return Optional.ofNullable(toolChoice);
  }

  /** {@return the shape of the answer; {@link ResponseFormat#text()} by default} */
  public ResponseFormat responseFormat() {
    return responseFormat;
  }

  /** {@return sampling temperature, 0.0 to 2.0} */
  public OptionalDouble temperature() {
    return temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature);
  }

  /**
   * Nucleus sampling probability mass, 0.0 to 1.0.
   *
   * @return nucleus sampling probability mass, 0.0 to 1.0, when set
   */
  public OptionalDouble topP() {
    return topP == null ? OptionalDouble.empty() : OptionalDouble.of(topP);
  }

  /** {@return the most tokens the answer may have} */
  public OptionalInt maxOutputTokens() {
    return maxOutputTokens == null ? OptionalInt.empty() : OptionalInt.of(maxOutputTokens);
  }

  /**
   * Sequences at which the model stops.
   *
   * @return sequences at which the model stops; empty when none are set
   */
  public List<String> stop() {
    return stop;
  }

  /** {@return seed for providers that support reproducible sampling} */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  @Override
  public Map<String, Object> extra() {
    return extra;
  }

  /**
   * {@return the prompt template this request was rendered from, when it was; it does not change
   * what the model sees (nor the cache key), only what is reported}
   */
  public Optional<PromptRef> prompt() {
    return Optional.ofNullable(prompt);
  }

  /** {@return the text of the last user message, or an empty string when there is none} */
  public String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == Role.USER) {
        return messages.get(i).text();
      }
    }
    return "";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatRequest r
        && model.equals(r.model)
        && messages.equals(r.messages)
        && tools.equals(r.tools)
        && Objects.equals(toolChoice, r.toolChoice)
        && responseFormat.equals(r.responseFormat)
        && Objects.equals(temperature, r.temperature)
        && Objects.equals(topP, r.topP)
        && Objects.equals(maxOutputTokens, r.maxOutputTokens)
        && stop.equals(r.stop)
        && Objects.equals(seed, r.seed)
        && extra.equals(r.extra)
        && Objects.equals(prompt, r.prompt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        model, messages, tools, toolChoice, responseFormat, temperature, topP, maxOutputTokens, stop, seed, extra, prompt);
  }

  /** The model, roles and parameters; never message content. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ChatRequest[model=").append(model).append(", messages=[");
    for (int i = 0; i < messages.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(messages.get(i).role());
    }
    sb.append(']');
    if (!tools.isEmpty()) {
      sb.append(", tools=").append(tools.stream().map(ToolSpec::name).toList());
    }
    if (toolChoice != null) {
      sb.append(", toolChoice=").append(toolChoice);
    }
    if (responseFormat.type() != ResponseFormat.Type.TEXT) {
      sb.append(", responseFormat=").append(responseFormat);
    }
    if (temperature != null) {
      sb.append(", temperature=").append(temperature);
    }
    if (topP != null) {
      sb.append(", topP=").append(topP);
    }
    if (maxOutputTokens != null) {
      sb.append(", maxOutputTokens=").append(maxOutputTokens);
    }
    if (!stop.isEmpty()) {
      sb.append(", stop=").append(stop.size());
    }
    if (seed != null) {
      sb.append(", seed=").append(seed);
    }
    if (!extra.isEmpty()) {
      sb.append(", extra=").append(extra.keySet());
    }
    if (prompt != null) {
      sb.append(", prompt=").append(prompt);
    }
    return sb.append(']').toString();
  }

  /**
   * Builds a {@link ChatRequest}. Each setter checks its argument at once and throws
   * {@link InvalidRequestException} naming the field; {@link #build()} checks the rules that span
   * fields.
   */
  public static final class Builder {
    private @Nullable String model;
    private final List<Message> messages = new ArrayList<>();
    private final List<ToolSpec> tools = new ArrayList<>();
    private @Nullable ToolChoice toolChoice;
    private ResponseFormat responseFormat = ResponseFormat.text();
    private @Nullable Double temperature;
    private @Nullable Double topP;
    private @Nullable Integer maxOutputTokens;
    private final List<String> stop = new ArrayList<>();
    private @Nullable Long seed;
    private Map<String, Object> extra = Map.of();
    private @Nullable PromptRef prompt;

    private Builder() {}

    private Builder(ChatRequest r) {
      model = r.model;
      messages.addAll(r.messages);
      tools.addAll(r.tools);
      toolChoice = r.toolChoice;
      responseFormat = r.responseFormat;
      temperature = r.temperature;
      topP = r.topP;
      maxOutputTokens = r.maxOutputTokens;
      stop.addAll(r.stop);
      seed = r.seed;
      extra = r.extra;
      prompt = r.prompt;
    }

    /**
     * The model: a route alias, or {@code "provider/model"} to address one target directly.
     *
     * @param model a route alias, or {@code "provider/model"}
     * @return this builder
     */
    public Builder model(String model) {
      this.model = Require.nonBlank(model, "model");
      return this;
    }

    /**
     * Appends a message.
     *
     * @param message the message
     * @return this builder
     */
    public Builder message(Message message) {
      messages.add(Require.nonNull(message, "messages[" + messages.size() + "]"));
      return this;
    }

    /**
     * Replaces the conversation with {@code messages}.
     *
     * @param messages the new conversation, oldest first
     * @return this builder
     */
    public Builder messages(List<Message> messages) {
      List<Message> copy = Require.elements(messages, "messages");
      this.messages.clear();
      this.messages.addAll(copy);
      return this;
    }

    /**
     * Appends a system message.
     *
     * @param text the system message's text
     * @return this builder
     */
    public Builder system(String text) {
      return message(Message.system(text));
    }

    /**
     * Appends a user message.
     *
     * @param text the user message's text
     * @return this builder
     */
    public Builder user(String text) {
      return message(Message.user(text));
    }

    /**
     * Appends a tool the model may call.
     *
     * @param tool a tool the model may call
     * @return this builder
     */
    public Builder tool(ToolSpec tool) {
      tools.add(Require.nonNull(tool, "tools[" + tools.size() + "]"));
      return this;
    }

    /**
     * Replaces the tools.
     *
     * @param tools the tools the model may call
     * @return this builder
     */
    public Builder tools(List<ToolSpec> tools) {
      List<ToolSpec> copy = Require.elements(tools, "tools");
      this.tools.clear();
      this.tools.addAll(copy);
      return this;
    }

    /**
     * Whether and which tool the model must call.
     *
     * @param toolChoice whether and which tool the model must call
     * @return this builder
     */
    public Builder toolChoice(ToolChoice toolChoice) {
      this.toolChoice = Require.nonNull(toolChoice, "toolChoice");
      return this;
    }

    /**
     * The shape of the answer.
     *
     * @param responseFormat the shape of the answer
     * @return this builder
     */
    public Builder responseFormat(ResponseFormat responseFormat) {
      this.responseFormat = Require.nonNull(responseFormat, "responseFormat");
      return this;
    }

    /**
     * Sampling temperature, 0.0 to 2.0.
     *
     * @param temperature sampling temperature, 0.0 to 2.0
     * @return this builder
     */
    public Builder temperature(double temperature) {
      this.temperature = Require.inRange(temperature, 0.0, 2.0, "temperature") + 0.0;
      return this;
    }

    /**
     * Nucleus sampling probability mass, 0.0 to 1.0.
     *
     * @param topP nucleus sampling probability mass, 0.0 to 1.0
     * @return this builder
     */
    public Builder topP(double topP) {
      this.topP = Require.inRange(topP, 0.0, 1.0, "topP") + 0.0;
      return this;
    }

    /**
     * The most tokens the answer may have; positive.
     *
     * @param maxOutputTokens the most tokens the answer may have; positive
     * @return this builder
     */
    public Builder maxOutputTokens(int maxOutputTokens) {
      this.maxOutputTokens = Require.positive(maxOutputTokens, "maxOutputTokens");
      return this;
    }

    /**
     * Sequences at which the model stops; each non-empty.
     *
     * @param stop sequences at which the model stops; each non-empty
     * @return this builder
     */
    public Builder stop(List<String> stop) {
      List<String> copy = Require.elements(stop, "stop");
      for (int i = 0; i < copy.size(); i++) {
        if (copy.get(i).isEmpty()) {
          throw new InvalidRequestException("stop[" + i + "]", "must not be empty");
        }
      }
      this.stop.clear();
      this.stop.addAll(copy);
      return this;
    }

    /**
     * Same as {@link #stop(List)}.
     *
     * @param stop sequences at which the model stops; each non-empty
     * @return this builder
     */
    public Builder stop(String... stop) {
      return stop(java.util.Arrays.asList(Require.nonNull(stop, "stop")));
    }

    /**
     * Seed for reproducible sampling.
     *
     * @param seed the seed of the random numbers
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Provider-specific options, merged into the provider's request body as they are (for
     * example {@code Map.of("logprobs", true)}). Values must be String, Number, Boolean, List or
     * Map; they are deep-copied.
     *
     * @param extra provider-specific options, merged into the provider's request body as they are
     *     (for example {@code Map.of("logprobs", true)})
     * @return this builder
     */
    public Builder extra(Map<String, ?> extra) {
      this.extra = JsonValues.copyObject(extra, "extra");
      return this;
    }

    /**
     * The prompt template the request was rendered from (set by {@code PromptTemplate}s), for
     * reporting.
     *
     * @param prompt the prompt template the request was rendered from (set by {@code
     *     PromptTemplate}s), for reporting
     * @return this builder
     */
    public Builder prompt(PromptRef prompt) {
      this.prompt = Require.nonNull(prompt, "prompt");
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the new {@code ChatRequest}
     * @throws InvalidRequestException when the model is unset, there is no message, tool names
     *     repeat, or the tool choice names a tool that is not among the tools
     */
    public ChatRequest build() {
      if (model == null) {
        throw new InvalidRequestException("model", "must be set");
      }
      if (messages.isEmpty()) {
        throw new InvalidRequestException("messages", "must hold at least one message");
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < tools.size(); i++) {
        if (!names.add(tools.get(i).name())) {
          throw new InvalidRequestException("tools[" + i + "].name", "'" + tools.get(i).name() + "' is declared twice");
        }
      }
      if (toolChoice != null) {
        ToolChoice.Mode mode = toolChoice.mode();
        if ((mode == ToolChoice.Mode.REQUIRED || mode == ToolChoice.Mode.TOOL) && tools.isEmpty()) {
          throw new InvalidRequestException("toolChoice", toolChoice + " needs at least one tool");
        }
        if (mode == ToolChoice.Mode.TOOL && !names.contains(toolChoice.toolName().orElseThrow())) {
          throw new InvalidRequestException(
              "toolChoice", "names tool '" + toolChoice.toolName().orElseThrow() + "', which is not among the tools " + names);
        }
      }
      return new ChatRequest(this);
    }
  }
}
