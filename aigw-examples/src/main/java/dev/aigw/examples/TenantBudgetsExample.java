package dev.aigw.examples;

import dev.aigw.api.BudgetExceededException;
import dev.aigw.api.BudgetUsage;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.Cost;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Budgets per tenant: every tenant may spend 2,000 tokens and $0.01 a day, and make 3 requests in
 * any minute (a rate limit). Tenant {@code acme} hits the rate limit, then the daily token budget,
 * and gets a {@link BudgetExceededException} each time, before any provider call; tenant {@code
 * globex}, with budgets of its own, is not affected. {@link AiGateway#budgetUsage} shows what is
 * left, and a {@link ManualClock} moved to the time each denial names shows the window reset.
 *
 * <p>Every call uses 500 tokens (the fake provider reports 400 in, 100 out). Before a call the
 * gateway reserves its counted input tokens plus its max output tokens, then settles for what the
 * provider reported.
 *
 * <p><b>Run it:</b> {@code ./mvnw -q -pl aigw-examples -am -Dmaven.test.skip -Dexample=TenantBudgetsExample package}
 */
public final class TenantBudgetsExample {
  private TenantBudgetsExample() {}

  /**
   * One call.
   *
   * @param tenant who made it
   * @param denied empty when it was served; else the measure of the budget that denied it
   *     ({@code "requests"}, {@code "total_tokens"})
   */
  public record Step(String tenant, String denied) {}

  /** Runs the example on standard output. */
  public static void main(String[] args) {
    run(System.out);
  }

  /** Makes the calls, printing what happens to {@code out}; returns every call in order. */
  public static List<Step> run(PrintStream out) {
    ManualClock clock = new ManualClock();   // starts at 2026-01-01T00:00:00Z; moves only when told
    FakeChatProvider openAi = FakeChatProvider.builder().id("openai")
        .reply(FakeReply.text("Done.").withUsage(Usage.of(400, 100))).build();
    List<Step> steps = new ArrayList<>();
    try (AiGateway gateway = AiGateway.builder()
        .provider(openAi)
        .clock(clock)
        .budget(Budget.perTenant().tokensPerDay(2_000).costPerDay(Cost.usd("0.01")).requestsPerMinute(3))
        .build()) {
      BudgetExceededException rateLimited = null;
      for (int i = 0; i < 4; i++) {
        rateLimited = call(gateway, "acme", steps, out);           // the 4th is over 3 a minute
      }
      clock.advance(Duration.between(clock.now(), rateLimited.resetsAt()));
      out.println("-- clock moved to " + clock.now() + ", when the rate limit said it resets");
      call(gateway, "acme", steps, out);                           // 2,000 tokens used today
      BudgetExceededException outOfTokens = call(gateway, "acme", steps, out);
      call(gateway, "globex", steps, out);                         // its own budget: served
      print(gateway, out);

      clock.advance(Duration.between(clock.now(), outOfTokens.resetsAt()));
      out.println("-- clock moved to " + clock.now() + ", a new UTC day");
      call(gateway, "acme", steps, out);
      print(gateway, out);
    }
    out.println("provider calls: " + openAi.requestCount() + " of " + steps.size() + " (denied calls never reach it)");
    return steps;
  }

  /** One call for {@code tenant}; returns the denial, or null when it was served. */
  private static @Nullable BudgetExceededException call(AiGateway gateway, String tenant, List<Step> steps, PrintStream out) {
    ChatRequest request = ChatRequest.builder().model("openai/gpt-4o-mini").user("Summarise my tickets.")
        .maxOutputTokens(100).build();   // without it the gateway reserves 4,096 output tokens
    try {
      gateway.chat(request, CallContext.tenant(tenant));
      steps.add(new Step(tenant, ""));
      out.println(tenant + ": served");
      return null;
    } catch (BudgetExceededException e) {
      steps.add(new Step(tenant, e.measure()));
      out.println(tenant + ": DENIED " + e.getMessage());
      return e;
    }
  }

  private static void print(AiGateway gateway, PrintStream out) {
    for (BudgetUsage u : gateway.budgetUsage("tenant", "acme")) {
      out.printf("   acme %-12s per %-12s used %-10s of %-6s resets %s%n",
          u.measure(), u.window(), u.used().toPlainString(), u.limit().toPlainString(), u.resetsAt());
    }
  }
}
