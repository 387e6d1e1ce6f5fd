package dev.aigw.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.providers.anthropic.AnthropicProvider;
import dev.aigw.providers.gemini.GeminiProvider;
import dev.aigw.providers.openai.AzureOpenAiProvider;
import dev.aigw.providers.openai.OpenAiProvider;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** What HTTP providers report as their endpoint (telemetry's server.address and server.port). */
class ProviderEndpointTest {
  @Test
  void eachProviderReportsItsBaseUrl() {
    assertThat(OpenAiProvider.builder().apiKey("sk-test-1234567890").build().endpoint()).contains(URI.create("https://api.openai.com/v1"));
    assertThat(AnthropicProvider.builder().apiKey("sk-ant-1234567890").build().endpoint()).get()
        .extracting(URI::getHost).isEqualTo("api.anthropic.com");
    assertThat(GeminiProvider.builder().apiKey("gemini-key-1234567890").build().endpoint()).get()
        .extracting(URI::getHost).isEqualTo("generativelanguage.googleapis.com");
    assertThat(AzureOpenAiProvider.builder().endpoint("https://my-resource.openai.azure.com").apiKey("azure-key-123456").build().endpoint())
        .contains(URI.create("https://my-resource.openai.azure.com"));
  }

  @Test
  void anEndpointNeverCarriesUserInfoOrAQuery() {
    OpenAiProvider vllm = OpenAiProvider.compatible("http://svc:s3cret@vllm.internal:8000/v1?token=abc").build();
    assertThat(vllm.endpoint()).contains(URI.create("http://vllm.internal:8000/v1"));
    assertThat(vllm.endpoint().orElseThrow().toString()).doesNotContain("s3cret").doesNotContain("abc");
    assertThat(vllm.toString()).doesNotContain("s3cret").doesNotContain("token=");
  }
}
