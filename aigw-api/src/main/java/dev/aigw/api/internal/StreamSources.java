package dev.aigw.api.internal;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatStream;
import dev.aigw.api.StreamObserver;
import dev.aigw.api.StreamTransformer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** The {@link ChatStream.Source}s behind {@link ChatStream}'s factories and operators. */
public final class StreamSources {
  private StreamSources() {}

  /** Chunks from a list. */
  public static ChatStream.Source of(List<ChatChunk> chunks) {
    return new ListSource(chunks);
  }

  /** A source that throws {@code error} when read. */
  public static ChatStream.Source failed(RuntimeException error) {
    return new ChatStream.Source() {
      @Override
      public @Nullable ChatChunk next() {
        throw error;
      }

      @Override
      public void close() {}
    };
  }

  /** Reports the chunks and end of {@code upstream} to {@code observer}. */
  public static ChatStream.Source observing(ChatStream.Source upstream, StreamObserver observer) {
    return new ObservingSource(upstream, observer);
  }

  /** Rewrites the chunks of {@code upstream} with {@code transformer}. */
  public static ChatStream.Source transforming(ChatStream.Source upstream, StreamTransformer transformer) {
    return new TransformingSource(upstream, transformer);
  }

  private static final class ListSource implements ChatStream.Source {
    private final List<ChatChunk> chunks;
    private int index;
    private volatile boolean closed;

    ListSource(List<ChatChunk> chunks) {
      this.chunks = chunks;
    }

    @Override
    public @Nullable ChatChunk next() {
      return closed || index >= chunks.size() ? null : chunks.get(index++);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static final class ObservingSource implements ChatStream.Source {
    private final ChatStream.Source upstream;
    private final StreamObserver observer;
    private final AtomicBoolean ended = new AtomicBoolean();

    ObservingSource(ChatStream.Source upstream, StreamObserver observer) {
      this.upstream = upstream;
      this.observer = observer;
    }

    @Override
    public @Nullable ChatChunk next() {
      ChatChunk chunk;
      try {
        chunk = upstream.next();
      } catch (RuntimeException e) {
        if (ended.compareAndSet(false, true)) {
          observer.onError(e);
        }
        throw e;
      }
      if (chunk == null) {
        if (ended.compareAndSet(false, true)) {
          observer.onComplete();
        }
        return null;
      }
      if (!ended.get()) {
        try {
          observer.onChunk(chunk);
        } catch (RuntimeException e) {
          ended.set(true);
          throw e;
        }
      }
      return chunk;
    }

    @Override
    public void close() {
      try {
        if (ended.compareAndSet(false, true)) {
          observer.onCancel();
        }
      } finally {
        upstream.close();
      }
    }
  }

  private static final class TransformingSource implements ChatStream.Source {
    private final ChatStream.Source upstream;
    private final StreamTransformer transformer;
    private final ArrayDeque<ChatChunk> ready = new ArrayDeque<>();
    private final Consumer<ChatChunk> sink = this::accept;
    private boolean upstreamDone;
    private volatile boolean closed;

    TransformingSource(ChatStream.Source upstream, StreamTransformer transformer) {
      this.upstream = upstream;
      this.transformer = transformer;
    }

    private void accept(ChatChunk chunk) {
      if (chunk == null) {
        throw new NullPointerException(transformer.getClass().getName() + " passed a null chunk downstream");
      }
      ready.add(chunk);
    }

    @Override
    public @Nullable ChatChunk next() {
      while (ready.isEmpty()) {
        if (upstreamDone) {
          return null;
        }
        ChatChunk chunk = upstream.next();
        if (closed) {
          ready.clear();
          return null;
        }
        if (chunk == null) {
          upstreamDone = true;
          transformer.onComplete(sink);
        } else {
          transformer.onChunk(chunk, sink);
        }
      }
      return ready.poll();
    }

    @Override
    public void close() {
      closed = true;
      upstream.close();
    }
  }
}
