package dev.aigw.it.fault;

import static dev.aigw.it.fault.FaultKit.json;
import static dev.aigw.it.fault.FaultKit.sse;

import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.ProviderException;
import dev.aigw.it.fault.FaultKit.Expect;
import dev.aigw.it.fault.FaultKit.Mode;
import dev.aigw.it.fault.FaultKit.Respond;
import dev.aigw.it.fault.FaultKit.Setup;
import dev.aigw.it.fault.FaultKit.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults in what a 200 answer carries, per provider type, blocking and streamed: malformed JSON,
 * a truncated body or stream, a body that drips one byte at a time, an error event after 200 OK
 * (before and after the first chunk, retryable or a client error), and bodies past the
 * providers' size limits (32 MiB for a body, 4 MiB for a stream line or event). A fault after the
 * first chunk reaches the caller in the stream, fallback route or not, and the budget charges
 * what was delivered (documented); before it, the router may retry and fall back.
 */
@Isolated
@Execution(ExecutionMode.SAME_THREAD)
@ExtendWith(FaultMatrix.class)
class PayloadFaultIT {
  private static final long MAX_BODY = 32L * 1024 * 1024;
  private static final int MAX_LINE = 4 * 1024 * 1024;
  private static final Duration PACE = Duration.ofMillis(10);
  private static final Duration DEADLINE = Duration.ofMillis(300);
  /** Long enough for the first event to arrive (at once) even on a loaded machine, then strikes mid-stream. */
  private static final Duration MID_STREAM_DEADLINE = Duration.ofMillis(500);
  private static final Duration ATTEMPT_LIMIT = Duration.ofMillis(150);

  enum Fault {
    /** Not JSON: the blocking body, or the stream's first event. */
    MALFORMED_JSON,
    /** The blocking body cut in half (valid HTTP framing, JSON ends early); a stream that ends after its first event. */
    TRUNCATED,
    /** One byte every 10 ms from the start; SOLE: the 300 ms deadline ends it; FALLBACK: a 150 ms attempt / first-chunk limit. */
    DRIP,
    /** Streams: the first event at once, then one byte every 10 ms; the 500 ms deadline strikes mid-stream. */
    DRIP_MID_STREAM,
    /** 200 OK whose body is the provider's error envelope; for streams an error event as the first event (overloaded/5xx). */
    ERROR_AFTER_200,
    /** Streams: a retryable error event after the first text event. */
    ERROR_EVENT_MID_STREAM,
    /** Streams: an invalid-request error event: not retryable, never falls back. */
    CLIENT_ERROR_EVENT,
    /** A blocking body of 32 MiB + 1 byte; a stream line of 4 MiB + 1 byte. */
    OVERSIZED,
    /** Streams: one event of five 1 MiB {@code data:} lines, more than the 4 MiB an event may carry. */
    OVERSIZED_EVENT;

    boolean applies(Mode mode) {
      return mode == Mode.STREAM || !(this == DRIP_MID_STREAM || this == ERROR_EVENT_MID_STREAM || this == CLIENT_ERROR_EVENT
          || this == OVERSIZED_EVENT);
    }

    Setup setup(Mode mode, Shape shape) {
      Setup d = Setup.defaults();
      return switch (this) {
        case DRIP -> shape == Shape.SOLE ? d.deadline(DEADLINE) : d.resilience(r -> mode == Mode.STREAM
            ? r.firstChunkTimeout(ATTEMPT_LIMIT) : r.attemptTimeout(ATTEMPT_LIMIT));
        case DRIP_MID_STREAM -> d.deadline(MID_STREAM_DEADLINE);
        case OVERSIZED, OVERSIZED_EVENT -> d.resilience(r -> r.maxAttempts(1));
        default -> d;
      };
    }

