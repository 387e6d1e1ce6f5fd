package dev.aigw.bench;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * LangChain4j's OpenAI chat models ({@code dev.langchain4j:langchain4j-open-ai}) with their default
 * HTTP client, langchain4j-http-client-jdk ({@code java.net.http.HttpClient}). The streaming model
 * is callback-based: its callbacks run on the HTTP client's executor, and the benchmark thread waits
 * on a {@link CompletableFuture}.
 */
final class LangChain4jClient implements BenchClient {
  private final OpenAiChatModel chat;
  private final OpenAiStreamingChatModel streaming;

  LangChain4jClient(String baseUrl, String apiKey) {
    this.chat = OpenAiChatModel.builder()
        .baseUrl(baseUrl + "/v1").apiKey(apiKey).modelName(ChatCompletionsServer.MODEL).build();
    this.streaming = OpenAiStreamingChatModel.builder()
        .baseUrl(baseUrl + "/v1").apiKey(apiKey).modelName(ChatCompletionsServer.MODEL).build();
  }

  @Override
  public String name() {
    return "langchain4j";
  }

  @Override
  public String transport() {
    return "java.net.http.HttpClient (langchain4j-http-client-jdk; default HTTP/2 setting, so HTTP/1.1 with an h2c upgrade offer), "
        + "Jackson databind";
  }

  @Override
  public String blocking() {
    return chat.chat(ChatCompletionsServer.PROMPT);
  }

  /**
   * Completes at the first partial response, after cancelling the stream through the handle
   * LangChain4j 1.8+ passes to {@code onPartialResponse} (which closes the response body's stream).
   */
  @Override
  public String streamFirstChunk() {
    CompletableFuture<String> first = new CompletableFuture<>();
    streaming.chat(ChatCompletionsServer.PROMPT, new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
        if (!first.isDone()) {
          context.streamingHandle().cancel();
          first.complete(partial.text());
        }
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        first.completeExceptionally(new IllegalStateException("the stream completed without text"));
      }

      @Override
      public void onError(Throwable error) {
        first.completeExceptionally(error);
      }
    });
    return join(first);
  }

  @Override
  public String streamFull() {
    CompletableFuture<String> done = new CompletableFuture<>();
    StringBuilder text = new StringBuilder();
    streaming.chat(ChatCompletionsServer.PROMPT, new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String partial) {
        text.append(partial);
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        done.complete(text.toString());
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    return join(done);
  }

  private static String join(CompletableFuture<String> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    // The JDK 17 HttpClient cannot be closed; its threads are daemons and its idle connections time out.
  }
}
