package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.List;

/**
 * A guardrail blocked the call. For input, nothing was sent to a provider; either way no budget
 * was spent on the blocked answer and nothing was cached. For a stream blocked part way, the text
 * before the blocked part was delivered and the upstream call was cancelled. The message names
 * the guardrail and the types it found, never the sensitive text itself.
 */
public final class GuardrailViolationException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  /** The name of the guardrail that blocked the call. */
  private final String guardrail;
  /** What the guardrail found: types and positions, never the text. */
  private final List<GuardrailFinding> findings;

  /**
   * @param guardrail the name of the guardrail that blocked the call
   * @param message what it found, without the sensitive text
   */
  public GuardrailViolationException(String guardrail, String message) {
    this(guardrail, message, List.of());
  }

  /**
   * @param guardrail the name of the guardrail that blocked the call
   * @param message what it found, without the sensitive text
   * @param findings the findings that blocked it
   */
  public GuardrailViolationException(String guardrail, String message, List<GuardrailFinding> findings) {
    super(message);
    this.guardrail = Require.nonNull(guardrail, "guardrail");
    this.findings = List.copyOf(findings);
  }

  /** {@return the name of the guardrail that blocked the call} */
  public String guardrail() {
    return guardrail;
  }

  /** {@return what the guardrail found (types and positions, never the text)} */
  public List<GuardrailFinding> findings() {
    return findings;
  }
}
