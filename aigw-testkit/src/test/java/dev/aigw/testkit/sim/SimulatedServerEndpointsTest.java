package dev.aigw.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatedServerEndpointsTest {
  private static SimulatedInferenceServer sim;
  private static SimClient client;

  @BeforeAll
  static void start() {
    sim = SimulatedInferenceServer.builder()
        .model("meta-llama/Llama-3.1-8B-Instruct")
        .loraAdapters("sql-lora", "chat-lora")
        .timeScale(100)
        .defaultOutputTokens(12)
        .name("endpoints")
        .start();
    client = new SimClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void blockingChatLooksLikeVllm() {
    ObjectNode body = SimClient.chat("Hi");
    body.put("model", "meta-llama/Llama-3.1-8B-Instruct");

    SimClient.Answer answer = client.post("/v1/chat/completions", body);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("content-type")).startsWith("application/json");
    JsonNode json = answer.json();
    assertThat(json.path("id").asText()).startsWith("chatcmpl-").hasSize("chatcmpl-".length() + 32);
    assertThat(json.path("object").asText()).isEqualTo("chat.completion");
    assertThat(json.path("created").asLong()).isCloseTo(System.currentTimeMillis() / 1000, within(60L));
    assertThat(json.path("model").asText()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    JsonNode choice = json.path("choices").get(0);
    assertThat(choice.path("index").asInt()).isZero();
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText()).isNotBlank();
    assertThat(choice.path("message").path("tool_calls").isArray()).isTrue();
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = json.path("usage");
    // "<|user|>\nHi\n<|assistant|>\n" is 26 characters: ceil(26 / 4) = 7 tokens
    assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(7);
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(12);
    assertThat(usage.path("total_tokens").asInt()).isEqualTo(19);
    assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
    assertThat(sim.record(json.path("id").asText())).hasValueSatisfying(r -> {
      assertThat(r.endpoint()).isEqualTo("chat");
      assertThat(r.promptTokens()).isEqualTo(7);
      assertThat(r.completionTokens()).isEqualTo(12);
      assertThat(r.finishReason()).isEqualTo("stop");
    });
  }

  @Test
  void answersAreDeterministicAndMaxTokensCutsThem() {
    JsonNode first = client.post("/v1/chat/completions", SimClient.chat("Tell me a story")).json();
    JsonNode second = client.post("/v1/chat/completions", SimClient.chat("Tell me a story")).json();
    ObjectNode cut = SimClient.chat("Tell me a story");
    cut.put("max_tokens", 5);
    JsonNode shorter = client.post("/v1/chat/completions", cut).json();

    String text = first.path("choices").get(0).path("message").path("content").asText();
    assertThat(second.path("choices").get(0).path("message").path("content").asText()).isEqualTo(text);
    assertThat(shorter.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
    assertThat(shorter.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(text).startsWith(shorter.path("choices").get(0).path("message").path("content").asText());
  }

  @Test
  void ignoreEosGeneratesExactlyMaxTokens() {
    ObjectNode body = SimClient.chat("Count");
    body.put("max_tokens", 40);
    body.put("ignore_eos", true);

    JsonNode json = client.post("/v1/chat/completions", body).json();

    assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(40);
    assertThat(json.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void streamedChatSendsRoleContentFinishUsageAndDone() {
    ObjectNode body = SimClient.chat("Stream please");
    body.put("stream", true);
    body.putObject("stream_options").put("include_usage", true);

    SimClient.Answer answer = client.post("/v1/chat/completions", body);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("content-type")).startsWith("text/event-stream");
    List<String> events = answer.events();
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    List<JsonNode> chunks = new ArrayList<>();
    for (String e : events.subList(0, events.size() - 1)) {
      chunks.add(parse(e));
    }
    // role chunk, 12 content chunks, usage chunk
    assertThat(chunks).hasSize(14);
    String id = chunks.get(0).path("id").asText();
    assertThat(id).startsWith("chatcmpl-");
    for (JsonNode c : chunks) {
      assertThat(c.path("id").asText()).isEqualTo(id);
      assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(c.path("model").asText()).isEqualTo(sim.model());
    }
    assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    for (JsonNode c : chunks.subList(1, 13)) {
      text.append(c.path("choices").get(0).path("delta").path("content").asText());
    }
    assertThat(chunks.get(11).path("choices").get(0).path("finish_reason").isNull()).isTrue();
    assertThat(chunks.get(12).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    JsonNode usageChunk = chunks.get(13);
    assertThat(usageChunk.path("choices").isArray()).isTrue();
    assertThat(usageChunk.path("choices")).isEmpty();
    assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(12);
    assertThat(usageChunk.path("usage").path("prompt_tokens_details").has("cached_tokens")).isTrue();

    ObjectNode blocking = SimClient.chat("Stream please");
    String blockingText = client.post("/v1/chat/completions", blocking).json()
        .path("choices").get(0).path("message").path("content").asText();
    assertThat(text.toString()).isEqualTo(blockingText);
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsageChunk() {
    ObjectNode body = SimClient.chat("No usage");
    body.put("stream", true);

    List<String> events = client.post("/v1/chat/completions", body).events();

    assertThat(events).hasSize(1 + 12 + 1);
    assertThat(events).noneMatch(e -> e.contains("\"usage\""));
  }

  @Test
  void completionsBlockingAndStreamed() {
    ObjectNode body = SimClient.MAPPER.createObjectNode();
    body.put("model", sim.model());
    body.put("prompt", "Once upon a time");
    body.put("max_tokens", 7);

    JsonNode json = client.post("/v1/completions", body).json();

    assertThat(json.path("id").asText()).startsWith("cmpl-");
    assertThat(json.path("object").asText()).isEqualTo("text_completion");
    assertThat(json.path("choices").get(0).path("text").asText()).isNotEmpty();
    assertThat(json.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(4); // 16 characters
    assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(7);

    body.put("stream", true);
    List<String> events = client.post("/v1/completions", body).events();
    assertThat(events).hasSize(7 + 1);
    StringBuilder text = new StringBuilder();
    for (String e : events.subList(0, 7)) {
      JsonNode chunk = parse(e);
      assertThat(chunk.path("object").asText()).isEqualTo("text_completion");
      text.append(chunk.path("choices").get(0).path("text").asText());
    }
    assertThat(text.toString()).isEqualTo(json.path("choices").get(0).path("text").asText());
  }

  @Test
  void embeddingsAreDeterministicUnitVectors() {
    ObjectNode body = SimClient.MAPPER.createObjectNode();
    body.put("model", sim.model());
    body.putArray("input").add("hello world").add("another text");

    JsonNode json = client.post("/v1/embeddings", body).json();
    JsonNode again = client.post("/v1/embeddings", body).json();

    assertThat(json.path("object").asText()).isEqualTo("list");
    assertThat(json.path("data")).hasSize(2);
    JsonNode vector = json.path("data").get(0).path("embedding");
    assertThat(vector).hasSize(384);
    double norm = 0;
    for (JsonNode v : vector) {
      norm += v.asDouble() * v.asDouble();
    }
    assertThat(norm).isCloseTo(1.0, within(1e-3));
    assertThat(again.path("data").get(0).path("embedding")).isEqualTo(vector);
    assertThat(json.path("data").get(1).path("embedding")).isNotEqualTo(vector);
    assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(3 + 3);

    body.put("encoding_format", "base64");
    body.put("dimensions", 8);
    JsonNode encoded = client.post("/v1/embeddings", body).json();
    byte[] bytes = Base64.getDecoder().decode(encoded.path("data").get(0).path("embedding").asText());
    assertThat(bytes).hasSize(8 * 4);
    assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat()).isBetween(-1f, 1f);
  }

  @Test
  void modelsListsTheBaseModelAndAdapters() {
    JsonNode json = client.get("/v1/models").json();

    assertThat(json.path("object").asText()).isEqualTo("list");
    List<String> ids = new ArrayList<>();
    json.path("data").forEach(m -> ids.add(m.path("id").asText()));
    assertThat(ids).containsExactly("meta-llama/Llama-3.1-8B-Instruct", "sql-lora", "chat-lora");
    assertThat(json.path("data").get(1).path("parent").asText()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(json.path("data").get(0).path("max_model_len").asInt()).isEqualTo(32768);
    assertThat(sim.models()).isEqualTo(ids);
  }

  @Test
  void loraAdapterRequestsAreServedUnderTheAdaptersName() {
    ObjectNode body = SimClient.chat("SELECT something");
    body.put("model", "sql-lora");

    JsonNode json = client.post("/v1/chat/completions", body).json();

    assertThat(json.path("model").asText()).isEqualTo("sql-lora");
    assertThat(sim.record(json.path("id").asText())).hasValueSatisfying(r -> assertThat(r.model()).isEqualTo("sql-lora"));
  }

  @Test
  void errorsUseTheOpenAiEnvelope() {
    ObjectNode unknown = SimClient.chat("Hi");
    unknown.put("model", "gpt-4o");
    SimClient.Answer notFound = client.post("/v1/chat/completions", unknown);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.json().path("error").path("message").asText()).contains("gpt-4o");
    assertThat(notFound.json().path("error").path("type").asText()).isEqualTo("NotFoundError");
    assertThat(notFound.json().path("error").path("code").asInt()).isEqualTo(404);

    SimClient.Answer badJson = client.post("/v1/chat/completions", "{nope", Duration.ofSeconds(10));
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.json().path("error").path("type").asText()).isEqualTo("BadRequestError");

    ObjectNode empty = SimClient.MAPPER.createObjectNode();
    empty.putArray("messages");
    assertThat(client.post("/v1/chat/completions", empty).status()).isEqualTo(400);

    ObjectNode tooLong = SimClient.chat("x".repeat(4 * 32768));
    SimClient.Answer context = client.post("/v1/chat/completions", tooLong);
    assertThat(context.status()).isEqualTo(400);
    assertThat(context.json().path("error").path("message").asText()).contains("maximum context length is 32768");

    assertThat(client.get("/v2/nothing").status()).isEqualTo(404);
    assertThat(client.get("/v1/chat/completions").status()).isEqualTo(405);
  }

  @Test
  void toolsContentPartsAndToolCallsCountAsPrompt() throws Exception {
    JsonNode body = SimClient.MAPPER.readTree("""
        {"messages": [
          {"role": "system", "content": "You help."},
          {"role": "user", "content": [{"type": "text", "text": "What is in "},
                                       {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                                       {"type": "text", "text": "this picture?"}]},
          {"role": "assistant", "content": null,
           "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "look", "arguments": "{}"}}]},
          {"role": "tool", "tool_call_id": "call_1", "content": "a cat"}],
         "tools": [{"type": "function", "function": {"name": "look", "parameters": {"type": "object"}}}]}
        """);

    SimClient.Answer answer = client.post("/v1/chat/completions", body);

    assertThat(answer.status()).isEqualTo(200);
    // the tools JSON alone is over 60 characters
    assertThat(answer.json().path("usage").path("prompt_tokens").asInt()).isGreaterThan(40);
  }

  @Test
  void keepAliveAndChunkedRequestBodiesWork() throws Exception {
    byte[] json = SimClient.chat("chunked").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sim.port())) {
      var out = socket.getOutputStream();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.UTF_8));
      for (int i = 0; i < 2; i++) { // two requests on one connection
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: sim\r\ntransfer-encoding: chunked\r\n\r\n"
            + Integer.toHexString(json.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(json);
        out.write("\r\n0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        int length = -1;
        String line;
        while (!(line = in.readLine()).isEmpty()) {
          if (line.startsWith("content-length: ")) {
            length = Integer.parseInt(line.substring(16));
          }
        }
        char[] content = new char[length];
        int read = 0;
        while (read < length) {
          read += in.read(content, read, length - read);
        }
        assertThat(new String(content)).contains("\"object\":\"chat.completion\"");
      }
    }
  }

  @Test
  void healthFollowsTheMarks() {
    assertThat(client.get("/health").status()).isEqualTo(200);
    sim.markUnhealthy();
    try {
      assertThat(client.get("/health").status()).isEqualTo(503);
      assertThat(sim.isHealthy()).isFalse();
      // inference still answers: only the health check reports the engine as dead
      assertThat(client.post("/v1/chat/completions", SimClient.chat("still there?")).status()).isEqualTo(200);
    } finally {
      sim.markHealthy();
    }
    assertThat(client.get("/health").status()).isEqualTo(200);
  }

  private static JsonNode parse(String json) {
    try {
      return SimClient.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(json, e);
    }
  }
}
