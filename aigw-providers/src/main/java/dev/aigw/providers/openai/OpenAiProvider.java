package dev.aigw.providers.openai;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.EmbeddingProvider;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.ModelCapabilities;
import dev.aigw.providers.HttpProviderBuilder;
import dev.aigw.providers.internal.HttpTransport;
import java.util.Objects;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI chat completions and embeddings, for OpenAI and for OpenAI-compatible servers.
 *
 * <pre>{@code
 * ChatProvider openAi = OpenAiProvider.builder().apiKey(System.getenv("OPENAI_API_KEY")).build();
 * ChatProvider vllm = OpenAiProvider.compatible("http://gpu-1:8000/v1").id("vllm").build();
 * }</pre>
 *
 * <p>Streams ask for usage ({@code stream_options.include_usage}) and assemble parallel tool-call
 * deltas by index; refusals and {@code content_filter} end the call with a {@link
 * dev.aigw.api.ContentFilteredException}. Compatible servers may omit usage (it is then
 * estimated locally and marked {@link dev.aigw.api.Usage#estimated()}), omit {@code [DONE]}, and
 * send {@code reasoning_content}, which becomes the response's reasoning.
 */
public final class OpenAiProvider implements ChatProvider, EmbeddingProvider {
  private final String id;
  private final String providerName;
  private final String baseUrl;
  private final java.net.URI endpointUri;
  private final @Nullable ModelCapabilities fixedCapabilities;
  private final OpenAiEngine engine;

  private OpenAiProvider(Builder b, String id, String baseUrl, HttpTransport transport) {
    this.id = id;
    this.providerName = b.providerName;
    this.baseUrl = baseUrl;
    this.endpointUri = dev.aigw.providers.internal.HttpTransport.endpoint(this.baseUrl);
    this.fixedCapabilities = b.capabilities;
    OpenAiCodec codec = new OpenAiCodec(id, !b.compatible, b.streamUsage);
    this.engine = new OpenAiEngine(id, transport, codec, (model, operation) -> baseUrl + "/" + operation,
        key -> key == null ? Headers.of() : Headers.of("Authorization", "Bearer " + key));
  }

  /**
   * {@return a builder for OpenAI itself (https://api.openai.com/v1, id and provider name {@code
   * openai}); an API key is required}
   */
  public static Builder builder() {
    return new Builder(false, "openai", "https://api.openai.com/v1", "openai");
  }

  /**
   * {@return a builder for an OpenAI-compatible server at {@code baseUrl} (for example {@code
   * http://localhost:8000/v1}): id {@code openai-compatible} unless set, API key optional, {@code
   * max_tokens} instead of {@code max_completion_tokens}, provider name {@code openai} unless set
   * with {@link Builder#providerName(String)}}
   *
   * @param baseUrl the server's base URL, {@code /v1} included
   */
  public static Builder compatible(String baseUrl) {
    return new Builder(true, "openai-compatible", "http://localhost", "openai").baseUrl(baseUrl);
  }

  /**
   * {@return OpenAI configured from the environment: {@code OPENAI_API_KEY}, and {@code
   * OPENAI_BASE_URL} when set}
   *
   * @throws IllegalStateException when {@code OPENAI_API_KEY} is not set
   */
  public static OpenAiProvider fromEnv() {
    String key = System.getenv("OPENAI_API_KEY");
    if (key == null || key.isBlank()) {
      throw new IllegalStateException("OPENAI_API_KEY is not set");
    }
    Builder b = builder().apiKey(key);
    String base = System.getenv("OPENAI_BASE_URL");
    if (base != null && !base.isBlank()) {
      b.baseUrl(base);
    }
    return b.build();
  }

  @Override
  public java.util.Optional<java.net.URI> endpoint() {
    return java.util.Optional.of(endpointUri);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String providerName() {
    return providerName;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    return engine.chat(request, context);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    return engine.stream(request, context);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    return engine.embed(request, context);
  }

  /**
   * For OpenAI: what the model family supports (older {@code gpt-3.5}/{@code gpt-4} without
   * {@code o}/{@code .1} lack vision or JSON schema; {@code o1-mini}/{@code o1-preview} lack
   * tools and vision). For compatible servers: what the builder was told, everything by default.
   */
  @Override
  public ModelCapabilities capabilities(String model) {
    if (fixedCapabilities != null) {
      return fixedCapabilities;
    }
    return OpenAiModels.capabilities(model);
  }

  @Override
  public void close() {
    engine.close();
  }

  /** Id, provider name and base URL; never the key. */
  @Override
  public String toString() {
    return "OpenAiProvider[id=" + id + ", providerName=" + providerName + ", baseUrl=" + endpoint().orElseThrow() + "]";
  }

  /** Builds an {@link OpenAiProvider}. */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private final boolean compatible;
    private String providerName;
    private boolean streamUsage = true;
    private @Nullable ModelCapabilities capabilities;

    private Builder(boolean compatible, String id, String baseUrl, String providerName) {
      super(id, baseUrl);
      this.compatible = compatible;
      this.providerName = providerName;
    }

    /**
     * The name reported as {@code gen_ai.provider.name}, for compatible servers (for example
     * {@code groq}, {@code mistral_ai}, {@code deepseek}, or {@code vllm}).
     *
     * @param providerName the name reported as {@code gen_ai.provider.name}, for compatible servers
     *     (for example {@code groq}, {@code mistral_ai}, {@code deepseek}, or {@code vllm})
     * @return this builder
     */
    public Builder providerName(String providerName) {
      Objects.requireNonNull(providerName, "providerName");
      if (providerName.isBlank()) {
        throw new IllegalArgumentException("providerName must not be blank");
      }
      this.providerName = providerName;
      return this;
    }

    /**
     * Whether streams ask for usage with {@code stream_options}; on by default. Turn off for
     * servers that reject it.
     *
     * @param streamUsage whether streams ask for usage with {@code stream_options}; on by default
     * @return this builder
     */
    public Builder streamUsage(boolean streamUsage) {
      this.streamUsage = streamUsage;
      return this;
    }

    /**
     * What every model of a compatible server can do; by default everything is assumed.
     *
     * @param capabilities what every model of a compatible server can do; by default everything is
     *     assumed
     * @return this builder
     */
    public Builder capabilities(ModelCapabilities capabilities) {
      this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @return the new {@code OpenAiProvider}
     * @throws IllegalStateException when OpenAI itself has no API key
     */
    public OpenAiProvider build() {
      if (!compatible && configuredApiKey() == null) {
        throw new IllegalStateException("OpenAI needs an API key: call apiKey(...) or use OpenAiProvider.fromEnv()");
      }
      if (compatible && capabilities == null) {
        capabilities = ModelCapabilities.ALL;
      }
      return new OpenAiProvider(this, configuredId(), configuredBaseUrl(),
          new HttpTransport(configuredId(), httpSettings(), configuredApiKey()));
    }
  }
}
