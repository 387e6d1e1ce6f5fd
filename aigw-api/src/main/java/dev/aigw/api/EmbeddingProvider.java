package dev.aigw.api;

/**
 * A provider of embeddings. The same contract as {@link ChatProvider}: the request carries the
 * provider's own model name, and the context's cancellation token must be honoured.
 */
public interface EmbeddingProvider extends Provider {
  /**
   * Embeds the request's inputs.
   *
   * @param request the request, addressed to one of this provider's models
   * @param context the call's context: deadline, cancellation and attributes
   * @return one embedding per input, in input order
   * @throws ProviderException when the provider fails
   */
  EmbeddingResponse embed(EmbeddingRequest request, CallContext context);
}
