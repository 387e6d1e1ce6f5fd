package dev.aigw.api;

/**
 * Watches a {@link ChatStream} as the caller consumes it, without changing it (see
 * {@link ChatStream#observe(StreamObserver)}). Exactly one of {@link #onComplete()},
 * {@link #onError(RuntimeException)} and {@link #onCancel()} is called, once, after the last
 * {@link #onChunk(ChatChunk)}.
 *
 * <p>Callbacks run on the consuming thread, except {@code onCancel}, which runs on the thread
 * that closed the stream. An exception thrown by a callback fails the stream.
 */
public interface StreamObserver {
  /**
   * A chunk passed on its way to the caller.
   *
   * @param chunk the chunk
   */
  default void onChunk(ChatChunk chunk) {}

  /** The stream ended normally; every chunk has passed. */
  default void onComplete() {}

  /**
   * The stream failed with {@code error}, which the caller receives next.
   *
   * @param error the exception the caller receives
   */
  default void onError(RuntimeException error) {}

  /** The stream was closed before it completed or failed (the caller stopped, or a deadline passed). */
  default void onCancel() {}
}
