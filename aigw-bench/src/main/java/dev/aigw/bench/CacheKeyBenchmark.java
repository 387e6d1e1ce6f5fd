package dev.aigw.bench;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ToolChoice;
import dev.aigw.api.ToolSpec;
import dev.aigw.core.cache.CacheKey;
import dev.aigw.core.cache.CacheKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
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
 * The cost of computing the exact-cache key ({@link CacheKeys#of}) against the size of the
 * request, which the response cache pays on every call it sees.
 *
 * <p>Build and run from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * java -jar aigw-bench/target/benchmarks.jar CacheKeyBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 *
 * <ul>
 *   <li>{@link #key()}: a request with a short system message and a user message of {@code
 *       textBytes} characters of prose (ASCII with an occasional accented letter), temperature
 *       and an output token limit.
 *   <li>{@link #keyWithTools()}: the same request with three tools whose parameter schemas are
 *       parsed and canonicalised on each call, a tool choice and a JSON-schema response format;
 *       the difference to {@link #key()} is the cost of the schemas.
 *   <li>{@link #sha256OfText()}: the floor, SHA-256 of the user text's UTF-8 bytes and nothing
 *       else ({@code String.getBytes} plus one digest), measured in the same run.
 * </ul>
 *
 * <p>Scores are nanoseconds per key; with {@code -prof gc}, {@code gc.alloc.rate.norm} is the
 * bytes allocated per key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public class CacheKeyBenchmark {

  /** The length of the user message, in characters (about as many UTF-8 bytes). */
  @Param({"200", "2000", "20000", "200000"})
  int textBytes;

  static final String PROSE = "The café on the corner serves a decent espresso, and the owner "
      + "remembers every regular's order. We should meet there on Thursday to go over the draft, "
      + "then walk to the office together. ";

  static final String WEATHER = """
      {"type":"object","properties":{"city":{"type":"string","description":"City name, e.g. Paris"},
      "unit":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer","minimum":1,"maximum":14}},
      "required":["city"],"additionalProperties":false}""";

  static final String SEARCH = """
      {"type":"object","properties":{"query":{"type":"string"},"limit":{"type":"integer","default":10},
      "filters":{"type":"object","properties":{"site":{"type":"string"},"after":{"type":"string","format":"date"},
      "language":{"type":"string","enum":["en","fr","de","es"]}}}},"required":["query"]}""";

  static final String CALENDAR = """
      {"type":"object","properties":{"title":{"type":"string"},"start":{"type":"string","format":"date-time"},
      "durationMinutes":{"type":"integer","minimum":5,"maximum":480},"attendees":{"type":"array",
      "items":{"type":"object","properties":{"email":{"type":"string","format":"email"},"optional":{"type":"boolean"}},
      "required":["email"]}}},"required":["title","start"]}""";

  static final String ANSWER = """
      {"type":"object","properties":{"answer":{"type":"string"},"confidence":{"type":"number"}},
      "required":["answer","confidence"],"additionalProperties":false}""";

  private ChatRequest request;
  private ChatRequest requestWithTools;
  private String text;
  private MessageDigest sha256;

  @Setup(Level.Trial)
  public void setUp() throws NoSuchAlgorithmException {
    StringBuilder sb = new StringBuilder(textBytes + PROSE.length());
    while (sb.length() < textBytes) {
      sb.append(PROSE);
    }
    text = sb.substring(0, textBytes);
    request = ChatRequest.builder()
        .model("chat")
        .system("You are a helpful assistant. Answer briefly.")
        .user(text)
        .temperature(0.2)
        .maxOutputTokens(512)
        .build();
    requestWithTools = request.toBuilder()
        .tool(ToolSpec.of("get_weather", "Gets the weather forecast for a city", WEATHER))
        .tool(ToolSpec.of("web_search", "Searches the web", SEARCH))
        .tool(ToolSpec.of("create_event", "Creates a calendar event", CALENDAR))
        .toolChoice(ToolChoice.auto())
        .responseFormat(ResponseFormat.jsonSchema("answer", ANSWER, true))
        .extra(Map.of("parallel_tool_calls", true, "metadata", Map.of("team", "search")))
        .stop(List.of("\n\nUser:"))
        .build();
    sha256 = MessageDigest.getInstance("SHA-256");
  }

  @Benchmark
  public CacheKey key() {
    return CacheKeys.of("tenant:acme", request);
  }

  @Benchmark
  public CacheKey keyWithTools() {
    return CacheKeys.of("tenant:acme", requestWithTools);
  }

  @Benchmark
  public byte[] sha256OfText() {
    return sha256.digest(text.getBytes(StandardCharsets.UTF_8));
  }
}
