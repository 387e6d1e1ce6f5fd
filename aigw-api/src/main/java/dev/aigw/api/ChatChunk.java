package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One delta of a streamed answer: a piece of text, of reasoning, tool-call fragments, and on the
 * last chunks the finish reason and usage. Any field may be empty. Immutable.
 */
public final class ChatChunk {
  private final @Nullable String id;
  private final @Nullable String model;
  private final String text;
  private final String reasoning;
  private final List<ToolCallDelta> toolCalls;
  private final @Nullable FinishReason finishReason;
  private final @Nullable Usage usage;

  private ChatChunk(Builder b) {
    this.id = b.id;
    this.model = b.model;
    this.text = b.text;
    this.reasoning = b.reasoning;
    this.toolCalls = b.toolCalls;
    this.finishReason = b.finishReason;
    this.usage = b.usage;
  }

  /**
   * {@return a chunk with only text}
   *
   * @param text the chunk's text
   */
  public static ChatChunk text(String text) {
    return builder().text(text).build();
  }

  /** {@return a new builder (every field empty)} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this chunk's values} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** {@return the response id, usually on the first chunk} */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** {@return the serving model, usually on the first chunk} */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /** {@return the next piece of the answer's text; empty when this chunk carries none} */
  public String text() {
    return text;
  }

  /** {@return the next piece of reasoning text; empty when this chunk carries none} */
  public String reasoning() {
    return reasoning;
  }

  /** {@return tool-call fragments in this chunk} */
  public List<ToolCallDelta> toolCalls() {
    return toolCalls;
  }

  /** {@return why the model stopped, on the chunk that ends the answer} */
  public Optional<FinishReason> finishReason() {
    return Optional.ofNullable(finishReason);
  }

  /** {@return the call's usage, on the chunk that reports it (usually the last)} */
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatChunk c
        && Objects.equals(id, c.id)
        && Objects.equals(model, c.model)
        && text.equals(c.text)
        && reasoning.equals(c.reasoning)
        && toolCalls.equals(c.toolCalls)
        && finishReason == c.finishReason
        && Objects.equals(usage, c.usage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, model, text, reasoning, toolCalls, finishReason, usage);
  }

  /** Sizes and metadata only; never content. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ChatChunk[");
    if (!text.isEmpty()) {
      sb.append("text=").append(text.length()).append(" chars ");
    }
    if (!reasoning.isEmpty()) {
      sb.append("reasoning=").append(reasoning.length()).append(" chars ");
    }
    if (!toolCalls.isEmpty()) {
      sb.append("toolCalls=").append(toolCalls).append(' ');
    }
    if (finishReason != null) {
      sb.append("finishReason=").append(finishReason).append(' ');
    }
    if (usage != null) {
      sb.append("usage=").append(usage);
    }
    return sb.toString().strip() + "]";
  }

  /** Builds a {@link ChatChunk}. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable String model;
    private String text = "";
    private String reasoning = "";
    private List<ToolCallDelta> toolCalls = List.of();
    private @Nullable FinishReason finishReason;
    private @Nullable Usage usage;

    private Builder() {}

    private Builder(ChatChunk c) {
      id = c.id;
      model = c.model;
      text = c.text;
      reasoning = c.reasoning;
      toolCalls = c.toolCalls;
      finishReason = c.finishReason;
      usage = c.usage;
    }

    /**
     * The response id.
     *
     * @param id the response id
     * @return this builder
     */
    public Builder id(String id) {
      this.id = Require.nonBlank(id, "chunk.id");
      return this;
    }

    /**
     * The serving model.
     *
     * @param model the serving model
     * @return this builder
     */
    public Builder model(String model) {
      this.model = Require.nonBlank(model, "chunk.model");
      return this;
    }

    /**
     * The next piece of text.
     *
     * @param text the next piece of text
     * @return this builder
     */
    public Builder text(String text) {
      this.text = Require.nonNull(text, "chunk.text");
      return this;
    }

    /**
     * The next piece of reasoning text.
     *
     * @param reasoning the next piece of reasoning text
     * @return this builder
     */
    public Builder reasoning(String reasoning) {
      this.reasoning = Require.nonNull(reasoning, "chunk.reasoning");
      return this;
    }

    /**
     * Tool-call fragments.
     *
     * @param toolCalls tool-call fragments
     * @return this builder
     */
    public Builder toolCalls(List<ToolCallDelta> toolCalls) {
      this.toolCalls = Require.elements(toolCalls, "chunk.toolCalls");
      return this;
    }

    /**
     * Why the model stopped.
     *
     * @param finishReason why the model stopped
     * @return this builder
     */
    public Builder finishReason(FinishReason finishReason) {
      this.finishReason = Require.nonNull(finishReason, "chunk.finishReason");
      return this;
    }

    /**
     * The call's usage.
     *
     * @param usage the call's usage
     * @return this builder
     */
    public Builder usage(Usage usage) {
      this.usage = Require.nonNull(usage, "chunk.usage");
      return this;
    }

    /**
     * Builds the chunk.
     *
     * @return the new {@code ChatChunk}
     */
    public ChatChunk build() {
      return new ChatChunk(this);
    }
  }
}
