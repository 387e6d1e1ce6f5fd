package dev.aigw.providers.gemini;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigw.api.ChatStream;
import dev.aigw.providers.internal.FuzzContract;
import dev.aigw.providers.internal.InMemoryBodies;

/**
 * Fuzzes {@link GeminiProvider}'s answer parsing: arbitrary bytes as the body of a 200 answer of
 * {@code :generateContent} ({@link GeminiResponses}) and of {@code :streamGenerateContent?alt=sse}
 * ({@link GeminiStreamDecoder}). Contract: see {@link FuzzContract}.
 */
class GeminiParsingFuzzTest {
  private static final String PROVIDER = "gemini";
  static final String KEY = "fuzz-secret-0123456789abcdef";
  private static final String MODEL = "gemini-2.5-flash";

  /** The body of {@code :generateContent}, through what {@code GeminiProvider.chat} does after the transport. */
  @FuzzTest
  @DictionaryEntries({"[null]", "null", "\"candidates\"", "\"content\"", "\"parts\"", "\"text\"", "\"thought\"", "\"functionCall\"",
      "\"args\"", "\"name\"", "\"id\"", "\"thoughtSignature\"", "\"finishReason\"", "\"promptFeedback\"",
      "\"blockReason\"", "\"usageMetadata\"", "\"promptTokenCount\"", "\"candidatesTokenCount\"",
      "\"cachedContentTokenCount\"", "\"thoughtsTokenCount\"", "\"modelVersion\"", "\"responseId\"", "SAFETY", "-1"})
  void chatResponse(byte[] body) {
    try {
      GeminiWire.GenerateContentResponse wire =
          InMemoryBodies.readJson(PROVIDER, body, GeminiWire.GenerateContentResponse.class);
      GeminiResponses.chat(PROVIDER, wire, MODEL, new ThoughtSignatures(16));
    } catch (RuntimeException thrown) {
      FuzzContract.blocking(thrown, KEY);
    }
  }

  /** The event stream of {@code :streamGenerateContent?alt=sse}, read to its end. */
  @FuzzTest
  @DictionaryEntries({"[null]", "null", "data: ", "\"candidates\"", "\"content\"", "\"parts\"", "\"text\"", "\"thought\"",
      "\"functionCall\"", "\"args\"", "\"finishReason\"", "STOP", "SAFETY", "MAX_TOKENS", "\"usageMetadata\"",
      "\"promptTokenCount\"", "\"error\"", "\"status\"", "RESOURCE_EXHAUSTED", "-1"})
  void chatStream(byte[] body) {
    ChatStream stream = InMemoryBodies.stream(PROVIDER, body, new GeminiStreamDecoder(PROVIDER, MODEL, KEY, new ThoughtSignatures(16)));
    try {
      stream.collect();
    } catch (RuntimeException thrown) {
      FuzzContract.stream(thrown, KEY);
    }
  }
}
