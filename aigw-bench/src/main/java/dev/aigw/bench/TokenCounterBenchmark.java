package dev.aigw.bench;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.Message;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolSpec;
import dev.aigw.core.tokens.TokenCounter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The cost of counting tokens before a call with {@link TokenCounter}: plain text and a whole
 * {@link ChatRequest}, in both OpenAI encodings, and the cheap {@link
 * TokenCounter#upperBound(ChatRequest)} that lets routing skip counting.
 *
 * <p>Build and run from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * java -jar aigw-bench/target/benchmarks.jar TokenCounterBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 *
 * <ul>
 *   <li>{@link #countText()}: a realistic prompt of about 2 KB, English prose with a Java
 *       snippet.
 *   <li>{@link #countRequest()}: a request of five messages (system, that prompt as the user
 *       message, an assistant tool call, the tool's result, a follow-up question) and one tool.
 *   <li>{@link #upperBoundRequest()}: the bound on the same request, computed without
 *       tokenizing; the ratio of its score to {@link #countRequest()}'s is the saving.
 * </ul>
 *
 * <p>Scores are operations per second. The {@code tokens} secondary result (an {@link
 * AuxCounters} rate) is tokens counted per second: ops/s × tokens per operation, where
 * the tokens per operation are the count for the text or request (for the bound, the count that
 * the bound stands in for, so that the three rates compare).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class TokenCounterBenchmark {

  /** About 2 KB of English and code, the shape of a typical assistant prompt. */
  static final String PROMPT = """
      I'm refactoring the cache layer of our order service and I would like a second opinion \
      before I open the pull request. The service handles about 2,000 requests per second at \
      peak, and most of them read the same few hundred products, so we keep an in-process LRU \
      cache in front of the database. Here is the current implementation:

      public final class ProductCache {
        private final Map<Long, Product> entries = new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Product> eldest) {
            return size() > capacity;
          }
        };
        private final int capacity;

        public ProductCache(int capacity) {
          this.capacity = capacity;
        }

        public synchronized Product get(long id, Function<Long, Product> loader) {
          Product p = entries.get(id);
          if (p == null) {
            p = loader.apply(id);
            entries.put(id, p);
          }
          return p;
        }
      }

      Two things worry me. First, the whole get method is synchronized, so a slow database load \
      blocks every other reader, even those asking for products that are already cached. \
      Second, we never expire entries, and prices change a few times a day, so a product can \
      show a stale price for hours. Could you suggest a design that loads each missing product \
      once without blocking readers of other keys, expires entries after a configurable time, \
      and stays simple enough that the team can maintain it? Please explain the trade-offs of \
      using Caffeine versus writing it ourselves with ConcurrentHashMap.computeIfAbsent, and \
      point out anything in the code above that would break under concurrent access.

      For context: the loader calls a PostgreSQL query that takes 5 to 40 ms, the product table \
      has about 180,000 rows, and each Product is an immutable record of roughly 1 KB. We run \
      four instances behind a load balancer, each with a 2 GB heap, and we publish a \
      ProductChanged event on Kafka whenever a price or stock level changes. If invalidating \
      on those events is a better fit than time-based expiry, say so, and show how you would \
      wire it in without losing events during a restart.
      """;

  /** The encoding to count with. */
  @Param({"o200k_base", "cl100k_base"})
  String encoding;

  private TokenCounter counter;
  private ChatRequest request;
  private int textTokens;
  private int requestTokens;

  @Setup(Level.Trial)
  public void setUp() {
    counter = encoding.equals("o200k_base") ? TokenCounter.o200k() : TokenCounter.cl100k();
    request = ChatRequest.builder()
        .model("gpt-4o")
        .system("You are a senior Java engineer. Answer precisely, with code where it helps.")
        .user(PROMPT)
        .message(Message.assistantToolCalls(List.of(
            new ToolCall("call_1", "search_docs", "{\"query\":\"Caffeine refreshAfterWrite vs expireAfterWrite\"}"))))
        .message(Message.tool("call_1",
            "{\"results\":[{\"title\":\"Caffeine: Refresh\",\"snippet\":\"refreshAfterWrite reloads asynchronously"
                + " while serving the old value; expireAfterWrite evicts.\"}]}"))
        .user("Also, should the loader run on a separate executor?")
        .tool(ToolSpec.of("search_docs", "Search the library documentation.",
            "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\",\"description\":\"What to look for\"}},"
                + "\"required\":[\"query\"]}"))
        .build();
    textTokens = counter.count(PROMPT);
    requestTokens = counter.count(request);
    if (counter.upperBound(request) < requestTokens) {
      throw new IllegalStateException("upperBound below count");
    }
  }

  /** Tokens counted, reported by JMH as a rate next to the ops/s score. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Tokens {
    /** Tokens counted (or, for the bound, stood in for) in this iteration. */
    public long tokens;

    @Setup(Level.Iteration)
    public void reset() {
      tokens = 0;
    }
  }

  /** Counts the ~2 KB prompt as plain text. */
  @Benchmark
  public int countText(Tokens t) {
    int n = counter.count(PROMPT);
    t.tokens += n;
    return n;
  }

  /** Counts the whole five-message request with its tool. */
  @Benchmark
  public int countRequest(Tokens t) {
    int n = counter.count(request);
    t.tokens += n;
    return n;
  }

  /** The cheap bound on the same request. */
  @Benchmark
  public int upperBoundRequest(Tokens t) {
    t.tokens += requestTokens;
    return counter.upperBound(request);
  }
}
