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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Azure OpenAI: the chat-completions format at deployment URLs ({@code
 * {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...}), authenticated
 * with an {@code api-key} header or a bearer token (Microsoft Entra ID) from a supplier.
 *
 * <pre>{@code
 * AzureOpenAiProvider azure = AzureOpenAiProvider.builder()
 *     .endpoint("https://my-resource.openai.azure.com")
 *     .apiKey(System.getenv("AZURE_OPENAI_API_KEY"))
 *     .deployment("gpt-4o-mini", "my-gpt4o-mini-deployment")
 *     .build();
 * // target "azure/gpt-4o-mini" calls deployment "my-gpt4o-mini-deployment"
 * }</pre>
 *
 * <p>A model without a {@link Builder#deployment(String, String) mapping} is used as the
 * deployment name. Provider name: {@code azure.ai.openai}.
 */
public final class AzureOpenAiProvider implements ChatProvider, EmbeddingProvider {
  private final String id;
  private final String endpoint;
  private final java.net.URI endpointUri;
  private final OpenAiEngine engine;

  private AzureOpenAiProvider(Builder b, String id, String endpoint, HttpTransport transport) {
    this.id = id;
    this.endpoint = endpoint;
    this.endpointUri = dev.aigw.providers.internal.HttpTransport.endpoint(this.endpoint);
    Map<String, String> deployments = Map.copyOf(b.deployments);
    String version = URLEncoder.encode(b.apiVersion, StandardCharsets.UTF_8);
    boolean bearer = b.bearerToken != null;
    this.engine = new OpenAiEngine(id, transport, new OpenAiCodec(id, true, true),
        (model, operation) -> endpoint + "/openai/deployments/"
            + URLEncoder.encode(deployments.getOrDefault(model, model), StandardCharsets.UTF_8)
            + "/" + operation + "?api-version=" + version,
        key -> key == null ? Headers.of() : bearer ? Headers.of("Authorization", "Bearer " + key) : Headers.of("api-key", key));
  }

  /** {@return a new builder; {@link Builder#endpoint(String)} and a credential are required} */
  public static Builder builder() {
    return new Builder();
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
    return "azure.ai.openai";
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

  @Override
  public ModelCapabilities capabilities(String model) {
    return OpenAiModels.capabilities(model);
  }

  @Override
  public void close() {
    engine.close();
  }

  /** Id and endpoint; never the credential. */
  @Override
  public String toString() {
    return "AzureOpenAiProvider[id=" + id + ", endpoint=" + endpoint().orElseThrow() + "]";
  }

  /** Builds an {@link AzureOpenAiProvider}. The id defaults to {@code azure}. */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private boolean endpointSet;
    private String apiVersion = "2024-10-21";
    private final Map<String, String> deployments = new LinkedHashMap<>();
    private @Nullable Supplier<String> bearerToken;

    private Builder() {
      super("azure", "https://example.openai.azure.com");
    }

    /**
     * The resource endpoint, for example {@code https://my-resource.openai.azure.com}.
     *
     * @param endpoint the resource endpoint, for example {@code
     *     https://my-resource.openai.azure.com}
     * @return this builder
     */
    public Builder endpoint(String endpoint) {
      baseUrl(endpoint);
      endpointSet = true;
      return this;
    }

    /**
     * The {@code api-version} query parameter; {@code 2024-10-21} (GA) by default.
     *
     * @param apiVersion the {@code api-version} query parameter; {@code 2024-10-21} (GA) by default
     * @return this builder
     */
    public Builder apiVersion(String apiVersion) {
      Objects.requireNonNull(apiVersion, "apiVersion");
      if (apiVersion.isBlank()) {
        throw new IllegalArgumentException("apiVersion must not be blank");
      }
      this.apiVersion = apiVersion;
      return this;
    }

    /**
     * Calls for {@code model} go to {@code deployment}.
     *
     * @param model the model name requests use
     * @param deployment the Azure deployment that serves it
     * @return this builder
     */
    public Builder deployment(String model, String deployment) {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(deployment, "deployment");
      if (model.isBlank() || deployment.isBlank()) {
        throw new IllegalArgumentException("model and deployment must not be blank");
      }
      deployments.put(model, deployment);
      return this;
    }

    /**
     * A Microsoft Entra ID bearer token, asked for on every request (instead of an API key).
     *
     * @param bearerToken a Microsoft Entra ID bearer token, asked for on every request (instead of
     *     an API key)
     * @return this builder
     */
    public Builder bearerToken(Supplier<String> bearerToken) {
      this.bearerToken = Objects.requireNonNull(bearerToken, "bearerToken");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @return the new {@code AzureOpenAiProvider}
     * @throws IllegalStateException without an endpoint, or with neither or both of an API key and a bearer token
     */
    public AzureOpenAiProvider build() {
      if (!endpointSet) {
        throw new IllegalStateException("Azure OpenAI needs endpoint(\"https://<resource>.openai.azure.com\")");
      }
      if ((configuredApiKey() == null) == (bearerToken == null)) {
        throw new IllegalStateException("Azure OpenAI needs exactly one of apiKey(...) and bearerToken(...)");
      }
      return new AzureOpenAiProvider(this, configuredId(), configuredBaseUrl(),
          new HttpTransport(configuredId(), httpSettings(), bearerToken != null ? bearerToken : configuredApiKey()));
    }
  }
}
