package dev.aigw.providers.internal;

import java.io.IOException;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads server-sent events one at a time, as they arrive (the WHATWG event-stream format):
 * {@code data:} lines joined with newlines, {@code event:} names, comments and {@code id:} /
 * {@code retry:} ignored, one space after the colon dropped, an event dispatched at a blank line.
 * An unterminated event at the end of the stream is dropped, as the format requires. Lines end
 * with {@code \n} or {@code \r\n}; a line longer than 4 MiB is an error.
 */
public final class SseReader {
  static final long MAX_LINE = 4L * 1024 * 1024;

  private final BufferedSource source;

  /** @param source the response body */
  public SseReader(BufferedSource source) {
    this.source = source;
  }

  /**
   * Blocks for the next event.
   *
   * @return the event, or null at the end of the stream
   * @throws IOException when reading fails or a line is too long
   */
  public @Nullable SseEvent next() throws IOException {
    String event = null;
    StringBuilder data = null;
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
      String rest = source.readUtf8();
      return rest.endsWith("\r") ? rest.substring(0, rest.length() - 1) : rest;
    }
    String line = source.readUtf8(newline);
    source.skip(1);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
