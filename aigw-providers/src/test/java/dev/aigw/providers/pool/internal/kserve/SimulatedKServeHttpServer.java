package dev.aigw.providers.pool.internal.kserve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigw.providers.internal.Json;
import dev.aigw.providers.testing.GatedBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * A Triton-like KServe v2 REST server on a loopback port (MockWebServer with a dispatcher), with
 * three models:
 *
 * <ul>
 *   <li>{@code vllm_model}: Triton's vLLM backend, decoupled: {@code /generate} and {@code
 *       /generate_stream} work, {@code /infer} is refused as Triton refuses it;
 *   <li>{@code ensemble}: a TensorRT-LLM ensemble (not decoupled), {@code /infer} and the generate
 *       extension;
 *   <li>{@code simple}: Triton's classic example, {@code OUTPUT0 = INPUT0 + INPUT1} and {@code
 *       OUTPUT1 = INPUT0 - INPUT1} over {@code INT32 [1, 16]}.
 * </ul>
 *
 * Unknown inputs are refused as Triton refuses them, so the tests catch a misnamed tensor. Text
 * comes from {@link SimulatedLlm}, markers included. {@code /v2/models/slow...} paths never answer.
 */
public final class SimulatedKServeHttpServer implements AutoCloseable {
  public static final List<String> MODELS = List.of("vllm_model", "ensemble", "simple");

  private final MockWebServer server = new MockWebServer();
  private final List<GatedBody> held = new CopyOnWriteArrayList<>();
  /** What {@code /v2/health/ready} answers. */
  public volatile boolean ready = true;

