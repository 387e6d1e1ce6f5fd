package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Embeddings returned for an {@link EmbeddingRequest}, one per input, in input order. Immutable. */
public final class EmbeddingResponse implements ModelResponse {
  private final String model;
  private final List<Embedding> embeddings;
  private final @Nullable Usage usage;
  private final ResponseMetadata metadata;

  /**
   * @param model the model that served the call
   * @param embeddings one per input, in order
   * @param usage the usage, or null when the provider reported none
   * @param metadata the gateway's metadata
   */
  public EmbeddingResponse(String model, List<Embedding> embeddings, @Nullable Usage usage, ResponseMetadata metadata) {
    this.model = Require.nonBlank(model, "response.model");
    this.embeddings = Require.elements(embeddings, "response.embeddings");
    this.usage = usage;
    this.metadata = Require.nonNull(metadata, "response.metadata");
  }

  @Override
  public String model() {
    return model;
  }

  /** {@return the embeddings, one per input, in input order} */
  public List<Embedding> embeddings() {
    return embeddings;
  }

  @Override
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  @Override
  public ResponseMetadata metadata() {
    return metadata;
  }

  /**
   * {@return a copy with other metadata}
   *
   * @param metadata the new metadata
   */
  public EmbeddingResponse withMetadata(ResponseMetadata metadata) {
    return new EmbeddingResponse(model, embeddings, usage, metadata);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmbeddingResponse r
        && model.equals(r.model)
        && embeddings.equals(r.embeddings)
        && Objects.equals(usage, r.usage)
        && metadata.equals(r.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(model, embeddings, usage, metadata);
  }

  @Override
  public String toString() {
    return "EmbeddingResponse[model=" + model + ", embeddings=" + embeddings.size() + ", usage=" + usage + "]";
  }
}
