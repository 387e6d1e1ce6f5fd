package dev.aigw.api;

import dev.aigw.api.internal.JsonValues;
import dev.aigw.api.internal.Require;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/** A request for embeddings of one or more texts. Immutable; build with {@link #builder()} or {@link #of}. */
public final class EmbeddingRequest implements ModelRequest {
  private final String model;
  private final List<String> inputs;
  private final @Nullable Integer dimensions;
  private final Map<String, Object> extra;

  private EmbeddingRequest(Builder b) {
    this.model = b.model;
    this.inputs = b.inputs;
    this.dimensions = b.dimensions;
    this.extra = b.extra;
  }

  /**
   * Embeddings of {@code inputs} from {@code model}.
   *
   * @param model a route alias or {@code "provider/model"}
   * @param inputs the texts to embed; at least one
   * @return a request for embeddings of {@code inputs} from {@code model}
   */
  public static EmbeddingRequest of(String model, String... inputs) {
    return builder().model(model).inputs(java.util.Arrays.asList(Require.nonNull(inputs, "inputs"))).build();
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String model() {
    return model;
  }

  /** {@return the texts to embed, in order; never empty} */
  public List<String> inputs() {
    return inputs;
  }

  /** {@return the number of dimensions asked for, for models that can shorten their vectors} */
  public OptionalInt dimensions() {
    return dimensions == null ? OptionalInt.empty() : OptionalInt.of(dimensions);
  }

  @Override
  public Map<String, Object> extra() {
    return extra;
  }

  /**
   * {@return a copy for another model (used by the router to address a concrete target)}
   *
   * @param model the concrete model name
   */
  public EmbeddingRequest withModel(String model) {
    Builder b = new Builder();
    b.model = Require.nonBlank(model, "model");
    b.inputs = inputs;
    b.dimensions = dimensions;
    b.extra = extra;
    return new EmbeddingRequest(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmbeddingRequest r
        && model.equals(r.model)
        && inputs.equals(r.inputs)
        && Objects.equals(dimensions, r.dimensions)
        && extra.equals(r.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(model, inputs, dimensions, extra);
  }

  /** The model and input count; never the texts. */
  @Override
  public String toString() {
    return "EmbeddingRequest[model=" + model + ", inputs=" + inputs.size()
        + (dimensions == null ? "" : ", dimensions=" + dimensions) + "]";
  }

  /** Builds an {@link EmbeddingRequest}. */
  public static final class Builder {
    private @Nullable String model;
    private List<String> inputs = List.of();
    private @Nullable Integer dimensions;
    private Map<String, Object> extra = Map.of();

    private Builder() {}

    /**
     * The model: a route alias or {@code "provider/model"}.
     *
     * @param model a route alias or {@code "provider/model"}
     * @return this builder
     */
    public Builder model(String model) {
      this.model = Require.nonBlank(model, "model");
      return this;
    }

    /**
     * The texts to embed; at least one.
     *
     * @param inputs the texts to embed; at least one
     * @return this builder
     */
    public Builder inputs(List<String> inputs) {
      List<String> copy = Require.elements(inputs, "inputs");
      if (copy.isEmpty()) {
        throw new InvalidRequestException("inputs", "must hold at least one text");
      }
      this.inputs = copy;
      return this;
    }

    /**
     * The number of dimensions; positive.
     *
     * @param dimensions the number of dimensions; positive
     * @return this builder
     */
    public Builder dimensions(int dimensions) {
      this.dimensions = Require.positive(dimensions, "dimensions");
      return this;
    }

    /**
     * Provider-specific options passed through unchanged.
     *
     * @param extra provider-specific options passed through unchanged
     * @return this builder
     */
    public Builder extra(Map<String, ?> extra) {
      this.extra = JsonValues.copyObject(extra, "extra");
      return this;
    }

    /**
     * @return the new {@code EmbeddingRequest}
     * @throws InvalidRequestException when the model or inputs are unset
     */
    public EmbeddingRequest build() {
      if (model == null) {
        throw new InvalidRequestException("model", "must be set");
      }
      if (inputs.isEmpty()) {
        throw new InvalidRequestException("inputs", "must hold at least one text");
      }
      return new EmbeddingRequest(this);
    }
  }
}
