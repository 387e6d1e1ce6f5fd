package dev.aigw.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.util.Iterator;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}) with its OkHttp client, running on
 * the same okhttp-jvm 5 as aigw (see aigw-bench/pom.xml). Defaults otherwise (two retries, which a
 * 200 never triggers).
 */
final class OpenAiSdkClient implements BenchClient {
  private final OpenAIClient client;

  OpenAiSdkClient(String baseUrl, String apiKey) {
    this.client = OpenAIOkHttpClient.builder().apiKey(apiKey).baseUrl(baseUrl + "/v1").build();
  }

  @Override
  public String name() {
    return "openaiSdk";
  }

  @Override
  public String transport() {
    return "OkHttp " + okhttp3.OkHttp.VERSION + " (the SDK's own OkHttpClient, rebuilt per call with newBuilder()), "
        + "Jackson databind + Kotlin module";
  }

  private static ChatCompletionCreateParams params(boolean stream) {
    ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI)
        .addUserMessage(ChatCompletionsServer.PROMPT);
    if (stream) {
      // The request the other clients send: usage at the end of the stream.
      b.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    return b.build();
  }

  @Override
  public String blocking() {
    return client.chat().completions().create(params(false)).choices().get(0).message().content().orElse("");
  }

  /** Stops at the first chunk with text; closing the StreamResponse closes the OkHttp response body. */
  @Override
  public String streamFirstChunk() {
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params(true))) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      while (chunks.hasNext()) {
        String text = text(chunks.next());
        if (!text.isEmpty()) {
          return text;
        }
      }
    }
    throw new IllegalStateException("the stream ended without text");
  }

  @Override
  public String streamFull() {
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params(true))) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      while (chunks.hasNext()) {
        text.append(text(chunks.next()));
      }
    }
    return text.toString();
  }

  private static String text(ChatCompletionChunk chunk) {
    return chunk.choices().isEmpty() ? "" : chunk.choices().get(0).delta().content().orElse("");
  }

  @Override
  public void close() {
    client.close();
  }
}
