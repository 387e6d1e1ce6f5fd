package dev.aigw.providers.openai;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * A response body written in two parts: the first part is flushed, then the server waits until
 * the test {@link #release() releases} the rest. A test that reads the first chunk before
 * releasing proves the client streams incrementally, without any timing.
 */
final class GatedBody implements MockResponseBody {
  private final String first;
  private final String rest;
  private final CountDownLatch gate = new CountDownLatch(1);

  GatedBody(String first, String rest) {
    this.first = first;
    this.rest = rest;
  }

  void release() {
    gate.countDown();
  }

  @Override
  public long getContentLength() {
    return -1;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    sink.write(first.getBytes(StandardCharsets.UTF_8));
    sink.flush();
    try {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new InterruptedIOException("the test never released the rest of the body");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
    sink.write(rest.getBytes(StandardCharsets.UTF_8));
    sink.flush();
  }
}
