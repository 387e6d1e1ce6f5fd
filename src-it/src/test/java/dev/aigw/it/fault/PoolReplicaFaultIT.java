package dev.aigw.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.ChatProvider;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.ProviderException;
import dev.aigw.it.fault.FaultKit.Expect;
import dev.aigw.it.fault.FaultKit.Mode;
import dev.aigw.it.fault.FaultKit.Setup;
import dev.aigw.it.fault.FaultKit.Shape;
import dev.aigw.providers.pool.InferencePool;
import dev.aigw.providers.pool.Picker;
import dev.aigw.core.Driver;
import dev.aigw.testkit.sim.SimulatedInferenceServer;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An {@link InferencePool} of two {@link SimulatedInferenceServer} replicas (A, always picked
 * first, and B) behind the gateway, with the simulator's own failure injection: a replica's
 * failure before the first token is absorbed by the pool (one gateway attempt, served by B);
 * after it, it reaches the caller; a hang ends at the call's deadline; a pool whose every replica
 * fails ends with the typed error. The same invariants as the rest of the suite are checked.
 */
@Isolated
@Execution(ExecutionMode.SAME_THREAD)
@ExtendWith(FaultMatrix.class)
class PoolReplicaFaultIT {
  private static final Duration DEADLINE = Duration.ofMillis(300);
  private static final Picker FIRST = (request, candidates) -> candidates.get(0);

  enum Fault {
    /** A answers 503 once: the pool tries B. */
    REPLICA_503,
    /** A answers 429 ({@code retry-after: 1}) once: the pool tries B rather than wait. */
    REPLICA_429,
    /** A is down (connection refused): the pool tries B. */
    REPLICA_DOWN,
    /** Streams: A cuts its stream right after the headers, before any event: the pool tries B. */
    REPLICA_CUT_BEFORE_FIRST_CHUNK,
    /** Streams: A cuts its stream after three events: the caller gets the error; B is not asked. */
    REPLICA_CUT_AFTER_FIRST_CHUNK,
    /** A never answers: the pool does not hedge, so the 300 ms deadline ends the call. */
    REPLICA_HANGS,
    /** Every replica answers 503: the pool gives up after both, and the gateway after its two attempts. */
    ALL_REPLICAS_503;

    boolean applies(Mode mode) {
      return mode == Mode.STREAM || !name().startsWith("REPLICA_CUT");
    }

    Expect expect() {
      return switch (this) {
        case REPLICA_503, REPLICA_429, REPLICA_DOWN, REPLICA_CUT_BEFORE_FIRST_CHUNK -> Expect.servedByPrimary(1);
        case REPLICA_CUT_AFTER_FIRST_CHUNK -> Expect.fails(ProviderException.class, 1, FaultKit::droppedConnection)
            .afterFirstChunk();
        case REPLICA_HANGS -> Expect.fails(DeadlineExceededException.class, 1, e -> e.timeout().equals(DEADLINE));
        case ALL_REPLICAS_503 -> Expect.fails(ProviderException.class, 2,
            e -> e.retryable() && e.statusCode().getAsInt() == 503);
      };
    }
  }

  /** Two simulated replicas and the pool over them; A is broken by {@code fault} until healed. */
  private static final class Replicas implements FaultKit.Primary {
    private final Fault fault;
    private final SimulatedInferenceServer a = sim(0);
    private final SimulatedInferenceServer b = sim(1);

    Replicas(Fault fault) {
      this.fault = fault;
      switch (fault) {
        case REPLICA_503 -> a.failNext(1, 503);
        case REPLICA_429 -> a.failNext(1, 429);
        case REPLICA_DOWN -> a.stop();
        case REPLICA_CUT_BEFORE_FIRST_CHUNK -> a.failNextMidStream(0);
        case REPLICA_CUT_AFTER_FIRST_CHUNK -> a.failNextMidStream(3);
        case REPLICA_HANGS -> a.hangNext();
        case ALL_REPLICAS_503 -> {
          a.errorRate(1, 503);
          b.errorRate(1, 503);
        }
      }
    }

    private static SimulatedInferenceServer sim(long seed) {
      return SimulatedInferenceServer.builder().model(ProviderKind.POOL.model).replyText(ProviderKind.ANSWER)
          .timeScale(50).seed(seed).start();
    }

    @Override
    public ChatProvider provider(String id) {
      return InferencePool.builder().id(id).replicas(a.baseUrl(), b.baseUrl()).models(ProviderKind.POOL.model)
          .picker(FIRST).healthCheck("/health", Duration.ZERO).metrics("/metrics", Duration.ZERO, Duration.ofSeconds(5))
          .orca(false).build();
    }

    @Override
    public void heal() {
      if (fault == Fault.REPLICA_DOWN) {
        a.restart();
      }
      a.failNext(0, 503);
      a.errorRate(0, 503);
      b.errorRate(0, 503);
      a.releaseHung();
    }

    @Override
    public void close() {
      a.close();
      b.close();
    }
  }

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (Fault fault : Fault.values()) {
      for (Mode mode : Mode.values()) {
        if (fault.applies(mode)) {
          cells.add(Arguments.of(ProviderKind.POOL, fault, mode, Shape.SOLE));
        }
      }
    }
    return cells.stream();
  }

  /**
   * The pool's own checks ({@code /health}, {@code /metrics}, {@code /v1/models}) use a client of
   * their own, whose keep-alive connections must close with the pool rather than linger for
   * OkHttp's five-minute idle timeout. A replica's server closes its side once the client has.
   */
  @Test
  void closingThePoolClosesTheConnectionsOfItsChecks() throws Exception {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (MockWebServer replica = new MockWebServer()) {
      replica.setServerSocketFactory(new FaultKit.NoDelay(accepted));
      replica.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return new MockResponse.Builder().code(200).body("").build();
        }
      });
      replica.start(InetAddress.getLoopbackAddress(), 0);
      InferencePool pool = InferencePool.builder().replicas("http://127.0.0.1:" + replica.getPort())
          .models(ProviderKind.POOL.model).healthCheck("/health", Duration.ofHours(1))
          .metrics("/metrics", Duration.ZERO, Duration.ofSeconds(5)).build();
      pool.checkHealthNow();
      assertThat(accepted).as("the health check connected").hasSize(1);

      pool.close();

      Driver.awaitTrue("the health check's connection closed with the pool", () -> accepted.get(0).isClosed());
    }
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @MethodSource("cells")
  void replicaFault(ProviderKind kind, Fault fault, Mode mode, Shape shape) throws Exception {
    Setup setup = Setup.defaults().primary(new Replicas(fault));
    if (fault == Fault.REPLICA_HANGS) {
      setup = setup.deadline(DEADLINE);
    }
    FaultKit.run(kind, mode, shape, setup, null, fault.expect());
  }
}
