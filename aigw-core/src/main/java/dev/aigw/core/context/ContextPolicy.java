package dev.aigw.core.context;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway does with a request that does not fit the context window of the target it is
 * about to call (see {@link ContextFitting} for how the fit is measured). Immutable; the {@code
 * summarize} settings return changed copies.
 *
 * <ul>
 *   <li>{@link #fail()}: the attempt fails with a {@link
 *       dev.aigw.api.ContextWindowExceededException} naming the counts and the window, and the
 *       router falls back to a candidate with a larger window, as it does when a provider rejects
 *       a request as too long.
 *   <li>{@link #dropOldest()}: the oldest turns are dropped until the request fits. A turn is a
 *       user message and the messages after it up to the next user message (messages before the
 *       first user message form a turn of their own); an assistant message that called tools and
 *       the tool results that answer it (matched by call id) always stay together, even across a
 *       user message. System messages are never dropped, nor is the last turn (the last user
 *       message and what follows it). When the request does not fit even then, the attempt fails
 *       as with {@code fail()}.
 *   <li>{@link #summarize(String)}: like {@code dropOldest()}, but the dropped turns are replaced
 *       by one summary written by the <em>summariser</em>, a route alias or {@code
 *       "provider/model"} of the same gateway, called through the gateway (its own call, with its
 *       own listener events, budgets and routing). The summary is cached per conversation and
 *       dropped segment, so each segment is summarised once; see {@link ContextFitting}.
 * </ul>
 */
public final class ContextPolicy {
  /** The kinds of policy. */
  public enum Kind {
    /** Fail the attempt, so the router falls back to a larger window. */
    FAIL,
    /** Drop the oldest turns. */
    DROP_OLDEST,
    /** Replace the oldest turns by a summary. */
    SUMMARIZE
  }

  /** The room kept for a summary, in the target's tokens, unless set: 500. */
  public static final int DEFAULT_MAX_SUMMARY_TOKENS = 500;

  /** The system message the summariser gets unless other instructions are set. */
  public static final String DEFAULT_INSTRUCTIONS = "Summarise the conversation below for the assistant who will continue it. "
      + "Keep the facts, names, numbers, decisions, open questions and the user's stated preferences; leave out "
      + "greetings and repetition. Write plain prose in the conversation's language, in the third person. "
      + "Answer with the summary only.";

  /**
   * The text that starts the summary message, followed by the summariser's answer: {@code
   * "Summary of the earlier conversation: "}.
   */
  public static final String SUMMARY_PREFIX = "Summary of the earlier conversation: ";

  private static final ContextPolicy FAIL = new ContextPolicy(Kind.FAIL, null, 0, "");
  private static final ContextPolicy DROP_OLDEST = new ContextPolicy(Kind.DROP_OLDEST, null, 0, "");

  private final Kind kind;
  private final @Nullable String summariser;
  private final int maxSummaryTokens;
  private final String instructions;

  private ContextPolicy(Kind kind, @Nullable String summariser, int maxSummaryTokens, String instructions) {
    this.kind = kind;
    this.summariser = summariser;
    this.maxSummaryTokens = maxSummaryTokens;
    this.instructions = instructions;
  }

  /**
   * Fail the attempt with a {@link dev.aigw.api.ContextWindowExceededException}: the default.
   *
   * @return the policy that fails
   */
  public static ContextPolicy fail() {
    return FAIL;
  }

  /**
   * Drop the oldest turns until the request fits.
   *
   * @return the policy that drops the oldest turns
   */
  public static ContextPolicy dropOldest() {
    return DROP_OLDEST;
  }

  /**
   * Replace the oldest turns that must go by a summary from {@code summariser}, with {@link
   * #DEFAULT_MAX_SUMMARY_TOKENS} and {@link #DEFAULT_INSTRUCTIONS}.
   *
   * @param summariser a route alias or {@code "provider/model"} of the same gateway; its own
   *     policy must not be {@code SUMMARIZE} (checked when the gateway is built)
   * @return the summarising policy
   * @throws NullPointerException when {@code summariser} is null
   * @throws IllegalArgumentException when {@code summariser} is blank
   */
  public static ContextPolicy summarize(String summariser) {
    Objects.requireNonNull(summariser, "summariser");
    if (summariser.isBlank()) {
      throw new IllegalArgumentException("summariser must not be blank");
    }
    return new ContextPolicy(Kind.SUMMARIZE, summariser, DEFAULT_MAX_SUMMARY_TOKENS, DEFAULT_INSTRUCTIONS);
  }

  /**
   * This summarising policy with another room for the summary: the summariser is asked for at
   * most {@code tokens} output tokens, and the dropped turns make room for a summary message of
   * that many tokens (plus its prefix) in the target's budget. A summary that the target's
   * counter finds longer than the room fails the attempt.
   *
   * @param tokens the room for the summary, in tokens
   * @return a copy of this policy with that room
   * @throws IllegalArgumentException when {@code tokens} is not positive
   * @throws IllegalStateException when this policy does not summarise
   */
  public ContextPolicy maxSummaryTokens(int tokens) {
    requireSummarize("maxSummaryTokens");
    if (tokens <= 0) {
      throw new IllegalArgumentException("maxSummaryTokens must be positive, was " + tokens);
    }
    return new ContextPolicy(kind, summariser, tokens, instructions);
  }

  /**
   * This summarising policy with other instructions: the system message of the summariser's
   * request, whose user message is the transcript of the dropped turns.
   *
   * @param instructions the summariser's system message
   * @return a copy of this policy with those instructions
   * @throws NullPointerException when {@code instructions} is null
   * @throws IllegalArgumentException when {@code instructions} is blank
   * @throws IllegalStateException when this policy does not summarise
   */
  public ContextPolicy instructions(String instructions) {
    Objects.requireNonNull(instructions, "instructions");
    requireSummarize("instructions");
    if (instructions.isBlank()) {
      throw new IllegalArgumentException("instructions must not be blank");
    }
    return new ContextPolicy(kind, summariser, maxSummaryTokens, instructions);
  }

  private void requireSummarize(String setting) {
    if (kind != Kind.SUMMARIZE) {
      throw new IllegalStateException(setting + " applies to summarize(...) policies only, this one is " + kind);
    }
  }

  /** {@return the kind of policy} */
  public Kind kind() {
    return kind;
  }

  /**
   * {@return whether this policy can make a request smaller ({@code DROP_OLDEST} or {@code
   * SUMMARIZE})}
   */
  public boolean shrinks() {
    return kind != Kind.FAIL;
  }

  /**
   * {@return the summariser's route alias or {@code "provider/model"}; present for {@code
   * SUMMARIZE} only}
   */
  public Optional<String> summariser() {
    return Optional.ofNullable(summariser);
  }

  /** {@return the room kept for a summary, in tokens; 0 unless {@code SUMMARIZE}} */
  public int maxSummaryTokens() {
    return maxSummaryTokens;
  }

  /** {@return the summariser's instructions; empty unless {@code SUMMARIZE}} */
  public String instructions() {
    return instructions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContextPolicy p && kind == p.kind && Objects.equals(summariser, p.summariser)
        && maxSummaryTokens == p.maxSummaryTokens && instructions.equals(p.instructions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, summariser, maxSummaryTokens, instructions);
  }

  /** The kind, and for {@code SUMMARIZE} the summariser and the room for the summary (not the instructions). */
  @Override
  public String toString() {
    return kind == Kind.SUMMARIZE
        ? "ContextPolicy[SUMMARIZE with " + summariser + ", maxSummaryTokens=" + maxSummaryTokens + "]"
        : "ContextPolicy[" + kind + "]";
  }
}
