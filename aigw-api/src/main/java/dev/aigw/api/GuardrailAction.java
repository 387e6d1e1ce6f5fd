package dev.aigw.api;

/** What a guardrail does about something it found. Ordered from mildest to strongest. */
public enum GuardrailAction {
  /** Let it through and report it. */
  FLAG,
  /**
   * Replace it with a placeholder: on input a reversible one ({@code <EMAIL_1>}) that the
   * provider sees and the caller gets back as the original value; on output a plain one ({@code
   * <EMAIL>}).
   */
  MASK,
  /** Stop the call with a {@link GuardrailViolationException}. */
  BLOCK
}
