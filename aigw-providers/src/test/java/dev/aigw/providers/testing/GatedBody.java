package dev.aigw.providers.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * A streamed response body in two parts: the first is written and flushed, then the server waits
 * until the test {@link #release() releases} the rest, which it writes (and flushes) {@code
 * repeat} times. {@link #outcome()} completes with the {@link IOException} that stopped the
 * writing (the client went away), or with {@code null} when everything was written. Lets tests
 * prove incremental delivery and cancellation without timing.
 */
public final class GatedBody implements MockResponseBody {
  private final byte[] first;
  private final byte[] rest;
  private final int repeat;
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CompletableFuture<IOException> outcome = new CompletableFuture<>();

  /** A body of {@code first}, then (once released) {@code rest}. */
  public GatedBody(String first, String rest) {
    this(first, rest, 1);
  }

  /** A body of {@code first}, then (once released) {@code rest} written {@code repeat} times. */
  public GatedBody(String first, String rest, int repeat) {
    this.first = first.getBytes(StandardCharsets.UTF_8);
    this.rest = rest.getBytes(StandardCharsets.UTF_8);
    this.repeat = repeat;
  }

  /** Lets the server write the rest of the body. */
  public void release() {
    gate.countDown();
  }

  /** The failure that stopped the server writing, or null once the whole body was written. */
  public CompletableFuture<IOException> outcome() {
    return outcome;
  }

  @Override
  public long getContentLength() {
    return -1;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    try {
      sink.write(first);
      sink.flush();
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new InterruptedIOException("the test never released the rest of the body");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
      for (int i = 0; i < repeat; i++) {
        sink.write(rest);
        sink.flush();
      }
      outcome.complete(null);
    } catch (IOException e) {
      outcome.complete(e);
      throw e;
    }
  }
}
