package dev.aigw.api;

/** Whether, and how, a response came from the gateway's response cache. */
public enum CacheStatus {
  /** No cache took part in the call. */
  NONE,
  /** The response was served from the exact cache; no provider was called. */
  HIT,
  /**
   * The response was served from the semantic cache (a similar earlier request); no provider was
   * called. {@link ResponseMetadata#cacheSimilarity()} holds the similarity.
   */
  SEMANTIC_HIT,
  /** The cache was consulted and missed; the provider was called. */
  MISS,
  /** The call's {@link CachePolicy} skipped reading ({@link CachePolicy#REFRESH}); the provider was called and the entry overwritten. */
  REFRESH,
  /** The call's {@link CachePolicy} skipped the cache, or the request is not cacheable (for example not deterministic). */
  BYPASS
}
