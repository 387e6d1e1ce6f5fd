package dev.aigw.api;

import java.util.Optional;

/** A model's answer: a {@link ChatResponse} or an {@link EmbeddingResponse}. */
public sealed interface ModelResponse permits ChatResponse, EmbeddingResponse {
  /** {@return the model that served the call, as the provider named it} */
  String model();

  /** {@return token usage, when the provider reported it (never a made-up zero)} */
  Optional<Usage> usage();

  /** {@return what the gateway did to serve the call} */
  ResponseMetadata metadata();
}