  public SimulatedKServeHttpServer() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        try {
          return handle(request);
        } catch (RuntimeException | IOException e) {
          return error(500, "simulator failure: " + e);
        }
      }
    });
    server.start();
  }

  /** The base URL ({@code http://127.0.0.1:port}). */
  public java.net.URI baseUrl() {
    return server.url("/").uri();
  }

  /** The next request the server received. */
  public RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("no request arrived");
    }
    return request;
  }

  /** How many requests arrived. */
  public int requestCount() {
    return server.getRequestCount();
  }

  /** Releases every held ({@link SimulatedLlm#HANG}) stream and stops the server. */
  @Override
  public void close() {
    held.forEach(GatedBody::release);
    server.close();
  }

  private MockResponse handle(RecordedRequest request) throws IOException {
    List<String> path = request.getUrl().pathSegments();
    if (path.size() < 2 || !path.get(0).equals("v2")) {
      return error(404, "Not Found");
    }
    if (path.get(1).equals("health") && path.size() == 3) {
      return switch (path.get(2)) {
        case "live" -> new MockResponse.Builder().code(200).build();
        case "ready" -> new MockResponse.Builder().code(ready ? 200 : 400).build();
        default -> error(404, "Not Found");
      };
    }
    if (!path.get(1).equals("models") || path.size() < 3) {
      return error(404, "Not Found");
    }
    String model = path.get(2);
    if (model.startsWith("slow")) {
      return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
    }
    if (!MODELS.contains(model)) {
      return error(400, "Request for unknown model: '" + model + "' is not found");
    }
    String action = path.size() == 3 ? "" : path.get(3);
    JsonNode body = request.getBody() == null || request.getBody().size() == 0 ? null : Json.MAPPER.readTree(request.getBody().utf8());
    return switch (action) {
      case "" -> json(200, metadata(model));
      case "ready" -> new MockResponse.Builder().code(200).build();
      case "infer" -> infer(model, body);
      case "generate" -> generate(model, body, false);
      case "generate_stream" -> generate(model, body, true);
      default -> error(404, "Not Found");
    };
  }

  private MockResponse infer(String model, JsonNode body) {
    if (model.equals("vllm_model")) {
      return error(400, "HTTP end point doesn't support models with decoupled transaction policy");
    }
    Map<String, JsonNode> inputs = new LinkedHashMap<>();
    for (JsonNode input : body.get("inputs")) {
      inputs.put(input.get("name").asText(), input);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("model_name", model);
    answer.put("model_version", "1");
    if (body.has("id")) {
      answer.put("id", body.get("id").asText());
    }
    List<Map<String, Object>> outputs = new ArrayList<>();
    if (model.equals("simple")) {
      JsonNode a = inputs.get("INPUT0");
      JsonNode b = inputs.get("INPUT1");
      if (a == null || b == null || !a.get("datatype").asText().equals("INT32") || a.get("data").size() != 16) {
        return error(400, "[request id: <id_unknown>] expected INPUT0 and INPUT1 of INT32 [1,16]");
      }
      List<Long> sum = new ArrayList<>();
      List<Long> difference = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        sum.add(a.get("data").get(i).asLong() + b.get("data").get(i).asLong());
        difference.add(a.get("data").get(i).asLong() - b.get("data").get(i).asLong());
      }
      Set<String> wanted = requested(body);
      if (wanted.isEmpty() || wanted.contains("OUTPUT0")) {
        outputs.add(tensor("OUTPUT0", "INT32", List.of(1, 16), sum));
      }
      if (wanted.isEmpty() || wanted.contains("OUTPUT1")) {
        outputs.add(tensor("OUTPUT1", "INT32", List.of(1, 16), difference));
      }
    } else {
      for (String name : inputs.keySet()) {
        if (!SimulatedLlm.TRTLLM_INPUTS.contains(name)) {
          return error(400, "[request id: <id_unknown>] unexpected inference input '" + name + "' for model '" + model + "'");
        }
      }
      String prompt = inputs.get("text_input").get("data").get(0).asText();
      MockResponse refused = refusal(prompt);
      if (refused != null) {
        return refused;
      }
      Long max = inputs.containsKey("max_tokens") ? inputs.get("max_tokens").get("data").get(0).asLong() : null;
      outputs.add(tensor("text_output", "BYTES", List.of(1, 1), List.of(SimulatedLlm.generate(prompt, max).text())));
    }
    answer.put("outputs", outputs);
    return json(200, answer);
  }

  private MockResponse generate(String model, JsonNode body, boolean sse) {
    if (model.equals("simple")) {
      return error(400, "generate is for models with a text_input");
    }
    Set<String> inputs = model.equals("vllm_model") ? SimulatedLlm.VLLM_INPUTS : SimulatedLlm.TRTLLM_INPUTS;
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("parameters") && !inputs.contains(name)) {
        return error(400, "[request id: <id_unknown>] unexpected inference input '" + name + "' for model '" + model + "'");
      }
    }
    String prompt = body.get("text_input").asText();
    MockResponse refused = refusal(prompt);
    if (refused != null) {
      return refused;
    }
    boolean stream = body.path("stream").asBoolean(false);
    Long max = model.equals("vllm_model")
        ? (body.has("sampling_parameters") ? SimulatedLlm.maxTokens(body.get("sampling_parameters").asText()) : 16L)
        : (body.has("max_tokens") ? body.get("max_tokens").asLong() : null);
    boolean usage = body.path("return_num_output_tokens").asBoolean(false);
    SimulatedLlm.Generation generation = SimulatedLlm.generate(prompt, max);
    if (!sse) {
      Map<String, Object> answer = event(model, generation.text(), usage ? generation.finishReason() : null,
          usage ? generation.inputTokens() : null, usage ? (long) generation.pieces().size() : null);
      return json(200, answer);
    }
    List<String> events = new ArrayList<>();
    List<String> pieces = stream ? generation.pieces() : List.of(generation.text());
    for (int i = 0; i < pieces.size(); i++) {
      if (prompt.contains(SimulatedLlm.FAIL_MID_STREAM) && i == SimulatedLlm.PIECES_BEFORE_ERROR) {
        events.add(sse(Map.of("error", SimulatedLlm.ENGINE_FAILURE)));
        break;
      }
      boolean last = i == pieces.size() - 1;
      events.add(sse(event(model, pieces.get(i), usage ? (last ? generation.finishReason() : "None") : null,
          usage ? generation.inputTokens() : null, usage ? (long) (stream ? 1 : generation.pieces().size()) : null)));
    }
    MockResponse.Builder response = new MockResponse.Builder().code(200)
        .setHeader("Content-Type", "text/event-stream; charset=utf-8");
    if (prompt.contains(SimulatedLlm.HANG)) {
      GatedBody gated = new GatedBody(events.get(0), String.join("", events.subList(1, events.size())));
      held.add(gated);
      return response.body(gated).build();
    }
    return response.body(String.join("", events)).build();
  }

  private static MockResponse refusal(String prompt) {
    if (prompt.contains(SimulatedLlm.FAIL_AT_START)) {
      return error(400, "[request id: <id_unknown>] invalid argument: simulated refusal");
    }
    if (prompt.contains(SimulatedLlm.TOO_LONG)) {
      return error(400, SimulatedLlm.CONTEXT_ERROR);
    }
    if (prompt.contains(SimulatedLlm.OVERLOADED)) {
      return error(503, SimulatedLlm.QUEUE_FULL);
    }
    return null;
  }

  private static Map<String, Object> event(String model, String text, String finishReason, Long input, Long output) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("model_name", model);
    event.put("model_version", "1");
    event.put("text_output", text);
    if (finishReason != null) {
      event.put("finish_reason", finishReason);
      event.put("num_input_tokens", input);
      event.put("num_output_tokens", output);
    }
    return event;
  }

  private static Set<String> requested(JsonNode body) {
    Set<String> names = new java.util.HashSet<>();
    if (body.has("outputs")) {
      body.get("outputs").forEach(o -> names.add(o.get("name").asText()));
    }
    return names;
  }

  private static Map<String, Object> metadata(String model) {
    return switch (model) {
      case "vllm_model" -> Map.of("name", model, "versions", List.of("1"), "platform", "vllm",
          "inputs", List.of(meta("text_input", "BYTES", 1), meta("stream", "BOOL", 1),
              meta("sampling_parameters", "BYTES", 1), meta("exclude_input_in_output", "BOOL", 1)),
          "outputs", List.of(meta("text_output", "BYTES", -1)));
      case "ensemble" -> Map.of("name", model, "versions", List.of("1"), "platform", "ensemble",
          "inputs", List.of(meta("text_input", "BYTES", -1, 1), meta("max_tokens", "INT32", -1, 1),
              meta("stream", "BOOL", -1, 1)),
          "outputs", List.of(meta("text_output", "BYTES", -1, -1)));
      default -> Map.of("name", model, "versions", List.of("1"), "platform", "tensorflow_graphdef",
          "inputs", List.of(meta("INPUT0", "INT32", -1, 16), meta("INPUT1", "INT32", -1, 16)),
          "outputs", List.of(meta("OUTPUT0", "INT32", -1, 16), meta("OUTPUT1", "INT32", -1, 16)));
    };
  }

  private static Map<String, Object> meta(String name, String datatype, Integer... shape) {
    return Map.of("name", name, "datatype", datatype, "shape", List.of(shape));
  }

  private static Map<String, Object> tensor(String name, String datatype, List<Integer> shape, List<?> data) {
    return Map.of("name", name, "datatype", datatype, "shape", shape, "data", data);
  }

  private static String sse(Map<String, Object> data) {
    return "data: " + new String(Json.write(data), StandardCharsets.UTF_8) + "\n\n";
  }

  static MockResponse json(int code, Object body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
        .body(new String(Json.write(body), StandardCharsets.UTF_8)).build();
  }

  static MockResponse error(int code, String message) {
    return json(code, Map.of("error", message));
  }
}
