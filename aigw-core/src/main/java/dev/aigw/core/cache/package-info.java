/**
 * The response cache's exact-match layer: {@link dev.aigw.core.cache.CacheKeys} computes a
 * {@link dev.aigw.core.cache.CacheKey} (a partition and the SHA-256 of the canonical request),
 * a {@link dev.aigw.core.cache.CacheStore} holds {@link dev.aigw.core.cache.CachedResponse}s
 * under such keys with a time to live, and {@link dev.aigw.core.cache.InMemoryCacheStore} is the
 * store in the heap (Caffeine, bounded by bytes, on the gateway's clock).
 *
 * <p>A {@link dev.aigw.core.cache.CachedResponse} holds one complete answer, as a stream's chunks
 * or as a blocking response, and converts to either form, so an answer cached from a stream can
 * serve a blocking call and the other way round.
 *
 * <p>Keys are computed after input guardrails, from the request as it will be sent; they hold
 * only the hash, never request text.
 */
@NullMarked
package dev.aigw.core.cache;

import org.jspecify.annotations.NullMarked;
