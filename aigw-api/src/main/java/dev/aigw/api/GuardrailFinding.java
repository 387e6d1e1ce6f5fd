package dev.aigw.api;

import dev.aigw.api.internal.Require;

/**
 * One thing a guardrail found: what kind, where, and what it did about it. Never the text itself.
 *
 * @param guardrail the guardrail's name, for example {@code "pii"}
 * @param type what was found, upper-case, for example {@code "EMAIL"} or {@code "PROMPT_INJECTION"}
 * @param input whether it was found in the request ({@code true}) or the answer
 * @param message for input, the index of the message in the request; -1 for output or for a
 *     finding about the whole request
 * @param start where it starts in the message's text (or the answer's text), in chars; -1 when
 *     the finding has no position (a limit, a judge's verdict)
 * @param end where it ends (exclusive); -1 when it has no position
 * @param action what was done
 * @param score the detector's confidence or score, 0 to 1 (1 for exact rules)
 */
public record GuardrailFinding(
    String guardrail, String type, boolean input, int message, int start, int end, GuardrailAction action, double score) {

  /**
   * @param guardrail the guardrail's name, for example {@code "pii"}
   * @param type what was found, upper-case, for example {@code "EMAIL"} or {@code "PROMPT_INJECTION"}
   * @param input whether it was found in the request ({@code true}) or the answer
   * @param message for input, the index of the message in the request; -1 for output or for a
   *     finding about the whole request
   * @param start where it starts in the message's text (or the answer's text), in chars; -1 when
   *     the finding has no position (a limit, a judge's verdict)
   * @param end where it ends (exclusive); -1 when it has no position
   * @param action what was done
   * @param score the detector's confidence or score, 0 to 1 (1 for exact rules)
   * @throws InvalidRequestException when a value is out of range
   */
  public GuardrailFinding {
    Require.nonBlank(guardrail, "guardrail");
    Require.nonBlank(type, "type");
    Require.nonNull(action, "action");
    if (message < -1 || start < -1 || end < start || (start == -1) != (end == -1)) {
      throw new InvalidRequestException("finding", "bad position: message " + message + ", " + start + ".." + end);
    }
  }

  @Override
  public String toString() {
    return guardrail + ":" + type + " " + action + " in " + (input ? "input" + (message >= 0 ? " message " + message : "") : "output")
        + (start >= 0 ? " at " + start + ".." + end : "") + (score < 1 ? " score " + score : "");
  }
}
