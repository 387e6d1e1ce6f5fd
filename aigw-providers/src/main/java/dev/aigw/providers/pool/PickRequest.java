package dev.aigw.providers.pool;

/**
 * One request being routed, as a {@link Picker} sees it. Implemented by the pool.
 */
public interface PickRequest {
  /** {@return the model (or LoRA adapter) the request is for} */
  String model();

  /**
   * {@return the prompt as the server will see it, for prefix affinity: the request's messages
   * rendered in order (role and content), so that requests sharing a system prompt and history
   * share a prefix} Computed once per request.
   */
  CharSequence promptText();

  /**
   * {@return the cache salt that keeps tenants' prefixes apart (vLLM's {@code cache_salt}), or
   * empty: the same prompt under different salts never shares cached blocks}
   */
  String cacheSalt();
}
