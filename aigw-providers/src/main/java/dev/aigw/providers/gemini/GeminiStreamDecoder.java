package dev.aigw.providers.gemini;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.providers.gemini.GeminiWire.Candidate;
import dev.aigw.providers.gemini.GeminiWire.GenerateContentResponse;
import dev.aigw.providers.gemini.GeminiWire.Part;
import dev.aigw.providers.internal.ErrorBody;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.internal.Json;
import dev.aigw.providers.internal.SseEvent;
import dev.aigw.providers.internal.StreamDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Decodes {@code streamGenerateContent?alt=sse}: every {@code data:} event is a whole {@code
 * GenerateContentResponse} holding the next piece of the answer. Text and thoughts become chunk
 * text and reasoning; a function call arrives whole in one part and becomes one {@link
 * ToolCallDelta#start} with all its arguments.
 *
 * <p>The answer ends with the chunk that carries the candidate's {@code finishReason}; usage is
 * taken from that chunk or a later one. Gemini puts running prompt counts on earlier chunks, so
 * usage is passed on only once the answer has finished. The stream is complete when the finish
 * reason and usage have both arrived, or when the body ends after the finish reason; a body that
 * ends before any finish reason was cut off. A filter finish ({@code SAFETY}, {@code RECITATION},
 * ...) passes on what came, with {@link dev.aigw.api.FinishReason#CONTENT_FILTER}, then fails the
 * stream with a {@link dev.aigw.api.ContentFilteredException}.
 */
final class GeminiStreamDecoder implements StreamDecoder {
  private final String provider;
  private final String requestModel;
  private final @Nullable String secret;
  private final ThoughtSignatures signatures;
  private boolean identified;
  private int toolCalls;
  private boolean finished;
  private boolean usageSeen;
  private boolean ended;
  private @Nullable ProviderException pending;

  GeminiStreamDecoder(String provider, String requestModel, @Nullable String secret, ThoughtSignatures signatures) {
    this.provider = provider;
    this.requestModel = requestModel;
    this.secret = secret;
    this.signatures = signatures;
  }

  @Override
  public void onEvent(SseEvent event, Consumer<ChatChunk> out) {
    if (pending != null) {
      throw pending;
    }
    String data = event.data();
    if (data.isBlank()) {
      return;
    }
    GenerateContentResponse response;
    try {
      response = Json.read(data, GenerateContentResponse.class);
    } catch (IOException e) {
      throw ErrorMapping.malformed(provider, 200, "a stream event that is not the documented JSON (" + e.getClass().getSimpleName() + ")", e);
    }
    if (response == null) {
      throw ErrorMapping.malformed(provider, 200, "a stream event that is JSON null", null);
    }
    if (response.error() != null) {
      throw ErrorMapping.fromStreamError(provider, new ErrorBody(response.error(), null), secret);
    }
    ChatChunk.Builder chunk = ChatChunk.builder();
    boolean any = false;
    Candidate candidate = finished ? null : GeminiResponses.candidateOrBlock(provider, response);
    if (candidate != null) {
      StringBuilder text = new StringBuilder();
      StringBuilder reasoning = new StringBuilder();
      List<ToolCallDelta> deltas = new ArrayList<>(0);
      for (Part part : GeminiResponses.parts(candidate)) {
        if (part.functionCall() != null) {
          ToolCall call = GeminiResponses.toolCall(part, toolCalls, signatures);
          deltas.add(ToolCallDelta.start(toolCalls++, call.id(), call.name(), call.arguments()));
        } else if (part.text() != null) {
          (Boolean.TRUE.equals(part.thought()) ? reasoning : text).append(part.text());
        }
      }
      if (text.length() > 0) {
        chunk.text(text.toString());
        any = true;
      }
      if (reasoning.length() > 0) {
        chunk.reasoning(reasoning.toString());
        any = true;
      }
      if (!deltas.isEmpty()) {
        chunk.toolCalls(deltas);
        any = true;
      }
      String finish = candidate.finishReason();
      if (finish != null && !finish.isEmpty()) {
        finished = true;
        chunk.finishReason(GeminiResponses.finishReason(finish, toolCalls > 0));
        any = true;
        if (GeminiResponses.isFiltered(finish)) {
          pending = GeminiResponses.filtered(provider, finish);
        }
      }
    }
    if (finished && response.usageMetadata() != null) {
      chunk.usage(GeminiResponses.usage(response.usageMetadata()));
      usageSeen = true;
      any = true;
    }
    if (any) {
      if (!identified) {
        identified = true;
        chunk.id(GeminiResponses.nonBlank(response.responseId()) ? response.responseId() : GeminiResponses.generatedId());
        chunk.model(GeminiResponses.nonBlank(response.modelVersion()) ? response.modelVersion() : requestModel);
      }
      out.accept(chunk.build());
    }
  }

  @Override
  public void onEnd(Consumer<ChatChunk> out) {
    ended = true;
    if (pending != null) {
      throw pending;
    }
  }

  @Override
  public boolean isComplete() {
    return pending == null && finished && (usageSeen || ended);
  }
}
