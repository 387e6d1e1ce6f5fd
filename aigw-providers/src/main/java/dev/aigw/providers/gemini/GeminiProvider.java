package dev.aigw.providers.gemini;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Embedding;
import dev.aigw.api.EmbeddingProvider;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.ModelCapabilities;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.Usage;
import dev.aigw.providers.HttpProviderBuilder;
import dev.aigw.providers.gemini.GeminiWire.BatchEmbedContentsRequest;
import dev.aigw.providers.gemini.GeminiWire.BatchEmbedContentsResponse;
import dev.aigw.providers.gemini.GeminiWire.Content;
import dev.aigw.providers.gemini.GeminiWire.ContentEmbedding;
import dev.aigw.providers.gemini.GeminiWire.EmbedContentRequest;
import dev.aigw.providers.gemini.GeminiWire.GenerateContentResponse;
import dev.aigw.providers.gemini.GeminiWire.Part;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.internal.HttpTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * A client of the Google Gemini API ({@code generativelanguage.googleapis.com}, v1beta) for
 * chat, streamed chat and embeddings.
 *
 * <pre>{@code
 * GeminiProvider gemini = GeminiProvider.fromEnv();           // GEMINI_API_KEY or GOOGLE_API_KEY
 * GeminiProvider custom = GeminiProvider.builder()
 *     .apiKey(() -> secrets.get("gemini"))                    // asked on every request
 *     .readTimeout(Duration.ofSeconds(60))
 *     .build();
 * }</pre>
 *
 * <p>Requests go to {@code {base}/models/{model}:generateContent}, {@code
 * :streamGenerateContent?alt=sse} and {@code :batchEmbedContents}, with the key in the {@code
 * x-goog-api-key} header, never in the URL, so it cannot leak into access logs. The key never
 * appears in {@link #toString()} or in exception messages.
 *
 * <p>How requests map to Gemini:
 *
 * <ul>
 *   <li>System messages become the {@code systemInstruction}, in order, wherever they are in the
 *       conversation; user messages have role {@code user}, assistant messages role {@code
 *       model}. Images given as bytes or {@code data:} URLs are sent inline, other URLs as {@code
 *       fileData} with a media type guessed from the extension ({@code image/jpeg} when it says
 *       nothing).
 *   <li>Tool results become {@code functionResponse} parts named after the call they answer
 *       (found by id in an earlier assistant message), consecutive results in one turn; a result
 *       that is a JSON object is sent as it is, any other text as {@code {"result": text}}.
 *   <li>Tool schemas go to {@code parametersJsonSchema} and a {@link
 *       dev.aigw.api.ResponseFormat#jsonSchema JSON schema} response format to {@code
 *       responseJsonSchema}: both take JSON Schema as it is, where the older {@code parameters}
 *       and {@code responseSchema} take only an OpenAPI subset (no {@code additionalProperties},
 *       {@code $ref} or {@code const}) and reject most schemas written for other providers.
 *   <li>A seed outside 32 bits is folded to 32 bits (Gemini's seed is an int32).
 *   <li>{@link ChatRequest#extra()} entries are written at the top level of the request body (for
 *       example {@code safetySettings} or {@code cachedContent}) and replace what aigw would have
 *       written under the same key, with two exceptions: {@code generationConfig} is merged into
 *       the generation config aigw derives (its keys win), and {@code tools} are appended to the
 *       request's function declarations (for example {@code {"googleSearch": {}}}). Gemini sends
 *       its reasoning text only when asked: {@code extra(Map.of("generationConfig",
 *       Map.of("thinkingConfig", Map.of("includeThoughts", true))))}.
 * </ul>
 *
 * <p>Answers: thought parts become {@link ChatResponse#reasoning()}; function calls without an id
 * get {@code call_<n>} (their position in the turn); usage counts thoughts as output and the
 * tool-use prompt as input. An answer withheld by Gemini's filters ({@code SAFETY}, {@code
 * RECITATION}, {@code BLOCKLIST}, {@code PROHIBITED_CONTENT}, {@code SPII}) or a prompt blocked
 * by {@code promptFeedback.blockReason} is a {@link dev.aigw.api.ContentFilteredException}; in a
 * stream, the chunks that came before it are delivered first.
 *
 * <p>Thought signatures: Gemini 3 models sign their function calls and reject a later turn whose
 * calls lost the signature. This provider remembers the signatures of the calls it returned (in a
 * bounded in-memory map) and sends them back with those calls; a call it does not know (after a
 * restart, or made by another provider) is sent with Google's documented placeholder.
 *
 * <p>Embeddings use {@code batchEmbedContents} (at most 100 texts per upstream call; larger
 * requests are split). {@link EmbeddingRequest#extra()} entries (for example {@code taskType})
 * go into every per-text request, replacing what aigw would have written under the same key.
 * Gemini reports no usage for embeddings, so the usage is {@linkplain Usage#estimated estimated}
 * as one token per four characters.
 *
 * <p>Thread-safe; share one instance. Build with {@link #builder()} or {@link #fromEnv()}.
 */
public final class GeminiProvider implements ChatProvider, EmbeddingProvider {
  /** Where requests go unless the builder says otherwise. */
  public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

  private static final String KEY_HEADER = "x-goog-api-key";
  private static final int EMBED_BATCH = 100;
  private static final int SIGNATURE_MEMORY = 4096;
  private static final Pattern VERSION = Pattern.compile("^gemini-(\\d+)(?:\\.(\\d+))?");

  private final String id;
  private final String baseUrl;
  private final java.net.URI endpointUri;
  private final HttpUrl base;
  private final HttpTransport transport;
  private final ThoughtSignatures signatures = new ThoughtSignatures(SIGNATURE_MEMORY);

  private GeminiProvider(Builder b) {
    this.id = b.id();
    this.baseUrl = b.baseUrl();
    this.endpointUri = dev.aigw.providers.internal.HttpTransport.endpoint(this.baseUrl);
    this.base = HttpUrl.get(baseUrl);
    this.transport = new HttpTransport(id, b.settings(), b.key());
  }

  /**
   * {@return a builder with id {@code "gemini"} and base URL {@link #DEFAULT_BASE_URL}; an API key
   * is required}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return a provider with the key from the environment: {@code GEMINI_API_KEY}, else {@code
   * GOOGLE_API_KEY}}
   *
   * @throws IllegalStateException when neither is set
   */
  public static GeminiProvider fromEnv() {
    return builderFromEnv(System::getenv).build();
  }

  /** A builder holding the key from {@code env}; the test seam of {@link #fromEnv()}. */
  static Builder builderFromEnv(Function<String, @Nullable String> env) {
    for (String name : List.of("GEMINI_API_KEY", "GOOGLE_API_KEY")) {
      String key = env.apply(name);
      if (key != null && !key.isBlank()) {
        return builder().apiKey(key.strip());
      }
    }
    throw new IllegalStateException(
        "GeminiProvider.fromEnv(): neither GEMINI_API_KEY nor GOOGLE_API_KEY is set; set one to a Gemini API key");
  }

  @Override
  public java.util.Optional<java.net.URI> endpoint() {
    return java.util.Optional.of(endpointUri);
  }

  @Override
  public String id() {
    return id;
  }

  /** {@code gcp.gemini}, as the OpenTelemetry GenAI conventions name the Gemini API. */
  @Override
  public String providerName() {
    return "gcp.gemini";
  }

  /**
   * Everything for Gemini 1.5 and later (and for names this client does not recognise, such as
   * new aliases); Gemini 1.0 has no JSON schema and, apart from {@code gemini-pro-vision}, no
   * vision; Gemma models are text only.
   */
  @Override
  public ModelCapabilities capabilities(String model) {
    String name = modelName(model).toLowerCase(Locale.ROOT);
    if (name.startsWith("gemma")) {
      return ModelCapabilities.TEXT_ONLY;
    }
    if (name.equals("gemini-pro-vision") || name.startsWith("gemini-1.0-pro-vision")) {
      return new ModelCapabilities(false, true, false, true);
    }
    if (name.equals("gemini-pro")) {
      return new ModelCapabilities(true, false, false, true);
    }
    Matcher m = VERSION.matcher(name);
    if (m.find()) {
      int major = Integer.parseInt(m.group(1));
      int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
      if (major < 1 || major == 1 && minor < 5) {
        return new ModelCapabilities(true, false, false, true);
      }
    }
    return ModelCapabilities.ALL;
  }

  /** {@inheritDoc} Blocks for {@code :generateContent}. */
  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    String model = modelName(request.model());
    GeminiWire.GenerateContentRequest body = GeminiRequests.chat(request, model, signatures);
    String key = transport.secret();
    GenerateContentResponse response = transport.postJson(
        url(model, "generateContent", false), auth(key), key, body, context, GenerateContentResponse.class);
    return GeminiResponses.chat(id, response, model, signatures);
  }

  /** {@inheritDoc} Streams {@code :streamGenerateContent?alt=sse}; closing the stream cancels the HTTP call. */
  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    String model = modelName(request.model());
    GeminiWire.GenerateContentRequest body = GeminiRequests.chat(request, model, signatures);
    String key = transport.secret();
    return transport.postStream(
        url(model, "streamGenerateContent", true), auth(key), key, body, context,
        new GeminiStreamDecoder(id, model, key, signatures));
  }

  /** {@inheritDoc} Posts {@code :batchEmbedContents}, 100 texts per upstream call. */
  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    String model = modelName(request.model());
    Integer dimensions = request.dimensions().isPresent() ? request.dimensions().getAsInt() : null;
    Map<String, Object> extra = request.extra();
    List<String> inputs = request.inputs();
    String url = url(model, "batchEmbedContents", false);
    List<Embedding> embeddings = new ArrayList<>(inputs.size());
    long chars = 0;
    for (int from = 0; from < inputs.size(); from += EMBED_BATCH) {
      List<String> batch = inputs.subList(from, Math.min(inputs.size(), from + EMBED_BATCH));
      List<EmbedContentRequest> requests = new ArrayList<>(batch.size());
      for (String text : batch) {
        requests.add(new EmbedContentRequest(
            extra.containsKey("model") ? null : "models/" + model,
            extra.containsKey("content") ? null : new Content(null, List.of(Part.text(text))),
            extra.containsKey("outputDimensionality") ? null : dimensions,
            extra));
        chars += text.length();
      }
      String key = transport.secret();
      BatchEmbedContentsResponse response = transport.postJson(
          url, auth(key), key, new BatchEmbedContentsRequest(requests), context, BatchEmbedContentsResponse.class);
      List<ContentEmbedding> got = response.embeddings();
      if (got == null || got.size() != batch.size()) {
        throw ErrorMapping.malformed(id, 200, (got == null ? 0 : got.size()) + " embeddings for " + batch.size() + " texts", null);
      }
      for (ContentEmbedding e : got) {
        if (e == null || e.values() == null) {
          throw ErrorMapping.malformed(id, 200, "an embedding without values", null);
        }
        embeddings.add(new Embedding(embeddings.size(), e.values()));
      }
    }
    return new EmbeddingResponse(model, embeddings, Usage.estimated((chars + 3) / 4, 0), ResponseMetadata.empty());
  }

  /** Releases idle pooled connections. */
  @Override
  public void close() {
    transport.close();
  }

  /** The id and base URL; never the key. */
  @Override
  public String toString() {
    return "GeminiProvider[id=" + id + ", baseUrl=" + endpoint().orElseThrow() + "]";
  }

  /** The model as it goes in the URL: a leading {@code models/} is dropped. */
  private static String modelName(String model) {
    return model.startsWith("models/") ? model.substring("models/".length()) : model;
  }

  private String url(String model, String method, boolean sse) {
    HttpUrl.Builder url = base.newBuilder().addPathSegment("models").addPathSegment(model + ":" + method);
    if (sse) {
      url.addQueryParameter("alt", "sse");
    }
    return url.build().toString();
  }

  private static Headers auth(@Nullable String key) {
    return key == null ? Headers.of() : Headers.of(KEY_HEADER, key);
  }

  /**
   * Builds a {@link GeminiProvider}. Everything but the key has a default; see {@link
   * HttpProviderBuilder} for the shared settings.
   */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private Builder() {
      super("gemini", DEFAULT_BASE_URL);
    }

    /**
     * Builds the provider.
     *
     * @return the new {@code GeminiProvider}
     * @throws IllegalStateException when no API key was given
     */
    public GeminiProvider build() {
      if (configuredApiKey() == null) {
        throw new IllegalStateException("GeminiProvider needs an API key: call apiKey(...) or use GeminiProvider.fromEnv()");
      }
      return new GeminiProvider(this);
    }

    private String id() {
      return configuredId();
    }

    private String baseUrl() {
      return configuredBaseUrl();
    }

    private dev.aigw.providers.internal.HttpSettings settings() {
      return httpSettings();
    }

    private java.util.function.@Nullable Supplier<String> key() {
      return configuredApiKey();
    }
  }
}
