package dev.aigw.core.internal;

import dev.aigw.api.AttributeKey;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.core.context.ContextFitting;
import dev.aigw.core.context.ContextPolicy;
import dev.aigw.core.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Fits each attempt's request to its target's context window by the route's {@link
 * ContextPolicy} (see {@link ContextFitting} for the rules). The router calls it once per
 * attempt with the request for the target, which always holds the whole conversation.
 */
public final class ContextFitter {
  /** Marks the calls the fitter makes to a summariser, whose own requests are never summarised. */
  static final AttributeKey<Boolean> SUMMARISER_CALL = AttributeKey.of("aigw.context.summariser_call", Boolean.class);

  private final ContextFitting config;
  private final Summaries summaries;

  /** @param config the policies, margin and summary cache size */
  public ContextFitter(ContextFitting config) {
    this.config = config;
    this.summaries = new Summaries(config.summaryCacheSize());
  }

  /**
   * Checks the configuration against the gateway's routes and providers: every model with a
   * policy and every summariser must be a route alias or {@code "provider/model"} with a
   * registered provider, and no summariser may itself be summarised (its policy, its own or the
   * default, must not be {@code SUMMARIZE}).
   *
   * @throws IllegalArgumentException when a check fails
   */
  public static void validate(ContextFitting config, Set<String> routes, Predicate<String> isProvider) {
    Predicate<String> routable = model -> routes.contains(model)
        || model.indexOf('/') > 0 && model.indexOf('/') < model.length() - 1 && isProvider.test(model.substring(0, model.indexOf('/')));
    for (Map.Entry<String, ContextPolicy> e : config.routes().entrySet()) {
      if (!routable.test(e.getKey())) {
        throw new IllegalArgumentException("context fitting has a policy for '" + e.getKey() + "', which is neither a route alias "
            + routes + " nor 'provider/model' with a registered provider");
      }
    }
    List<Map.Entry<String, ContextPolicy>> all = new ArrayList<>(config.routes().entrySet());
    all.add(Map.entry("the default", config.defaultPolicy()));
    for (Map.Entry<String, ContextPolicy> e : all) {
      String summariser = e.getValue().summariser().orElse(null);
      if (summariser == null) {
        continue;
      }
      if (!routable.test(summariser)) {
        throw new IllegalArgumentException("the context policy of " + describe(e.getKey()) + " summarises with '" + summariser
            + "', which is neither a route alias " + routes + " nor 'provider/model' with a registered provider");
      }
      if (config.policyFor(summariser).kind() == ContextPolicy.Kind.SUMMARIZE) {
        throw new IllegalArgumentException("the context policy of " + describe(e.getKey()) + " summarises with '" + summariser
            + "', whose own policy also summarises; give '" + summariser + "' a FAIL or DROP_OLDEST policy with route(...)");
      }
    }
  }

  private static String describe(String key) {
    return key.equals("the default") ? key : "'" + key + "'";
  }

  /** Connects the gateway that summariser calls go through (built after the router, which needs this fitter). */
  public void connect(GatewayCore gateway) {
    summaries.connect(gateway::chat);
  }

  /** The policy of a call to {@code model}; a summariser's own call never summarises. */
  private ContextPolicy policy(String model, CallContext context) {
    ContextPolicy policy = config.policyFor(model);
    if (policy.kind() == ContextPolicy.Kind.SUMMARIZE && context.attribute(SUMMARISER_CALL).isPresent()) {
      return ContextPolicy.fail();
    }
    return policy;
  }

  /** Whether a call to {@code model} may be made to fit a smaller window, so the router must not skip such targets. */
  boolean shrinks(String model, CallContext context) {
    return policy(model, context).shrinks();
  }

  /** A request as fitted for one attempt, and what was left out of it. */
  record Fitted(ChatRequest request, int dropped, boolean summarized) {
    static Fitted unchanged(ChatRequest request) {
      return new Fitted(request, 0, false);
    }

    /** {@code response} with the fitting recorded in its metadata, when anything was left out. */
    ChatResponse annotate(ChatResponse response) {
      return dropped == 0 ? response : response.toBuilder().metadata(annotate(response.metadata())).build();
    }

    /** {@code stream} with the fitting recorded in its metadata, when anything was left out. */
    ChatStream annotate(ChatStream stream) {
      return dropped == 0 ? stream : stream.withMetadata(this::annotate);
    }

    private ResponseMetadata annotate(ResponseMetadata metadata) {
      ResponseMetadata.Builder b = metadata.toBuilder().attribute(ContextFitting.DROPPED_MESSAGES, dropped);
      return (summarized ? b.attribute(ContextFitting.SUMMARIZED, Boolean.TRUE) : b).build();
    }
  }

