package dev.aigw.providers.openai;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Embedding;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.Usage;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.internal.HttpTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The chat-completions client that OpenAI, OpenAI-compatible servers and Azure share; they differ
 * only in URLs, credential headers and two dialect switches.
 */
final class OpenAiEngine {
  private final String provider;
  private final HttpTransport transport;
  private final OpenAiCodec codec;
  private final BiFunction<String, String, String> url;
  private final Function<@Nullable String, Headers> auth;

  /**
   * @param provider the provider id
   * @param transport the HTTP layer
   * @param codec the wire mapping
   * @param url (model, operation "chat/completions" or "embeddings") → URL
   * @param auth credential → headers (the credential is null when none is configured)
   */
  OpenAiEngine(String provider, HttpTransport transport, OpenAiCodec codec, BiFunction<String, String, String> url,
      Function<@Nullable String, Headers> auth) {
    this.provider = provider;
    this.transport = transport;
    this.codec = codec;
    this.url = url;
    this.auth = auth;
  }

  ChatResponse chat(ChatRequest request, CallContext context) {
    String key = transport.secret();
    OpenAiWire.ChatResponseBody body = transport.postJson(url.apply(request.model(), "chat/completions"), auth.apply(key),
        key, codec.body(request, false), context, OpenAiWire.ChatResponseBody.class);
    if (body.error() != null) {
      throw ErrorMapping.fromStreamError(provider, new dev.aigw.providers.internal.ErrorBody(body.error(), null), key);
    }
    return codec.response(body, request, 200);
  }

  ChatStream stream(ChatRequest request, CallContext context) {
    String key = transport.secret();
    return transport.postStream(url.apply(request.model(), "chat/completions"), auth.apply(key), key,
        codec.body(request, true), context, codec.decoder(request, key));
  }

  EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    String key = transport.secret();
    OpenAiWire.EmbeddingRequestBody wire = new OpenAiWire.EmbeddingRequestBody(request.model(), request.inputs(),
        request.dimensions().isPresent() ? request.dimensions().getAsInt() : null, "float", request.extra());
    OpenAiWire.EmbeddingResponseBody body = transport.postJson(url.apply(request.model(), "embeddings"), auth.apply(key),
        key, wire, context, OpenAiWire.EmbeddingResponseBody.class);
    if (body.data() == null || body.data().size() != request.inputs().size()) {
      throw ErrorMapping.malformed(provider, 200, "expected " + request.inputs().size() + " embeddings, got "
          + (body.data() == null ? 0 : body.data().size()), null);
    }
    List<Embedding> embeddings = new ArrayList<>(body.data().size());
    for (OpenAiWire.EmbeddingData d : body.data()) {
      if (d.embedding() == null) {
        throw ErrorMapping.malformed(provider, 200, "an embedding without a vector", null);
      }
      embeddings.add(new Embedding(d.index(), d.embedding()));
    }
    embeddings.sort(java.util.Comparator.comparingInt(Embedding::index));
    long chars = 0;
    for (String input : request.inputs()) {
      chars += input.length();
    }
    Usage usage = body.usage() != null ? Usage.of(body.usage().promptTokens(), 0) : Usage.estimated((chars + 3) / 4, 0);
    return new EmbeddingResponse(body.model() != null ? body.model() : request.model(), embeddings, usage,
        ResponseMetadata.empty());
  }

  void close() {
    transport.close();
  }
}
