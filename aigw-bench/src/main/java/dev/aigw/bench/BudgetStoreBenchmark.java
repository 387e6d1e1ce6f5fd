package dev.aigw.bench;

import dev.aigw.core.budget.BudgetStore;
import dev.aigw.core.budget.Charge;
import dev.aigw.core.budget.InMemoryBudgetStore;
import dev.aigw.core.budget.Window;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One reserve + reconcile of two charges (a tenant's daily tokens and a global monthly cost) in
 * the in-memory ledger, on one hot tenant or spread over 1,000 tenants. Run with several thread
 * counts to see contention on the store's lock:
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * for t in 1 4 16 64; do java -jar aigw-bench/target/benchmarks.jar BudgetStoreBenchmark -t $t; done
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class BudgetStoreBenchmark {

  /** How many tenants the calls spread over: 1 is one hot key. */
  @Param({"1", "1000"})
  int tenants;

  private BudgetStore store;
  private String[] counters;
  private final Instant now = Instant.parse("2026-06-15T12:00:00Z");
  private final long[] actual = {900, 1_500_000};

  @Setup(Level.Trial)
  public void setUp() {
    store = new InMemoryBudgetStore();
    counters = new String[tenants];
    for (int i = 0; i < tenants; i++) {
      counters[i] = "tenant:t" + i + "/total_tokens";
    }
  }

  /** Reserve two charges, then reconcile them to actual amounts. */
  @Benchmark
  public Object reserveAndReconcile() {
    String counter = counters[tenants == 1 ? 0 : ThreadLocalRandom.current().nextInt(tenants)];
    BudgetStore.Decision d = store.reserve(List.of(
        new Charge(counter, Window.day(), Long.MAX_VALUE, 1_000),
        new Charge("global/cost_nanos", Window.month(), Long.MAX_VALUE, 2_000_000)), now);
    if (d instanceof BudgetStore.Granted g) {
      store.reconcile(g.reservation(), actual, now);
    }
    return d;
  }
}
