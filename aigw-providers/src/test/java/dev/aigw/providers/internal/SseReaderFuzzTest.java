package dev.aigw.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;

/**
 * Fuzzes {@link SseReader}, which reads every provider's event stream. Contract: only {@link
 * IOException} (a line over 4 MiB) may escape {@link SseReader#next()}; the events must be those
 * of a plain reference reading of the format as the class documents it, whatever the bytes and
 * however the network splits them. Run in the normal suite on the inputs under {@code
 * SseReaderFuzzTestInputs/}; fuzz with {@code docs/fuzzing.md}.
 */
class SseReaderFuzzTest {

  /** The whole body at once: the events equal the reference reading. */
  @FuzzTest
  @DictionaryEntries({"data:", "data: ", "event:", "event: ", "id:", "retry:", ":", "[DONE]"})
  void reader(byte[] body) throws IOException {
    List<SseEvent> events = readAll(new Buffer().write(body));
    assertThat(events).isEqualTo(reference(body));
  }

  /**
   * The body as the network delivers it, a few bytes per read ({@code \r\n} and UTF-8 sequences
   * split across reads): the events are the same as when it comes whole.
   */
  @FuzzTest
  void chunked(FuzzedDataProvider data) throws IOException {
    int chunk = data.consumeInt(1, 17);
    byte[] body = data.consumeRemainingAsBytes();
    List<SseEvent> events = readAll(Okio.buffer(new Trickle(body, chunk)));
    assertThat(events).isEqualTo(readAll(new Buffer().write(body)));
  }

  private static List<SseEvent> readAll(BufferedSource source) throws IOException {
    SseReader reader = new SseReader(source);
    List<SseEvent> events = new ArrayList<>();
    SseEvent event;
    while ((event = reader.next()) != null) {
      events.add(event);
    }
    return events;
  }

  /**
   * The format as {@link SseReader} documents it, written the plain way: lines end at {@code \n}
   * (one {@code \r} before it dropped), {@code data} lines joined with {@code \n}, the last {@code
   * event} name kept, a blank line dispatches when there was data, an unterminated event is dropped.
   */
  private static List<SseEvent> reference(byte[] body) {
    List<SseEvent> events = new ArrayList<>();
    String event = null;
    StringBuilder data = null;
    int start = 0;
    while (start < body.length) {
      int end = start;
      while (end < body.length && body[end] != '\n') {
        end++;
      }
      int lineEnd = end > start && body[end - 1] == '\r' ? end - 1 : end;
      String line = new String(body, start, lineEnd - start, StandardCharsets.UTF_8);
      start = end + 1;
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new SseEvent(event == null || event.isEmpty() ? "message" : event, data.toString()));
          data = null;
        }
        event = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      value = value.startsWith(" ") ? value.substring(1) : value;
      if (field.equals("data")) {
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      } else if (field.equals("event")) {
        event = value;
      }
    }
    return events;
  }

  /** A source that hands out at most {@code chunk} bytes per read, as a slow connection does. */
  private static final class Trickle implements Source {
    private final byte[] body;
    private final int chunk;
    private int position;

    Trickle(byte[] body, int chunk) {
      this.body = body;
      this.chunk = chunk;
    }

    @Override
    public long read(Buffer sink, long byteCount) {
      if (position == body.length) {
        return -1;
      }
      int n = (int) Math.min(Math.min(chunk, byteCount), body.length - position);
      sink.write(body, position, n);
      position += n;
      return n;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {}
  }
}
