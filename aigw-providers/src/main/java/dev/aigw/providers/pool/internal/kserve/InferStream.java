package dev.aigw.providers.pool.internal.kserve;

import org.jspecify.annotations.Nullable;

/**
 * The responses of one streamed inference request, pulled one at a time by one thread. {@link
 * #close()} may be called from any thread at any time, also while {@link #next()} blocks, which
 * then ends promptly; it cancels the call if it has not ended.
 */
public interface InferStream extends AutoCloseable {
  /**
   * Blocks for the next response.
   *
   * @return the response, or null when the server ended the stream normally
   * @throws dev.aigw.api.AiGatewayException when the stream failed, the server sent an error,
   *     the deadline passed or the call was cancelled (after {@link #close()}: a {@link
   *     dev.aigw.api.CallCancelledException})
   */
  @Nullable InferResponse next();

  /** Cancels the call if it has not ended and releases it. Idempotent. */
  @Override
  void close();
}
