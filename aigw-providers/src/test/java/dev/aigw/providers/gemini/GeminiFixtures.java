package dev.aigw.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aigw.providers.testing.RequestSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Shared test helpers: the provider under test, canned Gemini payloads, JSON access to requests. */
final class GeminiFixtures {
  /** A key shaped like no known credential, so only the provider's own redaction can hide it. */
  static final String KEY = "test-gemini-key-7f3a9c1e5b2d4f60";

  /** Rejects duplicate keys, so a passthrough key written twice (typed and extra) fails the test. */
  private static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private GeminiFixtures() {}

  static GeminiProvider provider(MockWebServer server) {
    return GeminiProvider.builder().apiKey(KEY).baseUrl(server.url("/v1beta").toString()).build();
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The request's body as JSON, checked against the Gemini spec's schema {@code schema}
   * ({@code GenerateContentRequest} or {@code BatchEmbedContentsRequest}): by the shared
   * validator (types, enums, required fields) and for unknown property names, which the spec's
   * open schemas let through.
   */
  static JsonNode body(RecordedRequest request, String schema) {
    String text = request.getBody().utf8();
    RequestSchemas.assertValid(switch (schema) {
      case "GenerateContentRequest" -> RequestSchemas.GEMINI_GENERATE_CONTENT;
      case "BatchEmbedContentsRequest" -> RequestSchemas.GEMINI_BATCH_EMBED;
      default -> throw new IllegalArgumentException(schema);
    }, text);
    JsonNode body = json(text);
    GeminiSpec.check(body, schema);
    return body;
  }

  /** The next request the server received (waits for it; fails after 10 s rather than hanging). */
  static RecordedRequest take(MockWebServer server) throws InterruptedException {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("the server received no request");
    }
    return request;
  }

  static MockResponse ok(String json) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json; charset=UTF-8")
        .body(json)
        .build();
  }

  static MockResponse error(int code, String json) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json; charset=UTF-8")
        .body(json)
        .build();
  }

  /** Gemini's SSE framing: one {@code data:} line per chunk, events separated by CRLF CRLF. */
  static String sse(String... events) {
    StringBuilder sb = new StringBuilder();
    for (String e : events) {
      sb.append("data: ").append(e.replace("\n", "")).append("\r\n\r\n");
    }
    return sb.toString();
  }

  static MockResponse sseResponse(String body) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "text/event-stream")
        .body(body)
        .build();
  }

  static MockResponse sseResponse(MockResponseBody body) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "text/event-stream")
        .body(body)
        .build();
  }

  /** Safety ratings as Gemini attaches them to candidates and prompts (ignored by the client). */
  static final String SAFETY_RATINGS = """
      [{"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"},
       {"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"},
       {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
       {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "NEGLIGIBLE"}]""";

  /** A whole answer with one text part. */
  static String textAnswer(String text, String finishReason) {
    return """
        {
          "candidates": [
            {
              "content": {"parts": [{"text": %s}], "role": "model"},
              "finishReason": "%s",
              "citationMetadata": {"citationSources": [{"startIndex": 4, "endIndex": 30, "uri": "https://en.wikipedia.org/wiki/Paris"}]},
              "safetyRatings": %s,
              "avgLogprobs": -0.0421871245,
              "index": 0
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 14,
            "candidatesTokenCount": 9,
            "totalTokenCount": 23,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 14}],
            "candidatesTokensDetails": [{"modality": "TEXT", "tokenCount": 9}]
          },
          "modelVersion": "gemini-2.0-flash-001",
          "responseId": "W8tTaOXfHICCmecPjJzzuAc"
        }
        """.formatted(quote(text), finishReason, SAFETY_RATINGS);
  }

  static String quote(String text) {
    try {
      return MAPPER.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
