package dev.aigw.providers.pool.internal.kserve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deterministic "LLM" behind the simulated KServe servers: it answers {@code "You said: "} and
 * the last user line of the prompt, one word (with its trailing space) per token, stopping at
 * {@code max_tokens}. Markers in the prompt inject failures, so tests stay stateless:
 *
 * <ul>
 *   <li>{@value #FAIL_MID_STREAM}: the stream reports an error after {@value #PIECES_BEFORE_ERROR}
 *       pieces (an SSE {@code error} event, a gRPC {@code error_message});
 *   <li>{@value #FAIL_AT_START}: the request is refused before generation (400, INVALID_ARGUMENT);
 *   <li>{@value #TOO_LONG}: refused as longer than the context window;
 *   <li>{@value #OVERLOADED}: refused for a full queue (503, RESOURCE_EXHAUSTED);
 *   <li>{@value #HANG}: sends the first piece, then nothing until the client goes away.
 * </ul>
 */
public final class SimulatedLlm {
  public static final String FAIL_MID_STREAM = "[fail-mid-stream]";
  public static final String FAIL_AT_START = "[fail-at-start]";
  public static final String TOO_LONG = "[too-long]";
  public static final String OVERLOADED = "[overloaded]";
  public static final String HANG = "[hang]";
  public static final int PIECES_BEFORE_ERROR = 2;
  public static final String ENGINE_FAILURE = "vLLM engine failed: CUDA error: an illegal memory access was encountered";
  public static final String CONTEXT_ERROR =
      "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens in the messages.";
  public static final String QUEUE_FULL = "Exceeds maximum queue size";

  /** The vLLM backend's inputs (Triton's vLLM backend completes its config with these). */
  public static final Set<String> VLLM_INPUTS = Set.of("text_input", "stream", "exclude_input_in_output",
      "sampling_parameters", "return_finish_reason", "return_num_input_tokens", "return_num_output_tokens");
  /** The TensorRT-LLM ensemble's inputs used here. */
  public static final Set<String> TRTLLM_INPUTS = Set.of("text_input", "max_tokens", "stream", "temperature", "top_p",
      "random_seed", "stop_words", "bad_words", "top_k");

  private SimulatedLlm() {}

  /**
   * One generation.
   *
   * @param prompt the rendered prompt
   * @param pieces the answer's pieces, at most {@code max_tokens}
   * @param finishReason {@code stop} or {@code length}
   * @param inputTokens words in the prompt
   */
  public record Generation(String prompt, List<String> pieces, String finishReason, long inputTokens) {
    public String text() {
      return String.join("", pieces);
    }
  }

  /** Generates for {@code prompt} with at most {@code maxTokens} pieces (no limit when null). */
  public static Generation generate(String prompt, Long maxTokens) {
    String user = "";
    for (String line : prompt.split("\n")) {
      if (line.startsWith("user: ")) {
        user = line.substring("user: ".length());
      }
    }
    String answer = "You said: " + user;
    List<String> words = new ArrayList<>(List.of(answer.split("(?<= )")));
    String reason = "stop";
    if (maxTokens != null && words.size() > maxTokens) {
      words = new ArrayList<>(words.subList(0, maxTokens.intValue()));
      reason = "length";
    }
    return new Generation(prompt, words, reason, prompt.split("\\s+").length);
  }

  /** The {@code max_tokens} in vLLM's sampling parameters JSON, or null. */
  @SuppressWarnings("unchecked")
  public static Long maxTokens(String samplingJson) {
    try {
      Map<String, Object> sampling = dev.aigw.providers.internal.Json.read(samplingJson, Map.class);
      Object max = sampling.get("max_tokens");
      return max instanceof Number n ? n.longValue() : null;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("sampling_parameters is not JSON: " + e.getMessage(), e);
    }
  }
}
