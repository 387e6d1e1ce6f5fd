package dev.aigw.testkit.sim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigw.testkit.internal.HashedEmbedding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The simulated server's HTTP API: vLLM's OpenAI-compatible endpoints, {@code /health}, {@code
 * /metrics}, {@code /v1/models}, {@code /version} and {@code /reset_prefix_cache}, with ORCA load
 * reports and the injected failures of a {@link FaultPlan}.
 */
public final class SimHttpHandler implements MiniHttpServer.Handler {
  /** The request header asking for an ORCA load report, and its accepted values. */
  public static final String ORCA_FORMAT_HEADER = "endpoint-load-metrics-format";
  /** The response header carrying the ORCA load report. */
  public static final String ORCA_REPORT_HEADER = "endpoint-load-metrics";
  public static final String ORCA_KV_CACHE_USAGE = "kv_cache_usage_perc";
  public static final String ORCA_REQUESTS_WAITING = "num_requests_waiting";
  public static final String ORCA_REQUESTS_RUNNING = "num_requests_running";

  private static final String JSON = "application/json";
  private static final String SSE = "text/event-stream; charset=utf-8";
  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final SimConfig config;
  private final Engine engine;
  private final FaultPlan faults;
  private final ReplyText reply;
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final long created = System.currentTimeMillis() / 1000;
  /** Makes ids differ between servers (and runs) with the same seed. */
  private final long idSalt = BlockHashes.mix(System.nanoTime() ^ System.identityHashCode(this));

  public SimHttpHandler(SimConfig config, Engine engine, FaultPlan faults) {
    this.config = config;
    this.engine = engine;
    this.faults = faults;
    this.reply = new ReplyText(config.replyText());
  }

