package dev.aigw.core.internal;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.Usage;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * One stream attempt, opened up to its first chunk before the router returns it (so a stream
 * that fails before its first chunk counts as a failed attempt and can fall back). It owns the
 * attempt's control: counts output for the throughput floor, reports an attempt timeout as
 * such, remembers the usage for pricing, and ends the attempt when closed.
 */
final class AttemptStream implements ChatStream.Source {
  private final ChatStream stream;
  private final Iterator<ChatChunk> chunks;
  private final AttemptControl control;
  private @Nullable ChatChunk first;
  volatile @Nullable Usage usage;

  private AttemptStream(ChatStream stream, Iterator<ChatChunk> chunks, AttemptControl control, @Nullable ChatChunk first) {
    this.stream = stream;
    this.chunks = chunks;
    this.control = control;
    this.first = first;
    if (first != null) {
      seen(first);
    }
  }

  static AttemptStream open(ChatStream stream, AttemptControl control) {
    Iterator<ChatChunk> chunks = stream.iterator();
    ChatChunk first;
    try {
      first = chunks.hasNext() ? chunks.next() : null;
    } catch (RuntimeException e) {
      stream.close();
      throw e;
    }
    control.firstChunk();
    return new AttemptStream(stream, chunks, control, first);
  }

  ResponseMetadata metadata() {
    return stream.metadata();
  }

  private void seen(ChatChunk chunk) {
    int chars = chunk.text().length() + chunk.reasoning().length();
    for (ToolCallDelta delta : chunk.toolCalls()) {
      chars += delta.arguments().length();
    }
    control.streamed(chars);
    chunk.usage().ifPresent(u -> usage = u);
  }

  @Override
  public @Nullable ChatChunk next() {
    ChatChunk chunk = first;
    if (chunk != null) {
      first = null;
      return chunk;
    }
    try {
      if (!chunks.hasNext()) {
        return null;
      }
      chunk = chunks.next();
    } catch (RuntimeException e) {
      if (control.cancelledAlone()) {
        throw control.failure(e);
      }
      throw e;
    }
    seen(chunk);
    return chunk;
  }

  @Override
  public void close() {
    try {
      stream.close();
    } finally {
      control.end();
    }
  }
}
