package dev.aigw.providers.pool.internal.kserve;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.Usage;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.internal.Json;
import dev.aigw.providers.internal.SseEvent;
import dev.aigw.providers.internal.StreamDecoder;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Decodes Triton's {@code /generate_stream} events; see {@link KServeHttpClient#generateStream}. */
final class GenerateStreamDecoder implements StreamDecoder {
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final String provider;
  private final String model;
  private final @Nullable String secret;
  private final KServeLlm.UsageCounter usage = new KServeLlm.UsageCounter();
  private boolean first = true;
  private boolean complete;

  GenerateStreamDecoder(String provider, String model, @Nullable String secret) {
    this.provider = provider;
    this.model = model;
    this.secret = secret;
  }

  @Override
  public void onEvent(SseEvent event, Consumer<ChatChunk> out) {
    LinkedHashMap<String, Object> data;
    try {
      data = Json.MAPPER.readValue(event.data(), MAP);
    } catch (IOException e) {
      throw ErrorMapping.malformed(provider, 200, "a generate_stream event is not JSON", e);
    }
    if (data == null) {
      throw ErrorMapping.malformed(provider, 200, "a generate_stream event is JSON null", null);
    }
    Object error = data.get("error");
    if (error != null) {
      String message = error instanceof String s ? s : error.toString();
      throw KServeErrors.fromStreamMessage(provider, "error event in the stream: " + message, secret);
    }
    GenerateResponse response = KServeHttpClient.generateResponse(provider, 200, data, model);
    ChatChunk.Builder chunk = ChatChunk.builder().text(response.textOutput());
    if (first) {
      chunk.id(KServeLlm.newId()).model(response.modelName());
      first = false;
    }
    KServeLlm.finishReason(response.text(KServeLlm.FINISH_REASON)).ifPresent(chunk::finishReason);
    Usage counted = usage.add(response.number(KServeLlm.NUM_INPUT_TOKENS), response.number(KServeLlm.NUM_OUTPUT_TOKENS));
    if (counted != null) {
      chunk.usage(counted);
    }
    out.accept(chunk.build());
  }

  @Override
  public void onEnd(Consumer<ChatChunk> out) {
    complete = true;
  }

  @Override
  public boolean isComplete() {
    return complete;
  }
}
