package dev.aigw.examples.testing;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.BudgetExceededException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.routing.Route;
import java.time.Duration;
import java.util.Objects;

/**
 * A small application class that uses aigw: a customer-support bot. It is here to be tested:
 * {@code SupportBotTest} (in this module's tests) is the example of unit-testing an application
 * with aigw's testkit, with fake providers and a manual clock instead of real models and real
 * time.
 *
 * <p>The bot asks route {@value #ROUTE} with its system prompt, as the customer (so budgets per
 * user apply), with a deadline of {@link #TIMEOUT}. When a customer asks too often it says so;
 * when no model answers in time it apologises and hands over to a human. It never lets a gateway
 * exception reach its caller.
 *
 * <p>The gateway's configuration the bot relies on is in {@link #configure}, so production and
 * tests build the same gateway over different providers:
 *
 * <pre>{@code
 * AiGateway gateway = SupportBot.configure(AiGateway.builder()
 *     .provider(OpenAiProvider.fromEnv()).provider(AnthropicProvider.fromEnv())).build();
 * SupportBot bot = new SupportBot(gateway);
 * }</pre>
 */
public final class SupportBot {
  /** The route alias the bot asks. */
  public static final String ROUTE = "support";
  /** How long one answer may take, retries and fallbacks included. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** Questions a customer may ask in any minute. */
  public static final int QUESTIONS_PER_MINUTE = 3;
  /** The system prompt sent with every question. */
  public static final String SYSTEM_PROMPT =
      "You are the support assistant of Acme Rockets. Answer in two sentences at most. Never promise refunds.";

  private final AiGateway gateway;

  /** A bot that asks {@code gateway}, which needs the route and budget {@link #configure} adds. */
  public SupportBot(AiGateway gateway) {
    this.gateway = Objects.requireNonNull(gateway, "gateway");
  }

  /**
   * Adds what the bot needs to a gateway: route {@value #ROUTE} (openai, falling back to
   * anthropic) and a rate limit of {@value #QUESTIONS_PER_MINUTE} questions per customer per
   * minute. The providers, and the clock, are the caller's.
   */
  public static AiGateway.Builder configure(AiGateway.Builder builder) {
    return builder
        .route(ROUTE, Route.fallback("openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"))
        .budget(Budget.perUser().requestsPerMinute(QUESTIONS_PER_MINUTE));
  }

  /** How a reply came about. */
  public enum Outcome {
    /** A model answered. */
    ANSWERED,
    /** The customer asked too often; nothing was sent to a model. */
    SLOW_DOWN,
    /** No model answered in time: a human takes over. */
    HANDED_OVER
  }

  /** The bot's reply to a customer. */
  public record Reply(String text, Outcome outcome) {}

  /** Answers {@code question} from customer {@code customerId}. Never throws a gateway exception. */
  public Reply answer(String customerId, String question) {
    ChatRequest request = ChatRequest.builder().model(ROUTE).system(SYSTEM_PROMPT).user(question).maxOutputTokens(200).build();
    CallContext context = CallContext.builder().user(customerId).tag("support-bot").timeout(TIMEOUT).build();
    try {
      return new Reply(gateway.chat(request, context).text(), Outcome.ANSWERED);
    } catch (BudgetExceededException e) {
      return new Reply("You have asked a lot of questions in a short time. Please try again in a minute.", Outcome.SLOW_DOWN);
    } catch (AiGatewayException e) {
      return new Reply("Sorry, I cannot answer right now. A colleague will get back to you shortly.", Outcome.HANDED_OVER);
    }
  }
}
