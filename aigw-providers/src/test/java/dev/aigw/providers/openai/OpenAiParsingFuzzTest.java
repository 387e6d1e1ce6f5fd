package dev.aigw.providers.openai;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatStream;
import dev.aigw.providers.internal.ErrorBody;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.internal.FuzzContract;
import dev.aigw.providers.internal.InMemoryBodies;

/**
 * Fuzzes the chat-completions parsing that {@link OpenAiProvider}, OpenAI-compatible servers and
 * {@link AzureOpenAiProvider} share ({@link OpenAiCodec}: one codec, the same records): arbitrary
 * bytes as the body of a 200 answer, blocking and streamed. Contract: see {@link FuzzContract}.
 */
class OpenAiParsingFuzzTest {
  private static final String PROVIDER = "openai";
  /** Not shaped like {@code sk-...}, so only the provider's own redaction can keep it out of messages. */
  static final String KEY = "fuzz-secret-0123456789abcdef";
  private static final ChatRequest REQUEST = ChatRequest.of("gpt-4o-mini", "What is the capital of France?");
  private static final OpenAiCodec CODEC = new OpenAiCodec(PROVIDER, true, true);

  /** The body of {@code POST /chat/completions}, through what {@code OpenAiEngine.chat} does after the transport. */
  @FuzzTest
  @DictionaryEntries({"[null]", "null", "\"choices\"", "\"message\"", "\"content\"", "\"tool_calls\"", "\"function\"", "\"arguments\"",
      "\"finish_reason\"", "\"usage\"", "\"prompt_tokens\"", "\"completion_tokens\"", "\"cached_tokens\"",
      "\"reasoning_tokens\"", "\"refusal\"", "\"error\"", "\"code\"", "\"reasoning_content\"", "content_filter", "-1"})
  void chatResponse(byte[] body) {
    try {
      OpenAiWire.ChatResponseBody wire = InMemoryBodies.readJson(PROVIDER, body, OpenAiWire.ChatResponseBody.class);
      if (wire.error() != null) {
        throw ErrorMapping.fromStreamError(PROVIDER, new ErrorBody(wire.error(), null), KEY);
      }
      CODEC.response(wire, REQUEST, 200);
    } catch (RuntimeException thrown) {
      FuzzContract.blocking(thrown, KEY);
    }
  }

  /** The event stream of a streamed chat completion, read to its end as a caller does. */
  @FuzzTest
  @DictionaryEntries({"[null]", "null", "data: ", "[DONE]", "\"choices\"", "\"delta\"", "\"content\"", "\"tool_calls\"",
      "\"index\"", "\"id\"", "\"function\"", "\"name\"", "\"arguments\"", "\"finish_reason\"", "\"usage\"",
      "\"prompt_tokens\"", "\"completion_tokens\"", "\"refusal\"", "\"error\"", "\"reasoning\"", "-1"})
  void chatStream(byte[] body) {
    ChatStream stream = InMemoryBodies.stream(PROVIDER, body, CODEC.decoder(REQUEST, KEY));
    try {
      stream.collect();
    } catch (RuntimeException thrown) {
      FuzzContract.stream(thrown, KEY);
    }
  }
}
