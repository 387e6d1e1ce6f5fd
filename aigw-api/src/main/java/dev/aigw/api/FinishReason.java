package dev.aigw.api;

/** Why the model stopped generating, mapped from each provider's own words. */
public enum FinishReason {
  /** A natural end, or a stop sequence. */
  STOP,
  /** The output token limit was reached. */
  LENGTH,
  /** The model called one or more tools and waits for their results. */
  TOOL_CALLS,
  /** The provider's content filter withheld or cut the answer. */
  CONTENT_FILTER,
  /** Any other reason the provider gave. */
  OTHER
}
