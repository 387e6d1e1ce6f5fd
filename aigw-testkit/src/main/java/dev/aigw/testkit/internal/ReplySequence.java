package dev.aigw.testkit.internal;

import java.util.List;

/**
 * Replies used in order, the last one repeating. Thread-safe.
 *
 * @param <T> the reply type
 */
public final class ReplySequence<T> {
  private final List<T> replies;
  private int next;

  /** @param replies at least one reply; copied */
  public ReplySequence(List<T> replies) {
    if (replies.isEmpty()) {
      throw new IllegalArgumentException("replies must hold at least one reply");
    }
    this.replies = List.copyOf(replies);
  }

  /** The next reply; after the last one, the last one again. */
  public synchronized T next() {
    T reply = replies.get(next);
    if (next < replies.size() - 1) {
      next++;
    }
    return reply;
  }
}
