package dev.aigw.bench;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatStream;
import dev.aigw.core.AiGateway;
import dev.aigw.providers.openai.OpenAiProvider;

/**
 * aigw's {@link OpenAiProvider} behind an {@link AiGateway} with no interceptors, listeners or
 * routes: the model is addressed as {@code "openai/gpt-4o-mini"}.
 */
final class AigwGatewayClient implements BenchClient {
  private static final String TARGET = "openai/" + ChatCompletionsServer.MODEL;

  private final AiGateway gateway;

  AigwGatewayClient(String baseUrl, String apiKey) {
    this.gateway = AiGateway.builder()
        .provider(OpenAiProvider.builder().apiKey(apiKey).baseUrl(baseUrl + "/v1").build())
        .build();
  }

  @Override
  public String name() {
    return "aigwGateway";
  }

  @Override
  public String transport() {
    return "OkHttp " + okhttp3.OkHttp.VERSION + " (aigw's shared OkHttpClient), Jackson databind";
  }

  private static ChatRequest request() {
    return ChatRequest.of(TARGET, ChatCompletionsServer.PROMPT);
  }

  @Override
  public String blocking() {
    return gateway.chat(request(), CallContext.empty()).text();
  }

  @Override
  public String streamFirstChunk() {
    try (ChatStream stream = gateway.stream(request(), CallContext.empty())) {
      return firstText(stream);
    }
  }

  @Override
  public String streamFull() {
    try (ChatStream stream = gateway.stream(request(), CallContext.empty())) {
      return allText(stream);
    }
  }

  /** The first chunk with text; the caller closes the stream (which cancels the HTTP call). */
  static String firstText(ChatStream stream) {
    for (ChatChunk chunk : stream) {
      if (!chunk.text().isEmpty()) {
        return chunk.text();
      }
    }
    throw new IllegalStateException("the stream ended without text");
  }

  static String allText(ChatStream stream) {
    StringBuilder text = new StringBuilder();
    for (ChatChunk chunk : stream) {
      text.append(chunk.text());
    }
    return text.toString();
  }

  @Override
  public void close() {
    gateway.close();
  }
}
