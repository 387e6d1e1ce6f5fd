package dev.aigw.core.context;

import dev.aigw.api.AttributeKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Makes each attempt's request fit the context window of the target it goes to, by a {@link
 * ContextPolicy} per route alias (and a default). Immutable; build one with {@link #builder()}
 * and give it to {@code AiGateway.Builder.contextFitting}. Without it the gateway sends requests
 * as they are.
 *
 * <pre>{@code
 * AiGateway.builder()
 *     .route("chat", Route.fallback("openai/gpt-4o", "openai/gpt-4o-mini"))
 *     .route("support", Route.target("anthropic/claude-3-5-haiku-latest"))
 *     .route("summariser", Route.target("openai/gpt-4o-mini"))
 *     .contextFitting(ContextFitting.builder()
 *         .defaultPolicy(ContextPolicy.fail())
 *         .route("chat", ContextPolicy.dropOldest())
 *         .route("support", ContextPolicy.summarize("summariser"))
 *         .margin(64)
 *         .build())
 * }</pre>
 *
 * <h2>When a request fits</h2>
 *
 * <p>Just before each attempt (after the router chose the target, before the attempt
 * interceptors run), the request the router holds, with the whole conversation, is measured for
 * that target. Its budget is the catalog's {@linkplain dev.aigw.core.catalog.ModelInfo#contextWindow()
 * context window} minus the request's {@linkplain dev.aigw.api.ChatRequest#maxOutputTokens() max
 * output tokens} (none when it sets none) minus the {@linkplain Builder#margin margin}; it fits
 * when its input tokens, counted with the target's counter ({@link
 * dev.aigw.core.tokens.TokenCounter#forModel}, as the router counts), are at most the budget.
 * This is the router's own rule for skipping candidates (the catalog's window is the input share
 * of models whose provider counts output separately), so with a margin of 0 a request the router
 * lets through fits. Set {@code maxOutputTokens} on requests, or a margin, to keep room for the
 * answer; the margin also covers what attempt interceptors add. A target whose window the catalog
 * does not know is sent the request as it is.
 *
 * <p>Since every attempt starts again from the whole conversation, a fallback fits anew: a
 * candidate with a smaller window gets a shorter conversation, one with a larger window the whole
 * of it. With a route whose policy can shrink requests, the router no longer skips candidates
 * whose window the whole request does not fit; with {@code FAIL} it still does, and an attempt
 * that does not fit by the budget above (because of the margin) fails without calling the
 * provider, so the router falls back to a larger window. Streams are fitted the same way.
 *
 * <h2>Summaries</h2>
 *
 * <p>With {@link ContextPolicy#summarize(String)}, the fewest oldest turns are dropped that leave
 * room for a summary of {@link ContextPolicy#maxSummaryTokens()} tokens, and the summariser is
 * asked, in a call of its own through the gateway (same tenant, user, tags, deadline and
 * cancellation; no conversation, so conversation memory leaves it alone), to summarise them: its
 * request is a system message with the {@linkplain ContextPolicy#instructions() instructions} and
 * a user message with the transcript, one block per message separated by blank lines ({@code
 * "user: …"}, {@code "assistant: …"}, {@code "assistant called tool weather (call_1) with
 * {…}"}, {@code "tool result for call_1: …"}; images as {@code "[image]"}). The summary goes into
 * one <em>user</em> message, {@code "Summary of the earlier conversation: "} followed by the
 * summary, placed right after the request's leading system messages. A user message and not a
 * system message, because it retells what users wrote and must not gain a system prompt's
 * authority; providers accept two user messages in a row or merge them.
 *
 * <p>Summaries are cached per summarising policy, tenant, conversation ({@link
 * dev.aigw.api.CallContext#conversation()}) and segment (a SHA-256 digest of the exact dropped
 * messages; calls without a conversation share summaries of equal segments), so one segment is
 * summarised once, also by concurrent calls. The cache holds at most {@link
 * Builder#summaryCacheSize} summaries. A longer conversation drops a longer segment, which is
 * summarised anew. When the summariser fails, or its summary does not fit the room, the attempt
 * fails with a {@link dev.aigw.api.ContextWindowExceededException}, with the summariser's exception
 * {@linkplain Throwable#getSuppressed() suppressed} in it.
 *
 * <h2>What is reported</h2>
 *
 * <p>When the attempt that answered was fitted, the response's metadata has {@link
 * #DROPPED_MESSAGES} (how many messages were left out) and, with a summary, {@link #SUMMARIZED}.
 * A failed fit is a failed attempt ({@code attemptFailed}, then {@code fallback}) like a
 * provider's rejection.
 */
public final class ContextFitting {
  /** In response metadata: how many messages the answering attempt left out to fit its window. */
  public static final AttributeKey<Integer> DROPPED_MESSAGES = AttributeKey.of("aigw.context.dropped_messages", Integer.class);

  /** In response metadata: {@code true} when the left-out messages were replaced by a summary. */
  public static final AttributeKey<Boolean> SUMMARIZED = AttributeKey.of("aigw.context.summarized", Boolean.class);

  /** The most summaries cached unless set: 10,000. */
  public static final int DEFAULT_SUMMARY_CACHE_SIZE = 10_000;

  private final ContextPolicy defaultPolicy;
  private final Map<String, ContextPolicy> routes;
  private final int margin;
  private final int summaryCacheSize;

  private ContextFitting(Builder b) {
    this.defaultPolicy = b.defaultPolicy;
    this.routes = Map.copyOf(b.routes);
    this.margin = b.margin;
    this.summaryCacheSize = b.summaryCacheSize;
  }

  /** {@return a builder: default policy {@code FAIL}, no route policies, margin 0} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the policy of models without their own} */
  public ContextPolicy defaultPolicy() {
    return defaultPolicy;
  }

  /** {@return the policies by route alias (or {@code "provider/model"}); unmodifiable} */
  public Map<String, ContextPolicy> routes() {
    return routes;
  }

  /**
   * {@return the policy for a request to {@code model} (a route alias or {@code "provider/model"})}
   *
   * @param model a route alias or {@code "provider/model"}
   */
  public ContextPolicy policyFor(String model) {
    return routes.getOrDefault(Objects.requireNonNull(model, "model"), defaultPolicy);
  }

  /** {@return the tokens kept free below the window, besides the request's max output tokens} */
  public int margin() {
    return margin;
  }

  /** {@return the most summaries the cache holds} */
  public int summaryCacheSize() {
    return summaryCacheSize;
  }

  @Override
  public String toString() {
    return "ContextFitting[default=" + defaultPolicy + ", routes=" + routes + ", margin=" + margin + "]";
  }

  /**
   * Builds {@link ContextFitting}. Each setter checks its argument at once: {@code null} gives a
   * {@link NullPointerException} naming the argument, any other bad value an {@link
   * IllegalArgumentException} that says what is wrong. Route names and summarisers are checked
   * against the gateway's routes and providers when the gateway is built.
   */
  public static final class Builder {
    private ContextPolicy defaultPolicy = ContextPolicy.fail();
    private final Map<String, ContextPolicy> routes = new LinkedHashMap<>();
    private int margin;
    private int summaryCacheSize = DEFAULT_SUMMARY_CACHE_SIZE;

    private Builder() {}

    /**
     * The policy of models without their own; {@link ContextPolicy#fail()} by default.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder defaultPolicy(ContextPolicy policy) {
      this.defaultPolicy = Objects.requireNonNull(policy, "defaultPolicy");
      return this;
    }

    /**
     * The policy of requests to {@code model}: a route alias, or {@code "provider/model"} for
     * direct calls.
     *
     * @param model a route alias or {@code "provider/model"}
     * @param policy its policy
     * @return this builder
     * @throws IllegalArgumentException when {@code model} is blank or already has a policy
     */
    public Builder route(String model, ContextPolicy policy) {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(policy, "policy");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      if (routes.putIfAbsent(model, policy) != null) {
        throw new IllegalArgumentException("model '" + model + "' has a context policy already");
      }
      return this;
    }

    /**
     * Tokens kept free below each target's window besides the request's max output tokens, for
     * counting error and what attempt interceptors add; 0 by default.
     *
     * @param tokens the tokens to keep free
     * @return this builder
     * @throws IllegalArgumentException when {@code tokens} is negative
     */
    public Builder margin(int tokens) {
      if (tokens < 0) {
        throw new IllegalArgumentException("margin must not be negative, was " + tokens);
      }
      this.margin = tokens;
      return this;
    }

    /**
     * The most summaries kept ({@value ContextFitting#DEFAULT_SUMMARY_CACHE_SIZE} by default); the
     * least likely to be used again are evicted first.
     *
     * @param entries the most summaries
     * @return this builder
     * @throws IllegalArgumentException when {@code entries} is not positive
     */
    public Builder summaryCacheSize(int entries) {
      if (entries <= 0) {
        throw new IllegalArgumentException("summaryCacheSize must be positive, was " + entries);
      }
      this.summaryCacheSize = entries;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the new {@code ContextFitting}
     */
    public ContextFitting build() {
      return new ContextFitting(this);
    }
  }
}
