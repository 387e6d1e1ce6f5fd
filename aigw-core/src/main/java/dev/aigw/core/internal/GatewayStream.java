package dev.aigw.core.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.internal.StreamAccumulator;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The outermost layer of a gateway stream: measures time to first chunk and latency, reports
 * listener events, ends the call exactly once (completed, failed or cancelled), and turns a
 * fired cancellation token (deadline, caller) into the stream's error after cancelling upstream.
 */
final class GatewayStream implements ChatStream.Source {
  private final ChatStream inner;
  private final Iterator<ChatChunk> chunks;
  private final CallScope scope;
  /** Assembles the response for listeners' usage and callEnd events; null when nobody listens. */
  private final @Nullable StreamAccumulator accumulator;
  private final AtomicBoolean ended = new AtomicBoolean();
  private long firstChunkNanos = -1;
  private volatile long endNanos = -1;

  private GatewayStream(ChatStream inner, CallScope scope) {
    this.inner = inner;
    this.chunks = inner.iterator();
    this.scope = scope;
    this.accumulator = Listeners.isNone(scope.listener()) ? null : new StreamAccumulator();
  }

  /** Wraps the chain's stream for the caller. */
  static ChatStream wrap(ChatStream inner, CallScope scope, Executor executor) {
    GatewayStream source = new GatewayStream(inner, scope);
    scope.token().onCancel(source::cancelledByToken);
    return ChatStream.of(source).withMetadata(ignored -> source.metadata()).withPublisherExecutor(executor);
  }

  private ResponseMetadata metadata() {
    ResponseMetadata.Builder m = inner.metadata().toBuilder();
    long end = endNanos;
    m.latency(Duration.ofNanos((end >= 0 ? end : scope.clock().nanoTime()) - scope.startNanos()));
    if (firstChunkNanos >= 0) {
      m.timeToFirstToken(Duration.ofNanos(firstChunkNanos - scope.startNanos()));
    }
    GatewayCore.promptOf(scope).ifPresent(m::prompt);
    return m.build();
  }

  @Override
  public @Nullable ChatChunk next() {
    if (ended.get()) {
      scope.throwIfCancelled();
      return null;
    }
    boolean more;
    try {
      scope.throwIfCancelled();
      more = chunks.hasNext();
    } catch (RuntimeException e) {
      AiGatewayException failure = scope.failure(e);
      fail(failure);
      throw failure;
    }
    if (!more) {
      if (scope.token().isCancelled()) {
        AiGatewayException reason = scope.failure(new CallCancelledException("the stream ended after its call was cancelled"));
        fail(reason);
        throw reason;
      }
      complete();
      return null;
    }
    ChatChunk chunk = chunks.next();
    if (ended.get()) {
      // the token fired (deadline, caller) while this chunk was on its way: the call has already
      // failed and settled its budget, so the caller gets the reason, not the chunk
      scope.throwIfCancelled();
    }
    if (firstChunkNanos < 0) {
      firstChunkNanos = scope.clock().nanoTime();
      scope.listener().firstChunk(scope.info(), Duration.ofNanos(firstChunkNanos - scope.startNanos()));
    }
    if (accumulator != null) {
      accumulator.add(chunk);
    }
    return chunk;
  }

  @Override
  public void close() {
    if (end()) {
      inner.close();
      if (!Listeners.isNone(scope.listener())) {
        scope.reportContent(null);
        scope.listener().callFailed(scope.info(),
            scope.failure(new CallCancelledException("the stream was closed before it completed")));
      }
      scope.close();
    }
  }

  /** The call's token fired (deadline or caller): cancel upstream now; the consumer sees the reason next. */
  private void cancelledByToken() {
    if (end()) {
      inner.close();
      scope.reportContent(null);
      scope.listener().callFailed(scope.info(), scope.token().reason().orElseThrow());
      scope.close();
    }
  }

  private void complete() {
    if (end()) {
      if (accumulator != null) {
        accumulator.usage().ifPresent(u -> scope.listener().usage(scope.info(), u));
        ChatResponse response = accumulator.toResponse(metadata());
        scope.reportContent(response);
        scope.listener().callEnd(scope.info(), response);
      }
      scope.close();
    }
  }

  private void fail(AiGatewayException failure) {
    if (end()) {
      inner.close();
      scope.reportContent(null);
      scope.listener().callFailed(scope.info(), failure);
      scope.close();
    }
  }

  private boolean end() {
    if (ended.compareAndSet(false, true)) {
      endNanos = scope.clock().nanoTime();
      return true;
    }
    return false;
  }
}
