package dev.aigw.providers.gemini;

import static dev.aigw.providers.gemini.GeminiFixtures.ok;
import static dev.aigw.providers.gemini.GeminiFixtures.sse;
import static dev.aigw.providers.gemini.GeminiFixtures.sseResponse;
import static dev.aigw.providers.gemini.GeminiFixtures.take;
import static dev.aigw.providers.gemini.GeminiFixtures.textAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Target;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.routing.Route;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** The provider behind an {@link AiGateway}: addressed by {@code gemini/<model>} and through a route. */
class GeminiGatewayTest {

  @Test
  void theGatewayCallsGeminiForBlockingAndStreamedChat() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(ok(textAnswer("Bonjour !", "STOP")));
      server.enqueue(sseResponse(sse(GeminiStreamTest.TEXT_1, GeminiStreamTest.TEXT_2_STOP)));

      try (AiGateway gateway = AiGateway.builder()
          .provider(GeminiFixtures.provider(server))
          .route("chat", Route.fallback("gemini/gemini-2.5-flash"))
          .build()) {
        ChatResponse blocking = gateway.chat(ChatRequest.of("gemini/gemini-2.0-flash", "Say hello in French"), CallContext.tenant("acme"));
        ChatResponse streamed = gateway.stream(ChatRequest.of("chat", "How many r's in strawberry?"), CallContext.tenant("acme")).collect();

        assertThat(blocking.text()).isEqualTo("Bonjour !");
        assertThat(blocking.usage()).contains(Usage.of(14, 9));
        assertThat(blocking.metadata().target()).contains(new Target("gemini", "gemini-2.0-flash"));
        assertThat(streamed.text()).isEqualTo("There are three r's in strawberry.");
        assertThat(streamed.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(streamed.metadata().target()).contains(new Target("gemini", "gemini-2.5-flash"));
      }

      assertThat(take(server).getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
      assertThat(take(server).getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    }
  }
}
