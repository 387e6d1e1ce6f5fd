package dev.aigw.providers.internal;

import java.io.IOException;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads server-sent events one at a time, as they arrive (the WHATWG event-stream format):
 * {@code data:} lines joined with newlines, {@code event:} names, comments and {@code id:} /
 * {@code retry:} ignored, one space after the colon dropped, an event dispatched at a blank line.
 * An unterminated event at the end of the stream is dropped, as the format requires. Lines end
 * with {@code \n} or {@code \r\n}; a line longer than 4 MiB is an error, and so is an event
 * whose {@code data:} lines add up to more than 4 MiB (else a server could make the reader buffer
 * without bound, one line at a time).
 */
public final class SseReader {
  static final long MAX_LINE = 4L * 1024 * 1024;
  /** The most data one event may carry, its {@code data:} lines joined: as much as one line may hold. */
  static final long MAX_EVENT = MAX_LINE;

  private final BufferedSource source;
  /** The size in bytes of the line {@link #readLine} returned last. */
  private long lineBytes;

  /** @param source the response body */
  public SseReader(BufferedSource source) {
    this.source = source;
  }

  /**
   * Blocks for the next event.
   *
   * @return the event, or null at the end of the stream
   * @throws IOException when reading fails, or a line or an event is too long
   */
  public @Nullable SseEvent next() throws IOException {
    String event = null;
    StringBuilder data = null;
    long dataBytes = 0;
    String line;
    while ((line = readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return new SseEvent(event == null || event.isEmpty() ? "message" : event, data.toString());
        }
        event = null;
        continue;
      }
      if (line.charAt(0) == ':') {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (!value.isEmpty() && value.charAt(0) == ' ') {
        value = value.substring(1);
      }
      if (field.equals("data")) {
        // the field name, the colon and the space are one byte each
        dataBytes += (data == null ? 0 : 1) + lineBytes - (line.length() - value.length());
        if (dataBytes > MAX_EVENT) {
          throw new IOException("server-sent event larger than " + MAX_EVENT + " bytes");
        }
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      } else if (field.equals("event")) {
        event = value;
      }
    }
    return null;
  }

  private @Nullable String readLine() throws IOException {
    long newline = source.indexOf((byte) '\n', 0, MAX_LINE + 1);
    if (newline < 0) {
      if (source.getBuffer().size() > MAX_LINE) {
        throw new IOException("server-sent event line longer than " + MAX_LINE + " bytes");
      }
      if (source.exhausted()) {
        return null;
      }
      lineBytes = source.getBuffer().size();
      return withoutCarriageReturn(source.readUtf8());
    }
    lineBytes = newline;
    String line = source.readUtf8(newline);
    source.skip(1);
    return withoutCarriageReturn(line);
  }

  private String withoutCarriageReturn(String line) {
    if (line.endsWith("\r")) {
      lineBytes--;
      return line.substring(0, line.length() - 1);
    }
    return line;
  }
}
