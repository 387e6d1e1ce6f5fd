package dev.aigw.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigw.providers.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Payloads shaped like Anthropic's real answers, and helpers for MockWebServer. */
final class Fixtures {
  /**
   * A recognisable fake key. It is deliberately not shaped like {@code sk-...}, so only the
   * provider handing its key to the redaction (not the generic key pattern) keeps it out of messages.
   */
  static final String KEY = "fake-anthropic-key-0123456789abcdef";
  static final String MODEL = "claude-sonnet-4-5-20250929";
  static final String MESSAGE_ID = "msg_01XFDUDYJgAACzvnptvVoYEL";

  /** Usage as Anthropic reports it for a call without prompt caching. */
  static final String USAGE = """
      {"input_tokens":21,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,\
      "cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},\
      "output_tokens":10,"service_tier":"standard","server_tool_use":null}""";

  private Fixtures() {}

  static AnthropicProvider provider(MockWebServer server) {
    return AnthropicProvider.builder().apiKey(KEY).baseUrl(server.url("/").toString()).build();
  }

  /** A complete message as {@code POST /v1/messages} answers it. */
  static String message(String contentJson, String stopReason, String usageJson) {
    String reason = stopReason == null ? "null" : "\"" + stopReason + "\"";
    String stopSequence = "stop_sequence".equals(stopReason) ? "\"\\n\\nHuman:\"" : "null";
    return """
        {"id":"%s","type":"message","role":"assistant","model":"%s","content":%s,\
        "stop_reason":%s,"stop_sequence":%s,"usage":%s,"container":null}"""
        .formatted(MESSAGE_ID, MODEL, contentJson, reason, stopSequence, usageJson);
  }

  static String textMessage(String text) {
    return message("[{\"type\":\"text\",\"text\":\"" + text + "\",\"citations\":null}]", "end_turn", USAGE);
  }

  static MockResponse json(String body) {
    return json(200, body);
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("content-type", "application/json")
        .addHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy")
        .addHeader("anthropic-organization-id", "9a7b7c0e-0000-4000-8000-000000000000")
        .body(body)
        .build();
  }

  /** An error answer in Anthropic's envelope. */
  static MockResponse error(int code, String type, String message) {
    return json(code, """
        {"type":"error","error":{"type":"%s","message":"%s"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"""
        .formatted(type, message));
  }

  static MockResponse sse(String body) {
    return sseBuilder().body(body).build();
  }

  static MockResponse sse(MockResponseBody body) {
    return sseBuilder().body(body).build();
  }

  private static MockResponse.Builder sseBuilder() {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("content-type", "text/event-stream; charset=utf-8")
        .addHeader("cache-control", "no-cache")
        .addHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
  }

  /** One server-sent event as Anthropic writes it. */
  static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  static String messageStart(String usageJson) {
    return event("message_start", """
        {"type":"message_start","message":{"id":"%s","type":"message","role":"assistant","model":"%s",\
        "content":[],"stop_reason":null,"stop_sequence":null,"usage":%s}}""".formatted(MESSAGE_ID, MODEL, usageJson));
  }

  static String ping() {
    return event("ping", "{\"type\": \"ping\"}");
  }

  static String textStart(int index) {
    return event("content_block_start",
        "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
  }

  static String textDelta(int index, String text) {
    return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
        + ",\"delta\":{\"type\":\"text_delta\",\"text\":" + quote(text) + "}}");
  }

  static String toolStart(int index, String id, String name) {
    return event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index
        + ",\"content_block\":{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"input\":{}}}");
  }

  static String inputDelta(int index, String partialJson) {
    return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
        + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":" + quote(partialJson) + "}}");
  }

  static String blockStop(int index) {
    return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
  }

  static String messageDelta(String stopReason, String usageJson) {
    return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
        + "\",\"stop_sequence\":null},\"usage\":" + usageJson + "}");
  }

  static String messageStop() {
    return event("message_stop", "{\"type\":\"message_stop\"}");
  }

  /** A JSON string literal. */
  static String quote(String s) {
    try {
      return Json.MAPPER.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String bodyText(RecordedRequest request) {
    return request.getBody() == null ? "" : request.getBody().utf8();
  }

  static JsonNode body(RecordedRequest request) {
    return tree(bodyText(request));
  }
}
