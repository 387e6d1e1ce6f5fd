package dev.aigw.providers.pool.internal.kserve;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ProviderException;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.internal.HttpSettings;
import dev.aigw.providers.internal.HttpTransport;
import dev.aigw.providers.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * The v2 REST binding for one replica, over aigw's shared OkHttp client ({@link HttpTransport}):
 *
 * <ul>
 *   <li>{@code GET /v2/health/live}, {@code GET /v2/health/ready}, {@code GET
 *       /v2/models/{model}/ready}: a 200 status is true (unless its body says {@code "ready":
 *       false}), any other status false;
 *   <li>{@code GET /v2/models/{model}}: the model's metadata;
 *   <li>{@code POST /v2/models/{model}/infer}: tensors as JSON ({@code data} arrays; no binary
 *       tensor extension);
 *   <li>Triton's generate extension: {@code POST /v2/models/{model}/generate} (one JSON answer)
 *       and {@code POST /v2/models/{model}/generate_stream} (server-sent events, one answer each).
 * </ul>
 *
 * Errors come as {@code {"error": "message"}} with an error status and are mapped by status as for
 * every provider. A stream's status is sent with its first event, so a failure after that arrives
 * as an event with an {@code error} field: every event is checked, and one with an error ends the
 * stream with a {@link ProviderException} naming it. Thread-safe.
 */
public final class KServeHttpClient implements KServeClient {
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final String provider;
  private final HttpUrl base;
  private final HttpTransport transport;

