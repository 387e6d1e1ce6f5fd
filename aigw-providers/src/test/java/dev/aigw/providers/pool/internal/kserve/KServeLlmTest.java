package dev.aigw.providers.pool.internal.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContentPart;
import dev.aigw.api.FinishReason;
import dev.aigw.api.InvalidRequestException;
import dev.aigw.api.Message;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ToolSpec;
import dev.aigw.api.Usage;
import dev.aigw.providers.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chat requests as v2 LLM requests, and the answers back, over both simulated servers. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KServeLlmTest {
  static ChatRequest chat(String model, String user) {
    return ChatRequest.builder().model(model).system("Be brief.").user(user).build();
  }

  static InferTensor input(InferRequest request, String name) {
    return request.inputs().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  @Nested
  class Mapping {
    @Test
    void messagesBecomeRolePrefixedLinesEndingWithTheAssistantCue() {
      String prompt = KServeLlm.renderPrompt(List.of(
          Message.system("Be brief."), Message.user("Hi"), Message.assistant("Hello!"), Message.user("Sum 2+2")));

      assertThat(prompt).isEqualTo("system: Be brief.\nuser: Hi\nassistant: Hello!\nuser: Sum 2+2\nassistant:");
    }

    @Test
    void vllmGetsItsTensorsAndSamplingParametersAsJson() throws Exception {
      ChatRequest request = ChatRequest.builder().model("vllm_model").user("Hi").temperature(0.2).topP(0.9)
          .maxOutputTokens(64).stop("\nuser:", "END").seed(7).extra(Map.of("top_k", 20)).build();

      InferRequest infer = KServeLlm.vllm().inferRequest(request, true);

      assertThat(infer.inputs()).extracting(InferTensor::name)
          .containsExactly("text_input", "stream", "exclude_input_in_output", "sampling_parameters");
      assertThat(infer.inputs()).allSatisfy(t -> assertThat(t.shape()).containsExactly(1L));
      assertThat(input(infer, "text_input").datatype()).isEqualTo(Datatype.BYTES);
      assertThat(input(infer, "text_input").strings()).containsExactly("user: Hi\nassistant:");
      assertThat(input(infer, "stream").booleans()).containsExactly(true);
      assertThat(input(infer, "exclude_input_in_output").booleans()).containsExactly(true);
      JsonNode sampling = Json.MAPPER.readTree(input(infer, "sampling_parameters").strings().get(0));
      assertThat(sampling.get("max_tokens").asInt()).isEqualTo(64);
      assertThat(sampling.get("temperature").asDouble()).isEqualTo(0.2);
      assertThat(sampling.get("top_p").asDouble()).isEqualTo(0.9);
      assertThat(sampling.get("stop").toString()).isEqualTo("[\"\\nuser:\",\"END\"]");
      assertThat(sampling.get("seed").asLong()).isEqualTo(7);
      assertThat(sampling.get("top_k").asInt()).isEqualTo(20);
      assertThat(infer.outputs()).extracting(InferRequest.Output::name).containsExactly("text_output");
    }

    @Test
    void vllmDefaultsTheTokenLimitAndCanAskForUsage() throws Exception {
      KServeLlm llm = new KServeLlm(KServeLlm.Convention.VLLM, KServeLlm.Route.TRITON, 333, true);

      InferRequest infer = llm.inferRequest(ChatRequest.of("m", "Hi"), false);

      assertThat(Json.MAPPER.readTree(input(infer, "sampling_parameters").strings().get(0)).get("max_tokens").asInt()).isEqualTo(333);
      assertThat(infer.inputs()).extracting(InferTensor::name)
          .contains("return_finish_reason", "return_num_input_tokens", "return_num_output_tokens");
      assertThat(infer.outputs()).extracting(InferRequest.Output::name)
          .containsExactly("text_output", "finish_reason", "num_input_tokens", "num_output_tokens");
    }

    @Test
    void aJsonResponseFormatBecomesVllmGuidedDecoding() throws Exception {
      ChatRequest request = ChatRequest.builder().model("m").user("Hi")
          .responseFormat(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}", true)).build();

      JsonNode sampling = Json.MAPPER.readTree(input(KServeLlm.vllm().inferRequest(request, false), "sampling_parameters").strings().get(0));

      assertThat(sampling.get("guided_decoding").toString()).isEqualTo("{\"json\":{\"type\":\"object\"}}");
      assertThatThrownBy(() -> KServeLlm.tensorRtLlm().inferRequest(request, false)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void tensorRtLlmGetsBatchedTypedTensors() {
      ChatRequest request = ChatRequest.builder().model("ensemble").user("Hi").temperature(0.5).maxOutputTokens(32)
          .stop("END", "STOP").seed(42).build();

      InferRequest infer = KServeLlm.tensorRtLlm().inferRequest(request, true);

      assertThat(infer.inputs()).extracting(InferTensor::name)
          .containsExactly("text_input", "max_tokens", "stream", "temperature", "random_seed", "stop_words");
      assertThat(input(infer, "text_input").shape()).containsExactly(1L, 1L);
      assertThat(input(infer, "max_tokens").datatype()).isEqualTo(Datatype.INT32);
      assertThat(input(infer, "max_tokens").longs()).containsExactly(32L);
      assertThat(input(infer, "stream").datatype()).isEqualTo(Datatype.BOOL);
      assertThat(input(infer, "temperature").datatype()).isEqualTo(Datatype.FP32);
      assertThat(input(infer, "random_seed").datatype()).isEqualTo(Datatype.UINT64);
      assertThat(input(infer, "stop_words").shape()).containsExactly(1L, 2L);
      assertThat(input(infer, "stop_words").strings()).containsExactly("END", "STOP");
    }

    @Test
    void generateRequestsCarryTheSameValuesAtTheTopLevel() {
      GenerateRequest vllm = KServeLlm.vllm().generateRequest(chat("m", "Hi"), true);
      GenerateRequest trt = KServeLlm.tensorRtLlm().generateRequest(chat("m", "Hi"), false);

      assertThat(vllm.textInput()).isEqualTo("system: Be brief.\nuser: Hi\nassistant:");
      assertThat(vllm.fields()).containsEntry("stream", true).containsEntry("exclude_input_in_output", true)
          .containsKey("sampling_parameters");
      assertThat(trt.fields()).containsEntry("max_tokens", 1024L).containsEntry("stream", false).doesNotContainKey("text_input");
    }

    @Test
    void toolsAndImagesAreRefused() {
      ChatRequest tools = ChatRequest.builder().model("m").user("Hi")
          .tool(ToolSpec.of("lookup", "Looks things up", "{\"type\":\"object\"}")).build();
      ChatRequest image = ChatRequest.builder().model("m")
          .message(Message.user(new ContentPart.Text("What is this?"), ContentPart.imageUrl("https://example.com/cat.png"))).build();

      assertThatThrownBy(() -> KServeLlm.vllm().inferRequest(tools, false))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("tool");
      assertThatThrownBy(() -> KServeLlm.vllm().generateRequest(image, false))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("images");
    }
  }

  @Nested
  class OverHttp {
    private SimulatedKServeHttpServer server;
    private KServeHttpClient client;

    @BeforeEach
    void start() throws Exception {
      server = new SimulatedKServeHttpServer();
      client = new KServeHttpClient("pool", server.baseUrl(), KServeHttpClientTest.SETTINGS, null);
    }

    @AfterEach
    void stop() {
      server.close();
    }

    @Test
    void chatUsesGenerate() {
      ChatResponse response = KServeLlm.vllm().chat(client, chat("vllm_model", "good morning"), CallContext.empty());

      assertThat(response.text()).isEqualTo("You said: good morning");
      assertThat(response.model()).isEqualTo("vllm_model");
      assertThat(response.id()).startsWith("kserve-");
    }

    @Test
    void streamUsesGenerateStreamAndCollectsWithUsageWhenAsked() {
      KServeLlm llm = new KServeLlm(KServeLlm.Convention.VLLM, KServeLlm.Route.TRITON, 3, true);

      ChatResponse response = llm.stream(client, chat("vllm_model", "one two three four"), CallContext.empty()).collect();

      assertThat(response.text()).isEqualTo("You said: one ");
      assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
      assertThat(response.usage()).hasValueSatisfying(u -> assertThat(u.outputTokens()).isEqualTo(3));
    }

    @Test
    void tensorRtLlmOverThePlainInferRoute() {
      KServeLlm llm = new KServeLlm(KServeLlm.Convention.TENSORRT_LLM, KServeLlm.Route.V2_INFER, 2, false);

      ChatResponse response = llm.chat(client, chat("ensemble", "a b c"), CallContext.empty());
      List<ChatChunk> chunks = new ArrayList<>();
      try (ChatStream stream = llm.stream(client, chat("ensemble", "a b c"), CallContext.empty())) {
        stream.forEach(chunks::add);
      }

      assertThat(response.text()).isEqualTo("You said: ");
      assertThat(chunks).extracting(ChatChunk::text).containsExactly("You said: ");
    }

    @Test
    void aMidStreamErrorReachesTheChatStreamConsumer() {
      StringBuilder text = new StringBuilder();
      assertThatThrownBy(() -> {
        try (ChatStream stream = KServeLlm.vllm().stream(client, chat("vllm_model", "x y " + SimulatedLlm.FAIL_MID_STREAM), CallContext.empty())) {
          stream.forEach(c -> text.append(c.text()));
        }
      }).isInstanceOf(ProviderException.class).hasMessageContaining(SimulatedLlm.ENGINE_FAILURE);
      assertThat(text.toString()).isEqualTo("You said: ");
    }
  }

  @Nested
  class OverGrpc {
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

    @Test
    void chatUsesModelStreamInferWithoutStreaming() {
      ChatResponse response = KServeLlm.vllm().chat(client, chat("vllm_model", "good morning"), CallContext.empty());

      assertThat(response.text()).isEqualTo("You said: good morning");
      assertThat(response.model()).isEqualTo("vllm_model");
      assertThat(server.received).hasSize(1);
    }

    @Test
    void streamDeliversEachResponseAsAChunkWithUsage() {
      KServeLlm llm = new KServeLlm(KServeLlm.Convention.VLLM, KServeLlm.Route.TRITON, 100, true);
      List<ChatChunk> chunks = new ArrayList<>();

      try (ChatStream stream = llm.stream(client, chat("vllm_model", "red green"), CallContext.empty())) {
        stream.forEach(chunks::add);
      }

      assertThat(chunks).extracting(ChatChunk::text).containsExactly("You ", "said: ", "red ", "green");
      assertThat(chunks.get(0).id()).isPresent();
      assertThat(chunks.get(0).model()).hasValue("vllm_model");
      assertThat(chunks.get(chunks.size() - 1).finishReason()).hasValue(FinishReason.STOP);
      Usage usage = chunks.get(chunks.size() - 1).usage().orElseThrow();
      assertThat(usage.outputTokens()).isEqualTo(4);
      assertThat(usage.inputTokens()).isPositive();
    }

    @Test
    void tensorRtLlmOverThePlainInferRoute() {
      KServeLlm llm = new KServeLlm(KServeLlm.Convention.TENSORRT_LLM, KServeLlm.Route.V2_INFER, 3, false);

      assertThat(llm.chat(client, chat("ensemble", "a b c"), CallContext.empty()).text()).isEqualTo("You said: a ");
      assertThat(server.received.get(0).getInputsList()).extracting(i -> i.getName() + ":" + i.getDatatype() + i.getShapeList())
          .containsExactly("text_input:BYTES[1, 1]", "max_tokens:INT32[1, 1]", "stream:BOOL[1, 1]");
    }

    @Test
    void aMidStreamErrorMessageReachesTheChatStreamConsumer() {
      StringBuilder text = new StringBuilder();
      assertThatThrownBy(() -> {
        try (ChatStream stream = KServeLlm.vllm().stream(client, chat("vllm_model", "x y " + SimulatedLlm.FAIL_MID_STREAM), CallContext.empty())) {
          stream.forEach(c -> text.append(c.text()));
        }
      }).isInstanceOf(ProviderException.class).hasMessageContaining(SimulatedLlm.ENGINE_FAILURE);
      assertThat(text.toString()).isEqualTo("You said: ");
    }
  }
}
