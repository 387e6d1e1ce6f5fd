package dev.aigw.api.internal;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatStream;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A single-subscriber {@link Flow.Publisher} over a stream's chunks. A drain loop pulls exactly
 * as many chunks as were requested, on the executor (or inline on the requesting thread, without
 * recursion when {@code request} is called from {@code onNext}).
 */
public final class ChunkPublisher implements Flow.Publisher<ChatChunk> {
  private final Iterator<ChatChunk> chunks;
  private final ChatStream.Source source;
  private final @Nullable Executor executor;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  /**
   * @param chunks the iterator to pull from
   * @param source closed when the subscriber cancels
   * @param executor where to pull, or null to pull on the requesting thread
   */
  public ChunkPublisher(Iterator<ChatChunk> chunks, ChatStream.Source source, @Nullable Executor executor) {
    this.chunks = chunks;
    this.source = source;
    this.executor = executor;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ChatChunk> subscriber) {
    if (subscriber == null) {
      throw new NullPointerException("subscriber");
    }
    if (!subscribed.compareAndSet(false, true)) {
      subscriber.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      });
      subscriber.onError(new IllegalStateException("a ChatStream publisher accepts one subscriber"));
      return;
    }
    subscriber.onSubscribe(new Drain(subscriber));
  }

  private final class Drain implements Flow.Subscription, Runnable {
    private final Flow.Subscriber<? super ChatChunk> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelled;
    private boolean done;

    Drain(Flow.Subscriber<? super ChatChunk> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (cancelled) {
        return;
      }
      if (n <= 0) {
        cancel();
        subscriber.onError(new IllegalArgumentException("request(n) needs n > 0 (Reactive Streams rule 3.9), was " + n));
        return;
      }
      demand.getAndAccumulate(n, (current, add) -> current + add < 0 ? Long.MAX_VALUE : current + add);
      if (wip.getAndIncrement() == 0) {
        if (executor == null) {
          run();
        } else {
          executor.execute(this);
        }
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      source.close();
    }

    @Override
    public void run() {
      int missed = 1;
      while (true) {
        long requested = demand.get();
        long emitted = 0;
        while (emitted != requested) {
          if (cancelled || done) {
            return;
          }
          ChatChunk chunk;
          try {
            if (!chunks.hasNext()) {
              done = true;
              subscriber.onComplete();
              return;
            }
            chunk = chunks.next();
          } catch (RuntimeException e) {
            done = true;
            if (!cancelled) {
              subscriber.onError(e);
            }
            return;
          }
          subscriber.onNext(chunk);
          emitted++;
        }
        if (requested != Long.MAX_VALUE) {
          demand.addAndGet(-emitted);
        }
        missed = wip.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    }
  }
}
