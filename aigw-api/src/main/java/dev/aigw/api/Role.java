package dev.aigw.api;

/** Who wrote a {@link Message}. */
public enum Role {
  /** Instructions that frame the conversation. */
  SYSTEM,
  /** The end user. */
  USER,
  /** The model. */
  ASSISTANT,
  /** The result of a tool call, answering an assistant's {@link ToolCall}. */
  TOOL
}
