package dev.aigw.providers.pool.internal.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ProviderException;
import dev.aigw.providers.pool.InferencePool;
import dev.aigw.providers.pool.Picker;
import dev.aigw.providers.pool.PoolProtocol;
import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pool over Triton/KServe replicas: the simulated HTTP server, and a real gRPC server on a loopback port. */
class InferencePoolKServeTest {
  private static final Picker FIRST = (request, candidates) -> candidates.get(0);
  private final ManualClock clock = new ManualClock();

  private InferencePool.Builder pool(PoolProtocol protocol, String... urls) {
    return InferencePool.builder().id("triton").providerName("triton").protocol(protocol).replicas(urls)
        .models("vllm_model").clock(clock).picker(FIRST).backgroundExecutor(Runnable::run)
        .healthCheck("/health", Duration.ZERO).metrics("/metrics", Duration.ZERO, Duration.ofSeconds(5));
  }

  @Test
  void aTritonHttpPoolChatsAndStreamsThroughTheGenerateExtensionAndSkipsAReplicaThatIsNotReady() throws Exception {
    try (SimulatedKServeHttpServer a = new SimulatedKServeHttpServer();
         SimulatedKServeHttpServer b = new SimulatedKServeHttpServer();
         InferencePool pool = pool(PoolProtocol.tritonHttp(PoolProtocol.Backend.VLLM), a.baseUrl().toString(), b.baseUrl().toString()).build()) {
      a.ready = false;
      pool.checkHealthNow();

      assertThat(pool.chat(ChatRequest.of("vllm_model", "hello there"), CallContext.empty()).text()).contains("hello there");
      StringBuilder streamed = new StringBuilder();
      try (ChatStream stream = pool.stream(ChatRequest.of("vllm_model", "stream this"), CallContext.empty())) {
        stream.forEach(c -> streamed.append(c.text()));
      }
      assertThat(streamed.toString()).contains("stream this");
      assertThat(b.requestCount()).isGreaterThanOrEqualTo(2);
      assertThat(pool.replicas()).allSatisfy(r -> assertThat(r.inFlight()).isZero());
    }
  }

  @Test
  void anOverloadedReplicaIsRetriedOnTheNext() throws Exception {
    try (SimulatedKServeHttpServer a = new SimulatedKServeHttpServer();
         SimulatedKServeHttpServer b = new SimulatedKServeHttpServer();
         InferencePool pool = pool(PoolProtocol.tritonHttp(PoolProtocol.Backend.VLLM), a.baseUrl().toString(), b.baseUrl().toString()).build()) {
      // the simulated LLM refuses prompts marked [overloaded] with a retryable error on every replica
      assertThatThrownBy(() -> pool.chat(ChatRequest.of("vllm_model", "[overloaded] hi"), CallContext.empty()))
          .isInstanceOf(ProviderException.class);
      assertThat(a.requestCount()).isEqualTo(1);
      assertThat(b.requestCount()).as("retried on the other replica").isEqualTo(1);
    }
  }

  @Test
  void aTritonGrpcPoolChatsAndStreamsOverARealGrpcServerAndLearnsWhichModelsAreReady() throws Exception {
    try (SimulatedKServeGrpcServer server = new SimulatedKServeGrpcServer();
         InferencePool pool = pool(PoolProtocol.tritonGrpc(PoolProtocol.Backend.VLLM), "http://127.0.0.1:" + server.port())
             .models("vllm_model", "not_loaded").build()) {
      pool.checkHealthNow();

      assertThat(pool.chat(ChatRequest.of("vllm_model", "over grpc"), CallContext.empty()).text()).contains("over grpc");
      StringBuilder streamed = new StringBuilder();
      try (ChatStream stream = pool.stream(ChatRequest.of("vllm_model", "streamed over grpc"), CallContext.empty())) {
        stream.forEach(c -> streamed.append(c.text()));
      }
      assertThat(streamed.toString()).contains("streamed over grpc");
      assertThatThrownBy(() -> pool.chat(ChatRequest.of("not_loaded", "hi"), CallContext.empty()))
          .isInstanceOf(ProviderException.class).hasMessageContaining("serves model 'not_loaded'");
    }
  }

  @Test
  void aKServePoolNeedsItsModels() {
    assertThatThrownBy(() -> InferencePool.builder().protocol(PoolProtocol.kserveHttp(PoolProtocol.Backend.TENSORRT_LLM))
        .replicas("http://127.0.0.1:8000").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs models(...)");
  }
}
