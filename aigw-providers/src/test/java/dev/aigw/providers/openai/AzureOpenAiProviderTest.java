package dev.aigw.providers.openai;

import static dev.aigw.providers.openai.OpenAiProviderTest.COMPLETION;
import static dev.aigw.providers.openai.OpenAiProviderTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatStream;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AzureOpenAiProviderTest {
  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private String endpoint() {
    String url = server.url("/").toString();
    return url.substring(0, url.length() - 1);
  }

  @Test
  void callsGoToTheDeploymentUrlWithTheApiVersionAndTheApiKeyHeader() throws Exception {
    server.enqueue(json(200, COMPLETION));
    server.enqueue(OpenAiProviderTest.sse(OpenAiProviderTest.STREAM_FIRST + OpenAiProviderTest.STREAM_REST));
    try (AzureOpenAiProvider azure = AzureOpenAiProvider.builder().endpoint(endpoint()).apiKey("azure-key-123456")
        .deployment("gpt-4o-mini", "prod-mini").apiVersion("2024-10-21").build()) {
      azure.chat(ChatRequest.of("gpt-4o-mini", "hi"), CallContext.empty());
      try (ChatStream stream = azure.stream(ChatRequest.of("gpt-4o", "hi"), CallContext.empty())) {
        stream.collect();
      }

      RecordedRequest mapped = server.takeRequest(10, TimeUnit.SECONDS);
      assertThat(mapped.getUrl().encodedPath()).isEqualTo("/openai/deployments/prod-mini/chat/completions");
      assertThat(mapped.getUrl().queryParameter("api-version")).isEqualTo("2024-10-21");
      assertThat(mapped.getHeaders().get("api-key")).isEqualTo("azure-key-123456");
      assertThat(mapped.getHeaders().get("Authorization")).isNull();
      RecordedRequest unmapped = server.takeRequest(10, TimeUnit.SECONDS);
      assertThat(unmapped.getUrl().encodedPath()).isEqualTo("/openai/deployments/gpt-4o/chat/completions");
      assertThat(azure.providerName()).isEqualTo("azure.ai.openai");
      assertThat(azure.toString()).doesNotContain("azure-key-123456");
    }
  }

  @Test
  void aBearerTokenSupplierReplacesTheApiKey() throws Exception {
    server.enqueue(json(200, COMPLETION));
    try (AzureOpenAiProvider azure = AzureOpenAiProvider.builder().endpoint(endpoint())
        .bearerToken(() -> "entra-token-abcdef").build()) {
      azure.chat(ChatRequest.of("gpt-4o", "hi"), CallContext.empty());

      RecordedRequest sent = server.takeRequest(10, TimeUnit.SECONDS);
      assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer entra-token-abcdef");
      assertThat(sent.getHeaders().get("api-key")).isNull();
    }
  }

  @Test
  void theBuilderNeedsAnEndpointAndExactlyOneCredential() {
    assertThatThrownBy(() -> AzureOpenAiProvider.builder().apiKey("k-123456").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("endpoint");
    assertThatThrownBy(() -> AzureOpenAiProvider.builder().endpoint("https://r.openai.azure.com").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> AzureOpenAiProvider.builder().endpoint("https://r.openai.azure.com").apiKey("k-123456")
        .bearerToken(() -> "t").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> AzureOpenAiProvider.builder().endpoint("ftp://nope"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
