package dev.aigw.it.fault;

import static dev.aigw.it.fault.FaultKit.json;

import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.it.fault.FaultKit.DeadEnd;
import dev.aigw.it.fault.FaultKit.Expect;
import dev.aigw.it.fault.FaultKit.Mode;
import dev.aigw.it.fault.FaultKit.Respond;
import dev.aigw.it.fault.FaultKit.Setup;
import dev.aigw.it.fault.FaultKit.Shape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Transport faults, per provider type, blocking and streamed: nothing listening, a connect that
 * hangs, an answer that never comes, and a connection dropped before or during the answer. The
 * provider's own timeouts turn a hang into a retryable {@link ProviderTimeoutException} (so a
 * FALLBACK route is served by the backup); when the call's deadline comes first it ends the call
 * with a {@link DeadlineExceededException} at the deadline, fallback or not.
 */
@Isolated
@Execution(ExecutionMode.SAME_THREAD)
@ExtendWith(FaultMatrix.class)
class TransportFaultIT {
  private static final Duration SHORT_CONNECT = Duration.ofMillis(100);
  private static final Duration SHORT_READ = Duration.ofMillis(150);
  private static final Duration LONG = Duration.ofSeconds(20);
  private static final Duration DEADLINE = Duration.ofMillis(300);

  enum Fault {
    /** Nothing listens on the primary's port. */
    REFUSED,
    /** Connecting hangs (a full accept queue); the connect timeout (100 ms) ends each attempt. */
    CONNECT_TIMEOUT,
    /** Connecting hangs; the connect timeout is 20 s, so the call's 300 ms deadline ends it. */
    CONNECT_PAST_DEADLINE,
    /** The server reads the request and never answers; the read timeout (150 ms) ends each attempt. */
    READ_TIMEOUT,
    /** The server never answers; the read timeout is 20 s, so the deadline ends the call. */
    READ_PAST_DEADLINE,
    /** The server closes the connection after reading the request, before any answer. */
    RESET_BEFORE_ANSWER,
    /** The server closes the connection half way through the body (for streams: after the first event). */
    RESET_MID_BODY;

    Setup setup() {
      Setup d = Setup.defaults();
      return switch (this) {
        case REFUSED -> d.deadEnd(DeadEnd.REFUSED);
        case CONNECT_TIMEOUT -> d.deadEnd(DeadEnd.BLACKHOLE).timeouts(SHORT_CONNECT, LONG);
        case CONNECT_PAST_DEADLINE -> d.deadEnd(DeadEnd.BLACKHOLE).timeouts(LONG, LONG).deadline(DEADLINE);
        case READ_TIMEOUT -> d.timeouts(LONG, SHORT_READ);
        case READ_PAST_DEADLINE -> d.timeouts(LONG, LONG).deadline(DEADLINE);
        case RESET_BEFORE_ANSWER, RESET_MID_BODY -> d;
      };
    }

    Respond respond() {
      return switch (this) {
        case REFUSED, CONNECT_TIMEOUT, CONNECT_PAST_DEADLINE -> (kind, stream) -> {
          throw new AssertionError("a dead end answers nothing");
        };
        case READ_TIMEOUT, READ_PAST_DEADLINE -> (kind, stream) ->
            new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
        case RESET_BEFORE_ANSWER -> (kind, stream) ->
            new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket(true, false, false)).build();
        case RESET_MID_BODY -> (kind, stream) -> {
          // the socket closes at half the body: inside the padding, after the first event and before the last
          MockResponse whole = stream
              ? FaultKit.sse(kind.streamHead() + ": " + "x".repeat(8192) + "\n\n" + kind.streamTail())
              : json(200, kind.answerJson());
          return new MockResponse.Builder(whole).onResponseBody(new SocketEffect.CloseSocket(true, false, false)).build();
        };
      };
    }

    Expect expect(Mode mode, Shape shape) {
      return switch (this) {
        case REFUSED -> retryable(shape, ProviderException.class);
        case CONNECT_TIMEOUT, READ_TIMEOUT -> retryable(shape, ProviderTimeoutException.class);
        case CONNECT_PAST_DEADLINE, READ_PAST_DEADLINE -> Expect.fails(DeadlineExceededException.class, 1,
            e -> e.timeout().equals(DEADLINE));
        case RESET_BEFORE_ANSWER -> retryable(shape, ProviderException.class);
        case RESET_MID_BODY -> mode == Mode.STREAM
            ? Expect.fails(ProviderException.class, 1, FaultKit::droppedConnection).afterFirstChunk()
            : retryable(shape, ProviderException.class);
      };
    }

    private static Expect retryable(Shape shape, Class<? extends ProviderException> type) {
      return shape == Shape.FALLBACK
          ? Expect.servedByBackup(2)
          : Expect.fails(type, 2, e -> type.isInstance(e) && e.retryable() && e.statusCode().isEmpty()
              && (type == ProviderTimeoutException.class || !(e instanceof ProviderTimeoutException)));
    }
  }

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (ProviderKind kind : ProviderKind.values()) {
      for (Fault fault : Fault.values()) {
        for (Mode mode : Mode.values()) {
          for (Shape shape : List.of(Shape.SOLE, Shape.FALLBACK)) {
            // the deadline ends the call whatever the route: shown where it matters, with a healthy fallback at hand
            if (!fault.name().endsWith("PAST_DEADLINE") || shape == Shape.FALLBACK) {
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
  void transportFault(ProviderKind kind, Fault fault, Mode mode, Shape shape) throws Exception {
    FaultKit.run(kind, mode, shape, fault.setup(), fault.respond(), fault.expect(mode, shape));
  }
}
