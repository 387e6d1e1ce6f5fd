package dev.aigw.providers.pool.internal.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.Message;
import dev.aigw.api.ProviderException;
import dev.aigw.providers.internal.HttpSettings;
import dev.aigw.providers.internal.Json;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The REST binding against a simulated Triton on a loopback port. The class-level {@link Timeout}
 * is a hang guard; deadlines are asserted by the exception they end a call with.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KServeHttpClientTest {
  static final HttpSettings SETTINGS = new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ZERO, Map.of());

  private SimulatedKServeHttpServer server;
  private KServeHttpClient client;

  @BeforeEach
  void start() throws Exception {
    server = new SimulatedKServeHttpServer();
    client = new KServeHttpClient("pool", server.baseUrl(), SETTINGS, null);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static String prompt(String user) {
    return KServeLlm.renderPrompt(List.of(Message.system("Be brief."), Message.user(user)));
  }

  static GenerateRequest vllm(String user, boolean stream, int maxTokens) {
    return new GenerateRequest(prompt(user), Map.of("stream", stream, "exclude_input_in_output", true,
        "sampling_parameters", "{\"max_tokens\":" + maxTokens + "}"), Map.of());
  }

  @Nested
  class Health {
    @Test
    void liveAndReadyAre200() throws Exception {
      assertThat(client.serverLive(CallContext.empty())).isTrue();
      assertThat(client.serverReady(CallContext.empty())).isTrue();

      assertThat(server.take().getUrl().encodedPath()).isEqualTo("/v2/health/live");
      RecordedRequest ready = server.take();
      assertThat(ready.getMethod()).isEqualTo("GET");
      assertThat(ready.getUrl().encodedPath()).isEqualTo("/v2/health/ready");
    }

    @Test
    void anyOtherStatusIsNotReady() {
      server.ready = false;

      assertThat(client.serverReady(CallContext.empty())).isFalse();
    }

    @Test
    void aKServeStyleBodySayingNotReadyIsFalse() throws Exception {
      try (MockWebServer kserve = new MockWebServer()) {
        kserve.enqueue(new MockResponse.Builder().code(200).body("{\"ready\": true}").build());
        kserve.enqueue(new MockResponse.Builder().code(200).body("{\"name\": \"m\", \"ready\": false}").build());
        kserve.start();
        KServeHttpClient python = new KServeHttpClient("pool", kserve.url("/").uri(), SETTINGS, null);

        assertThat(python.serverReady(CallContext.empty())).isTrue();
        assertThat(python.modelReady("m", CallContext.empty())).isFalse();
      }
    }

    @Test
    void modelReadinessIsFalseForAnUnknownModel() throws Exception {
      assertThat(client.modelReady("vllm_model", CallContext.empty())).isTrue();
      assertThat(client.modelReady("nope", CallContext.empty())).isFalse();
      assertThat(server.take().getUrl().encodedPath()).isEqualTo("/v2/models/vllm_model/ready");
    }

    @Test
    void modelNamesAreEscapedInThePath() throws Exception {
      client.modelReady("org/model name", CallContext.empty());

      assertThat(server.take().getUrl().encodedPath()).isEqualTo("/v2/models/org%2Fmodel%20name/ready");
    }

    @Test
    void anUnreachableServerIsARetryableFailureNotFalse() throws Exception {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      KServeHttpClient gone = new KServeHttpClient("pool", URI.create("http://127.0.0.1:" + port), SETTINGS, null);

      assertThatThrownBy(() -> gone.serverReady(CallContext.empty()))
          .isExactlyInstanceOf(ProviderException.class)
          .satisfies(e -> assertThat(((ProviderException) e).retryable()).isTrue())
          .hasMessageContaining("could not be reached");
    }

    @Test
    void aBearerTokenIsSentWhenConfigured() throws Exception {
      KServeHttpClient authed = new KServeHttpClient("pool", server.baseUrl(), SETTINGS, () -> "kserve-token-123");

      authed.serverReady(CallContext.empty());

      assertThat(server.take().getHeaders().get("Authorization")).isEqualTo("Bearer kserve-token-123");
    }
  }

  @Nested
  class Metadata {
    @Test
    void parsesNameVersionsPlatformAndTensors() {
      ModelMetadata vllm = client.modelMetadata("vllm_model", CallContext.empty());
      ModelMetadata ensemble = client.modelMetadata("ensemble", CallContext.empty());

      assertThat(vllm.name()).isEqualTo("vllm_model");
      assertThat(vllm.versions()).containsExactly("1");
      assertThat(vllm.platform()).isEqualTo("vllm");
      assertThat(vllm.inputs()).extracting(ModelMetadata.TensorMetadata::name)
          .containsExactly("text_input", "stream", "sampling_parameters", "exclude_input_in_output");
      assertThat(vllm.input("stream")).hasValueSatisfying(t -> {
        assertThat(t.datatype()).isEqualTo("BOOL");
        assertThat(t.shape()).containsExactly(1L);
      });
      assertThat(vllm.output("text_output")).hasValueSatisfying(t -> assertThat(t.shape()).containsExactly(-1L));
      assertThat(ensemble.input("max_tokens")).hasValueSatisfying(t -> {
        assertThat(t.datatype()).isEqualTo("INT32");
        assertThat(t.shape()).containsExactly(-1L, 1L);
      });
    }

    @Test
    void anUnknownModelFailsWithTheServersMessageNotRetryable() {
      assertThatThrownBy(() -> client.modelMetadata("nope", CallContext.empty()))
          .isExactlyInstanceOf(ProviderException.class)
          .satisfies(e -> {
            ProviderException p = (ProviderException) e;
            assertThat(p.retryable()).isFalse();
            assertThat(p.statusCode()).hasValue(400);
          })
          .hasMessageContaining("Request for unknown model: 'nope' is not found")
          .hasMessageNotContaining("{\"error\"");
    }

    @Test
    void aBodyThatIsNotTheDocumentedJsonIsMalformedAndRetryable() throws Exception {
      try (MockWebServer proxy = new MockWebServer()) {
        proxy.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html").body("<html>proxy</html>").build());
        proxy.start();
        KServeHttpClient viaProxy = new KServeHttpClient("pool", proxy.url("/").uri(), SETTINGS, null);

        assertThatThrownBy(() -> viaProxy.modelMetadata("m", CallContext.empty()))
            .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue())
            .hasMessageContaining("malformed");
      }
    }
  }

  @Nested
  class Infer {
    private final List<Integer> zeroTo15 = IntStream.range(0, 16).boxed().toList();
    private final List<Integer> ones = IntStream.range(0, 16).map(i -> 1).boxed().toList();

    private InferRequest simple() {
      return InferRequest.of(
          InferTensor.of("INPUT0", Datatype.INT32, List.of(1L, 16L), zeroTo15),
          InferTensor.of("INPUT1", Datatype.INT32, List.of(1L, 16L), ones));
    }

    @Test
    void sendsTensorsAsJsonAndReadsTheOutputs() throws Exception {
      InferResponse response = client.infer("simple", simple().withId("req-7"), CallContext.empty());

      assertThat(response.modelName()).isEqualTo("simple");
      assertThat(response.modelVersion()).isEqualTo("1");
      assertThat(response.id()).isEqualTo("req-7");
      assertThat(response.output("OUTPUT0")).hasValueSatisfying(t -> {
        assertThat(t.datatype()).isEqualTo(Datatype.INT32);
        assertThat(t.shape()).containsExactly(1L, 16L);
        assertThat(t.longs()).startsWith(1L, 2L, 3L).endsWith(16L);
      });
      assertThat(response.output("OUTPUT1").orElseThrow().longs()).startsWith(-1L, 0L, 1L);

      RecordedRequest recorded = server.take();
      assertThat(recorded.getMethod()).isEqualTo("POST");
      assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v2/models/simple/infer");
      JsonNode body = Json.MAPPER.readTree(recorded.getBody().utf8());
      assertThat(body.get("id").asText()).isEqualTo("req-7");
      JsonNode input0 = body.get("inputs").get(0);
      assertThat(input0.get("name").asText()).isEqualTo("INPUT0");
      assertThat(input0.get("datatype").asText()).isEqualTo("INT32");
      assertThat(input0.get("shape").toString()).isEqualTo("[1,16]");
      assertThat(input0.get("data").size()).isEqualTo(16);
      assertThat(body.has("outputs")).as("no outputs asked: all of them").isFalse();
      assertThat(body.has("parameters")).isFalse();
    }

    @Test
    void asksForTheNamedOutputsOnly() throws Exception {
      InferResponse response = client.infer("simple", simple().withOutputs("OUTPUT1"), CallContext.empty());

      assertThat(response.outputs()).extracting(InferTensor::name).containsExactly("OUTPUT1");
      assertThat(Json.MAPPER.readTree(server.take().getBody().utf8()).get("outputs").toString())
          .isEqualTo("[{\"name\":\"OUTPUT1\"}]");
    }

    @Test
    void aDecoupledModelIsRefusedAsAClientError() {
      InferRequest request = InferRequest.of(InferTensor.text("text_input", prompt("hi")));

      assertThatThrownBy(() -> client.infer("vllm_model", request, CallContext.empty()))
          .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("decoupled transaction policy");
    }

    @Test
    void anOverloadedServerIsRetryableAndATooLongPromptIsAContextWindowError() {
      InferRequest overloaded = InferRequest.of(InferTensor.text("text_input", prompt(SimulatedLlm.OVERLOADED)).withShape(1L, 1L));
      InferRequest tooLong = InferRequest.of(InferTensor.text("text_input", prompt(SimulatedLlm.TOO_LONG)).withShape(1L, 1L));

      assertThatThrownBy(() -> client.infer("ensemble", overloaded, CallContext.empty()))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.statusCode()).hasValue(503);
          });
      assertThatThrownBy(() -> client.infer("ensemble", tooLong, CallContext.empty()))
          .isInstanceOfSatisfying(ContextWindowExceededException.class, e -> assertThat(e.retryable()).isFalse());
    }
  }

  @Nested
  class Generate {
    @Test
    void generateReturnsTheTextOutputAndSendsFieldsAtTheTopLevel() throws Exception {
      GenerateResponse response = client.generate("vllm_model", vllm("hello there world", false, 3), CallContext.empty());

      assertThat(response.modelName()).isEqualTo("vllm_model");
      assertThat(response.modelVersion()).isEqualTo("1");
      assertThat(response.textOutput()).isEqualTo("You said: hello ");
      JsonNode body = Json.MAPPER.readTree(server.take().getBody().utf8());
      assertThat(body.get("text_input").asText()).isEqualTo(prompt("hello there world"));
      assertThat(body.get("exclude_input_in_output").asBoolean()).isTrue();
      assertThat(body.has("parameters")).isFalse();
    }

    @Test
    void generateStreamDeliversEachEventAsAChunk() {
      List<String> texts = new ArrayList<>();
      try (ChatStream stream = client.generateStream("vllm_model", vllm("one two three", true, 100), CallContext.empty())) {
        for (ChatChunk chunk : stream) {
          texts.add(chunk.text());
        }
      }

      assertThat(texts).containsExactly("You ", "said: ", "one ", "two ", "three");
    }

    @Test
    void anErrorEventMidStreamEndsTheStreamWithATypedException() {
      List<String> texts = new ArrayList<>();
      ChatStream stream = client.generateStream("vllm_model",
          vllm("a b c " + SimulatedLlm.FAIL_MID_STREAM, true, 100), CallContext.empty());

      assertThatThrownBy(() -> {
        for (ChatChunk chunk : stream) {
          texts.add(chunk.text());
        }
      }).isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining(SimulatedLlm.ENGINE_FAILURE)
          .hasMessageContaining("error event");
      assertThat(texts).as("the pieces before the error arrived").containsExactly("You ", "said: ");
    }

    @Test
    void aFailureBeforeTheStreamStartsIsMappedByStatus() {
      assertThatThrownBy(() -> client.generateStream("vllm_model", vllm(SimulatedLlm.FAIL_AT_START, true, 10), CallContext.empty()))
          .isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.statusCode()).hasValue(400);
          });
    }

    @Test
    void aMisnamedFieldIsRefusedByTheServer() {
      GenerateRequest wrong = new GenerateRequest(prompt("x"), Map.of("max_new_tokens", 5), Map.of());

      assertThatThrownBy(() -> client.generate("vllm_model", wrong, CallContext.empty()))
          .isInstanceOf(ProviderException.class).hasMessageContaining("unexpected inference input 'max_new_tokens'");
    }
  }

  @Nested
  class DeadlinesAndCancellation {
    @Test
    void aTimeoutEndsAStalledCallWithoutAGatewayToken() {
      Instant start = Instant.now();

      assertThatThrownBy(() -> client.modelMetadata("slow", CallContext.builder().timeout(Duration.ofMillis(300)).build()))
          .isInstanceOf(DeadlineExceededException.class);
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aPassedDeadlineFailsAtOnce() {
      CallContext late = CallContext.builder().deadline(Instant.now().minusSeconds(1)).build();

      assertThatThrownBy(() -> client.serverReady(late)).isInstanceOf(DeadlineExceededException.class);
    }

    @Test
    void aDeadlineEndsAStreamThatStalls() {
      ChatStream stream = client.generateStream("vllm_model", vllm("a b c " + SimulatedLlm.HANG, true, 100),
          CallContext.builder().timeout(Duration.ofMillis(500)).build());
      Iterator<ChatChunk> chunks = stream.iterator();

      assertThat(chunks.next().text()).isEqualTo("You ");
      assertThatThrownBy(chunks::hasNext).isInstanceOf(DeadlineExceededException.class);
    }

    @Test
    void theCallersTokenCancelsAStalledCallWithItsReason() throws Exception {
      CancellationToken token = CancellationToken.create();
      CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
        try {
          server.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        token.cancel();
      });

      assertThatThrownBy(() -> client.modelMetadata("slow", CallContext.builder().cancellation(token).timeout(Duration.ofSeconds(20)).build()))
          .isInstanceOf(CallCancelledException.class)
          .isSameAs(token.reason().orElseThrow());
      canceller.get();
    }
  }
}
