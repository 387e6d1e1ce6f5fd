package dev.aigw.testkit.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The fake provider's stream: prepared chunks handed out with the configured cadence, optionally
 * failing part-way. Closing it, or the call's token firing, before its end counts as one
 * cancellation (reported through {@code onCancelled}, at most once).
 */
public final class ScriptedStreamSource implements ChatStream.Source {
  private final List<ChatChunk> chunks;
  private final int failAt;
  private final @Nullable RuntimeException failure;
  private final Duration timeToFirstChunk;
  private final Duration chunkInterval;
  private final CallControl control;
  private final Runnable onCancelled;
  private final AtomicBoolean ended = new AtomicBoolean();
  private int position;

  /**
   * @param chunks the chunks, the last one carrying finish reason and usage
   * @param failAt the position at which to throw {@code failure} instead of a chunk, or -1
   * @param failure what to throw at {@code failAt}
   * @param timeToFirstChunk the wait before the first chunk
   * @param chunkInterval the wait before each later chunk
   * @param control the call's cancellation state; owned by this source from now on
   * @param onCancelled run once if the stream ends by cancellation or an early close
   */
  public ScriptedStreamSource(
      List<ChatChunk> chunks,
      int failAt,
      @Nullable RuntimeException failure,
      Duration timeToFirstChunk,
      Duration chunkInterval,
      CallControl control,
      Runnable onCancelled) {
    if (failAt >= 0 && failure == null) {
      throw new IllegalArgumentException("failure must be set when failAt is " + failAt);
    }
    this.chunks = List.copyOf(chunks);
    this.failAt = failAt;
    this.failure = failure;
    this.timeToFirstChunk = timeToFirstChunk;
    this.chunkInterval = chunkInterval;
    this.control = control;
    this.onCancelled = onCancelled;
  }

  @Override
  public @Nullable ChatChunk next() {
    if (ended.get()) {
      control.throwIfStopped();
      return null;
    }
    boolean atEnd = position >= chunks.size();
    try {
      // The end arrives right after the last chunk, as when a server closes the response.
      control.pause(atEnd ? Duration.ZERO : position == 0 ? timeToFirstChunk : chunkInterval);
    } catch (AiGatewayException e) {
      if (ended.compareAndSet(false, true)) {
        onCancelled.run();
      }
      control.close();
      throw e;
    }
    if (atEnd) {
      finish();
      return null;
    }
    if (position == failAt && failure != null) {
      finish();
      throw failure;
    }
    return chunks.get(position++);
  }

  @Override
  public void close() {
    // Stop first, then mark the end: a reader that sees the end must also see why it ended, or it
    // would take a close for a normal end.
    if (!ended.get()) {
      control.stop(new CallCancelledException("the stream was closed before it ended"));
      if (ended.compareAndSet(false, true)) {
        onCancelled.run();
      }
    }
    control.close();
  }

  private void finish() {
    ended.set(true);
    control.close();
  }
}
