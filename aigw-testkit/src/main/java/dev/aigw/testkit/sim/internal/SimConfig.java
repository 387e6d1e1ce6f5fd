package dev.aigw.testkit.sim.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A simulated server's validated settings. Durations are simulated nanoseconds.
 *
 * @param model the served (base) model name
 * @param loraAdapters LoRA adapter names served on top of the base model
 * @param timeScale simulated seconds per wall-clock second
 * @param requestOverheadNanos API-server time before a request reaches the engine queue
 * @param prefillNanosPerToken prefill compute per uncached prompt token
 * @param interTokenLatencyNanos one engine step (forward pass) with a batch of one
 * @param batchSlowdown how much a full batch slows a step: {@code itl × (1 + slowdown × scheduled / maxBatchSize)}
 * @param maxBatchSize the most requests running at once (vLLM's {@code max_num_seqs})
 * @param maxBatchedTokens tokens per engine step (vLLM's {@code max_num_batched_tokens}, chunked prefill)
 * @param maxLoras the most distinct adapters in the running batch (vLLM's {@code max_loras})
 * @param blockSize tokens per KV-cache block
 * @param kvCacheBlocks KV-cache capacity in blocks
 * @param maxModelLen the context window in tokens (prompt plus output)
 * @param defaultOutputTokens the answer's natural length in tokens when no reply text is set
 * @param replyText the fixed answer text, or null for generated words
 * @param streamInterval a stream sends the first token at once, then tokens in groups of this many
 * @param embeddingDimensions the default embedding vector length
 * @param errorRate the share of inference requests answered with {@code errorStatus}
 * @param errorStatus the injected errors' HTTP status
 * @param seed seeds the injected-error draws
 * @param port the port to bind, 0 for a free one
 * @param name the server's name, for thread names
 * @param maxRecords how many finished-request records are kept
 */
public record SimConfig(
    String model,
    List<String> loraAdapters,
    double timeScale,
    long requestOverheadNanos,
    long prefillNanosPerToken,
    long interTokenLatencyNanos,
    double batchSlowdown,
    int maxBatchSize,
    int maxBatchedTokens,
    int maxLoras,
    int blockSize,
    int kvCacheBlocks,
    int maxModelLen,
    int defaultOutputTokens,
    @Nullable String replyText,
    int streamInterval,
    int embeddingDimensions,
    double errorRate,
    int errorStatus,
    long seed,
    int port,
    String name,
    int maxRecords) {

  /** Characters of rendered prompt per token: the simulator's tokenizer. */
  public static final int CHARS_PER_TOKEN = 4;

  public SimConfig {
    loraAdapters = List.copyOf(loraAdapters);
  }

  /** Tokens in {@code chars} characters of rendered text: {@code ceil(chars / 4)}. */
  public static int tokens(int chars) {
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  /** Characters of rendered prompt per KV block. */
  public int blockChars() {
    return blockSize * CHARS_PER_TOKEN;
  }
}
