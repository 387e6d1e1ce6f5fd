package dev.aigw.providers.pool.internal;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.InvalidRequestException;
import dev.aigw.api.ProviderException;
import dev.aigw.providers.pool.internal.kserve.KServeClient;
import dev.aigw.providers.pool.internal.kserve.KServeLlm;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A KServe v2 replica (Triton, KServe model servers) over HTTP or gRPC: chat through {@link
 * KServeLlm}'s tensor convention, health from {@code ServerReady}, models from {@code ModelReady}
 * of the configured ones. No embeddings.
 */
public final class KServeReplicaClient implements ReplicaClient {
  private final KServeClient client;
  private final KServeLlm llm;
  private final Duration checkTimeout;

  /**
   * @param client the HTTP or gRPC client of the replica
   * @param llm how chat maps to tensors
   * @param checkTimeout how long a health check may take
   */
  public KServeReplicaClient(KServeClient client, KServeLlm llm, Duration checkTimeout) {
    this.client = client;
    this.llm = llm;
    this.checkTimeout = checkTimeout;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    return llm.chat(client, request, context);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    return llm.stream(client, request, context);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    throw new InvalidRequestException("model", "a KServe v2 pool serves chat only; embeddings need an OpenAI-compatible pool");
  }

  @Override
  public boolean ready() {
    try {
      return client.serverReady(check());
    } catch (ProviderException e) {
      return false;
    }
  }

  @Override
  public @Nullable Set<String> models(@Nullable Set<String> configured) {
    if (configured == null) {
      return null;
    }
    Set<String> ready = new LinkedHashSet<>();
    for (String model : configured) {
      try {
        if (client.modelReady(model, check())) {
          ready.add(model);
        }
      } catch (ProviderException e) {
        return null;
      }
    }
    return ready;
  }

  private CallContext check() {
    return CallContext.builder().timeout(checkTimeout).build();
  }

  @Override
  public void close() {
    client.close();
  }
}
