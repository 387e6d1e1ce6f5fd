package dev.aigw.api;

import java.util.Map;

/** A request to a model: a {@link ChatRequest} or an {@link EmbeddingRequest}. */
public sealed interface ModelRequest permits ChatRequest, EmbeddingRequest {
  /**
   * {@return the model to call: a route alias, or {@code "provider/model"} to address one target
   * directly}
   */
  String model();

  /** {@return provider-specific options passed through to the provider's request body unchanged} */
  Map<String, Object> extra();
}
