package dev.aigw.it.fault;

import dev.aigw.api.ChatProvider;
import dev.aigw.providers.anthropic.AnthropicProvider;
import dev.aigw.providers.gemini.GeminiProvider;
import dev.aigw.providers.openai.AzureOpenAiProvider;
import dev.aigw.providers.openai.OpenAiProvider;
import dev.aigw.providers.pool.InferencePool;
import java.time.Duration;
import mockwebserver3.RecordedRequest;

/**
 * The provider types under test, each with its own dialect: how it is built against a loopback
 * URL, and the payloads its API sends (answers, streams, error envelopes), shaped like the
 * providers' real ones (see the MockWebServer tests in {@code aigw-providers}). Every healthy
 * answer is {@link #ANSWER} with usage {@value #INPUT} + {@value #OUTPUT} tokens; every stream
 * sends {@link #HEAD} in its first text event, so a fault after the {@linkplain #streamHead head}
 * strikes after the first chunk reached the caller.
 */
enum ProviderKind {
  OPENAI("gpt-4o-mini"),
  AZURE("gpt-4o-mini"),
  ANTHROPIC("claude-3-5-haiku-latest"),
  GEMINI("gemini-2.0-flash"),
  /** An {@link InferencePool} of one OpenAI-compatible (vLLM) replica. */
  POOL("llama");

  static final String HEAD = "Paris";
  static final String ANSWER = HEAD + " is the capital of France.";
  static final long INPUT = 12;
  static final long OUTPUT = 7;

  final String model;

  ProviderKind(String model) {
    this.model = model;
  }

  /** The provider {@code id} at {@code baseUrl} ({@code http://host:port}, no path). */
  ChatProvider provider(String id, String baseUrl, Duration connect, Duration read) {
    return switch (this) {
      case OPENAI -> OpenAiProvider.builder().id(id).apiKey("sk-test-fault-0123456789abcdef")
          .baseUrl(baseUrl + "/v1").connectTimeout(connect).readTimeout(read).build();
      case AZURE -> AzureOpenAiProvider.builder().id(id).endpoint(baseUrl).apiKey("azure-test-key-0123456789")
          .deployment(model, "dep-" + model).connectTimeout(connect).readTimeout(read).build();
      case ANTHROPIC -> AnthropicProvider.builder().id(id).apiKey("ant-test-key-0123456789abcdef")
          .baseUrl(baseUrl).connectTimeout(connect).readTimeout(read).build();
      case GEMINI -> GeminiProvider.builder().id(id).apiKey("gem-test-key-0123456789abcdef")
          .baseUrl(baseUrl + "/v1beta").connectTimeout(connect).readTimeout(read).build();
      case POOL -> InferencePool.builder().id(id).providerName("vllm").replicas(baseUrl).models(model)
          .healthCheck("/health", Duration.ZERO).metrics("/metrics", Duration.ZERO, Duration.ofSeconds(5))
          .orca(false).timeouts(connect, read).build();
    };
  }

  /** Whether {@code request} asks for a stream. */
  boolean isStream(RecordedRequest request) {
    if (this == GEMINI) {
      return request.getUrl().encodedPath().contains(":streamGenerateContent");
    }
    return request.getBody() != null && request.getBody().utf8().contains("\"stream\":true");
  }

