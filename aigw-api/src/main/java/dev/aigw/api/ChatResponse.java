package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A model's answer to a {@link ChatRequest}: the assistant message (text and/or tool calls), any
 * reasoning text the provider exposed, why it stopped, the usage, and the gateway's
 * {@link ResponseMetadata}. Immutable.
 *
 * <p>{@link #toString()} shows the shape of the answer, never its content.
 */
public final class ChatResponse implements ModelResponse {
  private final String id;
  private final String model;
  private final Message message;
  private final String reasoning;
  private final FinishReason finishReason;
  private final @Nullable Usage usage;
  private final ResponseMetadata metadata;

  private ChatResponse(Builder b) {
    this.id = b.id;
    this.model = b.model;
    this.message = b.message;
    this.reasoning = b.reasoning;
    this.finishReason = b.finishReason;
    this.usage = b.usage;
    this.metadata = b.metadata;
  }

  /**
   * {@return a new builder} {@link Builder#id}, {@link Builder#model} and the content are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this response's values} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** {@return the provider's id for this response} */
  public String id() {
    return id;
  }

  @Override
  public String model() {
    return model;
  }

  /** {@return the assistant message} */
  public Message message() {
    return message;
  }

  /** {@return the text of the answer (empty when the model only called tools)} */
  public String text() {
    return message.text();
  }

  /** {@return the tools the model called, in order} */
  public List<ToolCall> toolCalls() {
    return message.toolCalls();
  }

  /** {@return reasoning text the provider exposed ("thinking"), or an empty string} */
  public String reasoning() {
    return reasoning;
  }

  /** {@return why the model stopped} */
  public FinishReason finishReason() {
    return finishReason;
  }

  @Override
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  @Override
  public ResponseMetadata metadata() {
    return metadata;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatResponse r
        && id.equals(r.id)
        && model.equals(r.model)
        && message.equals(r.message)
        && reasoning.equals(r.reasoning)
        && finishReason == r.finishReason
        && Objects.equals(usage, r.usage)
        && metadata.equals(r.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, model, message, reasoning, finishReason, usage, metadata);
  }

  /** Id, model, finish reason, usage and sizes; never content. */
  @Override
  public String toString() {
    return "ChatResponse[id=" + id + ", model=" + model + ", finishReason=" + finishReason
        + ", text=" + message.text().length() + " chars"
        + (message.toolCalls().isEmpty() ? "" : ", toolCalls=" + message.toolCalls())
        + ", usage=" + usage + ", " + metadata + "]";
  }

  /** Builds a {@link ChatResponse}; each setter checks its argument at once. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable String model;
    private Message message = Message.assistant("");
    private String reasoning = "";
    private FinishReason finishReason = FinishReason.STOP;
    private @Nullable Usage usage;
    private ResponseMetadata metadata = ResponseMetadata.empty();

    private Builder() {}

    private Builder(ChatResponse r) {
      id = r.id;
      model = r.model;
      message = r.message;
      reasoning = r.reasoning;
      finishReason = r.finishReason;
      usage = r.usage;
      metadata = r.metadata;
    }

    /**
     * The provider's response id.
     *
     * @param id the provider's response id
     * @return this builder
     */
    public Builder id(String id) {
      this.id = Require.nonBlank(id, "response.id");
      return this;
    }

    /**
     * The model that served the call.
     *
     * @param model the model that served the call
     * @return this builder
     */
    public Builder model(String model) {
      this.model = Require.nonBlank(model, "response.model");
      return this;
    }

    /**
     * The assistant message; its role must be {@link Role#ASSISTANT}.
     *
     * @param message the assistant message; its role must be {@link Role#ASSISTANT}
     * @return this builder
     */
    public Builder message(Message message) {
      if (Require.nonNull(message, "response.message").role() != Role.ASSISTANT) {
        throw new InvalidRequestException("response.message", "must be an ASSISTANT message, was " + message.role());
      }
      this.message = message;
      return this;
    }

    /**
     * Shorthand for an assistant message with only {@code text}.
     *
     * @param text the answer's text
     * @return this builder
     */
    public Builder text(String text) {
      return message(Message.assistant(text));
    }

    /**
     * Reasoning text the provider exposed.
     *
     * @param reasoning reasoning text the provider exposed
     * @return this builder
     */
    public Builder reasoning(String reasoning) {
      this.reasoning = Require.nonNull(reasoning, "response.reasoning");
      return this;
    }

    /**
     * Why the model stopped; {@link FinishReason#STOP} by default.
     *
     * @param finishReason why the model stopped; {@link FinishReason#STOP} by default
     * @return this builder
     */
    public Builder finishReason(FinishReason finishReason) {
      this.finishReason = Require.nonNull(finishReason, "response.finishReason");
      return this;
    }

    /**
     * The usage the provider reported.
     *
     * @param usage the usage the provider reported
     * @return this builder
     */
    public Builder usage(Usage usage) {
      this.usage = Require.nonNull(usage, "response.usage");
      return this;
    }

    /**
     * The gateway's metadata.
     *
     * @param metadata the gateway's metadata
     * @return this builder
     */
    public Builder metadata(ResponseMetadata metadata) {
      this.metadata = Require.nonNull(metadata, "response.metadata");
      return this;
    }

    /**
     * @return the new {@code ChatResponse}
     * @throws InvalidRequestException when the id or model is unset
     */
    public ChatResponse build() {
      if (id == null) {
        throw new InvalidRequestException("response.id", "must be set");
      }
      if (model == null) {
        throw new InvalidRequestException("response.model", "must be set");
      }
      return new ChatResponse(this);
    }
  }
}
