package dev.aigw.providers.anthropic;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aigw.api.ChatStream;
import dev.aigw.providers.internal.FuzzContract;
import dev.aigw.providers.internal.InMemoryBodies;

/**
 * Fuzzes {@link AnthropicProvider}'s answer parsing: arbitrary bytes as the body of a 200 answer
 * of the Messages API, blocking ({@link ResponseMapper}) and streamed ({@link
 * AnthropicStreamDecoder}). Both run with a structured-output tool, as a {@code json_schema}
 * request has: answers that call other tools take the plain tool path, so every branch is reachable.
 * Contract: see {@link FuzzContract}.
 */
class AnthropicParsingFuzzTest {
  private static final String PROVIDER = "anthropic";
  static final String KEY = "fuzz-secret-0123456789abcdef";
  private static final String SCHEMA_TOOL = "json_response";

  /** The body of {@code POST /v1/messages}, through what {@code AnthropicProvider.chat} does after the transport. */
  @FuzzTest
  @DictionaryEntries({"[null]", "null", "\"content\"", "\"type\"", "\"text\"", "\"thinking\"", "\"tool_use\"", "\"input\"", "\"name\"",
      "\"stop_reason\"", "\"refusal\"", "\"usage\"", "\"input_tokens\"", "\"output_tokens\"",
      "\"cache_read_input_tokens\"", "\"cache_creation_input_tokens\"", "json_response", "-1"})
  void chatResponse(byte[] body) {
    try {
      Wire.MessagesResponse wire = InMemoryBodies.readJson(PROVIDER, body, Wire.MessagesResponse.class);
      ResponseMapper.toResponse(PROVIDER, wire, SCHEMA_TOOL);
    } catch (RuntimeException thrown) {
      FuzzContract.blocking(thrown, KEY);
    }
  }

  /** The event stream of {@code POST /v1/messages} with {@code "stream": true}, read to its end. */
  @FuzzTest
  @DictionaryEntries({"[null]", "null", "event: ", "data: ", "message_start", "content_block_start", "content_block_delta",
      "content_block_stop", "message_delta", "message_stop", "ping", "error", "\"index\"", "\"delta\"",
      "\"content_block\"", "text_delta", "input_json_delta", "thinking_delta", "\"partial_json\"", "tool_use",
      "\"stop_reason\"", "json_response", "-1"})
  void chatStream(byte[] body) {
    ChatStream stream = InMemoryBodies.stream(PROVIDER, body, new AnthropicStreamDecoder(PROVIDER, KEY, SCHEMA_TOOL));
    try {
      stream.collect();
    } catch (RuntimeException thrown) {
      FuzzContract.stream(thrown, KEY);
    }
  }
}
