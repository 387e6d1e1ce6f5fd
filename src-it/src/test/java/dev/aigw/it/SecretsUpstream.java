package dev.aigw.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A loopback upstream for {@link SecretsIT}: a MockWebServer speaking one provider's wire format
 * (OpenAI, Azure OpenAI, Anthropic, Gemini, or a vLLM replica of an inference pool), with payloads
 * shaped like the real services' (see {@code aigw-providers/src/test}). It records every request
 * and decides each answer from a marker in the request body, so calls need no queue and may come
 * in any order: {@code fail:<name>=401|429|500|timeout|midstream} makes the upstream named {@code
 * name} fail that way; anything else succeeds. A success echoes the placeholders it received
 * ({@code <EMAIL_1>} ...), as a model that repeats the customer's details would, and streams split
 * them across chunks.
 *
 * <p>Error answers are adversarial: they echo the credential the request carried and a piece of
 * the prompt, which real services do only partly (OpenAI echoes a masked key), so that nothing but
 * the gateway's own redaction keeps them out of exceptions, logs and spans.
 */
final class SecretsUpstream extends Dispatcher {
  enum Kind { OPENAI, AZURE, ANTHROPIC, GEMINI, VLLM }

  private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Z][A-Z_]*_\\d+>");

  final String name;
  final Kind kind;
  final MockWebServer server = new MockWebServer();
  final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
  private final Pattern fault;
  /** Held by requests that must time out; released when the test ends so the server closes at once. */
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();

  SecretsUpstream(String name, Kind kind) {
    this.name = name;
    this.kind = kind;
    this.fault = Pattern.compile("fail:" + Pattern.quote(name) + "=([a-z0-9]+)");
    server.setDispatcher(this);
    try {
      server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL with {@code path} appended, without a trailing slash. */
  String url(String path) {
    String url = server.url(path).toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The header this kind of upstream reads its credential from. */
  String credentialHeader() {
    return switch (kind) {
      case OPENAI, VLLM -> "Authorization";
      case AZURE -> "api-key";
      case ANTHROPIC -> "x-api-key";
      case GEMINI -> "x-goog-api-key";
    };
  }

  /** The credential the request carried, as the client sent it (without {@code Bearer }). */
  String credential(RecordedRequest request) {
    String value = request.getHeaders().get(credentialHeader());
    if (value == null) {
      return "";
    }
    return value.startsWith("Bearer ") ? value.substring("Bearer ".length()) : value;
  }

  static String body(RecordedRequest request) {
    return request.getBody() == null ? "" : request.getBody().utf8();
  }

  /** Whether {@code request} is a chat call (not a health check, a scrape or a model list). */
  boolean isChat(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    return path.endsWith("/chat/completions") || path.endsWith("/messages") || path.contains(":generateContent")
        || path.contains(":streamGenerateContent");
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    received.add(request);
    String path = request.getUrl().encodedPath();
    if (kind == Kind.VLLM && !isChat(request)) {
      return vllmAdmin(path);
    }
    String body = body(request);
    Matcher m = fault.matcher(body);
    String what = m.find() ? m.group(1) : "ok";
    boolean stream = kind == Kind.GEMINI ? path.contains(":streamGenerateContent") : body.contains("\"stream\":true");
    String key = credential(request);
    String echo = snippet(body);
    String answer = answer(body);
    switch (what) {
      case "timeout" -> {
        release.await(10, TimeUnit.SECONDS); // the client gave up long before
        return json(200, "{}");
      }
      case "401" -> {
        return error(401, "authentication", "Incorrect API key provided: " + key + ". You can find your API key in your account settings.");
      }
      case "429" -> {
        return new MockResponse.Builder(error(429, "rate_limit", "Rate limit reached for requests (key " + key
            + "). Please try again in 20s. Request: " + echo)).addHeader("retry-after", "20").build();
      }
      case "500" -> {
        return error(500, "server", "The server had an error while processing your request (key " + key + ", prompt '" + echo + "')");
      }
      case "midstream" -> {
        return sse(midStream(answer, "Overloaded while streaming for key " + key + ": " + echo));
      }
      case "garbage" -> { // a misconfigured proxy answering 200 with plain text that starts with the key
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain").body(key + " is not authorised for " + echo).build();
      }
      case "wrongtype" -> { // 200 with JSON of the documented shape, but the key where a number belongs
        String bad = wrongType(key);
        return stream ? sse(kind == Kind.ANTHROPIC ? event("message_start", "{\"type\":\"message_start\",\"message\":" + bad + "}")
            : "data: " + bad.replace("\n", "") + "\n\n") : json(200, bad);
      }
      default -> {
        return stream ? sse(stream(answer)) : json(200, complete(answer));
      }
    }
  }

  /** Lets requests held to time out go. */
  void release() {
    release.countDown();
  }

  /** Releases held requests and closes the server; MockWebServer calls it back while closing, hence the guard. */
  @Override
  public void close() {
    release.countDown();
    if (closed.compareAndSet(false, true)) {
      server.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What the model says

  /** A reply that repeats every placeholder the model received, in order. */
  static String answer(String body) {
    Set<String> seen = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(body);
    while (m.find()) {
      seen.add(m.group());
    }
    return seen.isEmpty() ? "Certainly. Nothing personal was shared, so there is nothing to update."
        : "Certainly. I have updated your details to " + String.join(", ", seen) + " and will confirm by e-mail.";
  }

  /** Up to 120 chars of the request body's last user text region, as an error that quotes the prompt would. */
  private static String snippet(String body) {
    int at = body.lastIndexOf("Please");
    String s = at >= 0 ? body.substring(at) : body;
    return s.substring(0, Math.min(120, s.length())).replace("\"", "'").replace("\\", "/");
  }

  /** {@code text} in pieces of 7 chars, so placeholders are split across chunks. */
  private static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < text.length(); i += 7) {
      out.add(text.substring(i, Math.min(text.length(), i + 7)));
    }
    return out;
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  // ---------------------------------------------------------------------------------------------
  // Wire formats

  private String complete(String text) {
    return switch (kind) {
      case OPENAI, AZURE, VLLM -> """
          {"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion","created":1741570283,
           "model":"%s","choices":[{"index":0,"message":{"role":"assistant","content":%s,"refusal":null,"annotations":[]},
           "logprobs":null,"finish_reason":"stop"}],
           "usage":{"prompt_tokens":117,"completion_tokens":26,"total_tokens":143,
            "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
            "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
           "service_tier":"default","system_fingerprint":"fp_fc9f1d7035"}""".formatted(servedModel(), quote(text));
      case ANTHROPIC -> """
          {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",
           "content":[{"type":"text","text":%s,"citations":null}],"stop_reason":"end_turn","stop_sequence":null,
           "usage":{"input_tokens":121,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":27,
            "service_tier":"standard","server_tool_use":null},"container":null}""".formatted(quote(text));
      case GEMINI -> """
          {"candidates":[{"content":{"parts":[{"text":%s}],"role":"model"},"finishReason":"STOP",
            "safetyRatings":[{"category":"HARM_CATEGORY_HATE_SPEECH","probability":"NEGLIGIBLE"}],"avgLogprobs":-0.04,"index":0}],
           "usageMetadata":{"promptTokenCount":114,"candidatesTokenCount":25,"totalTokenCount":139,
            "promptTokensDetails":[{"modality":"TEXT","tokenCount":114}],"candidatesTokensDetails":[{"modality":"TEXT","tokenCount":25}]},
           "modelVersion":"gemini-2.5-flash","responseId":"W8tTaOXfHICCmecPjJzzuAc"}""".formatted(quote(text));
    };
  }

  private String servedModel() {
    return switch (kind) {
      case VLLM -> "llama";
      case AZURE -> "gpt-4o-2024-08-06";
      default -> "gpt-4o-mini-2024-07-18";
    };
  }

  private String stream(String text) {
    StringBuilder sb = new StringBuilder();
    switch (kind) {
      case OPENAI, AZURE, VLLM -> {
        if (kind == Kind.AZURE) {
          sb.append(data("{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":"
              + "[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}}}]}"));
        }
        sb.append(data(openAiChunk("{\"role\":\"assistant\",\"content\":\"\"}", "null")));
        for (String p : pieces(text)) {
          sb.append(data(openAiChunk("{\"content\":" + quote(p) + "}", "null")));
        }
        sb.append(data(openAiChunk("{}", "\"stop\"")));
        sb.append(data("{\"id\":\"chatcmpl-BnHqv5hT3JxJ1eY8mJwqQn2d9KcZz\",\"object\":\"chat.completion.chunk\",\"created\":1751891234,"
            + "\"model\":\"" + servedModel() + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":117,\"completion_tokens\":26,\"total_tokens\":143}}"));
        sb.append("data: [DONE]\n\n");
      }
      case ANTHROPIC -> {
        sb.append(anthropicStart()).append(event("ping", "{\"type\": \"ping\"}"));
        for (String p : pieces(text)) {
          sb.append(event("content_block_delta",
              "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":" + quote(p) + "}}"));
        }
        sb.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        sb.append(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
            + "\"usage\":{\"output_tokens\":27}}"));
        sb.append(event("message_stop", "{\"type\":\"message_stop\"}"));
      }
      case GEMINI -> {
        List<String> ps = pieces(text);
        for (int i = 0; i < ps.size(); i++) {
          boolean last = i == ps.size() - 1;
          sb.append("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":").append(quote(ps.get(i)))
              .append("}],\"role\":\"model\"},").append(last ? "\"finishReason\":\"STOP\"," : "").append("\"index\":0}],")
              .append("\"usageMetadata\":{\"promptTokenCount\":114,").append(last ? "\"candidatesTokenCount\":25," : "")
              .append("\"totalTokenCount\":").append(last ? 139 : 114).append("},")
              .append("\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"rDlUaPuXK8-LmecP5vXZsQ0\"}\r\n\r\n");
        }
      }
    }
    return sb.toString();
  }

  /** A stream that starts normally and then carries the provider's error event. */
  private String midStream(String text, String message) {
    String first = pieces(text).get(0);
    return switch (kind) {
      case ANTHROPIC -> anthropicStart()
          + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":" + quote(first) + "}}")
          + event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":" + quote(message) + "}}");
      case GEMINI -> "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + quote(first) + "}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n"
          + "data: {\"error\":{\"code\":503,\"message\":" + quote(message) + ",\"status\":\"UNAVAILABLE\"}}\r\n\r\n";
      default -> data(openAiChunk("{\"role\":\"assistant\",\"content\":" + quote(first) + "}", "null"))
          + data("{\"error\":{\"message\":" + quote(message) + ",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
    };
  }

  private String wrongType(String key) {
    return switch (kind) {
      case ANTHROPIC -> "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-3-5-haiku-20241022\","
          + "\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":" + quote(key)
          + ",\"output_tokens\":1}}";
      case GEMINI -> "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
          + "\"usageMetadata\":{\"promptTokenCount\":" + quote(key) + "}}";
      default -> "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1741570283,\"model\":\"" + servedModel() + "\","
          + "\"choices\":[{\"index\":" + quote(key) + ",\"delta\":{\"content\":\"ok\"},\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
          + "\"finish_reason\":\"stop\"}]}";
    };
  }

  private String openAiChunk(String delta, String finish) {
    return "{\"id\":\"chatcmpl-BnHqv5hT3JxJ1eY8mJwqQn2d9KcZz\",\"object\":\"chat.completion.chunk\",\"created\":1751891234,"
        + "\"model\":\"" + servedModel() + "\",\"system_fingerprint\":\"fp_34a54ae93c\",\"choices\":[{\"index\":0,\"delta\":" + delta
        + ",\"logprobs\":null,\"finish_reason\":" + finish + "}],\"usage\":null}";
  }

  private static String anthropicStart() {
    return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-3-5-haiku-20241022\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":121,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}")
        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
  }

  private static String data(String json) {
    return "data: " + json + "\n\n";
  }

  private static String event(String name, String json) {
    return "event: " + name + "\ndata: " + json + "\n\n";
  }

  /** An error in the provider's envelope, with the provider's status names. */
  private MockResponse error(int status, String kindWord, String message) {
    String body = switch (kind) {
      case OPENAI, AZURE -> "{\"error\":{\"message\":" + quote(message) + ",\"type\":\"" + (status == 500 ? "server_error" : "invalid_request_error")
          + "\",\"param\":null,\"code\":\"" + (status == 401 ? "invalid_api_key" : status == 429 ? "rate_limit_exceeded" : "server_error") + "\"}}";
      case VLLM -> "{\"object\":\"error\",\"message\":" + quote(message) + ",\"type\":\"" + kindWord + "\",\"param\":null,\"code\":" + status + "}";
      case ANTHROPIC -> "{\"type\":\"error\",\"error\":{\"type\":\"" + (status == 401 ? "authentication_error" : status == 429 ? "rate_limit_error" : "api_error")
          + "\",\"message\":" + quote(message) + "},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
      case GEMINI -> "{\"error\":{\"code\":" + status + ",\"message\":" + quote(message) + ",\"status\":\""
          + (status == 401 ? "UNAUTHENTICATED" : status == 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL") + "\"}}";
    };
    return json(status, body);
  }

  private MockResponse vllmAdmin(String path) {
    return switch (path) {
      case "/health" -> new MockResponse.Builder().code(200).build();
      case "/v1/models" -> json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"llama\",\"object\":\"model\",\"created\":1741570283,"
          + "\"owned_by\":\"vllm\",\"root\":\"meta-llama/Llama-3.1-8B-Instruct\",\"parent\":null,\"max_model_len\":8192}]}");
      case "/metrics" -> new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain; version=0.0.4").body("""
          # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
          # TYPE vllm:num_requests_waiting gauge
          vllm:num_requests_waiting{model_name="llama"} 1.0
          # HELP vllm:num_requests_running Number of requests in model execution batches.
          # TYPE vllm:num_requests_running gauge
          vllm:num_requests_running{model_name="llama"} 2.0
          # HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
          # TYPE vllm:kv_cache_usage_perc gauge
          vllm:kv_cache_usage_perc{model_name="llama"} 0.25
          """).build();
      default -> new MockResponse.Builder().code(404).build();
    };
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
  }

  private static MockResponse sse(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream; charset=utf-8")
        .addHeader("Cache-Control", "no-cache").body(body).build();
  }
}
