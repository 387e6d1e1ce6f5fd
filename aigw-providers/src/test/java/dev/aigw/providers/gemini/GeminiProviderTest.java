package dev.aigw.providers.gemini;

import static dev.aigw.providers.gemini.GeminiFixtures.json;
import static dev.aigw.providers.gemini.GeminiFixtures.ok;
import static dev.aigw.providers.gemini.GeminiFixtures.take;
import static dev.aigw.providers.gemini.GeminiFixtures.textAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ModelCapabilities;
import dev.aigw.api.ProviderException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Construction, configuration and model capabilities. */
class GeminiProviderTest {

  @Test
  void defaultsNameTheProviderAndItsDefaultEndpoint() {
    try (GeminiProvider gemini = GeminiProvider.builder().apiKey("AIzaSyD-0123456789abcdefghijklmnopqrstu").build()) {
      assertThat(gemini.id()).isEqualTo("gemini");
      assertThat(gemini.providerName()).isEqualTo("gcp.gemini");
      assertThat(gemini.toString())
          .isEqualTo("GeminiProvider[id=gemini, baseUrl=https://generativelanguage.googleapis.com/v1beta]")
          .doesNotContain("AIza");
    }
  }

  @Test
  void aKeyIsRequired() {
    assertThatThrownBy(() -> GeminiProvider.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("API key");
  }

  @Test
  void sharedSettingsAreCheckedAtOnce() {
    assertThatThrownBy(() -> GeminiProvider.builder().baseUrl("generativelanguage.googleapis.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GeminiProvider.builder().id("Gemini!")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GeminiProvider.builder().readTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromEnvPrefersGeminiApiKeyThenGoogleApiKey() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(ok(textAnswer("a", "STOP")));
      server.enqueue(ok(textAnswer("b", "STOP")));
      String base = server.url("/v1beta").toString();

      try (GeminiProvider both = GeminiProvider.builderFromEnv(
              Map.of("GEMINI_API_KEY", "gemini-key-1111", "GOOGLE_API_KEY", "google-key-2222")::get).baseUrl(base).build();
          GeminiProvider google = GeminiProvider.builderFromEnv(
              Map.of("GEMINI_API_KEY", " ", "GOOGLE_API_KEY", "google-key-2222")::get).baseUrl(base).build()) {
        both.chat(ChatRequest.of("gemini-2.0-flash", "Hi"), CallContext.empty());
        google.chat(ChatRequest.of("gemini-2.0-flash", "Hi"), CallContext.empty());
      }

      assertThat(take(server).getHeaders().get("x-goog-api-key")).isEqualTo("gemini-key-1111");
      assertThat(take(server).getHeaders().get("x-goog-api-key")).isEqualTo("google-key-2222");
    }
  }

  @Test
  void fromEnvWithoutAKeySaysWhichVariablesToSet() {
    assertThatThrownBy(() -> GeminiProvider.builderFromEnv(Map.<String, String>of()::get))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GEMINI_API_KEY")
        .hasMessageContaining("GOOGLE_API_KEY");
  }

  @Test
  void theKeySupplierIsAskedOnEveryRequestAndABlankKeyFailsWithoutSending() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(ok(textAnswer("a", "STOP")));
      AtomicReference<String> key = new AtomicReference<>("rotating-key-1");
      try (GeminiProvider gemini = GeminiProvider.builder().apiKey(key::get).baseUrl(server.url("/v1beta").toString())
          .header("x-goog-user-project", "acme-prod").build()) {
        gemini.chat(ChatRequest.of("gemini-2.0-flash", "Hi"), CallContext.empty());
        var recorded = take(server);
        assertThat(recorded.getHeaders().get("x-goog-api-key")).isEqualTo("rotating-key-1");
        assertThat(recorded.getHeaders().get("x-goog-user-project")).isEqualTo("acme-prod");

        key.set("");
        assertThatThrownBy(() -> gemini.chat(ChatRequest.of("gemini-2.0-flash", "Hi"), CallContext.empty()))
            .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isFalse());
        assertThat(server.getRequestCount()).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "gemini-1.5-flash", "gemini-1.5-pro-002", "gemini-2.0-flash", "gemini-2.0-flash-lite-001", "gemini-2.5-pro",
      "gemini-2.5-flash-preview-09-2025", "gemini-3-pro-preview", "models/gemini-2.5-flash", "gemini-flash-latest",
      "gemini-exp-1206"})
  void currentModelsCanDoEverything(String model) {
    try (GeminiProvider gemini = GeminiProvider.builder().apiKey("k-123456").build()) {
      assertThat(gemini.capabilities(model)).isEqualTo(ModelCapabilities.ALL);
    }
  }

  @Test
  void olderAndSmallerModelsCanDoLess() {
    try (GeminiProvider gemini = GeminiProvider.builder().apiKey("k-123456").build()) {
      assertThat(gemini.capabilities("gemini-1.0-pro")).isEqualTo(new ModelCapabilities(true, false, false, true));
      assertThat(gemini.capabilities("gemini-pro")).isEqualTo(new ModelCapabilities(true, false, false, true));
      assertThat(gemini.capabilities("gemini-pro-vision")).isEqualTo(new ModelCapabilities(false, true, false, true));
      assertThat(gemini.capabilities("gemma-3-27b-it")).isEqualTo(ModelCapabilities.TEXT_ONLY);
    }
  }

  @Test
  void theSpecCheckRejectsAPropertyTheSpecDoesNotHave() {
    assertThatThrownBy(() -> GeminiSpec.check(json("{\"contents\": [{\"role\": \"user\", \"parts\": [{\"inline_data\": {}}]}]}"),
            "GenerateContentRequest"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("$.contents[0].parts[0].inline_data");
  }
}
