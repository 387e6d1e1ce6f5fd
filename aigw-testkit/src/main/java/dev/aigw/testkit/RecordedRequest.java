package dev.aigw.testkit;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.ModelRequest;
import java.util.Objects;

/**
 * One call a {@link FakeChatProvider} received, recorded as the call began (before any latency,
 * failure or cancellation).
 *
 * @param request the {@link ChatRequest} or {@link EmbeddingRequest}, as the provider received it
 * @param context the call's context, as the provider received it
 * @param streaming whether the call was {@link FakeChatProvider#stream stream} rather than {@link
 *     FakeChatProvider#chat chat} or {@link FakeChatProvider#embed embed}
 */
public record RecordedRequest(ModelRequest request, CallContext context, boolean streaming) {
  /**
   * @param request the {@link ChatRequest} or {@link EmbeddingRequest}, as the provider received it
   * @param context the call's context, as the provider received it
   * @param streaming whether the call was {@link FakeChatProvider#stream stream} rather than {@link
   *     FakeChatProvider#chat chat} or {@link FakeChatProvider#embed embed}
   * @throws NullPointerException when {@code request} or {@code context} is null
   */
  public RecordedRequest {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
  }

  /**
   * The request as a {@link ChatRequest}, for the common case of a chat or stream call.
   *
   * @return the chat request
   * @throws IllegalStateException when the call was an embeddings call
   */
  public ChatRequest chat() {
    if (request instanceof ChatRequest chat) {
      return chat;
    }
    throw new IllegalStateException("the recorded call was an embeddings call, not a chat call: use request()");
  }
}
