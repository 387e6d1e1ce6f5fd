package dev.aigw.core.guardrail;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Asks a model whether a conversation is safe: a moderation model or Llama Guard served by a
 * route of another gateway (often a self-hosted pool), or any {@link Judge}. The judged
 * conversation is the request's messages (input) or the messages plus the answer (output), sent
 * as they are, so a Llama Guard chat template applies its own policy prompt; {@link
 * Builder#instructions} adds a system message for general-purpose models.
 *
 * <pre>{@code
 * AiGateway moderation = AiGateway.builder().provider(pool).route("guard", Route.target("pool/llama-guard-3-8b")).build();
 * builder.guardrail(JudgeGuardrail.builder(moderation::chat, "guard").output(true).timeout(Duration.ofSeconds(2)).build());
 * }</pre>
 *
 * <p>The verdict is read by a parser; the default reads Llama Guard's format: a first line {@code
 * safe} or {@code unsafe}, and for {@code unsafe} an optional line of comma-separated categories
 * ({@code S1,S10}), reported as types {@code UNSAFE_S1}, {@code UNSAFE_S10} (or {@code UNSAFE}
 * without categories). When the judge fails, times out or answers something the parser cannot
 * read, the guardrail fails closed by default (type {@code JUDGE_UNAVAILABLE}, blocking) or, with
 * {@link Builder#failOpen()}, lets the call through and flags it.
 *
 * <p>Judging output means a stream is held back until it ends and the verdict is in.
 */
public final class JudgeGuardrail implements Guardrail {
  /** Sends a judge request; {@code AiGateway::chat} of another gateway fits. */
  @FunctionalInterface
  public interface Judge {
    /**
     * Sends {@code request} and returns the judge's answer.
     *
     * @param request the request for the judge model
     * @param context the guarded call's context
     * @return the judge's answer
     */
    ChatResponse ask(ChatRequest request, CallContext context);
  }

  /**
   * A judge's verdict.
   *
   * @param safe whether the conversation is safe
   * @param categories the policy categories it violates, as the judge names them
   */
  public record Verdict(boolean safe, List<String> categories) {
    /**
     * @param safe whether the conversation is safe
     * @param categories the policy categories it violates, as the judge names them
     * @throws NullPointerException when {@code categories} is null
     */
    public Verdict {
      categories = List.copyOf(categories);
    }
  }

  /** The default timeout of one judge call. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final Judge judge;
  private final String model;
  private final boolean input;
  private final boolean output;
  private final Duration timeout;
  private final boolean failOpen;
  private final GuardrailAction action;
  private final @Nullable String instructions;
  private final Function<String, @Nullable Verdict> parser;

  private JudgeGuardrail(Builder b) {
    this.name = b.name;
    this.judge = b.judge;
    this.model = b.model;
    this.input = b.input;
    this.output = b.output;
    this.timeout = b.timeout;
    this.failOpen = b.failOpen;
    this.action = b.action;
    this.instructions = b.instructions;
    this.parser = b.parser;
  }

  /**
   * {@return a builder for a judge that asks {@code model} (a route alias or {@code
   * "provider/model"} of the judge's gateway) through {@code judge}}
   *
   * @param judge sends the judge's requests, typically through a gateway
   * @param model the judge model's route alias or {@code "provider/model"}
   * @throws IllegalArgumentException when {@code model} is blank
   */
  public static Builder builder(Judge judge, String model) {
    return new Builder(judge, model);
  }

  /**
   * Reads Llama Guard's verdict format ({@code safe}, or {@code unsafe} and a line of
   * categories); {@code null} when the text is neither.
   *
   * @param answer the judge's answer
   * @return the verdict, or {@code null} when the text is neither
   */
  public static @Nullable Verdict llamaGuardVerdict(String answer) {
    String[] lines = answer.strip().split("\\R+");
    String first = lines[0].strip().toLowerCase(Locale.ROOT);
    if (first.equals("safe")) {
      return new Verdict(true, List.of());
    }
    if (!first.equals("unsafe")) {
      return null;
    }
    List<String> categories = new ArrayList<>();
    if (lines.length > 1) {
      for (String c : lines[1].split(",")) {
        if (!c.isBlank()) {
          categories.add(c.strip());
        }
      }
    }
    return new Verdict(false, categories);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean scansInput() {
    return false;
  }

  @Override
  public boolean scansOutput() {
    return output;
  }

  @Override
  public List<Match> scan(String text, Site site) {
    return List.of();
  }

  @Override
  public int maxMatchLength() {
    return Integer.MAX_VALUE;
  }

  @Override
  public List<Match> checkRequest(ChatRequest request, CallContext context) {
    return input ? judge(request.messages(), context) : List.of();
  }

  @Override
  public List<Match> checkResponse(ChatRequest request, String answer, CallContext context) {
    if (!output) {
      return List.of();
    }
    List<Message> conversation = new ArrayList<>(request.messages());
    conversation.add(Message.assistant(answer));
    return judge(conversation, context);
  }

  private List<Match> judge(List<Message> conversation, CallContext context) {
    List<Message> messages = new ArrayList<>(conversation.size() + 1);
    if (instructions != null) {
      messages.add(Message.system(instructions));
    }
    messages.addAll(conversation);
    CallContext.Builder judgeContext = CallContext.builder().timeout(timeout);
    context.deadline().ifPresent(judgeContext::deadline);
    context.cancellation().ifPresent(judgeContext::cancellation);
    context.tenant().ifPresent(judgeContext::tenant);
    Verdict verdict;
    try {
      ChatResponse answer = judge.ask(ChatRequest.builder().model(model).messages(messages).build(), judgeContext.build());
      verdict = parser.apply(answer.text());
    } catch (AiGatewayException e) {
      verdict = null;
    }
    if (verdict == null) {
      return List.of(Match.whole("JUDGE_UNAVAILABLE", failOpen ? GuardrailAction.FLAG : GuardrailAction.BLOCK, 1));
    }
    if (verdict.safe()) {
      return List.of();
    }
    if (verdict.categories().isEmpty()) {
      return List.of(Match.whole("UNSAFE", action, 1));
    }
    List<Match> matches = new ArrayList<>(verdict.categories().size());
    for (String category : verdict.categories()) {
      String type = "UNSAFE_" + category.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
      matches.add(Match.whole(type, action, 1));
    }
    return matches;
  }

  @Override
  public String toString() {
    return "JudgeGuardrail[" + name + ", model=" + model + (input ? ", input" : "") + (output ? ", output" : "")
        + ", timeout=" + timeout + (failOpen ? ", fail-open" : ", fail-closed") + "]";
  }

  /** Builds a {@link JudgeGuardrail}; each setter checks its argument at once. */
  public static final class Builder {
    private final Judge judge;
    private final String model;
    private String name = "judge";
    private boolean input = true;
    private boolean output;
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean failOpen;
    private GuardrailAction action = GuardrailAction.BLOCK;
    private @Nullable String instructions;
    private Function<String, @Nullable Verdict> parser = JudgeGuardrail::llamaGuardVerdict;

    private Builder(Judge judge, String model) {
      this.judge = Objects.requireNonNull(judge, "judge");
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("the judge's model must not be blank");
      }
      this.model = model;
    }

    /**
     * The name in findings; {@code "judge"} by default.
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Names.check(name);
      return this;
    }

    /**
     * Whether requests are judged before they leave; {@code true} by default.
     *
     * @param input whether requests are judged before they leave; {@code true} by default
     * @return this builder
     */
    public Builder input(boolean input) {
      this.input = input;
      return this;
    }

    /**
     * Whether answers are judged (streams are then held until they end); {@code false} by default.
     *
     * @param output whether answers are judged (streams are then held until they end); {@code
     *     false} by default
     * @return this builder
     */
    public Builder output(boolean output) {
      this.output = output;
      return this;
    }

    /**
     * How long one judge call may take (the call's own deadline still applies); {@link
     * #DEFAULT_TIMEOUT} by default.
     *
     * @param timeout how long one judge call may take (the call's own deadline still applies);
     *     {@link #DEFAULT_TIMEOUT} by default
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder timeout(Duration timeout) {
      if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * When the judge cannot answer, let the call through and flag it (the default blocks it).
     *
     * @return this builder
     */
    public Builder failOpen() {
      this.failOpen = true;
      return this;
    }

    /**
     * When the judge cannot answer, block the call (the default).
     *
     * @return this builder
     */
    public Builder failClosed() {
      this.failOpen = false;
      return this;
    }

    /**
     * What an unsafe verdict does: {@link GuardrailAction#BLOCK} (the default) or {@link
     * GuardrailAction#FLAG}.
     *
     * @param action what an unsafe verdict does: {@link GuardrailAction#BLOCK} (the default) or
     *     {@link GuardrailAction#FLAG}
     * @return this builder
     * @throws IllegalArgumentException for {@link GuardrailAction#MASK}: a verdict has no span
     */
    public Builder action(GuardrailAction action) {
      if (Objects.requireNonNull(action, "action") == GuardrailAction.MASK) {
        throw new IllegalArgumentException("a judge's verdict can block or flag, not mask");
      }
      this.action = action;
      return this;
    }

    /**
     * A system message put before the judged conversation, for judges that need instructions.
     *
     * @param instructions a system message put before the judged conversation, for judges that need
     *     instructions
     * @return this builder
     */
    public Builder instructions(String instructions) {
      this.instructions = Objects.requireNonNull(instructions, "instructions");
      return this;
    }

    /**
     * Reads the judge's answer into a verdict, returning {@code null} when it cannot (which
     * counts as the judge failing); {@link #llamaGuardVerdict} by default.
     *
     * @param parser reads a verdict from the judge's answer
     * @return this builder
     */
    public Builder verdictParser(Function<String, @Nullable Verdict> parser) {
      this.parser = Objects.requireNonNull(parser, "parser");
      return this;
    }

    /**
     * Builds the guardrail.
     *
     * @return the new {@code JudgeGuardrail}
     */
    public JudgeGuardrail build() {
      return new JudgeGuardrail(this);
    }
  }
}
