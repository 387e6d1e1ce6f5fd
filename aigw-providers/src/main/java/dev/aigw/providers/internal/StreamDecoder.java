package dev.aigw.providers.internal;

import dev.aigw.api.ChatChunk;
import java.util.function.Consumer;

/**
 * Turns one provider's stream events into chunks. One instance per stream, called from the
 * consuming thread only.
 */
public interface StreamDecoder {
  /**
   * Handles one event, passing any chunks it yields to {@code out}.
   *
   * @throws dev.aigw.api.ProviderException for an error event or a malformed event
   */
  void onEvent(SseEvent event, Consumer<ChatChunk> out);

  /** The body ended; a decoder may pass final chunks (for example estimated usage). */
  default void onEnd(Consumer<ChatChunk> out) {}

  /** Whether the provider's final event arrived, so that an end of body is a normal end. */
  boolean isComplete();
}
