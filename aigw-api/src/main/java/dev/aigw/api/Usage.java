package dev.aigw.api;

import dev.aigw.api.internal.Require;

/**
 * Tokens a call used, normalised across providers.
 *
 * <p>{@code inputTokens} counts every prompt token, including those read from the provider's
 * prompt cache ({@code cachedInputTokens}) and those written to it ({@code cacheWriteTokens});
 * {@code outputTokens} counts every generated token, including hidden reasoning
 * ({@code reasoningTokens}). So {@code cachedInputTokens + cacheWriteTokens <= inputTokens} and
 * {@code reasoningTokens <= outputTokens}.
 *
 * @param inputTokens all prompt tokens
 * @param outputTokens all generated tokens
 * @param cachedInputTokens prompt tokens served from the provider's prompt cache
 * @param cacheWriteTokens prompt tokens written to the provider's prompt cache
 * @param reasoningTokens generated tokens spent on hidden reasoning
 */
public record Usage(
    long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens, long reasoningTokens) {

  /** No tokens. */
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

  /** Usage with input and output tokens only. */
  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0, 0);
  }

  /** @throws InvalidRequestException when a count is negative or a part exceeds its whole */
  public Usage {
    Require.nonNegative(inputTokens, "usage.inputTokens");
    Require.nonNegative(outputTokens, "usage.outputTokens");
    Require.nonNegative(cachedInputTokens, "usage.cachedInputTokens");
    Require.nonNegative(cacheWriteTokens, "usage.cacheWriteTokens");
    Require.nonNegative(reasoningTokens, "usage.reasoningTokens");
    if (cachedInputTokens > inputTokens - cacheWriteTokens) {
      throw new InvalidRequestException(
          "usage.cachedInputTokens",
          "cached (" + cachedInputTokens + ") plus cache-write (" + cacheWriteTokens
              + ") tokens exceed input tokens (" + inputTokens + ")");
    }
    if (reasoningTokens > outputTokens) {
      throw new InvalidRequestException(
          "usage.reasoningTokens",
          "reasoning tokens (" + reasoningTokens + ") exceed output tokens (" + outputTokens + ")");
    }
  }

  /** Input plus output tokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /** The field-wise sum of this and {@code other}. */
  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cachedInputTokens + other.cachedInputTokens,
        cacheWriteTokens + other.cacheWriteTokens,
        reasoningTokens + other.reasoningTokens);
  }
}
