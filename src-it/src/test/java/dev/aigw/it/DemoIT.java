package dev.aigw.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.examples.demo.Demo;
import dev.aigw.examples.demo.Demo.Options;
import dev.aigw.examples.demo.Demo.Report;
import dev.aigw.testkit.sim.SimulatedServerStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The README's demo runs in CI too, and shows what it claims: every policy acting on a mixed
 * workload, through the simulated pool and clouds, with a summary per tenant, target, replica and
 * guardrail.
 */
class DemoIT {
  @Test
  void theDefaultWorkloadShowsEveryPolicyAtWork() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Report report = Demo.run(new PrintStream(out, true, StandardCharsets.UTF_8), Options.defaults());

    assertThat(report.tenants()).containsOnlyKeys("acme", "globex", "initech", "umbrella");
    assertThat(report.tenants().values()).allSatisfy(t -> assertThat(t.failed()).isZero());
    assertThat(report.tenants().values().stream().mapToInt(t -> t.calls()).sum()).isEqualTo(Demo.DEFAULT_CALLS);
    // budgets: the trial runs out, and its rejected calls spent nothing
    assertThat(report.tenants().get("initech").overBudget()).isPositive();
    assertThat(report.trialBudgetLeft()).isLessThan(BigDecimal.valueOf(500));
    // cache: the FAQ repeats
    assertThat(report.tenants().get("globex").cacheHits()).isPositive();
    // guardrails: injections blocked, personal data masked and restored
    assertThat(report.tenants().get("umbrella").blocked()).isPositive();
    assertThat(report.guardrailActions()).containsKeys("pii input MASK", "prompt_injection input BLOCK");
    assertThat(report.restoredAnswers()).isPositive();
    // routing: openai fails part of the time and its calls fall back; the pool is the cheapest
    assertThat(report.targets().get("openai/gpt-4o-mini").failures()).isPositive();
    assertThat(report.targets().get("openai/gpt-4o-mini").fallbacks()).isPositive();
    assertThat(report.targets().get("anthropic/claude-3-5-haiku-latest").answered()).isPositive();
    assertThat(report.targets().get("pool/meta-llama/Llama-3.1-8B-Instruct").answered()).isPositive();
    // the pool: load spread over replicas, and shared system prompts hit the prefix cache
    assertThat(report.replicas()).hasSize(4).filteredOn(r -> r.requestsServed() > 0).hasSizeGreaterThan(1);
    long queried = report.replicas().stream().mapToLong(SimulatedServerStats::prefixCacheQueryTokens).sum();
    long hit = report.replicas().stream().mapToLong(SimulatedServerStats::prefixCacheHitTokens).sum();
    assertThat((double) hit / queried).isGreaterThan(0.5);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("per tenant", "per target", "per pool replica", "guardrails", "[ 300/300] 100%")
        .contains("fallback: openai/gpt-4o-mini failed", "cache hit:", "cost-aware:", "PII: masked", "budget: budget 'initech-trial'")
        .doesNotContain("Exception in thread");
  }

  @Test
  void withSpansTheDemoPrintsOneTraceOfEachShape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Demo.run(new PrintStream(out, true, StandardCharsets.UTF_8), new Options(120, true, false, 2026));

    String printed = out.toString(StandardCharsets.UTF_8);
    String spans = printed.substring(printed.indexOf("spans: "));
    assertThat(spans)
        .contains("traces (one per call)")
        .contains("chat assist  CLIENT").contains("attempt pool/meta-llama/Llama-3.1-8B-Instruct  INTERNAL")
        .contains("aigw.guardrail.name=pii").contains("ERROR guardrail 'prompt_injection' blocked the request")
        .contains("event aigw.budget.reserved");
  }

  @Test
  void badFlagsAreNamed() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse("--calls=many"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--calls");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse("--fast"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fast");
    assertThat(Options.parse("--calls=50", "--spans").calls()).isEqualTo(50);
  }
}
