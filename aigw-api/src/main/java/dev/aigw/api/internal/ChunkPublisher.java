package dev.aigw.api.internal;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatStream;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A single-subscriber {@link Flow.Publisher} over a stream's chunks. A drain loop pulls exactly
 * as many chunks as were requested, on the executor (or inline on the requesting thread, without
 * recursion when {@code request} is called from {@code onNext}). Every signal to the subscriber
 * comes from the drain loop, so signals never overlap; after a terminal signal there are none.
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
    /** Set by cancel(), by a bad request and by every terminal signal: no signal follows it. */
    private volatile boolean stopped;
    private volatile @Nullable Throwable pendingError;

    Drain(Flow.Subscriber<? super ChatChunk> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (stopped) {
        return;
      }
      if (n <= 0) {
        pendingError = new IllegalArgumentException("request(n) needs n > 0 (Reactive Streams rule 3.9), was " + n);
        source.close();
      } else {
        demand.getAndAccumulate(n, (current, add) -> current + add < 0 ? Long.MAX_VALUE : current + add);
      }
      schedule();
    }

    @Override
    public void cancel() {
      stopped = true;
      source.close();
    }

    private void schedule() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      if (executor == null) {
        run();
        return;
      }
      try {
        executor.execute(this);
      } catch (RejectedExecutionException e) {
        stopped = true;
        source.close();
        subscriber.onError(e);
      }
    }

    @Override
    public void run() {
      int missed = 1;
      while (true) {
        long requested = demand.get();
        long emitted = 0;
        while (!stopped) {
          Throwable error = pendingError;
          if (error != null) {
            terminate(error);
            return;
          }
          if (emitted == requested) {
            break;
          }
          ChatChunk chunk;
          try {
            if (!chunks.hasNext()) {
              if (!stopped) {
                stopped = true;
                subscriber.onComplete();
              }
              return;
            }
            chunk = chunks.next();
          } catch (RuntimeException e) {
            if (!stopped) {
              terminate(e);
            }
            return;
          }
          if (stopped) {
            return;
          }
          try {
            subscriber.onNext(chunk);
          } catch (RuntimeException e) {
            stopped = true;
            source.close();
            throw e;
          }
          emitted++;
        }
        if (stopped) {
          return;
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

    private void terminate(Throwable error) {
      stopped = true;
      source.close();
      subscriber.onError(error);
    }
  }
}
