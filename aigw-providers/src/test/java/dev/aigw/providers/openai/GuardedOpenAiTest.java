package dev.aigw.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.GuardrailViolationException;
import dev.aigw.core.AiGateway;
import dev.aigw.core.guardrail.PiiGuardrail;
import dev.aigw.core.guardrail.PiiType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PII masking through a real HTTP provider: the body MockWebServer records proves that the
 * masked values never left the process, and the caller still gets them back, blocking and
 * streamed with placeholders split across server-sent events.
 */
class GuardedOpenAiTest {
  private static final String EMAIL = "jane.doe@example.com";
  private static final String CARD = "4111 1111 1111 1111";
  private static final String IBAN = "DE89 3704 0044 0532 0130 00";

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

  private AiGateway gateway(PiiGuardrail pii) {
    return AiGateway.builder()
        .provider(OpenAiProvider.builder().apiKey(OpenAiProviderTest.KEY).baseUrl(server.url("/v1").toString()).build())
        .guardrail(pii)
        .build();
  }

  private String sentBody() throws Exception {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    return request.getBody().utf8();
  }

  private static final String PROMPT = "Refund card " + CARD + " to IBAN " + IBAN + " and confirm to " + EMAIL + ".";

  @Test
  void maskedValuesNeverReachTheServerAndTheAnswerGetsThemBack() throws Exception {
    server.enqueue(OpenAiProviderTest.json(200, """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Refunded <PAYMENT_CARD_1> to <IBAN_1>; mail sent to <EMAIL_1>."},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":40,"completion_tokens":20,"total_tokens":60}}"""));
    try (AiGateway gateway = gateway(PiiGuardrail.defaults())) {
      ChatResponse answer = gateway.chat(ChatRequest.of("openai/gpt-4o-mini", PROMPT), CallContext.tenant("acme"));

      String body = sentBody();
      assertThat(body).doesNotContain(EMAIL, CARD, IBAN, "4111", "jane.doe", "DE89")
          .contains("<PAYMENT_CARD_1>", "<IBAN_1>", "<EMAIL_1>");
      assertThat(answer.text()).isEqualTo("Refunded " + CARD + " to " + IBAN + "; mail sent to " + EMAIL + ".");
      assertThat(answer.metadata().guardrailFindings()).extracting(f -> f.type())
          .containsExactly("PAYMENT_CARD", "IBAN", "EMAIL");
    }
  }

  @Test
  void aStreamedAnswerGetsValuesBackWhenTheServerSplitsAPlaceholderAcrossEvents() throws Exception {
    String[] pieces = {"Mail ", "sent to <EMA", "IL_1", "> for card <PAYMENT_", "CARD_1>."};
    StringBuilder sse = new StringBuilder();
    for (String piece : pieces) {
      sse.append("data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(piece).append("\"},\"finish_reason\":null}]}\n\n");
    }
    sse.append("data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(sse.toString()).build());
    try (AiGateway gateway = gateway(PiiGuardrail.defaults())) {
      List<String> received = new ArrayList<>();
      try (ChatStream stream = gateway.stream(ChatRequest.of("openai/gpt-4o-mini", PROMPT))) {
        for (ChatChunk chunk : stream) {
          received.add(chunk.text());
        }
      }

      assertThat(sentBody()).doesNotContain(EMAIL, CARD, IBAN);
      assertThat(String.join("", received)).isEqualTo("Mail sent to " + EMAIL + " for card " + CARD + ".");
      assertThat(received).noneMatch(piece -> piece.contains("<") && !piece.contains(">"));
    }
  }

  @Test
  void aBlockedSecretStopsTheCallBeforeAnyRequestIsSent() {
    String key = "sk-proj-" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0";
    try (AiGateway gateway = gateway(PiiGuardrail.builder().action(PiiType.API_KEY, GuardrailAction.BLOCK).build())) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("openai/gpt-4o-mini", "my key is " + key + ", is it valid?")))
          .isInstanceOfSatisfying(GuardrailViolationException.class, e -> {
            assertThat(e.guardrail()).isEqualTo("pii");
            assertThat(e.getMessage()).contains("API_KEY").doesNotContain(key);
          });
    }
    assertThat(server.getRequestCount()).isZero();
  }
}
