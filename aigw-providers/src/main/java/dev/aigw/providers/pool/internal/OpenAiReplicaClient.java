package dev.aigw.providers.pool.internal;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.providers.openai.OpenAiProvider;
import java.net.URI;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** An OpenAI-compatible replica (vLLM, SGLang, TGI's Messages API): the OpenAI client, {@code /health} and {@code /v1/models}. */
public final class OpenAiReplicaClient implements ReplicaClient {
  private final OpenAiProvider client;
  private final PoolHttp http;
  private final URI health;
  private final URI models;

  /**
   * @param client the OpenAI-compatible client at the replica's {@code /v1}
   * @param http the pool's checks
   * @param baseUrl the replica's base URL
   * @param healthPath the health check's path
   */
  public OpenAiReplicaClient(OpenAiProvider client, PoolHttp http, URI baseUrl, String healthPath) {
    this.client = client;
    this.http = http;
    this.health = baseUrl.resolve(healthPath);
    this.models = baseUrl.resolve("/v1/models");
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    return client.chat(request, context);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    return client.stream(request, context);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    return client.embed(request, context);
  }

  @Override
  public boolean ready() {
    int status = http.status(health);
    return status >= 200 && status < 300;
  }

  @Override
  public @Nullable Set<String> models(@Nullable Set<String> configured) {
    return http.models(models);
  }

  @Override
  public void close() {
    client.close();
  }
}
