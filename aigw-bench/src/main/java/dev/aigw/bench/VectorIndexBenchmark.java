package dev.aigw.bench;

import dev.aigw.core.cache.semantic.InMemoryVectorIndex;
import dev.aigw.core.cache.semantic.VectorIndex;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency of {@link InMemoryVectorIndex#nearest} (a brute-force scan) over one partition of
 * {@code entries} random unit vectors of {@code dimensions} floats (MiniLM's 384), from a fixed
 * seed. Each call takes one of 64 pre-made random queries in turn, with a threshold no random
 * pair reaches, so every call scans every entry and returns empty (the miss, the common and
 * slowest case).
 *
 * <p>Build and run from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * java -jar aigw-bench/target/benchmarks.jar VectorIndexBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 *
 * <p>Scores are microseconds per call; divide by the entries for the cost per comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class VectorIndexBenchmark {
  private static final int QUERIES = 64;

  @Param({"10000", "100000"})
  int entries;

  @Param({"384"})
  int dimensions;

  private VectorIndex index;
  private float[][] queries;
  private int next;

  @Setup(Level.Trial)
  public void fill() {
    Random random = new Random(20260101L);
    index = InMemoryVectorIndex.builder().maxEntries(entries).build();
    for (int i = 0; i < entries; i++) {
      index.add("tenant", "entry-" + i, randomVector(random), Duration.ofDays(1));
    }
    queries = new float[QUERIES][];
    for (int i = 0; i < QUERIES; i++) {
      queries[i] = randomVector(random);
    }
    if (index.size() != entries) {
      throw new IllegalStateException("filled " + index.size() + " of " + entries);
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    index.close();
  }

  /** A miss: scans every entry. */
  @Benchmark
  public Optional<VectorIndex.Match> nearest() {
    float[] q = queries[next++ & (QUERIES - 1)];
    return index.nearest("tenant", q, 0.9);
  }

  private float[] randomVector(Random random) {
    float[] v = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
