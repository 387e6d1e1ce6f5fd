package dev.aigw.api;

/** Whether a response came from the gateway's response cache. */
public enum CacheStatus {
  /** No cache took part in the call. */
  NONE,
  /** The response was served from the cache; no provider was called. */
  HIT,
  /** The cache was consulted and missed; the provider was called. */
  MISS,
  /** The call's {@link CachePolicy} skipped the cache. */
  BYPASS
}
