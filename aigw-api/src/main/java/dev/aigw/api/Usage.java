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
 * @param estimated whether the counts were estimated locally because the provider reported none
 */
public record Usage(
    long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens, long reasoningTokens,
    boolean estimated) {

  /** No tokens. */
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

  /**
   * Usage reported by the provider (not estimated).
   *
   * @param inputTokens all prompt tokens
   * @param outputTokens all generated tokens
   * @param cachedInputTokens prompt tokens served from the provider's prompt cache
   * @param cacheWriteTokens prompt tokens written to the provider's prompt cache
   * @param reasoningTokens generated tokens spent on hidden reasoning
   */
  public Usage(long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteTokens, long reasoningTokens) {
    this(inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens, false);
  }

  /**
   * {@return usage with input and output tokens only, as the provider reported them}
   *
   * @param inputTokens all prompt tokens
   * @param outputTokens all generated tokens
   */
  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0, 0);
  }

  /**
   * {@return usage counted locally because the provider reported none; {@link #estimated()} is
   * true}
   *
   * @param inputTokens all prompt tokens, counted locally
   * @param outputTokens all generated tokens, counted locally
   */
  public static Usage estimated(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0, 0, true);
  }

  /**
   * @param inputTokens all prompt tokens
   * @param outputTokens all generated tokens
   * @param cachedInputTokens prompt tokens served from the provider's prompt cache
   * @param cacheWriteTokens prompt tokens written to the provider's prompt cache
   * @param reasoningTokens generated tokens spent on hidden reasoning
   * @param estimated whether the counts were estimated locally because the provider reported none
   * @throws InvalidRequestException when a count is negative or a part exceeds its whole
   */
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

  /** {@return input plus output tokens} */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /**
   * {@return the field-wise sum of this and {@code other}; estimated when either is}
   *
   * @param other the usage to add
   */
  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cachedInputTokens + other.cachedInputTokens,
        cacheWriteTokens + other.cacheWriteTokens,
        reasoningTokens + other.reasoningTokens,
        estimated || other.estimated);
  }
}
