package dev.aigw.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.BufferedSink;
import okio.Okio;
import okio.Pipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SseReaderTest {

  private static List<SseEvent> readAll(String stream) throws IOException {
    SseReader reader = new SseReader(new Buffer().writeUtf8(stream));
    List<SseEvent> events = new ArrayList<>();
    SseEvent event;
    while ((event = reader.next()) != null) {
      events.add(event);
    }
    return events;
  }

  @Test
  void joinsMultipleDataLinesWithNewlines() throws IOException {
    assertThat(readAll("data: first\ndata: second\ndata: third\n\n"))
        .containsExactly(new SseEvent("message", "first\nsecond\nthird"));
  }

  @Test
  void namesEventsAndDefaultsToMessage() throws IOException {
    assertThat(readAll("event: message_start\ndata: {}\n\ndata: plain\n\nevent:\ndata: empty name\n\n"))
        .containsExactly(
            new SseEvent("message_start", "{}"),
            new SseEvent("message", "plain"),
            new SseEvent("message", "empty name"));
  }

  @Test
  void eventNameDoesNotLeakIntoTheNextEvent() throws IOException {
    assertThat(readAll("event: ping\ndata: 1\n\ndata: 2\n\n"))
        .containsExactly(new SseEvent("ping", "1"), new SseEvent("message", "2"));
  }

  @Test
  void anEventNameWithoutDataDispatchesNothingAndIsForgotten() throws IOException {
    assertThat(readAll("event: lonely\n\ndata: after\n\n")).containsExactly(new SseEvent("message", "after"));
  }

  @Test
  void ignoresCommentsIdsRetriesAndUnknownFields() throws IOException {
    assertThat(readAll(": keep-alive\n:\nid: 42\nretry: 1000\nfoo: bar\ndata: payload\n: between\n\n: OPENROUTER PROCESSING\n\n"))
        .containsExactly(new SseEvent("message", "payload"));
  }

  @Test
  void stripsExactlyOneLeadingSpace() throws IOException {
    assertThat(readAll("data:no space\n\ndata: one space\n\ndata:  two spaces\n\ndata:\ttab\n\n"))
        .extracting(SseEvent::data)
        .containsExactly("no space", "one space", " two spaces", "\ttab");
  }

  @Test
  void keepsColonsInsideTheValue() throws IOException {
    assertThat(readAll("data: {\"a\":\"b:c\"}\n\n")).extracting(SseEvent::data).containsExactly("{\"a\":\"b:c\"}");
  }

  @Test
  void acceptsCrlfLineEndings() throws IOException {
    assertThat(readAll("event: delta\r\ndata: one\r\ndata: two\r\n\r\ndata: [DONE]\r\n\r\n"))
        .containsExactly(new SseEvent("delta", "one\ntwo"), new SseEvent("message", "[DONE]"));
  }

  @Test
  void dropsAFinalEventWithoutATrailingBlankLine() throws IOException {
    assertThat(readAll("data: complete\n\ndata: cut off\n")).containsExactly(new SseEvent("message", "complete"));
    assertThat(readAll("data: complete\n\ndata: cut off without newline")).containsExactly(new SseEvent("message", "complete"));
  }

  @Test
  void anEmptyStreamHasNoEvents() throws IOException {
    assertThat(readAll("")).isEmpty();
    assertThat(readAll("\n\n\n")).isEmpty();
  }

  @Test
  void anEmptyDataLineIsAnEventWithEmptyData() throws IOException {
    assertThat(readAll("data:\n\ndata\n\n")).containsExactly(new SseEvent("message", ""), new SseEvent("message", ""));
    assertThat(readAll("data:\ndata: x\ndata:\n\n")).containsExactly(new SseEvent("message", "\nx\n"));
  }

  @Test
  void returnsNullAgainAfterTheEnd() throws IOException {
    SseReader reader = new SseReader(new Buffer().writeUtf8("data: x\n\n"));
    assertThat(reader.next()).isEqualTo(new SseEvent("message", "x"));
    assertThat(reader.next()).isNull();
    assertThat(reader.next()).isNull();
  }

  @Test
  void decodesUtf8() throws IOException {
    assertThat(readAll("data: héllo ✓ 😀\n\n")).extracting(SseEvent::data).containsExactly("héllo ✓ 😀");
  }

  @Test
  void readsALineOfExactlyTheLimit() throws IOException {
    String big = "x".repeat((int) SseReader.MAX_LINE - "data: ".length());
    assertThat(readAll("data: " + big + "\n\n")).extracting(e -> e.data().length()).containsExactly(big.length());
  }

  @Test
  void rejectsALineOverTheLimit() {
    Buffer source = new Buffer().writeUtf8("data: ").writeUtf8("x".repeat((int) SseReader.MAX_LINE)).writeUtf8("\n\n");
    SseReader reader = new SseReader(source);
    assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("longer than");
  }

  @Test
  void rejectsAnUnterminatedLineOverTheLimitBeforeTheStreamEnds() throws Exception {
    // The limit must hold while the line is still arriving, not only once the body ends.
    Pipe pipe = new Pipe(Long.MAX_VALUE);
    SseReader reader = new SseReader(Okio.buffer(pipe.source()));
    try (BufferedSink sink = Okio.buffer(pipe.sink())) {
      sink.writeUtf8("data: ").writeUtf8("x".repeat((int) SseReader.MAX_LINE)).flush();
      assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("longer than");
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS) // guards against a reader that waits for more bytes than it needs
  void returnsEachEventAsSoonAsItsBlankLineArrives() throws Exception {
    Pipe pipe = new Pipe(1024 * 1024);
    SseReader reader = new SseReader(Okio.buffer(pipe.source()));
    try (BufferedSink sink = Okio.buffer(pipe.sink())) {
      sink.writeUtf8("event: first\ndata: one\n\n").flush();
      // Only the first event exists yet: next() must return it without waiting for more bytes.
      assertThat(reader.next()).isEqualTo(new SseEvent("first", "one"));

      CompletableFuture<SseEvent> second = CompletableFuture.supplyAsync(() -> {
        try {
          return reader.next();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      sink.writeUtf8("data: tw").flush();
      assertThat(second).isNotDone(); // half an event is not an event
      sink.writeUtf8("o\n").flush();
      sink.writeUtf8("\n").flush();
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(new SseEvent("message", "two"));
    }
    assertThat(reader.next()).isNull();
  }

  @Test
  void handlesEventsSplitAcrossArbitraryChunks() throws IOException {
    String stream = "event: a\r\ndata: 1\r\n\r\n: c\ndata: 2\ndata: 3\n\n";
    // Feed one byte at a time through a source that only ever has one byte buffered.
    okio.Source trickle = new okio.Source() {
      private int pos;

      @Override
      public long read(Buffer sink, long byteCount) {
        if (pos == stream.length()) {
          return -1;
        }
        sink.writeByte(stream.charAt(pos++));
        return 1;
      }

      @Override
      public okio.Timeout timeout() {
        return okio.Timeout.NONE;
      }

      @Override
      public void close() {}
    };
    SseReader reader = new SseReader(Okio.buffer(trickle));
    assertThat(reader.next()).isEqualTo(new SseEvent("a", "1"));
    assertThat(reader.next()).isEqualTo(new SseEvent("message", "2\n3"));
    assertThat(reader.next()).isNull();
  }
}
