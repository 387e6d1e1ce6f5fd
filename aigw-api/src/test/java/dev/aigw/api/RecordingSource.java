package dev.aigw.api;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted {@link ChatStream.Source} for tests. It hands out its script (chunks, or exceptions
 * to throw) in order, records {@code next()} and {@code close()} calls, and can block in
 * {@code next()} once the script is exhausted until it is closed (then it returns {@code null},
 * as the Source contract allows).
 */
public final class RecordingSource implements ChatStream.Source {
  private final Deque<Object> script;
  private final boolean blockWhenExhausted;
  private final AtomicInteger nextCalls = new AtomicInteger();
  private final AtomicInteger closeCalls = new AtomicInteger();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final CountDownLatch blocked = new CountDownLatch(1);

  private RecordingSource(List<?> script, boolean blockWhenExhausted) {
    this.script = new ArrayDeque<>(script);
    this.blockWhenExhausted = blockWhenExhausted;
  }

  /** Hands out {@code script} (ChatChunks, or RuntimeExceptions to throw), then ends. */
  public static RecordingSource of(Object... script) {
    return new RecordingSource(List.of(script), false);
  }

  /** Hands out {@code script}, then blocks in {@code next()} until closed. */
  public static RecordingSource blockingAfter(Object... script) {
    return new RecordingSource(List.of(script), true);
  }

  @Override
  public synchronized ChatChunk next() {
    nextCalls.incrementAndGet();
    if (closed.getCount() == 0) {
      return null;
    }
    Object item = script.poll();
    if (item == null) {
      if (!blockWhenExhausted) {
        return null;
      }
      blocked.countDown();
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while blocked", e);
      }
      return null;
    }
    if (item instanceof RuntimeException e) {
      throw e;
    }
    return (ChatChunk) item;
  }

  @Override
  public void close() {
    closeCalls.incrementAndGet();
    closed.countDown();
  }

  /** How many times {@code next()} was called. */
  public int nextCalls() {
    return nextCalls.get();
  }

  /** How many times {@code close()} was called. */
  public int closeCalls() {
    return closeCalls.get();
  }

  /** Whether {@code close()} was called at least once. */
  public boolean isClosed() {
    return closed.getCount() == 0;
  }

  /** Waits until a {@code next()} call is blocked waiting for more input; false on a 10 s guard timeout. */
  public boolean awaitBlocked() throws InterruptedException {
    return blocked.await(10, TimeUnit.SECONDS);
  }
}
