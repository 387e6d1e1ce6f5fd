package dev.aigw.api;

/**
 * A guardrail blocked the call. Nothing was sent to a provider (for input guardrails), no budget
 * was spent and nothing was cached. The message names the guardrail and what it found, never
 * the sensitive text itself.
 */
public final class GuardrailViolationException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  private final String guardrail;

  /**
   * @param guardrail the name of the guardrail that blocked the call
   * @param message what it found, without the sensitive text
   */
  public GuardrailViolationException(String guardrail, String message) {
    super(message);
    this.guardrail = guardrail;
  }

  /** The name of the guardrail that blocked the call. */
  public String guardrail() {
    return guardrail;
  }
}
