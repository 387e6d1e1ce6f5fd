package dev.aigw.api;

import java.util.function.Consumer;

/**
 * Rewrites a {@link ChatStream} chunk by chunk (see {@link ChatStream#transform(StreamTransformer)}):
 * for each upstream chunk it may pass on zero, one or several chunks, so it can hold text back
 * (for example to see a placeholder that spans two chunks whole) and release it later, at the
 * latest in {@link #onComplete(Consumer)}. Throwing an {@link AiGatewayException} fails the
 * stream and cancels the upstream.
 *
 * <p>One transformer instance serves one stream; it is called from the consuming thread only.
 */
public interface StreamTransformer {
  /**
   * Handles one upstream chunk, passing whatever should go on to {@code downstream}.
   *
   * @param chunk the upstream chunk
   * @param downstream takes the chunks to pass on
   */
  void onChunk(ChatChunk chunk, Consumer<ChatChunk> downstream);

  /**
   * The upstream ended normally; pass on anything still held back. The default passes nothing.
   *
   * @param downstream takes the chunks to pass on
   */
  default void onComplete(Consumer<ChatChunk> downstream) {}
}
