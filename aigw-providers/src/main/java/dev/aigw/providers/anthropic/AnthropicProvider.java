package dev.aigw.providers.anthropic;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ModelCapabilities;
import dev.aigw.providers.HttpProviderBuilder;
import dev.aigw.providers.internal.HttpTransport;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * A client for Anthropic's <a href="https://docs.anthropic.com/en/api/messages">Messages API</a>
 * ({@code POST /v1/messages}), blocking and streamed.
 *
 * <pre>{@code
 * ChatProvider anthropic = AnthropicProvider.builder()
 *     .apiKey(System.getenv("ANTHROPIC_API_KEY"))
 *     .defaultMaxTokens(2048)
 *     .build();
 * // or: AnthropicProvider.fromEnv()
 * }</pre>
 *
 * <p>How requests map:
 * <ul>
 *   <li>System messages become the top-level {@code system} text (joined with blank lines); user
 *       and assistant messages become turns of content blocks; an assistant's tool calls become
 *       {@code tool_use} blocks; tool messages become {@code tool_result} blocks in a user turn
 *       (consecutive results, and a user message right after them, share one turn).
 *   <li>Images go inline ({@code base64} source) when given as bytes or as a {@code data:} URL,
 *       and as a {@code url} source otherwise.
 *   <li>{@code max_tokens} is required by Anthropic: the request's {@code maxOutputTokens}, else
 *       {@link Builder#defaultMaxTokens(int)}. Stop sequences, temperature (Anthropic accepts 0
 *       to 1) and top-p map directly. <b>{@code seed} is ignored</b>: Anthropic has no seeded
 *       sampling.
 *   <li>Structured output ({@code json_schema}, {@code json_object}) is served through a tool:
 *       the request gets a tool named after the schema ({@code json_response} for {@code
 *       json_object}) whose input schema is the schema, and the model is made to call it; the
 *       tool's input comes back as the answer's <em>text</em>, with finish reason {@code STOP}.
 *       With tools of the caller's too, the model must call one of them or the schema tool.
 *       Anthropic rejects forced tool use together with extended thinking, so with {@code
 *       thinking} enabled the schema tool is offered but not forced ({@code tool_choice} auto); a
 *       model that then answers in plain text gives that text.
 *   <li>{@link ChatRequest#extra()} entries are added to the body's top level as they are (for
 *       example {@code thinking}, {@code metadata}, {@code top_k}, {@code service_tier}); an
 *       entry replaces the field of the same name the request would set, except {@code model},
 *       {@code messages} and {@code stream}, which are rejected.
 * </ul>
 *
 * <p>Answers: text blocks are joined into the text, {@code tool_use} blocks become tool calls
 * (input as JSON text), {@code thinking} blocks become the reasoning. Stop reasons: {@code
 * end_turn} and {@code stop_sequence} are {@code STOP}, {@code max_tokens} is {@code LENGTH},
 * {@code tool_use} is {@code TOOL_CALLS}, {@code pause_turn} is {@code OTHER}, and {@code refusal}
 * fails the call with a {@link ContentFilteredException} (in a stream: after the chunks that came
 * before it). Usage is normalised: input tokens include cache reads ({@code cachedInputTokens})
 * and cache writes ({@code cacheWriteTokens}), which Anthropic counts apart.
 *
 * <p>Thread-safe. {@link #toString()} shows the id and base URL, never the key.
 */
public final class AnthropicProvider implements ChatProvider {
  /** The API version sent as {@code anthropic-version} unless {@link Builder#anthropicVersion} says otherwise. */
  public static final String DEFAULT_VERSION = "2023-06-01";

  /** The {@code max_tokens} sent when a request sets no {@code maxOutputTokens}, unless configured. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  /** The environment variable {@link #fromEnv()} reads. */
  public static final String API_KEY_ENV = "ANTHROPIC_API_KEY";

  private final String id;
  private final String baseUrl;
  private final java.net.URI endpointUri;
  private final String messagesUrl;
  private final String version;
  private final int defaultMaxTokens;
  private final HttpTransport transport;

  private AnthropicProvider(String id, String baseUrl, String version, int defaultMaxTokens, HttpTransport transport) {
    this.id = id;
    this.baseUrl = baseUrl;
    this.endpointUri = dev.aigw.providers.internal.HttpTransport.endpoint(this.baseUrl);
    this.messagesUrl = baseUrl + "/v1/messages";
    this.version = version;
    this.defaultMaxTokens = defaultMaxTokens;
    this.transport = transport;
  }

  /**
   * {@return a builder with id {@code "anthropic"} and base URL {@code https://api.anthropic.com}}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return a provider with the default settings and the key from the {@code ANTHROPIC_API_KEY}
   * environment variable}
   *
   * @throws IllegalStateException when the variable is unset or blank
   */
  public static AnthropicProvider fromEnv() {
    return fromEnv(System::getenv);
  }

  static AnthropicProvider fromEnv(Function<String, @Nullable String> env) {
    String key = env.apply(API_KEY_ENV);
    if (key == null || key.isBlank()) {
      throw new IllegalStateException(
          "the environment variable " + API_KEY_ENV + " is not set: set it to your Anthropic API key, "
              + "or configure the key with AnthropicProvider.builder().apiKey(...)");
    }
    return builder().apiKey(key.strip()).build();
  }

  @Override
  public java.util.Optional<java.net.URI> endpoint() {
    return java.util.Optional.of(endpointUri);
  }

  @Override
  public String id() {
    return id;
  }

  /** {@code "anthropic"}, as the OpenTelemetry GenAI conventions name it. */
  @Override
  public String providerName() {
    return "anthropic";
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    RequestMapper.Prepared prepared = RequestMapper.map(request, defaultMaxTokens, false);
    String key = Objects.requireNonNull(transport.secret());
    Wire.MessagesResponse wire =
        transport.postJson(messagesUrl, auth(key), key, prepared.body(), context, Wire.MessagesResponse.class);
    return ResponseMapper.toResponse(id, wire, prepared.schemaTool());
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    RequestMapper.Prepared prepared = RequestMapper.map(request, defaultMaxTokens, true);
    String key = Objects.requireNonNull(transport.secret());
    return transport.postStream(messagesUrl, auth(key), key, prepared.body(), context,
        new AnthropicStreamDecoder(id, key, prepared.schemaTool()));
  }

  private Headers auth(String key) {
    return new Headers.Builder().add("x-api-key", key).add("anthropic-version", version).build();
  }

  /**
   * Claude 3 and later models (and unknown names, assumed newer) can do everything: tools,
   * vision, streaming, and JSON schema through a forced tool. Claude 1, 2 and Instant models
   * stream text only.
   */
  @Override
  public ModelCapabilities capabilities(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    if (m.startsWith("claude-2") || m.startsWith("claude-instant") || m.startsWith("claude-1")) {
      return ModelCapabilities.TEXT_ONLY;
    }
    return ModelCapabilities.ALL;
  }

  /** Releases idle pooled connections. */
  @Override
  public void close() {
    transport.close();
  }

  /** The id and base URL; never the key. */
  @Override
  public String toString() {
    return "AnthropicProvider[id=" + id + ", baseUrl=" + endpoint().orElseThrow() + "]";
  }

  /**
   * Builds an {@link AnthropicProvider}. An API key is required; the other settings have
   * defaults.
   */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private String version = DEFAULT_VERSION;
    private int defaultMaxTokens = DEFAULT_MAX_TOKENS;

    private Builder() {
      super("anthropic", "https://api.anthropic.com");
    }

    /**
     * The {@code anthropic-version} header; {@value AnthropicProvider#DEFAULT_VERSION} by default.
     *
     * @param version the header's value
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder anthropicVersion(String version) {
      Objects.requireNonNull(version, "anthropicVersion");
      if (version.isBlank()) {
        throw new IllegalArgumentException("anthropicVersion must not be blank");
      }
      this.version = version;
      return this;
    }

    /**
     * The {@code max_tokens} sent when a request sets no {@code maxOutputTokens} (Anthropic
     * requires one); {@value AnthropicProvider#DEFAULT_MAX_TOKENS} by default.
     *
     * @param maxTokens the default {@code max_tokens}
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder defaultMaxTokens(int maxTokens) {
      if (maxTokens <= 0) {
        throw new IllegalArgumentException("defaultMaxTokens must be positive, was " + maxTokens);
      }
      this.defaultMaxTokens = maxTokens;
      return this;
    }

    /**
     * Builds the provider.
     *
     * @return the new {@code AnthropicProvider}
     * @throws IllegalStateException when no API key was configured
     */
    public AnthropicProvider build() {
      Supplier<String> key = configuredApiKey();
      if (key == null) {
        throw new IllegalStateException(
            "apiKey must be set: Anthropic needs an API key (or use AnthropicProvider.fromEnv() to read " + API_KEY_ENV + ")");
      }
      return new AnthropicProvider(configuredId(), configuredBaseUrl(), version, defaultMaxTokens,
          new HttpTransport(configuredId(), httpSettings(), key));
    }
  }
}
