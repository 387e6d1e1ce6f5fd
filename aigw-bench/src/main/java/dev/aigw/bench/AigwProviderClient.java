package dev.aigw.bench;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatStream;
import dev.aigw.providers.openai.OpenAiProvider;

/** aigw's {@link OpenAiProvider} called directly, without a gateway. */
final class AigwProviderClient implements BenchClient {
  private final OpenAiProvider provider;

  AigwProviderClient(String baseUrl, String apiKey) {
    this.provider = OpenAiProvider.builder().apiKey(apiKey).baseUrl(baseUrl + "/v1").build();
  }

  @Override
  public String name() {
    return "aigwProvider";
  }

  @Override
  public String transport() {
    return "OkHttp " + okhttp3.OkHttp.VERSION + " (aigw's shared OkHttpClient), Jackson databind";
  }

  private static ChatRequest request() {
    return ChatRequest.of(ChatCompletionsServer.MODEL, ChatCompletionsServer.PROMPT);
  }

  @Override
  public String blocking() {
    return provider.chat(request(), CallContext.empty()).text();
  }

  @Override
  public String streamFirstChunk() {
    try (ChatStream stream = provider.stream(request(), CallContext.empty())) {
      return AigwGatewayClient.firstText(stream);
    }
  }

  @Override
  public String streamFull() {
    try (ChatStream stream = provider.stream(request(), CallContext.empty())) {
      return AigwGatewayClient.allText(stream);
    }
  }

  @Override
  public void close() {
    provider.close();
  }
}
