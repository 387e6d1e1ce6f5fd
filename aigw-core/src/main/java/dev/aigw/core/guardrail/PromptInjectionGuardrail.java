package dev.aigw.core.guardrail;

import dev.aigw.api.GuardrailAction;
import dev.aigw.api.Role;
import dev.aigw.core.guardrail.internal.InjectionScorer;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Detects prompt injection and jailbreak attempts in the messages of a request, with a score
 * from weighted rules rather than a model: fast, explainable, and blind to attacks it has no rule
 * for.
 *
 * <pre>{@code
 * builder.guardrail(PromptInjectionGuardrail.defaults());   // block at 0.5, user and tool messages
 *
 * Guardrail injection = PromptInjectionGuardrail.builder()
 *     .threshold(0.6)                 // fewer false alarms, more misses
 *     .action(GuardrailAction.FLAG)   // report only
 *     .build();
 * }</pre>
 *
 * <p><b>What it looks for.</b> Seven families of signals, each a handful of small rules run on
 * the text folded to defeat spelling tricks (fullwidth letters, Cyrillic and Greek look-alikes,
 * zero-width characters, mathematical alphanumerics, letters spelled out one by one):
 * instruction overrides ("ignore all previous instructions", "new instructions:", "from now on
 * you"), role-play jailbreaks (DAN, "developer mode", "you are no longer bound by", "pretend you
 * have no restrictions", "act as an unfiltered AI"), system-prompt exfiltration ("print your
 * system prompt", "repeat the text above"), encoded payloads (base64 and hex that decode to such
 * text), invisible payloads (text in Unicode tag characters, text reversed with a right-to-left
 * override), delimiter spoofing ({@code <|im_start|>system}, {@code [INST]}, {@code <<SYS>>},
 * {@code ### System:}, {@code </user>}, "END OF USER INPUT") and authority claims ("I am your
 * developer", "note to AI assistants reading this page"); zero-width characters and look-alike
 * letters inside Latin words add a little on their own.
 *
 * <p><b>Score.</b> Each rule has a weight in (0, 1), multiplied by dampers when the match is
 * quoted or in a code block (× 0.5), framed as a mention ("what does … mean", "translate",
 * "how do I detect", × 0.4), about code or formats for delimiters (× 0.4), negated ("don't
 * ignore", × 0.25), about the writer's own text ("my previous message", "the instructions I
 * gave you", × 0.25) or not an imperative ("my app ignores the new instructions", × 0.5). Then
 *
 * <pre>
 *   value(family) = best rule value + 0.3 × Σ values of the family's other rules that fired
 *   score         = min(1, Σ over families of value(family))
 * </pre>
 *
 * A single strong signal (weight 0.6–0.8: "ignore all previous instructions", "reveal your system
 * prompt", "pretend you have no restrictions", hidden tag-character text) passes the default
 * threshold of {@value #DEFAULT_THRESHOLD} on its own; a weak one (0.2–0.45: "from now on you",
 * a lone {@code [INST]}, "new instructions:") needs a second signal. Every rule and its weight
 * is in the internal {@code InjectionRules} class, documented in {@code InjectionScorer}.
 *
 * <p><b>Findings.</b> One {@link Guardrail.Match#whole whole-message} match of type {@value
 * #TYPE} per message whose score reaches the threshold, with the score; no span, because the
 * verdict is about the message (signals add up across it), and because masking part of an
 * injection would not make the rest safe.
 *
 * <p><b>Scope.</b> Input only; by default the {@link Role#USER} and {@link Role#TOOL} messages
 * (tool results carry indirect injections from web pages and documents). System and assistant
 * messages are the application's own.
 *
 * <p><b>Accuracy.</b> On the labelled sets in the tests (written for this detector, about half
 * of the benign texts using the trigger words innocently), at the default threshold: precision
 * 1.00 and recall 0.98 on the 242-text tuning set, precision 1.00 and recall 0.86 on the 74-text
 * held-out set. It misses what it has no rule for (paraphrases, other languages than English,
 * French, German, Spanish and Italian, the "grandma" kind of social engineering) and can be
 * talked down by mention framing ("for example", "translate …").
 *
 * <p><b>Cost.</b> Folding, one automaton pass for trigger words and one pass for encoded blobs;
 * the rules only run in windows around triggers.
 *
 * <p>Immutable and thread-safe.
 */
public final class PromptInjectionGuardrail implements Guardrail {
  /** The default threshold: {@value}. */
  public static final double DEFAULT_THRESHOLD = 0.5;
  /** The type of its matches: {@value}. */
  public static final String TYPE = "PROMPT_INJECTION";
  /** The default name: {@value}. */
  public static final String DEFAULT_NAME = "prompt_injection";


  private static final PromptInjectionGuardrail DEFAULTS = builder().build();

  private final String name;
  private final double threshold;
  private final GuardrailAction action;
  private final Set<Role> roles;
  private final InjectionScorer scorer = InjectionScorer.instance();

  private PromptInjectionGuardrail(Builder b) {
    this.name = b.name;
    this.threshold = b.threshold;
    this.action = b.action;
    this.roles = EnumSet.copyOf(b.roles);
  }

  /**
   * {@return a guardrail named {@value #DEFAULT_NAME} that blocks user and tool messages scoring
   * {@value #DEFAULT_THRESHOLD} or more; the same as {@code builder().build()}}
   */
  public static PromptInjectionGuardrail defaults() {
    return DEFAULTS;
  }

  /** {@return a builder starting from the {@linkplain #defaults() defaults}} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} {@value #DEFAULT_NAME} unless configured. */
  @Override
  public String name() {
    return name;
  }

  /** {@return the score from which a message is a finding} */
  public double threshold() {
    return threshold;
  }

  /** {@return what its findings ask the gateway to do} */
  public GuardrailAction action() {
    return action;
  }

  /** {@return the roles of the messages it scans} */
  public Set<Role> roles() {
    return EnumSet.copyOf(roles);
  }

  /** True. */
  @Override
  public boolean scansInput() {
    return true;
  }

  /** False: answers are not scanned. */
  @Override
  public boolean scansOutput() {
    return false;
  }

  /**
   * {@inheritDoc}
   *
   * <p>One whole-text match of type {@value #TYPE} when the text's {@linkplain #score score}
   * reaches the threshold; nothing for output or for roles it does not scan.
   */
  @Override
  public List<Match> scan(String text, Site site) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(site, "site");
    if (!site.input() || site.role() == null || !roles.contains(site.role())) {
      return List.of();
    }
    double score = scorer.score(text);
    return score >= threshold ? List.of(Match.whole(TYPE, action, score)) : List.of();
  }

  /**
   * {@return the score of {@code text}, in [0, 1], whatever its role: for calibrating a threshold
   * on your own traffic}
   *
   * @param text the text to score
   * @throws NullPointerException when {@code text} is null
   */
  public double score(String text) {
    return scorer.score(Objects.requireNonNull(text, "text"));
  }

  @Override
  public String toString() {
    return "PromptInjectionGuardrail[" + name + ", threshold " + threshold + ", " + action + ", " + roles + "]";
  }

  /**
   * Configures a {@link PromptInjectionGuardrail}. Each setter checks its argument at once. Not
   * thread-safe; {@link #build()} may be called more than once.
   */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private double threshold = DEFAULT_THRESHOLD;
    private GuardrailAction action = GuardrailAction.BLOCK;
    private Set<Role> roles = EnumSet.of(Role.USER, Role.TOOL);

    private Builder() {}

    /**
     * The guardrail's name, in findings and events; {@value PromptInjectionGuardrail#DEFAULT_NAME}
     * by default.
     *
     * @param name the guardrail's name
     * @return this builder
     * @throws NullPointerException when {@code name} is null
     * @throws IllegalArgumentException when it is not lower-case letters, digits, '.', '_' and '-'
     */
    public Builder name(String name) {
      this.name = Names.check(name);
      return this;
    }

    /**
     * The score from which a message is a finding; {@value
     * PromptInjectionGuardrail#DEFAULT_THRESHOLD} by default. Lower finds more attacks and
     * flags more innocent text.
     *
     * @param threshold the score from which a message is a finding; {@value
     *     PromptInjectionGuardrail#DEFAULT_THRESHOLD} by default
     * @return this builder
     * @throws IllegalArgumentException when not in (0, 1]
     */
    public Builder threshold(double threshold) {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("threshold must be in (0, 1], was " + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    /**
     * What to do about a finding: {@link GuardrailAction#BLOCK} (the default) or {@link
     * GuardrailAction#FLAG}.
     *
     * @param action what to do about a finding: {@link GuardrailAction#BLOCK} (the default) or
     *     {@link GuardrailAction#FLAG}
     * @return this builder
     * @throws NullPointerException when {@code action} is null
     * @throws IllegalArgumentException for {@link GuardrailAction#MASK}: a finding is about a
     *     whole message, and hiding part of an injection would not make the rest harmless
     */
    public Builder action(GuardrailAction action) {
      Objects.requireNonNull(action, "action");
      if (action == GuardrailAction.MASK) {
        throw new IllegalArgumentException("action must be BLOCK or FLAG, was MASK: a prompt injection is a verdict on"
            + " the whole message, which cannot be masked");
      }
      this.action = action;
      return this;
    }

    /**
     * The roles of the messages it scans; {@link Role#USER} and {@link Role#TOOL} by default.
     *
     * @param roles the roles of the messages it scans; {@link Role#USER} and {@link Role#TOOL} by
     *     default
     * @return this builder
     * @throws NullPointerException when a role is null
     * @throws IllegalArgumentException when no role is given
     */
    public Builder roles(Role... roles) {
      Objects.requireNonNull(roles, "roles");
      if (roles.length == 0) {
        throw new IllegalArgumentException("roles must name at least one role");
      }
      EnumSet<Role> set = EnumSet.noneOf(Role.class);
      for (Role role : roles) {
        set.add(Objects.requireNonNull(role, "role"));
      }
      this.roles = set;
      return this;
    }

    /**
     * Builds the guardrail.
     *
     * @return the new {@code PromptInjectionGuardrail}
     */
    public PromptInjectionGuardrail build() {
      return new PromptInjectionGuardrail(this);
    }
  }
}
