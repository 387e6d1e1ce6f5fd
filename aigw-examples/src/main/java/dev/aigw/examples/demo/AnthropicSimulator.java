package dev.aigw.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's Anthropic-shaped cloud: {@code POST /v1/messages} on a loopback port, blocking or
 * streamed as Anthropic's server-sent events ({@code message_start}, {@code content_block_*},
 * {@code message_delta}, {@code message_stop}), with usage, so {@link
 * dev.aigw.providers.anthropic.AnthropicProvider} talks to it exactly as to the real API.
 *
 * <p>Answers are deterministic: a sentence picked by a hash of the question, which repeats any
 * placeholder it was sent ({@code <EMAIL_1>}), as a model answering a masked question does, so the
 * demo can show the gateway restoring the value. Tokens are four characters. Latency: a time to
 * first token of {@code firstToken} ± 30 %, then {@code perChunk} for each chunk of a few tokens.
 * Built on the JDK's {@code com.sun.net.httpserver}; for the demo only, not a test double of
 * record (use MockWebServer in tests).
 */
final class AnthropicSimulator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Z][A-Z_]*_\\d+>");
  private static final String[] ANSWERS = {
    "Happy to help. The short answer is yes, and the details are in the guide for your plan.",
    "Here is what I found: the setting lives under Account, then Security, and takes effect at once.",
    "That depends on the region; in most cases it takes two to three working days to complete.",
    "I would start with the error message, then check the logs around the time it first appeared.",
    "Good question. Both options work, but the second one costs less when traffic is uneven.",
  };

  private final HttpServer server;
  private final ExecutorService threads;
  private final Duration firstToken;
  private final Duration perChunk;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong ids = new AtomicLong();

  private AnthropicSimulator(Duration firstToken, Duration perChunk) throws IOException {
    this.firstToken = firstToken;
    this.perChunk = perChunk;
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "sim-anthropic");
      t.setDaemon(true);
      return t;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(threads);
    server.createContext("/v1/messages", this::handle);
    server.start();
  }

  /** Starts a simulator on a free loopback port. */
  static AnthropicSimulator start(Duration firstToken, Duration perChunk) {
    try {
      return new AnthropicSimulator(firstToken, perChunk);
    } catch (IOException e) {
      throw new IllegalStateException("could not start the Anthropic simulator on loopback", e);
    }
  }

  /** The base URL to give {@code AnthropicProvider.builder().baseUrl(...)}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Messages requests received. */
  long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, error("invalid_request_error", "use POST"));
        return;
      }
      JsonNode body;
      try {
        body = JSON.readTree(exchange.getRequestBody());
      } catch (IOException e) {
        send(exchange, 400, error("invalid_request_error", "the body is not JSON"));
        return;
      }
      if (!body.hasNonNull("model") || !body.path("messages").isArray() || !body.path("max_tokens").canConvertToInt()) {
        send(exchange, 400, error("invalid_request_error", "model, messages and max_tokens are required"));
        return;
      }
      String model = body.get("model").asText();
      String prompt = text(body.path("system")) + text(body.path("messages"));
      String question = lastUserText(body.path("messages"));
      List<String> tokens = tokens(answer(question));
      int maxTokens = body.get("max_tokens").asInt();
      boolean cut = tokens.size() > maxTokens;
      List<String> sent = cut ? tokens.subList(0, maxTokens) : tokens;
      int inputTokens = (prompt.length() + 3) / 4;
      String stopReason = cut ? "max_tokens" : "end_turn";
      SplittableRandom random = new SplittableRandom(question.hashCode() * 31L + ids.get());
      String id = "msg_sim" + ids.incrementAndGet();
      pause(jittered(firstToken, random));
      if (body.path("stream").asBoolean(false)) {
        stream(exchange, id, model, inputTokens, sent, stopReason);
      } else {
        pause(perChunk.multipliedBy(Math.max(1, sent.size() / 4)));
        ObjectNode message = message(id, model, inputTokens, sent.size(), stopReason);
        message.putArray("content").addObject().put("type", "text").put("text", String.join("", sent));
        send(exchange, 200, message);
      }
    }
  }

  private void stream(HttpExchange exchange, String id, String model, int inputTokens, List<String> tokens, String stopReason)
      throws IOException {
    exchange.getResponseHeaders().add("content-type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    ObjectNode start = JSON.createObjectNode().put("type", "message_start");
    ObjectNode message = message(id, model, inputTokens, 1, null);
    message.putArray("content");
    start.set("message", message);
    event(out, "message_start", start);
    ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
    blockStart.putObject("content_block").put("type", "text").put("text", "");
    event(out, "content_block_start", blockStart);
    for (int i = 0; i < tokens.size(); i += 4) {
      if (i > 0) {
        pause(perChunk);
      }
      ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
      delta.putObject("delta").put("type", "text_delta")
          .put("text", String.join("", tokens.subList(i, Math.min(tokens.size(), i + 4))));
      event(out, "content_block_delta", delta);
    }
    event(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
    ObjectNode end = JSON.createObjectNode().put("type", "message_delta");
    end.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
    end.putObject("usage").put("output_tokens", tokens.size());
    event(out, "message_delta", end);
    event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
  }

  private static ObjectNode message(String id, String model, int inputTokens, int outputTokens, String stopReason) {
    ObjectNode message = JSON.createObjectNode()
        .put("id", id).put("type", "message").put("role", "assistant").put("model", model);
    message.put("stop_reason", stopReason).putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", outputTokens);
    return message;
  }

  /** A sentence picked by the question's hash, followed by the placeholders it contained. */
  static String answer(String question) {
    String answer = ANSWERS[Math.floorMod(question.hashCode(), ANSWERS.length)];
    List<String> placeholders = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(question);
    while (m.find()) {
      placeholders.add(m.group());
    }
    return placeholders.isEmpty() ? answer
        : "Thanks, I have noted " + String.join(" and ", placeholders) + " on the ticket. " + answer;
  }

  private static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < text.length(); i += 4) {
      tokens.add(text.substring(i, Math.min(text.length(), i + 4)));
    }
    return tokens;
  }

  /** The text of a string, or of an array of messages or content blocks, concatenated. */
  private static String text(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    StringBuilder s = new StringBuilder();
    for (JsonNode item : node) {
      s.append(item.has("content") ? text(item.get("content")) : item.path("text").asText(""));
    }
    return s.toString();
  }

  private static String lastUserText(JsonNode messages) {
    String last = "";
    for (JsonNode m : messages) {
      if ("user".equals(m.path("role").asText())) {
        last = text(m.path("content"));
      }
    }
    return last;
  }

  private static Duration jittered(Duration d, SplittableRandom random) {
    return Duration.ofNanos((long) (d.toNanos() * (0.7 + 0.6 * random.nextDouble())));
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ObjectNode error(String type, String message) {
    ObjectNode body = JSON.createObjectNode().put("type", "error");
    body.putObject("error").put("type", type).put("message", message);
    return body;
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("content-type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void event(OutputStream out, String name, JsonNode data) throws IOException {
    out.write(("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
