package dev.aigw.core.guardrail;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.Role;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks the text going to a provider (input) and coming back (output), and says what it found
 * and what to do about each finding: {@linkplain GuardrailAction#FLAG flag} (report only),
 * {@linkplain GuardrailAction#MASK mask} (the gateway replaces the span with a placeholder, and
 * on input restores the original in the answer) or {@linkplain GuardrailAction#BLOCK block}.
 *
 * <p>A guardrail only finds; the gateway applies the findings, the same way for blocking calls
 * and streams. On input it scans each text part of each message; on output it scans the answer's
 * text, and for a stream a sliding window of it, which is why it declares {@link
 * #maxMatchLength()}: the gateway holds back that many characters of a stream so that nothing a
 * guardrail would mask or block is released before it has been seen whole.
 *
 * <p>Implementations are shared by all calls and must be thread-safe. A {@link Match} carries
 * positions and a type, never the matched text, so findings can go to listeners and telemetry.
 */
public interface Guardrail {

  /** {@return a short lower-case name, in findings, events and exceptions: {@code "pii"}} */
  String name();

  /** {@return whether it scans the texts of requests} */
  boolean scansInput();

  /** {@return whether it scans the text of answers} */
  boolean scansOutput();

  /**
   * {@return what it finds in one text: for input, the text of one message part (see {@code site}
   * for the message's role and index); for output, the answer's text or a window of a stream}
   * Positions are char offsets into {@code text}; matches may not overlap each other.
   *
   * @param text the text to scan
   * @param site where the text is
   */
  List<Match> scan(String text, Site site);

  /**
   * Checks a whole request before its texts are scanned (sizes and counts, or a verdict on the
   * conversation); findings here have no position. None by default.
   *
   * @param request the request
   * @param context the call's context
   * @return the findings; empty when there are none
   */
  default List<Match> checkRequest(ChatRequest request, CallContext context) {
    return List.of();
  }

  /**
   * Checks a whole answer, with the request it answers (a verdict on the exchange); findings here
   * have no position. Called once per answer, after {@link #scan}; for a stream, when it ends, so
   * a guardrail that overrides this should return {@link Integer#MAX_VALUE} from {@link
   * #maxMatchLength()} to keep the stream from being released before the verdict. None by
   * default.
   *
   * @param request the request the answer answers
   * @param answer the answer's whole text
   * @param context the call's context
   * @return the findings; empty when there are none
   */
  default List<Match> checkResponse(ChatRequest request, String answer, CallContext context) {
    return List.of();
  }

  /**
   * {@return the longest text one output match can span, in chars: a stream holds back this much of
   * the answer before releasing it} {@link Integer#MAX_VALUE} makes a stream wait for the whole
   * answer (a model-as-judge guardrail). 256 by default.
   */
  default int maxMatchLength() {
    return 256;
  }

  /**
   * Where a text comes from.
   *
   * @param input whether it is part of the request
   * @param role for input, the role of the message; {@code null} for output
   * @param message for input, the index of the message in the request; -1 for output
   */
  record Site(boolean input, @Nullable Role role, int message) {
    private static final Site OUTPUT = new Site(false, null, -1);

    /** {@return the answer's text} */
    public static Site output() {
      return OUTPUT;
    }

    /**
     * {@return part of message number {@code message}, with {@code role}}
     *
     * @param role the message's role
     * @param message the message's index in the request, from 0
     */
    public static Site input(Role role, int message) {
      return new Site(true, Objects.requireNonNull(role, "role"), message);
    }
  }

  /**
   * One finding.
   *
   * @param type what was found, upper-case letters, digits and '_' (it names placeholders: {@code
   *     <EMAIL_1>})
   * @param start where it starts, or -1 for a finding about the whole text or request
   * @param end where it ends (exclusive), or -1
   * @param action what the gateway should do
   * @param score the detector's confidence, 0 to 1 (1 for exact rules)
   */
  record Match(String type, int start, int end, GuardrailAction action, double score) {
    /**
     * @param type what was found, upper-case letters, digits and '_' (it names placeholders: {@code
     *     <EMAIL_1>})
     * @param start where it starts, or -1 for a finding about the whole text or request
     * @param end where it ends (exclusive), or -1
     * @param action what the gateway should do
     * @param score the detector's confidence, 0 to 1 (1 for exact rules)
     * @throws IllegalArgumentException when the type is not upper-case or the span is bad
     */
    public Match {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(action, "action");
      if (!type.matches("[A-Z][A-Z0-9_]*")) {
        throw new IllegalArgumentException("a match type must be upper-case letters, digits and '_', was '" + type + "'");
      }
      if (start < -1 || end < start || (start == -1) != (end == -1) || start == end && start >= 0) {
        throw new IllegalArgumentException("bad match span " + start + ".." + end);
      }
      if (!(score >= 0 && score <= 1)) {
        throw new IllegalArgumentException("score must be in [0, 1], was " + score);
      }
    }

    /**
     * {@return a rule's match of {@code [start, end)}, with score 1}
     *
     * @param type the finding's type, such as {@code "email"}
     * @param start the first char of the match
     * @param end the char after the match
     * @param action what the gateway should do about it
     */
    public static Match of(String type, int start, int end, GuardrailAction action) {
      return new Match(type, start, end, action, 1);
    }

    /**
     * {@return a finding about the whole text or request, without a position}
     *
     * @param type the finding's type
     * @param action what the gateway should do about it
     * @param score how sure the guardrail is, in [0, 1]
     */
    public static Match whole(String type, GuardrailAction action, double score) {
      return new Match(type, -1, -1, action, score);
    }
  }
}
