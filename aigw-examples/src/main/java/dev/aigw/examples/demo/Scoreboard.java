package dev.aigw.examples.demo;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.Attempt;
import dev.aigw.api.BudgetExceededException;
import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallInfo;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.GuardrailFinding;
import dev.aigw.api.GuardrailViolationException;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.Target;
import dev.aigw.api.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * What the demo saw: per tenant from each call's outcome, per target and per guardrail from the
 * gateway's listener events. Thread-safe; the workers record into it concurrently.
 */
final class Scoreboard implements GatewayListener {
  /** How one call ended. */
  enum Status { OK, CACHE_HIT, BLOCKED, OVER_BUDGET, FAILED }

  /** One tenant's totals. */
  private static final class TenantStats {
    int calls;
    int ok;
    int cacheHits;
    int blocked;
    int overBudget;
    int failed;
    long inputTokens;
    long outputTokens;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal saved = BigDecimal.ZERO;
  }

  /** One target's totals. */
  private static final class TargetStats {
    final LongAdder attempts = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder fallbacksFrom = new LongAdder();
    final List<Long> latencyMillis = Collections.synchronizedList(new ArrayList<>());
    final List<Long> ttftMillis = Collections.synchronizedList(new ArrayList<>());
  }

  private final Map<String, TenantStats> tenants = new TreeMap<>();
  private final Map<String, TargetStats> targets = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> guardrailActions = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> findingTypes = new ConcurrentHashMap<>();
  private final LongAdder restored = new LongAdder();

  /** Records how a call ended; {@code answer} is the text the caller got, if any. */
  synchronized Status record(String tenant, @Nullable ResponseMetadata meta, @Nullable Usage usage,
      @Nullable AiGatewayException error, String answer, boolean hadPersonalData) {
    TenantStats t = tenants.computeIfAbsent(tenant, k -> new TenantStats());
    t.calls++;
    Status status;
    if (error instanceof GuardrailViolationException) {
      status = Status.BLOCKED;
      t.blocked++;
    } else if (error instanceof BudgetExceededException) {
      status = Status.OVER_BUDGET;
      t.overBudget++;
    } else if (error != null || meta == null) {
      status = Status.FAILED;
      t.failed++;
    } else {
      boolean hit = meta.cacheStatus() == CacheStatus.HIT || meta.cacheStatus() == CacheStatus.SEMANTIC_HIT;
      status = hit ? Status.CACHE_HIT : Status.OK;
      t.ok++;
      if (hit) {
        t.cacheHits++;
        meta.savedCost().ifPresent(c -> t.saved = t.saved.add(c.amount()));
      } else {
        meta.target().ifPresent(target -> {
          TargetStats s = target(target);
          List<Attempt> attempts = meta.attempts();
          s.latencyMillis.add(attempts.isEmpty() ? meta.latency().toMillis() : attempts.get(attempts.size() - 1).latency().toMillis());
          meta.timeToFirstToken().ifPresent(d -> s.ttftMillis.add(d.toMillis()));
        });
        meta.cost().ifPresent(c -> t.cost = t.cost.add(c.amount()));
        if (usage != null) {
          t.inputTokens += usage.inputTokens();
          t.outputTokens += usage.outputTokens();
        }
      }
      if (hadPersonalData && answer.contains("@example.com")) {
        restored.increment();
      }
    }
    return status;
  }

  /** The tenants, by name. */
  synchronized Map<String, Demo.TenantSummary> tenantSummaries() {
    Map<String, Demo.TenantSummary> m = new TreeMap<>();
    tenants.forEach((name, t) -> m.put(name, new Demo.TenantSummary(t.calls, t.ok, t.cacheHits, t.blocked, t.overBudget,
        t.failed, t.inputTokens, t.outputTokens, t.cost, t.saved)));
    return m;
  }

  /** The targets the gateway tried, by {@code provider/model}. */
  Map<String, Demo.TargetSummary> targetSummaries() {
    Map<String, Demo.TargetSummary> m = new TreeMap<>();
    targets.forEach((name, t) -> m.put(name, new Demo.TargetSummary(t.attempts.sum(), t.latencyMillis.size(),
        t.failures.sum(), t.fallbacksFrom.sum(), sorted(t.latencyMillis), sorted(t.ttftMillis))));
    return m;
  }

  /** Guardrail actions, keyed {@code "guardrail direction action"}, for example {@code "pii input MASK"}. */
  Map<String, Long> guardrailActions() {
    Map<String, Long> m = new TreeMap<>();
    guardrailActions.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Findings by guardrail and type, for example {@code "pii EMAIL"}. */
  Map<String, Long> findingTypes() {
    Map<String, Long> m = new TreeMap<>();
    findingTypes.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Answers in which the caller got back personal data the model only saw as placeholders. */
  long restoredAnswers() {
    return restored.sum();
  }

  private TargetStats target(Target target) {
    return targets.computeIfAbsent(target.toString(), k -> new TargetStats());
  }

  @Override
  public void attemptStart(CallInfo call, Target target, int attempt) {
    target(target).attempts.increment();
  }

  @Override
  public void attemptFailed(CallInfo call, Target target, int attempt, Duration latency, AiGatewayException error) {
    target(target).failures.increment();
  }

  @Override
  public void fallback(CallInfo call, Target from, Target to, AiGatewayException cause) {
    target(from).fallbacksFrom.increment();
  }

  @Override
  public void guardrail(CallInfo call, String guardrail, boolean input, GuardrailAction action, List<GuardrailFinding> findings) {
    guardrailActions.computeIfAbsent(guardrail + (input ? " input " : " output ") + action, k -> new LongAdder()).increment();
    for (GuardrailFinding f : findings) {
      findingTypes.computeIfAbsent(f.guardrail() + " " + f.type(), k -> new LongAdder()).increment();
    }
  }

  private static List<Long> sorted(List<Long> values) {
    List<Long> copy;
    synchronized (values) {
      copy = new ArrayList<>(values);
    }
    Collections.sort(copy);
    return List.copyOf(copy);
  }
}
