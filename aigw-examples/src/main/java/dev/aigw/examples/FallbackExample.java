package dev.aigw.examples;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.Attempt;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.core.AiGateway;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fallback across providers, decided by the class of each error. One route tries openai, then
 * anthropic, then gemini (fake providers, no keys), and four calls show:
 *
 * <ol>
 *   <li>a rate limit whose {@code Retry-After} (50 ms) is short: the router waits for it and
 *       retries the same target;
 *   <li>a rate limit whose {@code Retry-After} (a minute) is longer than the router will wait:
 *       it moves on at once; then server errors (503), retried once after a backoff, then given
 *       up; the third provider answers. Those two failures open anthropic's circuit breaker;
 *   <li>with the breaker open, anthropic is skipped without a call ({@code
 *       TargetUnavailableException} in the attempts);
 *   <li>a client error (401) is not the target's fault and is never retried elsewhere.
 * </ol>
 *
 * Each call prints its {@code metadata().attempts()}: target, outcome, error class and the delay
 * before a retry.
 *
 * <p><b>Run it:</b> {@code ./mvnw -q -pl aigw-examples -am -Dmaven.test.skip -Dexample=FallbackExample package}
 */
public final class FallbackExample {
  private FallbackExample() {}

  /** One call: its label, its answer (or the exception's class), and every attempt it made. */
  public record Call(String label, String outcome, List<Attempt> attempts) {}

  /** Runs the example on standard output. */
  public static void main(String[] args) {
    run(System.out);
  }

  /** Makes the four calls, prints each one's attempts to {@code out}, and returns them. */
  public static List<Call> run(PrintStream out) {
    FakeChatProvider openAi = FakeChatProvider.builder().id("openai")
        .replyWhen(r -> r.lastUserText().contains("key"), FakeReply.authenticationFailed())
        .reply(FakeReply.rateLimited(Duration.ofMillis(50)), FakeReply.text("openai, after waiting."),
            FakeReply.rateLimited(Duration.ofMinutes(1)))   // the last reply repeats
        .build();
    FakeChatProvider anthropic = FakeChatProvider.builder().id("anthropic").reply(FakeReply.serverError(503)).build();
    FakeChatProvider gemini = FakeChatProvider.builder().id("gemini").reply(FakeReply.text("gemini, third in line.")).build();

    // Opens after 2 failed calls out of the last 2, and stays open for a minute.
    CircuitBreakerConfig breaker = CircuitBreakerConfig.from(Resilience.DEFAULT_CIRCUIT_BREAKER)
        .slidingWindowSize(2).minimumNumberOfCalls(2).waitDurationInOpenState(Duration.ofMinutes(1)).build();
    // every target: 2 attempts, 20 ms backoff, provider retry delays honoured up to 1 s
    Resilience retries = Resilience.custom().maxAttempts(2).backoff(Duration.ofMillis(20), 2, Duration.ofMillis(100))
        .jitter(0).maxRetryDelay(Duration.ofSeconds(1)).build();
    List<Call> calls = new ArrayList<>();
    try (AiGateway gateway = AiGateway.builder()
        .provider(openAi).provider(anthropic).provider(gemini)
        .route("chat", Route.fallback("openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest", "gemini/gemini-2.5-flash"))
        .resilience(retries)
        .resilience("anthropic", Resilience.from(retries).circuitBreaker(breaker).build())   // replaces, so start from it
        .build()) {
      calls.add(call(gateway, out, "1. short Retry-After", "Hello?"));
      calls.add(call(gateway, out, "2. long Retry-After, 503s", "Hello again?"));
      calls.add(call(gateway, out, "3. breaker open", "Still there?"));
      calls.add(call(gateway, out, "4. client error", "Is my API key right?"));
    }
    out.printf("provider calls: openai %d, anthropic %d (none once its breaker opened), gemini %d%n",
        openAi.requestCount(), anthropic.requestCount(), gemini.requestCount());
    return calls;
  }

  private static Call call(AiGateway gateway, PrintStream out, String label, String question) {
    Call call;
    try {
      ChatResponse answer = gateway.chat(ChatRequest.of("chat", question));
      call = new Call(label, answer.text(), answer.metadata().attempts());
    } catch (AiGatewayException e) {
      // a failed call has no metadata; NoRouteAvailableException would carry the attempts
      call = new Call(label, e.getClass().getSimpleName() + ": " + e.getMessage(), List.of());
    }
    out.println(call.label() + " -> " + call.outcome());
    for (Attempt a : call.attempts()) {
      out.printf("     %-36s %-7s %s%s%n", a.target(), a.outcome(),
          a.errorType().map(t -> t.substring(t.lastIndexOf('.') + 1)).orElse(""),
          a.retryDelay().map(d -> ", retried after " + d.toMillis() + " ms").orElse(""));
    }
    return call;
  }
}