  /** Requests answered with an injected error status. */
  public long failed() {
    return failed.get();
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String path = ex.path();
    String method = ex.method();
    try {
      switch (path) {
        case "/health" -> {
          if (!method.equals("GET")) {
            methodNotAllowed(ex);
          } else if (faults.healthy()) {
            ex.respond(200, JSON, new byte[0], Map.of());
          } else {
            ex.respond(503, JSON, Json.error(503, "ServiceUnavailableError", "the engine is unhealthy"), Map.of());
          }
        }
        case "/metrics" -> {
          if (!method.equals("GET")) {
            methodNotAllowed(ex);
          } else {
            ex.respond(200, "text/plain; version=0.0.4; charset=utf-8",
                engine.prometheusText().getBytes(StandardCharsets.UTF_8), Map.of());
          }
        }
        case "/v1/models" -> {
          if (!method.equals("GET")) {
            methodNotAllowed(ex);
          } else {
            ex.respond(200, JSON, Json.bytes(models()), Map.of());
          }
        }
        case "/version" -> {
          if (!method.equals("GET")) {
            methodNotAllowed(ex);
          } else {
            ex.respond(200, JSON, "{\"version\":\"0.0.0+aigw.sim\"}".getBytes(StandardCharsets.UTF_8), Map.of());
          }
        }
        case "/reset_prefix_cache" -> {
          if (!method.equals("POST")) {
            methodNotAllowed(ex);
          } else {
            engine.resetPrefixCache();
            ex.respond(200, JSON, new byte[0], Map.of());
          }
        }
        case "/v1/chat/completions" -> inference(ex, SimRequest.Kind.CHAT);
        case "/v1/completions" -> inference(ex, SimRequest.Kind.COMPLETION);
        case "/v1/embeddings" -> inference(ex, SimRequest.Kind.EMBEDDING);
        default -> ex.respond(404, JSON, "{\"detail\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8), Map.of());
      }
    } catch (PromptRenderer.BadRequest e) {
      ex.respond(e.status, JSON, Json.error(e.status, Json.errorType(e.status), e.getMessage(), e.param), Map.of());
    }
  }

  private static void methodNotAllowed(HttpExchange ex) throws IOException {
    ex.respond(405, JSON, "{\"detail\":\"Method Not Allowed\"}".getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private ObjectNode models() {
    ObjectNode root = Json.object();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    ObjectNode base = data.addObject();
    base.put("id", config.model());
    base.put("object", "model");
    base.put("created", created);
    base.put("owned_by", "vllm");
    base.put("root", config.model());
    base.putNull("parent");
    base.put("max_model_len", config.maxModelLen());
    for (String lora : config.loraAdapters()) {
      ObjectNode m = data.addObject();
      m.put("id", lora);
      m.put("object", "model");
      m.put("created", created);
      m.put("owned_by", "vllm");
      m.put("root", "/adapters/" + lora);
      m.put("parent", config.model());
      m.putNull("max_model_len");
    }
    return root;
  }

  // ---- inference ----

  private record Parsed(SimRequest request, long replySeed, boolean includeUsage, int dimensions, boolean base64,
      List<String> texts) {}

  private void inference(HttpExchange ex, SimRequest.Kind kind) throws IOException {
    if (!ex.method().equals("POST")) {
      methodNotAllowed(ex);
      return;
    }
    JsonNode body;
    try {
      body = Json.read(ex.body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new PromptRenderer.BadRequest("the body is not valid JSON: " + e.getOriginalMessage(), null);
    }
    if (body == null || !body.isObject()) {
      throw new PromptRenderer.BadRequest("the body must be a JSON object", null);
    }
    Parsed p = kind == SimRequest.Kind.EMBEDDING ? parseEmbedding(body) : parseGeneration(body, kind);
    if (faults.takeHang()) {
      try {
        faults.awaitRelease();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.cut();
      return;
    }
    int failure = faults.drawFailure();
    if (failure != 0) {
      failed.incrementAndGet();
      Map<String, String> headers = failure == 429 ? Map.of("retry-after", "1") : Map.of();
      ex.respond(failure, JSON, Json.error(failure, Json.errorType(failure),
          "simulated failure (injected " + failure + ")"), headers);
      return;
    }
    String orca = ex.header(ORCA_FORMAT_HEADER);
    if (p.request.stream) {
      stream(ex, p, orca);
    } else {
      blocking(ex, p, orca);
    }
  }

  private Parsed parseGeneration(JsonNode body, SimRequest.Kind kind) {
    String[] modelRef = model(body);
    String prompt;
    if (kind == SimRequest.Kind.CHAT) {
      JsonNode messages = body.get("messages");
      if (messages == null || !messages.isArray() || messages.isEmpty()) {
        throw new PromptRenderer.BadRequest("'messages' must be a non-empty list", "messages");
      }
      prompt = PromptRenderer.chat(messages, body.get("tools"));
    } else {
      prompt = completionPrompt(body.get("prompt"));
    }
    int n = optInt(body, "n", 1);
    if (n != 1) {
      throw new PromptRenderer.BadRequest("the simulator answers with one choice only (n=1)", "n");
    }
    int promptTokens = Math.max(1, SimConfig.tokens(prompt.length()));
    Integer maxTokens = null;
    if (body.hasNonNull("max_completion_tokens")) {
      maxTokens = optInt(body, "max_completion_tokens", 0);
    } else if (body.hasNonNull("max_tokens")) {
      maxTokens = optInt(body, "max_tokens", 0);
    }
    if (maxTokens != null && maxTokens < 1) {
      throw new PromptRenderer.BadRequest("max_tokens must be at least 1, got " + maxTokens + ".", "max_tokens");
    }
    if (promptTokens + (maxTokens == null ? 1 : maxTokens) > config.maxModelLen()) {
      throw new PromptRenderer.BadRequest("This model's maximum context length is " + config.maxModelLen()
          + " tokens. However, you requested " + (promptTokens + (maxTokens == null ? 0 : maxTokens))
          + " tokens (" + promptTokens + " in the messages, " + (maxTokens == null ? 0 : maxTokens)
          + " in the completion). Please reduce the length of the messages or completion.", "messages");
    }
    int limit = maxTokens != null ? maxTokens : config.maxModelLen() - promptTokens;
    int natural = reply.naturalTokens(config.defaultOutputTokens());
    boolean ignoreEos = body.path("ignore_eos").asBoolean(false);
    int minTokens = Math.max(0, optInt(body, "min_tokens", 0));
    int output = ignoreEos ? limit : Math.max(Math.min(natural, limit), Math.min(minTokens, limit));
    String finish = output < natural || ignoreEos && output == limit ? "length" : "stop";
    String salt = cacheSalt(body);
    boolean stream = body.path("stream").asBoolean(false);
    boolean includeUsage = stream && body.path("stream_options").path("include_usage").asBoolean(false);
    long[] hashes = BlockHashes.of(prompt, config.blockChars(), modelRef[0], salt);
    String id = (kind == SimRequest.Kind.CHAT ? "chatcmpl-" : "cmpl-") + nextId();
    SimRequest r = new SimRequest(id, modelRef[0], modelRef[1], kind, stream, promptTokens, hashes, output, finish,
        stream ? config.streamInterval() : Integer.MAX_VALUE);
    long seed = BlockHashes.mix(prompt.hashCode() * 0x9e3779b97f4a7c15L + prompt.length());
    return new Parsed(r, seed, includeUsage, 0, false, List.of());
  }

  private Parsed parseEmbedding(JsonNode body) {
    String[] modelRef = model(body);
    JsonNode input = body.get("input");
    List<String> texts = new ArrayList<>();
    if (input != null && input.isTextual()) {
      texts.add(input.asText());
    } else if (input != null && input.isArray() && !input.isEmpty()) {
      for (JsonNode item : input) {
        if (!item.isTextual()) {
          throw new PromptRenderer.BadRequest("the simulator embeds strings only, not token arrays", "input");
        }
        texts.add(item.asText());
      }
    } else {
      throw new PromptRenderer.BadRequest("'input' must be a string or a non-empty list of strings", "input");
    }
    int promptTokens = 0;
    for (String t : texts) {
      int tokens = Math.max(1, SimConfig.tokens(t.length()));
      if (tokens > config.maxModelLen()) {
        throw new PromptRenderer.BadRequest("This model's maximum context length is " + config.maxModelLen()
            + " tokens. However, you requested " + tokens + " tokens in the input for embedding generation."
            + " Please reduce the length of the input.", "input");
      }
      promptTokens += tokens;
    }
    int dimensions = optInt(body, "dimensions", config.embeddingDimensions());
    if (dimensions < 1 || dimensions > 65536) {
      throw new PromptRenderer.BadRequest("dimensions must be between 1 and 65536", "dimensions");
    }
    String format = body.path("encoding_format").asText("float");
    if (!format.equals("float") && !format.equals("base64")) {
      throw new PromptRenderer.BadRequest("encoding_format must be 'float' or 'base64'", "encoding_format");
    }
    promptTokens = Math.min(promptTokens, config.kvCacheBlocks() * config.blockSize());
    SimRequest r = new SimRequest("embd-" + nextId(), modelRef[0], modelRef[1], SimRequest.Kind.EMBEDDING,
        false, promptTokens, new long[0], 0, "stop", Integer.MAX_VALUE);
    return new Parsed(r, 0, false, dimensions, format.equals("base64"), List.copyOf(texts));
  }

  /** {name, lora-or-null}: the request's model, or 404 when the server does not serve it. */
  private String[] model(JsonNode body) {
    JsonNode m = body.get("model");
    if (m == null || m.isNull()) {
      return new String[] {config.model(), null};
    }
    if (!m.isTextual()) {
      throw new PromptRenderer.BadRequest("'model' must be a string", "model");
    }
    String name = m.asText();
    if (name.equals(config.model())) {
      return new String[] {name, null};
    }
    if (config.loraAdapters().contains(name)) {
      return new String[] {name, name};
    }
    throw new PromptRenderer.BadRequest(404, "The model `" + name + "` does not exist.", "model");
  }

  private static String completionPrompt(@Nullable JsonNode prompt) {
    if (prompt != null && prompt.isTextual()) {
      return prompt.asText();
    }
    if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
      return prompt.get(0).asText();
    }
    throw new PromptRenderer.BadRequest(
        "'prompt' must be a string (or a list of one string; the simulator does not batch prompts or take token ids)",
        "prompt");
  }

  private static String cacheSalt(JsonNode body) {
    JsonNode salt = body.get("cache_salt");
    if (salt == null || salt.isNull()) {
      return "";
    }
    if (!salt.isTextual() || salt.asText().isEmpty()) {
      throw new PromptRenderer.BadRequest("cache_salt must be a non-empty string", "cache_salt");
    }
    return salt.asText();
  }

  private static int optInt(JsonNode body, String field, int fallback) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new PromptRenderer.BadRequest("'" + field + "' must be an integer", field);
    }
    return v.intValue();
  }

  private String nextId() {
    long n = ids.getAndIncrement();
    return String.format(Locale.ROOT, "%016x%016x",
        BlockHashes.mix(config.seed() ^ idSalt) + BlockHashes.mix(2 * n), BlockHashes.mix(idSalt + 2 * n + 1));
  }

  // ---- answers ----

  private void blocking(HttpExchange ex, Parsed p, @Nullable String orca) throws IOException {
    SimRequest r = p.request;
    engine.submit(r, 0);
    SimRequest.State state;
    while ((state = r.state()) != SimRequest.State.FINISHED && state != SimRequest.State.ABORTED) {
      LockSupport.parkNanos(r, PARK_NANOS);
      if (Thread.interrupted()) {
        r.abort();
        ex.cut();
        return;
      }
    }
    if (state == SimRequest.State.ABORTED) {
      ex.cut();
      return;
    }
    Map<String, String> headers = orcaHeaders(orca);
    ObjectNode root = switch (r.kind) {
      case CHAT -> chatBody(r, p);
      case COMPLETION -> completionBody(r, p);
      case EMBEDDING -> embeddingBody(r, p);
    };
    ex.respond(200, JSON, Json.bytes(root), headers);
  }

  private ObjectNode chatBody(SimRequest r, Parsed p) {
    ObjectNode root = header(r, "chat.completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", reply.text(p.replySeed, r.emitted()));
    message.putNull("refusal");
    message.putNull("annotations");
    message.putNull("audio");
    message.putNull("function_call");
    message.putArray("tool_calls");
    message.putNull("reasoning_content");
    choice.putNull("logprobs");
    choice.put("finish_reason", r.finishReason);
    choice.putNull("stop_reason");
    root.putNull("service_tier");
    root.putNull("system_fingerprint");
    usage(root.putObject("usage"), r);
    root.putNull("prompt_logprobs");
    root.putNull("kv_transfer_params");
    return root;
  }

  private ObjectNode completionBody(SimRequest r, Parsed p) {
    ObjectNode root = header(r, "text_completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.put("text", reply.text(p.replySeed, r.emitted()));
    choice.putNull("logprobs");
    choice.put("finish_reason", r.finishReason);
    choice.putNull("stop_reason");
    choice.putNull("prompt_logprobs");
    root.putNull("service_tier");
    root.putNull("system_fingerprint");
    usage(root.putObject("usage"), r);
    root.putNull("kv_transfer_params");
    return root;
  }

  private ObjectNode embeddingBody(SimRequest r, Parsed p) {
    ObjectNode root = header(r, "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < p.texts.size(); i++) {
      ObjectNode item = data.addObject();
      item.put("index", i);
      item.put("object", "embedding");
      float[] vector = HashedEmbedding.of(p.texts.get(i), p.dimensions);
      if (p.base64) {
        ByteBuffer buf = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) {
          buf.putFloat(f);
        }
        item.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float f : vector) {
          values.add(f);
        }
      }
    }
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", r.promptTokens);
    usage.put("total_tokens", r.promptTokens);
    usage.put("completion_tokens", 0);
    usage.putNull("prompt_tokens_details");
    return root;
  }

  private ObjectNode header(SimRequest r, String object) {
    ObjectNode root = Json.object();
    root.put("id", r.id);
    root.put("object", object);
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", r.model);
    return root;
  }

  private static void usage(ObjectNode usage, SimRequest r) {
    usage.put("prompt_tokens", r.promptTokens);
    usage.put("total_tokens", r.promptTokens + r.emitted());
    usage.put("completion_tokens", r.emitted());
    usage.putObject("prompt_tokens_details").put("cached_tokens", r.cachedTokens());
  }

  private void stream(HttpExchange ex, Parsed p, @Nullable String orca) throws IOException {
    SimRequest r = p.request;
    int cutAfter = faults.takeStreamCut();
    boolean chat = r.kind == SimRequest.Kind.CHAT;
    String prefix = "data: {\"id\":\"" + r.id + "\",\"object\":\"" + (chat ? "chat.completion.chunk" : "text_completion")
        + "\",\"created\":" + System.currentTimeMillis() / 1000 + ",\"model\":\"" + Json.escape(r.model)
        + "\",\"choices\":[";
    HttpExchange.ChunkedBody out = ex.beginChunked(200, SSE, orcaHeaders(orca));
    engine.submit(r, 0);
    int events = 0;
    if (cutAfter == 0) {
      r.abort();
      ex.cut();
      return;
    }
    int written = 0;
    try {
      while (true) {
        SimRequest.State state = r.state();
        int available = r.emitted();
        while (written < available) {
          if (chat && written == 0) {
            out.write(prefix).write("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]}\n\n");
            if (++events == cutAfter) {
              cutMidStream(ex, out, r);
              return;
            }
          }
          boolean last = written == r.outputTokens - 1;
          String finish = last ? "\"" + r.finishReason + "\",\"stop_reason\":null" : "null";
          String token = reply.jsonToken(p.replySeed, written);
          out.write(prefix);
          if (chat) {
            out.write("{\"index\":0,\"delta\":{\"content\":\"").write(token).write("\"},\"logprobs\":null,\"finish_reason\":")
                .write(finish).write("}]}\n\n");
          } else {
            out.write("{\"index\":0,\"text\":\"").write(token).write("\",\"logprobs\":null,\"finish_reason\":")
                .write(finish).write("}]}\n\n");
          }
          written++;
          if (++events == cutAfter) {
            cutMidStream(ex, out, r);
            return;
          }
        }
        if (state == SimRequest.State.FINISHED && written >= r.emitted()) {
          if (p.includeUsage) {
            out.write(prefix).write("],\"usage\":{\"prompt_tokens\":" + r.promptTokens + ",\"total_tokens\":"
                + (r.promptTokens + written) + ",\"completion_tokens\":" + written
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + r.cachedTokens() + "}}}\n\n");
            if (++events == cutAfter) {
              cutMidStream(ex, out, r);
              return;
            }
          }
          out.write("data: [DONE]\n\n");
          out.end();
          return;
        }
        if (state == SimRequest.State.ABORTED) {
          out.flush();
          ex.cut();
          return;
        }
        out.flush();
        LockSupport.parkNanos(r, PARK_NANOS);
        if (Thread.interrupted()) {
          r.abort();
          ex.cut();
          return;
        }
      }
    } catch (IOException e) {
      r.abort(); // the client went away: vLLM aborts the request
      throw e;
    }
  }

  private static void cutMidStream(HttpExchange ex, HttpExchange.ChunkedBody out, SimRequest r) throws IOException {
    r.abort();
    out.flush();
    ex.cut();
  }

  private Map<String, String> orcaHeaders(@Nullable String format) {
    if (format == null) {
      return Map.of();
    }
    String f = format.trim().toUpperCase(Locale.ROOT);
    if (!f.equals("TEXT") && !f.equals("JSON")) {
      return Map.of();
    }
    EngineSnapshot s = engine.snapshot();
    String kv = PrometheusText.number(s.kvCacheUsage());
    String waiting = PrometheusText.number(s.waiting());
    String running = PrometheusText.number(s.running());
    String value;
    if (f.equals("TEXT")) {
      value = "TEXT named_metrics." + ORCA_KV_CACHE_USAGE + "=" + kv + ", named_metrics." + ORCA_REQUESTS_WAITING
          + "=" + waiting + ", named_metrics." + ORCA_REQUESTS_RUNNING + "=" + running;
    } else {
      value = "JSON {\"named_metrics\": {\"" + ORCA_KV_CACHE_USAGE + "\": " + kv + ", \"" + ORCA_REQUESTS_WAITING
          + "\": " + waiting + ", \"" + ORCA_REQUESTS_RUNNING + "\": " + running + "}}";
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(ORCA_REPORT_HEADER, value);
    return headers;
  }
}
