package dev.aigw.testkit.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's own account of one finished inference request, in <em>simulated</em> time. These
 * are exact to the model (no network, no client, no wall-clock jitter), so tests assert on them
 * rather than on the wall-clock latencies a client measures.
 *
 * @param id the response's {@code id} ({@code chatcmpl-…}, {@code cmpl-…} or {@code embd-…})
 * @param model the model the request named (the base model or a LoRA adapter)
 * @param endpoint {@code chat}, {@code completion} or {@code embedding}
 * @param stream whether the answer was streamed
 * @param promptTokens prompt tokens, as the usage reports them
 * @param cachedTokens prompt tokens served from the prefix cache ({@code prompt_tokens_details.cached_tokens})
 * @param completionTokens output tokens generated
 * @param finishReason {@code stop}, {@code length}, or {@code abort} when the request did not finish
 * @param arrivedAt when the request arrived, since the server (re)started
 * @param queueTime from the end of the API-server overhead to admission into the running batch
 *     (vLLM's {@code request_queue_time})
 * @param timeToFirstToken from arrival to the end of the engine step that produced the first token
 *     (for embeddings, to the end of prefill); {@link Duration#ZERO} if it never got one
 * @param latency from arrival to the last token (end-to-end)
 */
public record SimulatedRequestRecord(
    String id,
    String model,
    String endpoint,
    boolean stream,
    int promptTokens,
    int cachedTokens,
    int completionTokens,
    String finishReason,
    Duration arrivedAt,
    Duration queueTime,
    Duration timeToFirstToken,
    Duration latency) {

  /**
   * Checks that nothing is null or negative.
   *
   * @param id the response's {@code id} ({@code chatcmpl-…}, {@code cmpl-…} or {@code embd-…})
   * @param model the model the request named (the base model or a LoRA adapter)
   * @param endpoint {@code chat}, {@code completion} or {@code embedding}
   * @param stream whether the answer was streamed
   * @param promptTokens prompt tokens, as the usage reports them
   * @param cachedTokens prompt tokens served from the prefix cache ({@code prompt_tokens_details.cached_tokens})
   * @param completionTokens output tokens generated
   * @param finishReason {@code stop}, {@code length}, or {@code abort} when the request did not finish
   * @param arrivedAt when the request arrived, since the server (re)started
   * @param queueTime from the end of the API-server overhead to admission into the running batch
   *     (vLLM's {@code request_queue_time})
   * @param timeToFirstToken from arrival to the end of the engine step that produced the first token
   *     (for embeddings, to the end of prefill); {@link Duration#ZERO} if it never got one
   * @param latency from arrival to the last token (end-to-end)
   */
  public SimulatedRequestRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(finishReason, "finishReason");
    Objects.requireNonNull(arrivedAt, "arrivedAt");
    Objects.requireNonNull(queueTime, "queueTime");
    Objects.requireNonNull(timeToFirstToken, "timeToFirstToken");
    Objects.requireNonNull(latency, "latency");
    if (promptTokens < 0 || cachedTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
  }

  /** {@return whether the request ran to its end ({@code stop} or {@code length})} */
  public boolean completed() {
    return !"abort".equals(finishReason);
  }
}
