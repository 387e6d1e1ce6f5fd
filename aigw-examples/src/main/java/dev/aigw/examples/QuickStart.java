package dev.aigw.examples;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.core.AiGateway;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.time.Duration;

/**
 * The README's quick start, line for line: a route that falls back from a rate-limited provider
 * to another, one blocking call (its answer, target, attempts and cost printed) and one stream.
 * Fake providers, so no network and no keys.
 *
 * <p>{@code ReadmeQuickStartIT} checks that the README's "Quick start" block is this file without
 * its package line and this comment, and runs it; edit both together.
 *
 * <p><b>Run it:</b> {@code ./mvnw -q -pl aigw-examples -am -Dmaven.test.skip -Dexample=QuickStart package}
 */
public class QuickStart {
  public static void main(String[] args) {
    // Fake providers stand in for real ones here. The first is rate limited for a minute, longer
    // than the router waits to retry (10 s by default), so the route falls back at once.
    try (AiGateway gateway = AiGateway.builder()
        .provider(FakeChatProvider.builder().id("openai").reply(FakeReply.rateLimited(Duration.ofMinutes(1))).build())
        .provider(FakeChatProvider.builder().id("anthropic").reply(FakeReply.text("Paris.")).build())
        .route("chat", Route.fallback("openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"))
        .build()) {

      ChatResponse answer = gateway.chat(
          ChatRequest.of("chat", "What is the capital of France?"),
          CallContext.builder().tenant("acme").timeout(Duration.ofSeconds(30)).build());
      System.out.println(answer.text() + " served by " + answer.metadata().target().orElseThrow());
      System.out.println("attempts: " + answer.metadata().attempts().size());
      // priced from the bundled model catalog (LiteLLM's price table), exactly, in BigDecimal
      System.out.println("cost: " + answer.metadata().cost().map(Object::toString).orElse("unknown"));

      try (ChatStream stream = gateway.stream(ChatRequest.of("chat", "And of Italy?"))) {
        for (ChatChunk chunk : stream) {
          System.out.print(chunk.text());
        }
      }
    }
  }
}