    Respond respond() {
      return switch (this) {
        case MALFORMED_JSON -> (kind, stream) -> stream ? sse(kind.malformedEvent())
            : json(200, "{\"id\":\"chatcmpl-1\",,\"choices\":[{\"index\":0}]}");
        case TRUNCATED -> (kind, stream) -> stream ? sse(kind.streamHead())
            : json(200, kind.answerJson().substring(0, kind.answerJson().length() / 2));
        case DRIP -> (kind, stream) -> new MockResponse.Builder(FaultKit.healthy(kind, stream))
            .throttleBody(1, PACE.toMillis(), TimeUnit.MILLISECONDS).build();
        case DRIP_MID_STREAM -> (kind, stream) -> new MockResponse.Builder().code(200)
            .addHeader("Content-Type", "text/event-stream").body(new Drip(kind.streamHead(), kind.streamTail())).build();
        case ERROR_AFTER_200 -> (kind, stream) -> stream ? sse(kind.errorEvent(false)) : json(200, kind.errorJson(503));
        case ERROR_EVENT_MID_STREAM -> (kind, stream) -> sse(kind.streamHead() + kind.errorEvent(false));
        case CLIENT_ERROR_EVENT -> (kind, stream) -> sse(kind.errorEvent(true));
        case OVERSIZED -> (kind, stream) -> {
          Buffer body = new Buffer();
          if (stream) {
            body.writeUtf8("data: ").write(new byte[MAX_LINE + 1]).writeUtf8("\n\n");
          } else {
            body.writeUtf8("{\"id\":\"").write(new byte[(int) MAX_BODY]).writeUtf8("\"}");
          }
          return new MockResponse.Builder().code(200)
              .addHeader("Content-Type", stream ? "text/event-stream" : "application/json").body(body).build();
        };
        case OVERSIZED_EVENT -> (kind, stream) -> {
          Buffer body = new Buffer();
          for (int i = 0; i < 5; i++) {
            body.writeUtf8("data: ").writeUtf8("x".repeat(1024 * 1024)).writeUtf8("\n");
          }
          return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
              .body(body.writeUtf8("\n")).build();
        };
      };
    }

    Expect expect(ProviderKind kind, Mode mode, Shape shape) {
      boolean stream = mode == Mode.STREAM;
      return switch (this) {
        case MALFORMED_JSON -> retryable(shape, 2, e -> e.getMessage().contains("malformed"));
        case TRUNCATED -> stream
            ? Expect.fails(ProviderException.class, 1, e -> e.retryable() && e.getMessage().contains("cut off")).afterFirstChunk()
            : retryable(shape, 2, e -> e.getMessage().contains("malformed"));
        case DRIP -> shape == Shape.SOLE
            ? Expect.fails(DeadlineExceededException.class, 1, e -> e.timeout().equals(DEADLINE))
            : Expect.servedByBackup(2);
        case DRIP_MID_STREAM -> Expect.fails(DeadlineExceededException.class, 1, e -> e.timeout().equals(MID_STREAM_DEADLINE))
            .afterFirstChunk();
        case ERROR_AFTER_200 -> retryable(shape, 2, e -> !stream || e.statusCode().getAsInt() == kind.errorEventStatus(false));
        case ERROR_EVENT_MID_STREAM -> Expect.fails(ProviderException.class, 1,
            e -> e.retryable() && e.statusCode().getAsInt() == kind.errorEventStatus(false)).afterFirstChunk();
        case CLIENT_ERROR_EVENT -> Expect.fails(ProviderException.class, 1,
            e -> !e.retryable() && e.statusCode().getAsInt() == 400);
        case OVERSIZED -> retryable(shape, 1, e -> e.getMessage().contains(stream ? "longer than " + MAX_LINE
            : "larger than " + MAX_BODY));
        case OVERSIZED_EVENT -> retryable(shape, 1, e -> e.getMessage().contains("larger than " + MAX_LINE));
      };
    }

    private static Expect retryable(Shape shape, int attempts, java.util.function.Predicate<ProviderException> check) {
      return shape == Shape.FALLBACK
          ? Expect.servedByBackup(attempts)
          : Expect.fails(ProviderException.class, attempts, e -> e.retryable() && check.test(e));
    }
  }

  /**
   * A stream whose first part comes at once and whose rest drips one byte per {@link #PACE}: the
   * pacing is the simulated server's (on its own thread), not a wait of the test.
   */
  private static final class Drip implements MockResponseBody {
    private final byte[] fast;
    private final byte[] slow;

    Drip(String fast, String slow) {
      this.fast = fast.getBytes(StandardCharsets.UTF_8);
      this.slow = slow.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public long getContentLength() {
      return -1;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.write(fast).flush();
      for (byte b : slow) {
        LockSupport.parkNanos(PACE.toNanos());
        sink.writeByte(b).flush();
      }
    }
  }

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (ProviderKind kind : ProviderKind.values()) {
      for (Fault fault : Fault.values()) {
        for (Mode mode : Mode.values()) {
          if (fault.applies(mode)) {
            for (Shape shape : List.of(Shape.SOLE, Shape.FALLBACK)) {
              cells.add(Arguments.of(kind, fault, mode, shape));
            }
          }
        }
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @MethodSource("cells")
  void payloadFault(ProviderKind kind, Fault fault, Mode mode, Shape shape) throws Exception {
    FaultKit.run(kind, mode, shape, fault.setup(mode, shape), fault.respond(), fault.expect(kind, mode, shape));
  }
}