  /**
   * @param provider the id errors name (the pool's)
   * @param baseUrl the replica's base URL ({@code http://10.0.0.7:8000}); a path is kept as a prefix
   * @param settings timeouts and extra headers
   * @param bearerToken where to get a token sent as {@code Authorization: Bearer}, or null for none
   * @throws IllegalArgumentException when {@code baseUrl} is not an http(s) URL
   */
  public KServeHttpClient(String provider, URI baseUrl, HttpSettings settings, @Nullable Supplier<String> bearerToken) {
    this.provider = Objects.requireNonNull(provider, "provider");
    HttpUrl url = HttpUrl.parse(baseUrl.toString());
    if (url == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + HttpTransport.endpoint(baseUrl.toString()));
    }
    this.base = url;
    this.transport = new HttpTransport(provider, settings, bearerToken);
  }

  /** The replica's base URL. */
  public URI baseUrl() {
    return base.uri();
  }

  @Override
  public boolean serverLive(CallContext context) {
    return probe(url("v2", "health", "live"), "live", context);
  }

  @Override
  public boolean serverReady(CallContext context) {
    return probe(url("v2", "health", "ready"), "ready", context);
  }

  @Override
  public boolean modelReady(String model, CallContext context) {
    return probe(url("v2", "models", model, "ready"), "ready", context);
  }

  @Override
  public ModelMetadata modelMetadata(String model, CallContext context) {
    HttpTransport.Answer answer = send("GET", url("v2", "models", model), null, context);
    HttpWire.ModelMetadata wire = read(answer, HttpWire.ModelMetadata.class);
    try {
      return HttpWire.metadata(wire, model);
    } catch (IllegalArgumentException e) {
      throw ErrorMapping.malformed(provider, answer.status(), "model metadata: " + e.getMessage(), e);
    }
  }

  @Override
  public InferResponse infer(String model, InferRequest request, CallContext context) {
    HttpTransport.Answer answer = send("POST", url("v2", "models", model, "infer"), HttpWire.request(request), context);
    HttpWire.InferResponse wire = read(answer, HttpWire.InferResponse.class);
    try {
      return HttpWire.response(wire, model);
    } catch (IllegalArgumentException e) {
      throw ErrorMapping.malformed(provider, answer.status(), "inference response: " + e.getMessage(), e);
    }
  }

  /** Triton's {@code /generate}: one answer. */
  public GenerateResponse generate(String model, GenerateRequest request, CallContext context) {
    HttpTransport.Answer answer = send("POST", url("v2", "models", model, "generate"), body(request), context);
    return generateResponse(provider, answer.status(), read(answer, MAP), model);
  }

  /** Same as {@link #generate(String, GenerateRequest, CallContext)} with request parameters only. */
  public GenerateResponse generate(String model, String textInput, Map<String, Object> parameters, CallContext context) {
    return generate(model, GenerateRequest.of(textInput, parameters), context);
  }

  /**
   * Triton's {@code /generate_stream}: each event's {@code text_output} as a chunk's text, as it
   * arrives. vLLM's optional outputs are mapped when present: {@code finish_reason} to the finish
   * reason, {@code num_input_tokens} and {@code num_output_tokens} (per event) to the usage. An
   * event with an {@code error} field ends the stream with a {@link ProviderException}; the end of
   * the body ends it normally (the extension has no closing event).
   */
  public ChatStream generateStream(String model, GenerateRequest request, CallContext context) {
    CallDeadline deadline = CallDeadline.start(context);
    try {
      String key = transport.secret();
      ChatStream stream = transport.postStream(url("v2", "models", model, "generate_stream"), auth(key), key,
          body(request), deadline.context(), new GenerateStreamDecoder(provider, model, key));
      return ChatStream.of(new GuardedSource(stream, deadline));
    } catch (RuntimeException e) {
      deadline.close();
      throw e;
    }
  }

  /** Nothing to release: the HTTP connection pool is shared by every provider. */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "KServeHttpClient[" + provider + " " + HttpTransport.endpoint(base.toString()) + "]";
  }

  static GenerateResponse generateResponse(String provider, int status, Map<String, Object> body, String model) {
    Map<String, Object> outputs = new LinkedHashMap<>(body);
    Object name = outputs.remove("model_name");
    Object version = outputs.remove("model_version");
    if (!(outputs.get(GenerateResponse.TEXT_OUTPUT) instanceof String)
        && !(outputs.get(GenerateResponse.TEXT_OUTPUT) instanceof java.util.List)) {
      throw ErrorMapping.malformed(provider, status, "a generate answer without text_output", null);
    }
    return new GenerateResponse(name instanceof String s ? s : model, version == null ? null : version.toString(), outputs);
  }

  private static Map<String, Object> body(GenerateRequest request) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(GenerateRequest.TEXT_INPUT, request.textInput());
    body.putAll(request.fields());
    if (!request.parameters().isEmpty()) {
      body.put("parameters", request.parameters());
    }
    return body;
  }

  private String url(String... segments) {
    HttpUrl.Builder b = base.newBuilder();
    for (String segment : segments) {
      b.addPathSegment(segment);
    }
    return b.build().toString();
  }

  private Headers auth(@Nullable String key) {
    return key == null ? Headers.of() : Headers.of("Authorization", "Bearer " + key);
  }

  /**
   * A health probe: 200 is true, as the protocol says (Triton answers with an empty body), unless
   * the body is JSON saying {@code field: false} (KServe's Python server answers {@code {"ready":
   * true}}); any other status is false.
   */
  private boolean probe(String url, String field, CallContext context) {
    try (CallDeadline deadline = CallDeadline.start(context)) {
      String key = transport.secret();
      HttpTransport.Answer answer = transport.exchange("GET", url, auth(key), null, deadline.context());
      return answer.status() == 200 && !saysFalse(answer.body(), field);
    }
  }

  private static boolean saysFalse(byte[] body, String field) {
    if (body.length == 0 || body.length > 4096) {
      return false;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      return node != null && node.path(field).isBoolean() && !node.path(field).asBoolean();
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends and returns a 2xx answer; maps any other. */
  private HttpTransport.Answer send(String method, String url, @Nullable Object body, CallContext context) {
    try (CallDeadline deadline = CallDeadline.start(context)) {
      String key = transport.secret();
      HttpTransport.Answer answer = transport.exchange(method, url, auth(key), body, deadline.context());
      if (!answer.isSuccessful()) {
        throw KServeErrors.fromHttp(provider, answer, key);
      }
      return answer;
    }
  }

  private <T> T read(HttpTransport.Answer answer, Class<T> type) {
    try {
      T value = Json.read(answer.body(), type);
      if (value == null) {
        throw ErrorMapping.malformed(provider, answer.status(), "the body is JSON null", null);
      }
      return value;
    } catch (IOException e) {
      throw ErrorMapping.malformed(provider, answer.status(), "body is not the documented JSON (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private <T> T read(HttpTransport.Answer answer, TypeReference<T> type) {
    try {
      T value = Json.MAPPER.readValue(answer.body(), type);
      if (value == null) {
        throw ErrorMapping.malformed(provider, answer.status(), "the body is JSON null", null);
      }
      return value;
    } catch (IOException e) {
      throw ErrorMapping.malformed(provider, answer.status(), "body is not the documented JSON (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** A stream that also ends its call's deadline guard when it is closed. */
  private static final class GuardedSource implements ChatStream.Source {
    private final ChatStream stream;
    private final Iterator<ChatChunk> chunks;
    private final CallDeadline deadline;

    GuardedSource(ChatStream stream, CallDeadline deadline) {
      this.stream = stream;
      this.chunks = stream.iterator();
      this.deadline = deadline;
    }

    @Override
    public @Nullable ChatChunk next() {
      return chunks.hasNext() ? chunks.next() : null;
    }

    @Override
    public void close() {
      try {
        stream.close();
      } finally {
        deadline.close();
      }
    }
  }
}
