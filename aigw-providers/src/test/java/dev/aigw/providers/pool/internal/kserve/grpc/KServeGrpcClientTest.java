package dev.aigw.providers.pool.internal.kserve.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.Message;
import dev.aigw.api.ProviderException;
import dev.aigw.api.RateLimitedException;
import dev.aigw.providers.pool.internal.kserve.Datatype;
import dev.aigw.providers.pool.internal.kserve.InferRequest;
import dev.aigw.providers.pool.internal.kserve.InferResponse;
import dev.aigw.providers.pool.internal.kserve.InferStream;
import dev.aigw.providers.pool.internal.kserve.InferTensor;
import dev.aigw.providers.pool.internal.kserve.KServeGrpc;
import dev.aigw.providers.pool.internal.kserve.KServeLlm;
import dev.aigw.providers.pool.internal.kserve.KServeStreamingClient;
import dev.aigw.providers.pool.internal.kserve.ModelMetadata;
import dev.aigw.providers.pool.internal.kserve.SimulatedKServeGrpcServer;
import dev.aigw.providers.pool.internal.kserve.SimulatedLlm;
import dev.aigw.providers.pool.internal.kserve.proto.ModelInferRequest;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gRPC binding against a real gRPC server (grpc-netty-shaded) on a free loopback port. The
 * class-level {@link Timeout} is a hang guard only.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KServeGrpcClientTest {
  private SimulatedKServeGrpcServer server;
  private KServeStreamingClient client;

  @BeforeEach
  void start() throws Exception {
    server = new SimulatedKServeGrpcServer();
    client = KServeGrpc.connect("pool", "127.0.0.1", server.port(), KServeGrpc.Options.PLAINTEXT);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
  }

  static String prompt(String user) {
    return KServeLlm.renderPrompt(List.of(Message.user(user)));
  }

  /** A vLLM-convention request, as {@link KServeLlm} builds them. */
  static InferRequest vllm(String user, boolean stream, int maxTokens) {
    return InferRequest.of(
        InferTensor.text("text_input", prompt(user)),
        InferTensor.bool("stream", stream),
        InferTensor.bool("exclude_input_in_output", true),
        InferTensor.text("sampling_parameters", "{\"max_tokens\":" + maxTokens + "}")).withOutputs("text_output");
  }

  static InferRequest simple() {
    return InferRequest.of(
        InferTensor.of("INPUT0", Datatype.INT32, List.of(1L, 16L), IntStream.range(0, 16).boxed().toList()),
        InferTensor.of("INPUT1", Datatype.INT32, List.of(1L, 16L), IntStream.range(0, 16).map(i -> 1).boxed().toList()));
  }

  static List<InferResponse> drain(InferStream stream) {
    List<InferResponse> responses = new ArrayList<>();
    try (stream) {
      for (InferResponse r = stream.next(); r != null; r = stream.next()) {
        responses.add(r);
      }
    }
    return responses;
  }

  static String text(InferResponse response) {
    return response.output("text_output").orElseThrow().strings().get(0);
  }

  @Nested
  class Health {
    @Test
    void liveAndReady() {
      assertThat(client.serverLive(CallContext.empty())).isTrue();
      assertThat(client.serverReady(CallContext.empty())).isTrue();
      server.ready = false;
      assertThat(client.serverReady(CallContext.empty())).isFalse();
    }

    @Test
    void modelReadinessIsFalseForAnUnknownModel() {
      assertThat(client.modelReady("simple", CallContext.empty())).isTrue();
      assertThat(client.modelReady("nope", CallContext.empty())).isFalse();
    }

    @Test
    void anUnreachableServerIsUnavailableAndRetryable() throws Exception {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      try (KServeStreamingClient gone = KServeGrpc.connect("pool", "127.0.0.1", port, KServeGrpc.Options.PLAINTEXT)) {
        assertThatThrownBy(() -> gone.serverReady(CallContext.empty()))
            .isInstanceOfSatisfying(ProviderException.class, e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.statusCode()).hasValue(503);
            })
            .hasMessageContaining("UNAVAILABLE");
      }
    }
  }

  @Nested
  class Metadata {
    @Test
    void parsesTheModelsTensors() {
      ModelMetadata metadata = client.modelMetadata("ensemble", CallContext.empty());

      assertThat(metadata.name()).isEqualTo("ensemble");
      assertThat(metadata.versions()).containsExactly("1");
      assertThat(metadata.platform()).isEqualTo("ensemble");
      assertThat(metadata.input("max_tokens")).hasValueSatisfying(t -> {
        assertThat(t.datatype()).isEqualTo("INT32");
        assertThat(t.shape()).containsExactly(-1L, 1L);
      });
      assertThat(metadata.outputs()).extracting(ModelMetadata.TensorMetadata::name).containsExactly("text_output");
    }

    @Test
    void anUnknownModelIsNotFoundAndNotRetryable() {
      assertThatThrownBy(() -> client.modelMetadata("nope", CallContext.empty()))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.statusCode()).hasValue(404);
          })
          .hasMessageContaining("unknown model: 'nope'");
    }
  }

  @Nested
  class Infer {
    @Test
    void sendsRawInputContentsAndReadsRawOutputs() {
      InferResponse response = client.infer("simple", simple().withId("req-1"), CallContext.empty());

      assertThat(response.id()).isEqualTo("req-1");
      assertThat(response.modelVersion()).isEqualTo("1");
      assertThat(response.output("OUTPUT0").orElseThrow().longs()).startsWith(1L, 2L).endsWith(16L);
      assertThat(response.output("OUTPUT1").orElseThrow().longs()).startsWith(-1L, 0L);
      ModelInferRequest sent = server.received.get(0);
      assertThat(sent.getModelName()).isEqualTo("simple");
      assertThat(sent.getInputs(0).getDatatype()).isEqualTo("INT32");
      assertThat(sent.getInputs(0).getShapeList()).containsExactly(1L, 16L);
      assertThat(sent.getInputs(0).hasContents()).as("raw form only").isFalse();
      assertThat(sent.getRawInputContents(0).size()).isEqualTo(64);
    }

    @Test
    void readsTypedOutputContentsToo() {
      InferResponse response = client.infer("simple", simple().withParameters(Map.of("typed", true)), CallContext.empty());

      assertThat(response.output("OUTPUT0").orElseThrow().longs()).startsWith(1L, 2L).endsWith(16L);
      assertThat(server.received.get(0).getParametersMap().get("typed").getBoolParam()).isTrue();
    }

    @Test
    void statusesAreMappedToTheApisExceptions() {
      InferRequest overloaded = InferRequest.of(InferTensor.text("text_input", prompt(SimulatedLlm.OVERLOADED)).withShape(1L, 1L));
      InferRequest tooLong = InferRequest.of(InferTensor.text("text_input", prompt(SimulatedLlm.TOO_LONG)).withShape(1L, 1L));

      assertThatThrownBy(() -> client.infer("vllm_model", vllm("hi", false, 5), CallContext.empty()))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.statusCode()).hasValue(400);
          })
          .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("decoupled");
      assertThatThrownBy(() -> client.infer("ensemble", overloaded, CallContext.empty()))
          .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryable()).isTrue());
      assertThatThrownBy(() -> client.infer("ensemble", tooLong, CallContext.empty()))
          .isInstanceOf(ContextWindowExceededException.class);
    }
  }

  @Nested
  class StreamInfer {
    @Test
    void streamsOneResponsePerPieceUntilTheFinalFlag() {
      List<InferResponse> responses = drain(client.streamInfer("vllm_model", vllm("red green blue", true, 100), CallContext.empty()));

      assertThat(responses).extracting(KServeGrpcClientTest::text).containsExactly("You ", "said: ", "red ", "green ", "blue");
      assertThat(responses).extracting(InferResponse::isFinal).containsExactly(false, false, false, false, true);
      ModelInferRequest sent = server.received.get(0);
      assertThat(sent.getInputsList()).extracting(ModelInferRequest.InferInputTensor::getName)
          .containsExactly("text_input", "stream", "exclude_input_in_output", "sampling_parameters");
      assertThat(sent.getInputs(1).getDatatype()).isEqualTo("BOOL");
      assertThat(sent.getOutputs(0).getName()).isEqualTo("text_output");
    }

    @Test
    void withoutStreamingTheWholeAnswerComesInOneResponse() {
      List<InferResponse> responses = drain(client.streamInfer("vllm_model", vllm("red green blue", false, 3), CallContext.empty()));

      assertThat(responses).extracting(KServeGrpcClientTest::text).containsExactly("You said: red ");
    }

    @Test
    void anErrorMessageMidStreamFailsWithATypedException() {
      List<String> texts = new ArrayList<>();
      InferStream stream = client.streamInfer("vllm_model", vllm("a b " + SimulatedLlm.FAIL_MID_STREAM, true, 100), CallContext.empty());

      assertThatThrownBy(() -> {
        try (stream) {
          for (InferResponse r = stream.next(); r != null; r = stream.next()) {
            texts.add(text(r));
          }
        }
      }).isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining(SimulatedLlm.ENGINE_FAILURE);
      assertThat(texts).containsExactly("You ", "said: ");
    }

    @Test
    void anErrorMessageForABadRequestIsNotRetryable() {
      InferRequest wrong = InferRequest.of(InferTensor.text("text_input", prompt("x")), InferTensor.bool("streaming", true));

      assertThatThrownBy(() -> drain(client.streamInfer("vllm_model", wrong, CallContext.empty())))
          .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("unexpected inference input 'streaming'");
    }

    @Test
    void aStatusEndingTheStreamIsMapped() {
      assertThatThrownBy(() -> drain(client.streamInfer("vllm_model", vllm(SimulatedLlm.OVERLOADED, true, 5), CallContext.empty())))
          .isInstanceOf(RateLimitedException.class).hasMessageContaining(SimulatedLlm.QUEUE_FULL);
    }

    @Test
    void aContextWindowErrorInTheStreamIsTyped() {
      assertThatThrownBy(() -> drain(client.streamInfer("vllm_model", vllm(SimulatedLlm.TOO_LONG, true, 5), CallContext.empty())))
          .isInstanceOf(ContextWindowExceededException.class);
    }
  }

  @Nested
  class DeadlinesAndCancellation {
    @Test
    void aTimeoutEndsAnUnansweredCall() {
      Instant start = Instant.now();

      assertThatThrownBy(() -> client.infer("slow_model", simple(), CallContext.builder().timeout(Duration.ofMillis(300)).build()))
          .isInstanceOf(DeadlineExceededException.class);
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aTimeoutEndsAStalledStreamAfterTheFirstResponse() {
      InferStream stream = client.streamInfer("vllm_model", vllm("a b " + SimulatedLlm.HANG, true, 100),
          CallContext.builder().timeout(Duration.ofMillis(500)).build());

      try (stream) {
        assertThat(text(stream.next())).isEqualTo("You ");
        assertThatThrownBy(stream::next).isInstanceOf(DeadlineExceededException.class);
      }
    }

    @Test
    void theCallersTokenCancelsAWaitingStream() throws Exception {
      CancellationToken token = CancellationToken.create();
      InferStream stream = client.streamInfer("vllm_model", vllm("a b " + SimulatedLlm.HANG, true, 100),
          CallContext.builder().cancellation(token).build());
      assertThat(text(stream.next())).isEqualTo("You ");
      // the cancel races the blocked next(): either order must end next() with the token's reason
      CompletableFuture<Void> canceller = CompletableFuture.runAsync(token::cancel);

      assertThatThrownBy(stream::next).isSameAs(token.reason().orElseThrow());
      canceller.get();
      stream.close();
    }

    @Test
    void closingFromAnotherThreadEndsABlockedNext() throws Exception {
      InferStream stream = client.streamInfer("vllm_model", vllm("a b " + SimulatedLlm.HANG, true, 100), CallContext.empty());
      assertThat(text(stream.next())).isEqualTo("You ");
      CountDownLatch closing = new CountDownLatch(1);
      // the close races the blocked next(): either order must end next() as cancelled
      CompletableFuture<Void> closer = CompletableFuture.runAsync(() -> {
        closing.countDown();
        stream.close();
      });
      closing.await();

      assertThatThrownBy(stream::next).isInstanceOf(CallCancelledException.class);
      closer.get();
    }

    @Test
    void aTokenThatAlreadyFiredFailsAtOnce() {
      CancellationToken token = CancellationToken.create();
      token.cancel();

      assertThatThrownBy(() -> client.serverReady(CallContext.builder().cancellation(token).build()))
          .isInstanceOf(CallCancelledException.class);
      assertThatThrownBy(() -> client.streamInfer("vllm_model", vllm("x", true, 5), CallContext.builder().cancellation(token).build()))
          .isInstanceOf(CallCancelledException.class);
    }
  }

  @Nested
  class OverOkHttp {
    @Test
    void theClientWorksOverTheOkHttpTransportToo() {
      try (KServeGrpcClient viaOkHttp = new KServeGrpcClient("pool",
          OkHttpChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build())) {
        assertThat(viaOkHttp.serverReady(CallContext.empty())).isTrue();
        assertThat(viaOkHttp.infer("simple", simple(), CallContext.empty()).output("OUTPUT0").orElseThrow().longs()).hasSize(16);
        assertThat(drain(viaOkHttp.streamInfer("vllm_model", vllm("x y", true, 100), CallContext.empty())))
            .extracting(KServeGrpcClientTest::text).containsExactly("You ", "said: ", "x ", "y");
      }
    }
  }
}
