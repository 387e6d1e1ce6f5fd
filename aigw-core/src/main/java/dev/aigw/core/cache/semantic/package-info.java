/**
 * Building blocks of the semantic cache, which answers a question asked again in other words:
 * {@link dev.aigw.core.cache.semantic.VectorIndex} (nearest-neighbour search over embeddings,
 * partitioned like the exact cache) with {@link dev.aigw.core.cache.semantic.InMemoryVectorIndex},
 * {@link dev.aigw.core.cache.semantic.MiniLmEmbeddings} (an in-process embedding model, an
 * optional dependency) and {@link dev.aigw.core.cache.semantic.LexicalGuard} (a veto for the
 * near-identical questions that embeddings cannot tell apart).
 *
 * <p>A hit is a stored question whose embedding has cosine similarity at least {@link
 * dev.aigw.core.cache.semantic.MiniLmEmbeddings#DEFAULT_MIN_SIMILARITY} with the new one's and
 * that {@link dev.aigw.core.cache.semantic.LexicalGuard#sameQuestion} accepts; the figures behind
 * that rule are on {@link dev.aigw.core.cache.semantic.MiniLmEmbeddings}.
 */
@NullMarked
package dev.aigw.core.cache.semantic;

import org.jspecify.annotations.NullMarked;