  /** The whole blocking answer. */
  String answerJson() {
    return switch (this) {
      case OPENAI, AZURE, POOL -> """
          {"id":"chatcmpl-1","object":"chat.completion","created":1741570283,"model":"%s",\
          "choices":[{"index":0,"message":{"role":"assistant","content":"%s","refusal":null},"logprobs":null,\
          "finish_reason":"stop"}],"usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
          .formatted(model, ANSWER, INPUT, OUTPUT, INPUT + OUTPUT);
      case ANTHROPIC -> """
          {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"%s",\
          "content":[{"type":"text","text":"%s","citations":null}],"stop_reason":"end_turn","stop_sequence":null,\
          "usage":{"input_tokens":%d,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":%d}}"""
          .formatted(model, ANSWER, INPUT, OUTPUT);
      case GEMINI -> """
          {"candidates":[{"content":{"parts":[{"text":"%s"}],"role":"model"},"finishReason":"STOP","index":0}],\
          "usageMetadata":{"promptTokenCount":%d,"candidatesTokenCount":%d,"totalTokenCount":%d},\
          "modelVersion":"%s-001","responseId":"W8tTaOXfHICCmecPjJzzuAc"}"""
          .formatted(ANSWER, INPUT, OUTPUT, INPUT + OUTPUT, model);
    };
  }

  /** The stream's events up to and including the first text ({@link #HEAD}). */
  String streamHead() {
    return switch (this) {
      case OPENAI, AZURE, POOL -> openAiChunk("{\"role\":\"assistant\",\"content\":\"" + HEAD + "\"}", "null", "null");
      case ANTHROPIC -> event("message_start", """
          {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant",\
          "model":"%s","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":%d,"output_tokens":1}}}"""
          .formatted(model, INPUT))
          + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
          + event("ping", "{\"type\": \"ping\"}")
          + anthropicDelta(HEAD);
      case GEMINI -> geminiChunk(HEAD, null, "{\"promptTokenCount\":" + INPUT + ",\"totalTokenCount\":" + INPUT + "}");
    };
  }

  /** The rest of the stream after {@link #streamHead()}: the rest of the text, the final usage and the end. */
  String streamTail() {
    String rest = ANSWER.substring(HEAD.length());
    return switch (this) {
      case OPENAI, AZURE, POOL -> openAiChunk("{\"content\":\"" + rest + "\"}", "null", "null")
          + openAiChunk("{}", "\"stop\"", "null")
          + "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
          + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + INPUT + ",\"completion_tokens\":" + OUTPUT
          + ",\"total_tokens\":" + (INPUT + OUTPUT) + "}}\n\ndata: [DONE]\n\n";
      case ANTHROPIC -> anthropicDelta(rest)
          + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
          + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
              + "\"usage\":{\"output_tokens\":" + OUTPUT + "}}")
          + event("message_stop", "{\"type\":\"message_stop\"}");
      case GEMINI -> geminiChunk(rest, "STOP", "{\"promptTokenCount\":" + INPUT + ",\"candidatesTokenCount\":" + OUTPUT
          + ",\"totalTokenCount\":" + (INPUT + OUTPUT) + "}");
    };
  }

  /** The provider's error envelope for an HTTP {@code status} (429: a rate limit; 5xx: a server error or overload). */
  String errorJson(int status) {
    boolean overloaded = status == 529 || status == 503;
    return switch (this) {
      case OPENAI, AZURE -> status == 429
          ? "{\"error\":{\"message\":\"Rate limit reached for " + model + " in organization org-x on requests per min (RPM).\","
              + "\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"
          : "{\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\","
              + "\"type\":\"server_error\",\"param\":null,\"code\":null}}";
      case POOL -> "{\"object\":\"error\",\"message\":\"" + (status == 429 ? "Too many requests" : "The engine is overloaded")
          + "\",\"type\":\"" + (status == 429 ? "RateLimitError" : "ServiceUnavailableError") + "\",\"param\":null,\"code\":" + status + "}";
      case ANTHROPIC -> "{\"type\":\"error\",\"error\":{\"type\":\""
          + (status == 429 ? "rate_limit_error" : overloaded ? "overloaded_error" : "api_error") + "\",\"message\":\""
          + (status == 429 ? "Number of requests has exceeded your rate limit" : overloaded ? "Overloaded" : "Internal server error")
          + "\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
      case GEMINI -> "{\"error\":{\"code\":" + status + ",\"message\":\""
          + (status == 429 ? "Resource has been exhausted (e.g. check quota)." : overloaded
              ? "The model is overloaded. Please try again later." : "An internal error has occurred.")
          + "\",\"status\":\"" + (status == 429 ? "RESOURCE_EXHAUSTED" : overloaded ? "UNAVAILABLE" : "INTERNAL") + "\"}}";
    };
  }

  /**
   * Gemini's 429 with a {@code RetryInfo} detail asking for {@code delay} ({@code "0.040s"}): Gemini
   * says when to come back in the body, not in a header.
   */
  static String geminiRetryInfo(String delay) {
    return "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\","
        + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"" + delay + "\"}]}}";
  }

  /**
   * One error event inside a 200 stream, as the provider sends it: a server-side failure
   * (retryable) or, when {@code clientError}, an invalid-request error (never retried).
   */
  String errorEvent(boolean clientError) {
    return switch (this) {
      case OPENAI, AZURE -> "data: {\"error\":{\"message\":\"" + (clientError ? "Invalid 'messages': too many images."
          : "The server had an error while processing your request. Sorry about that!") + "\",\"type\":\""
          + (clientError ? "invalid_request_error" : "server_error") + "\",\"param\":null,\"code\":null}}\n\n";
      case POOL -> "data: {\"error\":{\"object\":\"error\",\"message\":\"" + (clientError ? "Invalid 'messages': unknown role 'robot'" : "Engine loop has died") + "\",\"type\":\""
          + (clientError ? "BadRequestError" : "InternalServerError") + "\",\"param\":null,\"code\":" + (clientError ? 400 : 500) + "}}\n\n";
      case ANTHROPIC -> event("error", "{\"type\":\"error\",\"error\":{\"type\":\"" + (clientError ? "invalid_request_error" : "overloaded_error")
          + "\",\"message\":\"" + (clientError ? "messages: text content blocks must be non-empty" : "Overloaded") + "\"}}");
      case GEMINI -> "data: {\"error\":{\"code\":" + (clientError ? 400 : 503) + ",\"message\":\""
          + (clientError ? "Request contains an invalid argument." : "The model is overloaded. Please try again later.")
          + "\",\"status\":\"" + (clientError ? "INVALID_ARGUMENT" : "UNAVAILABLE") + "\"}}\n\n";
    };
  }

  /** A first stream event whose data is not JSON. */
  String malformedEvent() {
    return this == ANTHROPIC
        ? event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",,}")
        : "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,,]}\n\n";
  }

  /** The HTTP status an error event's classification reports, as {@link #errorEvent} words it. */
  int errorEventStatus(boolean clientError) {
    if (clientError) {
      return 400;
    }
    return switch (this) {
      case OPENAI, AZURE, POOL -> 500;
      case ANTHROPIC -> 529;
      case GEMINI -> 503;
    };
  }

  private String openAiChunk(String delta, String finish, String usage) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
        + "\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":" + delta
        + ",\"logprobs\":null,\"finish_reason\":" + finish + "}],\"usage\":" + usage + "}\n\n";
  }

  private static String anthropicDelta(String text) {
    return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
        + text + "\"}}");
  }

  private String geminiChunk(String text, String finish, String usage) {
    return "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"}"
        + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"") + ",\"index\":0}],\"usageMetadata\":" + usage
        + ",\"modelVersion\":\"" + model + "-001\",\"responseId\":\"W8tTaOXfHICCmecPjJzzuAc\"}\r\n\r\n";
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }
}