  /**
   * Fits {@code request} (already for the target's model) to {@code state}'s window by the policy
   * of {@code model}, the route the router is following.
   *
   * @param context the attempt's context (its cancellation ends a summariser call)
   * @throws ContextWindowExceededException when the request cannot be made to fit
   */
  Fitted fit(ChatRequest request, String model, TargetState state, CallContext context) {
    int window = state.contextWindow();
    ContextPolicy policy = policy(model, context);
    if (window <= 0 || policy.kind() == ContextPolicy.Kind.FAIL && config.margin() == 0) {
      // FAIL without a margin is the router's own rule, which it applied to every candidate it planned
      return Fitted.unchanged(request);
    }
    int output = request.maxOutputTokens().orElse(0);
    long budget = (long) window - output - config.margin();
    TokenCounter counter = state.tokenCounter;
    if (counter.upperBound(request) <= budget) {
      return Fitted.unchanged(request);
    }
    int full = counter.count(request);
    if (full <= budget) {
      return Fitted.unchanged(request);
    }
    WindowBudget b = new WindowBudget(state, model, window, output, config.margin(), budget, full);
    return switch (policy.kind()) {
      case FAIL -> throw b.exceeded("policy FAIL", null);
      case DROP_OLDEST -> dropOldest(request, counter, b);
      case SUMMARIZE -> summarize(request, counter, b, policy, context);
    };
  }

  private static Fitted dropOldest(ChatRequest request, TokenCounter counter, WindowBudget b) {
    ConversationTurns turns = ConversationTurns.of(request.messages());
    int max = turns.droppable();
    int k = fewest(max, j -> count(counter, request, turns.without(j, null)) <= b.budget());
    if (k < 0) {
      int least = count(counter, request, turns.without(max, null));
      throw b.exceeded("policy DROP_OLDEST: " + withoutEarlier(max) + " it has " + least
          + " tokens (the system messages and the last turn are never dropped)", null);
    }
    return new Fitted(withMessages(request, turns.without(k, null)), turns.droppedCount(k), false);
  }

  private Fitted summarize(ChatRequest request, TokenCounter counter, WindowBudget b, ContextPolicy policy, CallContext context) {
    ConversationTurns turns = ConversationTurns.of(request.messages());
    int max = turns.droppable();
    Message room = Message.user(ContextPolicy.SUMMARY_PREFIX);
    int summaryTokens = policy.maxSummaryTokens();
    int k = fewest(max, j -> (long) count(counter, request, turns.without(j, room)) + summaryTokens <= b.budget());
    if (k < 0) {
      int least = count(counter, request, turns.without(max, room));
      throw b.exceeded("policy SUMMARIZE: " + withoutEarlier(max) + " it has " + least
          + " tokens with an empty summary, leaving less than the " + summaryTokens
          + " tokens kept for the summary (the system messages and the last turn are never dropped)", null);
    }
    List<Message> dropped = turns.dropped(k);
    String summary;
    try {
      summary = summaries.summary(policy, dropped, context);
    } catch (RuntimeException e) {
      if (context.cancellation().map(CancellationToken::isCancelled).orElse(false)) {
        throw e;
      }
      throw b.exceeded("policy SUMMARIZE: the summariser '" + policy.summariser().orElseThrow() + "' failed to summarise "
          + dropped.size() + " earlier messages: " + e.getMessage(), e);
    }
    List<Message> messages = turns.without(k, Message.user(ContextPolicy.SUMMARY_PREFIX + summary));
    int fitted = count(counter, request, messages);
    if (fitted > b.budget()) {
      throw b.exceeded("policy SUMMARIZE: with the summary of its " + dropped.size() + " earlier messages it still has "
          + fitted + " tokens; the summary is longer than the " + summaryTokens + " tokens kept for it", null);
    }
    return new Fitted(withMessages(request, messages), dropped.size(), true);
  }

  private static String withoutEarlier(int turns) {
    return turns == 0 ? "with no earlier turn to drop" : "even without its " + turns + " earlier turn" + (turns == 1 ? "" : "s");
  }

  /** The least k in 1..max for which {@code fits} holds, or -1; {@code fits} must be monotonic in k. */
  private static int fewest(int max, IntPredicate fits) {
    if (max < 1 || !fits.test(max)) {
      return -1;
    }
    int lo = 1;
    int hi = max;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (fits.test(mid)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private static int count(TokenCounter counter, ChatRequest request, List<Message> messages) {
    return counter.count(withMessages(request, messages));
  }

  private static ChatRequest withMessages(ChatRequest request, List<Message> messages) {
    return request.toBuilder().messages(messages).build();
  }

  /** One attempt's budget, for the error that says why a request does not fit. */
  private record WindowBudget(TargetState state, String model, int window, int output, int margin, long budget, int full) {
    ContextWindowExceededException exceeded(String why, @Nullable RuntimeException cause) {
      ContextWindowExceededException e = new ContextWindowExceededException(state.target.provider(), 0,
          "the request for " + state.target + " has " + full + " input tokens (" + state.tokenCounter.name() + "), over its budget of "
              + Math.max(0, budget) + " = context window " + window + (output > 0 ? " - " + output + " max output tokens" : "")
              + (margin > 0 ? " - " + margin + " margin" : "") + "; '" + model + "' has " + why);
      if (cause != null) {
        e.addSuppressed(cause); // its constructor fixes the cause as null, so the failure goes in as suppressed
      }
      return e;
    }
  }
}
