package dev.aigw.providers.internal;

import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ProviderException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChatStream.Source} over an HTTP event stream: reads one event at a time and hands it
 * to the provider's decoder, so each chunk reaches the caller as soon as its event arrives. A
 * body that ends before the provider's final event is a cut-off stream (a retryable {@link
 * ProviderException}); closing cancels the HTTP call.
 */
public final class EventStreamSource implements ChatStream.Source {
  private final String provider;
  private final Call call;
  private final Response response;
  private final SseReader reader;
  private final StreamDecoder decoder;
  private final CancellationToken.@Nullable Registration registration;
  private final @Nullable CancellationToken token;
  private final ArrayDeque<ChatChunk> ready = new ArrayDeque<>();
  private final Consumer<ChatChunk> sink = ready::add;
  private volatile boolean closed;
  private volatile boolean ended;

  EventStreamSource(
      String provider, Call call, Response response, StreamDecoder decoder, @Nullable CancellationToken token,
      CancellationToken.@Nullable Registration registration) {
    this.provider = provider;
    this.call = call;
    this.response = response;
    this.reader = new SseReader(response.body().source());
    this.decoder = decoder;
    this.token = token;
    this.registration = registration;
  }

  @Override
  public @Nullable ChatChunk next() {
    while (ready.isEmpty()) {
      if (ended) {
        return null;
      }
      if (closed) {
        throw cancelled();
      }
      SseEvent event;
      try {
        event = reader.next();
      } catch (IOException | IllegalStateException e) {
        // close() from another thread closes the body under the reader: IOException or ISE("closed")
        if (closed || token != null && token.isCancelled()) {
          throw cancelled();
        }
        if (e instanceof IllegalStateException ise) {
          throw ise;
        }
        throw ErrorMapping.fromIo(provider, (IOException) e);
      }
      if (event == null) {
        if (closed) {
          throw cancelled();
        }
        if (!decoder.isComplete()) {
          decoder.onEnd(sink);
        }
        if (!decoder.isComplete()) {
          throw new ProviderException(provider, response.code(), true,
              "provider '" + provider + "' ended the stream before its final event (cut off)");
        }
        ended = true;
        continue;
      }
      decoder.onEvent(event, sink);
      if (decoder.isComplete()) {
        ended = true;
      }
    }
    return ready.poll();
  }

  private RuntimeException cancelled() {
    if (token != null && token.reason().isPresent()) {
      return token.reason().get();
    }
    return new CallCancelledException("the stream from provider '" + provider + "' was closed");
  }

  /**
   * After a normal end only closes the body, so the connection goes back to the pool; before
   * the end it cancels the call (the connection cannot be reused mid-body).
   */
  @Override
  public void close() {
    closed = true;
    if (!ended) {
      call.cancel();
    }
    response.close();
    if (registration != null) {
      registration.close();
    }
  }
}
