package dev.aigw.api;

import dev.aigw.api.internal.ChunkPublisher;
import dev.aigw.api.internal.Require;
import dev.aigw.api.internal.StreamAccumulator;
import dev.aigw.api.internal.StreamSources;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A streamed answer: an {@link Iterable} of {@link ChatChunk}s that is consumed once, by one
 * thread, and must be closed.
 *
 * <pre>{@code
 * try (ChatStream stream = gateway.stream(request)) {
 *   for (ChatChunk chunk : stream) {
 *     System.out.print(chunk.text());
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #close()} cancels the upstream call; it is safe from any thread and at any time,
 * also while the consumer waits for the next chunk, and is idempotent. Closing before the end is
 * how a caller abandons a stream. Iteration throws the {@link AiGatewayException} that ended the
 * stream early (a provider error, a guardrail block, a passed deadline).
 *
 * <p>Interceptors derive new streams with {@link #map}, {@link #observe}, {@link #transform} and
 * {@link #withMetadata}; the stream they derive from is then owned by the new one and must not be
 * used directly.
 */
public final class ChatStream implements Iterable<ChatChunk>, AutoCloseable {

  /**
   * Where a stream's chunks come from; what a provider implements.
   *
   * <p>{@link #next()} is called from one thread at a time. {@link #close()} may be called from
   * any thread, repeatedly, and also while {@code next()} is blocked, which must then return or
   * throw promptly. {@code ChatStream} also calls {@code close()} once the stream has ended
   * normally or failed, so a source releases its resources in one place.
   *
   * <p>After an early close, {@code next()} should throw a {@link CallCancelledException} (a
   * source may instead return {@code null}; the gateway still reports the call as cancelled, but
   * a caller consuming a bare stream could mistake the cut for a normal end).
   */
  public interface Source extends AutoCloseable {
    /**
     * Blocks until the next chunk is available and returns it, or returns {@code null} when the
     * stream ended normally.
     *
     * @return the next chunk, or {@code null} at the end of the stream
     * @throws AiGatewayException when the stream fails
     */
    @Nullable ChatChunk next();

    /** Cancels the upstream and releases its resources. */
    @Override
    void close();
  }

  private final Source source;
  private final Supplier<ResponseMetadata> metadata;
  private final @Nullable Executor executor;
  private final AtomicBoolean taken = new AtomicBoolean();

  private ChatStream(Source source, Supplier<ResponseMetadata> metadata, @Nullable Executor executor) {
    this.source = source;
    this.metadata = metadata;
    this.executor = executor;
  }

  /**
   * {@return a stream over {@code source}, with empty metadata}
   *
   * @param source where the chunks come from
   */
  public static ChatStream of(Source source) {
    return new ChatStream(Require.nonNull(source, "source"), ResponseMetadata::empty, null);
  }

  /**
   * {@return a stream of the given chunks, as they are}
   *
   * @param chunks the chunks, in order
   */
  public static ChatStream of(List<ChatChunk> chunks) {
    return of(StreamSources.of(Require.elements(chunks, "chunks")));
  }

  /**
   * Same as {@link #of(List)}.
   *
   * @param chunks the chunks, in order
   * @return a stream of the given chunks, as they are
   */
  public static ChatStream of(ChatChunk... chunks) {
    return of(java.util.Arrays.asList(Require.nonNull(chunks, "chunks")));
  }

  /**
   * {@return a stream that replays a complete response as one chunk (text, reasoning, tool calls,
   * finish reason and usage) and carries its metadata}
   *
   * @param response the response to replay
   */
  public static ChatStream fromResponse(ChatResponse response) {
    Require.nonNull(response, "response");
    return new ChatStream(StreamSources.of(List.of(StreamAccumulator.toChunk(response))), response::metadata, null);
  }

  /**
   * {@return a stream that fails with {@code error} when first read}
   *
   * @param error the exception to throw
   */
  public static ChatStream failed(RuntimeException error) {
    return of(StreamSources.failed(Require.nonNull(error, "error")));
  }

  /**
   * The chunks, in order. A stream can be iterated once; {@code hasNext()} blocks until the next
   * chunk arrives and throws the {@link AiGatewayException} that ended the stream early, after
   * which the stream is closed.
   *
   * @throws IllegalStateException when the stream was already iterated or derived from
   */
  @Override
  public Iterator<ChatChunk> iterator() {
    take();
    return new ChunkIterator(source);
  }

  /** Cancels the upstream if the stream has not ended. Idempotent and safe from any thread. */
  @Override
  public void close() {
    source.close();
  }

  /**
   * Consumes the rest of the stream and assembles a {@link ChatResponse}: the text and reasoning
   * concatenated, tool calls assembled from their fragments, the last usage and finish reason
   * reported (when none was reported: {@link FinishReason#TOOL_CALLS} if there are tool calls,
   * else {@link FinishReason#STOP}), and this stream's metadata. Closes the stream.
   *
   * @return the assembled response, with this stream's metadata
   * @throws AiGatewayException when the stream fails
   */
  public ChatResponse collect() {
    StreamAccumulator accumulator = new StreamAccumulator();
    try (ChatStream self = this) {
      for (ChatChunk chunk : self) {
        accumulator.add(chunk);
      }
    }
    return accumulator.toResponse(metadata());
  }

  /**
   * This stream as a {@link Flow.Publisher} for one subscriber, honouring its demand; cancelling
   * the subscription closes the stream. Chunks are pulled on the executor of the gateway that made
   * the stream, or on the subscriber's requesting thread for streams made elsewhere.
   *
   * @return a publisher of this stream's chunks
   * @throws IllegalStateException when the stream was already iterated or derived from
   */
  public Flow.Publisher<ChatChunk> toPublisher() {
    return toPublisher(executor);
  }

  /**
   * Same as {@link #toPublisher()}, pulling chunks on {@code executor}. Pulling blocks while the
   * upstream is silent, so give an executor that may block.
   *
   * @param executor where chunks are pulled; {@code null} for the subscriber's requesting thread
   * @return a publisher of this stream's chunks
   */
  public Flow.Publisher<ChatChunk> toPublisher(@Nullable Executor executor) {
    take();
    return new ChunkPublisher(new ChunkIterator(source), source, executor);
  }

  /**
   * {@return what the gateway did to serve this call} Complete once the stream has ended (latency,
   * and anything an interceptor adds at the end); before that, it holds what is known so far.
   */
  public ResponseMetadata metadata() {
    return metadata.get();
  }

  /**
   * {@return a stream whose chunks are this stream's chunks passed through {@code mapper}}
   *
   * @param mapper rewrites each chunk
   */
  public ChatStream map(UnaryOperator<ChatChunk> mapper) {
    Require.nonNull(mapper, "mapper");
    return transform((chunk, downstream) -> downstream.accept(mapper.apply(chunk)));
  }

  /**
   * {@return a stream that reports its chunks and its end to {@code observer}}
   *
   * @param observer told of each chunk and of the stream's end
   */
  public ChatStream observe(StreamObserver observer) {
    Require.nonNull(observer, "observer");
    return derive(StreamSources.observing(source, observer), metadata);
  }

  /**
   * {@return a stream whose chunks are rewritten by {@code transformer}}
   *
   * @param transformer rewrites the chunks, and may hold some back
   */
  public ChatStream transform(StreamTransformer transformer) {
    Require.nonNull(transformer, "transformer");
    return derive(StreamSources.transforming(source, transformer), metadata);
  }

  /**
   * {@return a stream whose {@link #metadata()} is this stream's metadata passed through {@code
   * update}, applied each time metadata is read (so it can add values known only at the end)}
   *
   * @param update turns the metadata into the metadata to report
   */
  public ChatStream withMetadata(UnaryOperator<ResponseMetadata> update) {
    Require.nonNull(update, "update");
    Supplier<ResponseMetadata> inner = metadata;
    return derive(source, () -> update.apply(inner.get()));
  }

  /**
   * {@return a stream whose {@link #toPublisher()} pulls chunks on {@code executor}} Used by the
   * gateway to hand reactive subscribers its own bounded executor.
   *
   * @param executor where the publisher pulls chunks
   */
  public ChatStream withPublisherExecutor(Executor executor) {
    take();
    return new ChatStream(source, metadata, Require.nonNull(executor, "executor"));
  }

  private ChatStream derive(Source newSource, Supplier<ResponseMetadata> newMetadata) {
    take();
    return new ChatStream(newSource, newMetadata, executor);
  }

  private void take() {
    if (!taken.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "this ChatStream was already iterated, published or derived from; a stream is consumed once");
    }
  }

  /** Pulls from a source, remembering one chunk between hasNext and next. */
  private static final class ChunkIterator implements Iterator<ChatChunk> {
    private final Source source;
    private @Nullable ChatChunk pending;
    private boolean done;

    ChunkIterator(Source source) {
      this.source = source;
    }

    @Override
    public boolean hasNext() {
      if (pending != null) {
        return true;
      }
      if (done) {
        return false;
      }
      try {
        pending = source.next();
      } catch (RuntimeException e) {
        done = true;
        source.close();
        throw e;
      }
      if (pending == null) {
        done = true;
        source.close();
        return false;
      }
      return true;
    }

    @Override
    public ChatChunk next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the stream has ended");
      }
      ChatChunk chunk = pending;
      pending = null;
      return chunk;
    }
  }
}
