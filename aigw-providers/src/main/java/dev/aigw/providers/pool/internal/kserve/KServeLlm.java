package dev.aigw.providers.pool.internal.kserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContentPart;
import dev.aigw.api.FinishReason;
import dev.aigw.api.InvalidRequestException;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.Usage;
import dev.aigw.providers.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How a chat request reaches an LLM served through Triton or KServe v2, and how its answer comes
 * back. There is no chat schema in the v2 protocol; LLM backends agree on a text convention
 * instead: the prompt goes in a {@code BYTES} input tensor {@code text_input}, the generated text
 * comes back in a {@code BYTES} output {@code text_output} (a delta per response when streaming),
 * and sampling settings travel as further inputs. Two conventions are implemented:
 *
 * <ul>
 *   <li>{@link Convention#VLLM}, Triton's vLLM backend (a decoupled model, {@code max_batch_size
 *       0}): {@code text_input} {@code BYTES [1]}; {@code stream} {@code BOOL [1]}; {@code
 *       exclude_input_in_output} {@code BOOL [1]} = true (otherwise a non-streamed answer repeats
 *       the prompt); {@code sampling_parameters} {@code BYTES [1]}, a JSON object of vLLM sampling
 *       parameters ({@code max_tokens}, {@code temperature}, {@code top_p}, {@code stop}, {@code
 *       seed}, the request's {@code extra()} entries, and {@code guided_decoding} for a JSON
 *       response format). With {@code requestUsage}, also {@code return_finish_reason}, {@code
 *       return_num_input_tokens} and {@code return_num_output_tokens} ({@code BOOL [1]}), answered
 *       by the outputs {@code finish_reason}, {@code num_input_tokens} and {@code
 *       num_output_tokens}; backends from before these outputs reject the inputs, hence off by
 *       default.
 *   <li>{@link Convention#TENSORRT_LLM}, the TensorRT-LLM backend's {@code ensemble} (and {@code
 *       tensorrt_llm_bls}) models, batched, so every input has shape {@code [1, 1]}: {@code
 *       text_input} {@code BYTES}; {@code max_tokens} {@code INT32} (required there); {@code
 *       stream} {@code BOOL}; {@code temperature} and {@code top_p} {@code FP32}; {@code
 *       random_seed} {@code UINT64}; {@code stop_words} {@code BYTES [1, n]}; {@code extra()}
 *       entries as tensors of their type ({@code BOOL}, {@code INT32}, {@code FP32} or {@code
 *       BYTES}). JSON response formats are not supported.
 * </ul>
 *
 * Over Triton's HTTP generate extension the same values are sent as top-level fields of the
 * generate request, which Triton turns into the input tensors of those names.
 *
 * <p>Which calls: with {@link Route#TRITON} (the default) a chat goes over HTTP to {@code
 * /generate} (streamed: {@code /generate_stream}) and over gRPC to {@code ModelStreamInfer}, which
 * serve decoupled models as well as plain ones; Triton refuses the plain {@code infer} for
 * decoupled models, as vLLM's is. {@link Route#V2_INFER} uses only {@code infer} / {@code
 * ModelInfer}, for KServe v2 servers without Triton's extensions; a "stream" then carries the whole
 * answer in one chunk.
 *
 * <p>Limitation: the messages are rendered as plain role-prefixed lines ({@link #renderPrompt}),
 * not with the model's chat template, which v2 servers do not apply. Serve a model whose backend
 * applies its template, or one trained on such plain transcripts. Tools and images are refused
 * ({@link InvalidRequestException}).
 */
public final class KServeLlm {
  /** The input that carries the prompt. */
  public static final String TEXT_INPUT = "text_input";
  /** The output that carries the generated text. */
  public static final String TEXT_OUTPUT = "text_output";
  /** vLLM's optional output: why generation stopped ({@code stop}, {@code length}). */
  public static final String FINISH_REASON = "finish_reason";
  /** vLLM's optional output: the prompt's token count. */
  public static final String NUM_INPUT_TOKENS = "num_input_tokens";
  /** vLLM's optional output: tokens generated in this response. */
  public static final String NUM_OUTPUT_TOKENS = "num_output_tokens";

  /** Which backend's tensor convention to use. */
  public enum Convention {
    /** Triton's vLLM backend. */
    VLLM,
    /** TensorRT-LLM's Triton backend ({@code ensemble} / {@code tensorrt_llm_bls}). */
    TENSORRT_LLM
  }

  /** Which calls a chat uses. */
  public enum Route {
    /** Triton: generate / generate_stream over HTTP, ModelStreamInfer over gRPC. */
    TRITON,
    /** Plain v2: infer / ModelInfer only; streams replay the whole answer as one chunk. */
    V2_INFER
  }

  private final Convention convention;
  private final Route route;
  private final int defaultMaxTokens;
  private final boolean requestUsage;

  /**
   * @param convention the backend's tensor convention
   * @param route which calls a chat uses
   * @param defaultMaxTokens the token limit sent when a request has none (vLLM would otherwise
   *     stop at 16 tokens, and TensorRT-LLM requires one); positive
   * @param requestUsage whether to ask vLLM for its finish reason and token counts
   * @throws IllegalArgumentException when {@code defaultMaxTokens} is not positive
   */
  public KServeLlm(Convention convention, Route route, int defaultMaxTokens, boolean requestUsage) {
    this.convention = Objects.requireNonNull(convention, "convention");
    this.route = Objects.requireNonNull(route, "route");
    if (defaultMaxTokens <= 0) {
      throw new IllegalArgumentException("defaultMaxTokens must be positive, was " + defaultMaxTokens);
    }
    this.defaultMaxTokens = defaultMaxTokens;
    this.requestUsage = requestUsage;
  }

  /** The vLLM convention over Triton's calls, 1024 tokens by default, without usage outputs. */
  public static KServeLlm vllm() {
    return new KServeLlm(Convention.VLLM, Route.TRITON, 1024, false);
  }

  /** The TensorRT-LLM convention over Triton's calls, 1024 tokens by default. */
  public static KServeLlm tensorRtLlm() {
    return new KServeLlm(Convention.TENSORRT_LLM, Route.TRITON, 1024, false);
  }

  /** The convention in use. */
  public Convention convention() {
    return convention;
  }

  /** The route in use. */
  public Route route() {
    return route;
  }

  /**
   * The messages as one prompt: a line {@code "<role>: <text>"} per message (role in lower case:
   * {@code system}, {@code user}, {@code assistant}, {@code tool}), then {@code "assistant:"} for
   * the model to continue. A documented simplification: no chat template is applied.
   *
   * @throws InvalidRequestException when a message holds anything but text
   */
  public static String renderPrompt(List<Message> messages) {
    StringBuilder prompt = new StringBuilder();
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      for (ContentPart part : message.content()) {
        if (!(part instanceof ContentPart.Text)) {
          throw new InvalidRequestException("messages[" + i + "].content",
              "KServe/Triton text generation takes text only; images are not supported");
        }
      }
      if (!message.toolCalls().isEmpty()) {
        throw new InvalidRequestException("messages[" + i + "].toolCalls", "KServe/Triton text generation has no tool calls");
      }
      prompt.append(message.role().name().toLowerCase(Locale.ROOT)).append(": ").append(message.text()).append('\n');
    }
    return prompt.append("assistant:").toString();
  }

  /**
   * The v2 inference request for {@code request} under this convention.
   *
   * @param stream whether the backend should stream (several responses, one per delta)
   * @throws InvalidRequestException for tools, images, or a response format the convention lacks
   */
  public InferRequest inferRequest(ChatRequest request, boolean stream) {
    String prompt = prompt(request);
    List<InferTensor> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>(List.of(TEXT_OUTPUT));
    if (convention == Convention.VLLM) {
      inputs.add(InferTensor.text(TEXT_INPUT, prompt));
      inputs.add(InferTensor.bool("stream", stream));
      inputs.add(InferTensor.bool("exclude_input_in_output", true));
      inputs.add(InferTensor.text("sampling_parameters", samplingJson(request)));
      if (requestUsage) {
        for (String flag : List.of("return_finish_reason", "return_num_input_tokens", "return_num_output_tokens")) {
          inputs.add(InferTensor.bool(flag, true));
        }
        outputs.addAll(List.of(FINISH_REASON, NUM_INPUT_TOKENS, NUM_OUTPUT_TOKENS));
      }
    } else {
      List<Long> one = List.of(1L, 1L);
      for (Map.Entry<String, Object> e : tensorRtFields(request, prompt, stream).entrySet()) {
        Object value = e.getValue();
        if (value instanceof List<?> list) {
          inputs.add(InferTensor.of(e.getKey(), Datatype.BYTES, List.of(1L, (long) list.size()), list));
        } else {
          inputs.add(InferTensor.scalar(e.getKey(), tensorRtType(e.getKey(), value), one, value));
        }
      }
    }
    return new InferRequest(null, inputs, List.of(), Map.of()).withOutputs(outputs.toArray(String[]::new));
  }

  /**
   * The request to Triton's generate extension for {@code request}: the same values as {@link
   * #inferRequest}, as top-level fields.
   *
   * @throws InvalidRequestException for tools, images, or a response format the convention lacks
   */
  public GenerateRequest generateRequest(ChatRequest request, boolean stream) {
    String prompt = prompt(request);
    Map<String, Object> fields = new LinkedHashMap<>();
    if (convention == Convention.VLLM) {
      fields.put("stream", stream);
      fields.put("exclude_input_in_output", true);
      fields.put("sampling_parameters", samplingJson(request));
      if (requestUsage) {
        fields.put("return_finish_reason", true);
        fields.put("return_num_input_tokens", true);
        fields.put("return_num_output_tokens", true);
      }
    } else {
      fields.putAll(tensorRtFields(request, prompt, stream));
      fields.remove(TEXT_INPUT);
    }
    return new GenerateRequest(prompt, fields, Map.of());
  }

  /**
   * Sends {@code request} to {@code client} by this helper's route and returns the whole answer.
   * The model is {@code request.model()}.
   */
  public ChatResponse chat(KServeClient client, ChatRequest request, CallContext context) {
    String model = request.model();
    if (route == Route.TRITON) {
      if (client instanceof KServeHttpClient http) {
        return toResponse(http.generate(model, generateRequest(request, false), context));
      }
      if (client instanceof KServeStreamingClient grpc) {
        try (ChatStream stream = chatStream(grpc.streamInfer(model, inferRequest(request, false), context), model)) {
          return stream.collect();
        }
      }
    }
    return toResponse(model, client.infer(model, inferRequest(request, false), context));
  }

  /**
   * Sends {@code request} to {@code client} by this helper's route and returns the answer as it
   * is generated ({@link Route#V2_INFER}: in one chunk, once complete).
   */
  public ChatStream stream(KServeClient client, ChatRequest request, CallContext context) {
    String model = request.model();
    if (route == Route.TRITON) {
      if (client instanceof KServeHttpClient http) {
        return http.generateStream(model, generateRequest(request, true), context);
      }
      if (client instanceof KServeStreamingClient grpc) {
        return chatStream(grpc.streamInfer(model, inferRequest(request, true), context), model);
      }
    }
    return ChatStream.fromResponse(chat(client, request, context));
  }

  /** The chat answer in one inference response. */
  public ChatResponse toResponse(String model, InferResponse response) {
    ChatChunk chunk = toChunk(response, new UsageCounter());
    ChatResponse.Builder b = ChatResponse.builder()
        .id(response.id() == null || response.id().isBlank() ? newId() : response.id())
        .model(response.modelName().isBlank() ? model : response.modelName())
        .text(chunk == null ? "" : chunk.text());
    if (chunk != null) {
      chunk.finishReason().ifPresent(b::finishReason);
      chunk.usage().ifPresent(b::usage);
    }
    return b.build();
  }

  /** The chat answer in one generate response. */
  public ChatResponse toResponse(GenerateResponse response) {
    ChatResponse.Builder b = ChatResponse.builder().id(newId()).model(response.modelName()).text(response.textOutput());
    finishReason(response.text(FINISH_REASON)).ifPresent(b::finishReason);
    Usage usage = new UsageCounter().add(response.number(NUM_INPUT_TOKENS), response.number(NUM_OUTPUT_TOKENS));
    if (usage != null) {
      b.usage(usage);
    }
    return b.build();
  }

  /**
   * {@code responses} as a chat stream: each response's {@code text_output} as a chunk (responses
   * with nothing to say, such as Triton's empty final response, are skipped). Closing the chat
   * stream closes {@code responses}.
   */
  public ChatStream chatStream(InferStream responses, String model) {
    return ChatStream.of(new ChatStream.Source() {
      private final UsageCounter usage = new UsageCounter();
      private boolean first = true;

      @Override
      public @Nullable ChatChunk next() {
        InferResponse response;
        while ((response = responses.next()) != null) {
          ChatChunk chunk = toChunk(response, usage);
          if (chunk == null) {
            continue;
          }
          if (first) {
            first = false;
            chunk = chunk.toBuilder()
                .id(response.id() == null || response.id().isBlank() ? newId() : response.id())
                .model(response.modelName().isBlank() ? model : response.modelName())
                .build();
          }
          return chunk;
        }
        return null;
      }

      @Override
      public void close() {
        responses.close();
      }
    });
  }

  /** The chunk for one response, or null when it carries no text, finish reason or usage. */
  private static @Nullable ChatChunk toChunk(InferResponse response, UsageCounter usage) {
    String text = response.output(TEXT_OUTPUT).map(t -> String.join("", t.strings())).orElse("");
    ChatChunk.Builder chunk = ChatChunk.builder().text(text);
    Optional<FinishReason> reason = response.output(FINISH_REASON)
        .flatMap(t -> t.strings().isEmpty() ? Optional.empty() : finishReason(t.strings().get(0)));
    reason.ifPresent(chunk::finishReason);
    Usage counted = usage.add(count(response, NUM_INPUT_TOKENS), count(response, NUM_OUTPUT_TOKENS));
    if (counted != null) {
      chunk.usage(counted);
    }
    if (text.isEmpty() && reason.isEmpty() && counted == null) {
      return null;
    }
    return chunk.build();
  }

  private static @Nullable Long count(InferResponse response, String name) {
    return response.output(name)
        .filter(t -> t.datatype().isInteger() && !t.data().isEmpty())
        .map(t -> t.longs().stream().mapToLong(Long::longValue).sum())
        .orElse(null);
  }

  /** vLLM's finish reason word as a {@link FinishReason}: {@code stop}, {@code length}; else empty. */
  static Optional<FinishReason> finishReason(String word) {
    return switch (word.trim().toLowerCase(Locale.ROOT)) {
      case "stop", "eos", "end_id", "stop_words" -> Optional.of(FinishReason.STOP);
      case "length", "max_tokens" -> Optional.of(FinishReason.LENGTH);
      default -> Optional.empty();
    };
  }

  static String newId() {
    return "kserve-" + UUID.randomUUID();
  }

  private static String prompt(ChatRequest request) {
    if (!request.tools().isEmpty() || request.toolChoice().isPresent()) {
      throw new InvalidRequestException("tools", "KServe/Triton text generation has no tool calling");
    }
    return renderPrompt(request.messages());
  }

  private int maxTokens(ChatRequest request) {
    return request.maxOutputTokens().orElse(defaultMaxTokens);
  }

  /** vLLM's sampling parameters as JSON. */
  private String samplingJson(ChatRequest request) {
    Map<String, Object> sampling = new LinkedHashMap<>();
    sampling.put("max_tokens", maxTokens(request));
    request.temperature().ifPresent(t -> sampling.put("temperature", t));
    request.topP().ifPresent(p -> sampling.put("top_p", p));
    if (!request.stop().isEmpty()) {
      sampling.put("stop", request.stop());
    }
    request.seed().ifPresent(s -> sampling.put("seed", s));
    ResponseFormat format = request.responseFormat();
    if (format.type() == ResponseFormat.Type.JSON_OBJECT) {
      sampling.put("guided_decoding", Map.of("json_object", true));
    } else if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
      try {
        sampling.put("guided_decoding", Map.of("json", Json.MAPPER.readTree(format.schema().orElse("{}"))));
      } catch (JsonProcessingException e) {
        throw new InvalidRequestException("responseFormat.schema", "is not JSON");
      }
    }
    sampling.putAll(request.extra());
    return new String(Json.write(sampling), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** TensorRT-LLM's input values by name, the prompt first. */
  private Map<String, Object> tensorRtFields(ChatRequest request, String prompt, boolean stream) {
    if (request.responseFormat().type() != ResponseFormat.Type.TEXT) {
      throw new InvalidRequestException("responseFormat", "the TensorRT-LLM convention has no JSON output mode");
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(TEXT_INPUT, prompt);
    fields.put("max_tokens", (long) maxTokens(request));
    fields.put("stream", stream);
    request.temperature().ifPresent(t -> fields.put("temperature", t));
    request.topP().ifPresent(p -> fields.put("top_p", p));
    request.seed().ifPresent(s -> fields.put("random_seed", s));
    if (!request.stop().isEmpty()) {
      fields.put("stop_words", List.copyOf(request.stop()));
    }
    for (Map.Entry<String, Object> e : request.extra().entrySet()) {
      Object value = e.getValue();
      if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
        value = ((Number) value).longValue();
      } else if (value instanceof Float f) {
        value = f.doubleValue();
      }
      if (!(value instanceof Boolean || value instanceof Long || value instanceof Double || value instanceof String)) {
        throw new InvalidRequestException("extra." + e.getKey(), "the TensorRT-LLM convention takes booleans, integers, numbers or strings");
      }
      fields.put(e.getKey(), value);
    }
    return fields;
  }

  private static Datatype tensorRtType(String name, Object value) {
    if (name.equals("random_seed")) {
      return Datatype.UINT64;
    }
    if (value instanceof Boolean) {
      return Datatype.BOOL;
    }
    if (value instanceof Long) {
      return Datatype.INT32;
    }
    if (value instanceof Double) {
      return Datatype.FP32;
    }
    return Datatype.BYTES;
  }

  /**
   * Adds up token counts across the responses of one stream: the prompt's count is taken as
   * reported, the generated counts (one per response) are summed.
   */
  static final class UsageCounter {
    private long input = -1;
    private long output = -1;

    /** Adds one response's counts; the usage so far, or null when this response reported none. */
    @Nullable Usage add(@Nullable Long inputTokens, @Nullable Long outputTokens) {
      if (inputTokens == null && outputTokens == null) {
        return null;
      }
      if (inputTokens != null) {
        input = inputTokens;
      }
      if (outputTokens != null) {
        output = Math.max(output, 0) + outputTokens;
      }
      return Usage.of(Math.max(input, 0), Math.max(output, 0));
    }
  }
}
