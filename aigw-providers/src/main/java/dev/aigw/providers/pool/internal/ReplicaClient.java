package dev.aigw.providers.pool.internal;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** How the pool talks to one replica, whatever its protocol. */
public interface ReplicaClient extends AutoCloseable {
  /** A blocking chat call. */
  ChatResponse chat(ChatRequest request, CallContext context);

  /** A streaming chat call; returns once the replica answered (its first event may still be pending). */
  ChatStream stream(ChatRequest request, CallContext context);

  /** An embeddings call. */
  EmbeddingResponse embed(EmbeddingRequest request, CallContext context);

  /** The active health check: whether the replica says it is ready; false when it does not answer. */
  boolean ready();

  /**
   * The models the replica serves now, or null when it could not tell: listed ({@code /v1/models})
   * or, for protocols without a list, those of {@code configured} that report ready.
   */
  @Nullable Set<String> models(@Nullable Set<String> configured);

  @Override
  void close();
}
