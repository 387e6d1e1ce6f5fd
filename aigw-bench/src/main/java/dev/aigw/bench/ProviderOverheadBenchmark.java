package dev.aigw.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One chat-completions call over loopback to a canned local server ({@link
 * ChatCompletionsServer}), made five ways: by hand with OkHttp and Jackson (the floor), with aigw's
 * OpenAI provider, through an aigw gateway with no policies, with the official OpenAI Java SDK, and
 * with LangChain4j's OpenAI chat model. Each way is timed blocking, to the first streamed chunk
 * with text (then the stream is closed or cancelled), and over a whole stream.
 *
 * <p>Build and run from the repository root:
 *
 * <pre>
 * ./mvnw -q -pl aigw-bench -am package -DskipTests
 * java -jar aigw-bench/target/benchmarks.jar ProviderOverheadBenchmark -f 2 -wi 5 -i 5 -prof gc
 * </pre>
 *
 * <p>Read each score as a ratio to the floor of the same kind: {@code *Blocking} to {@link
 * #floorBlocking()}, {@code *StreamFirstChunk} to {@link #floorStreamFirstChunk()}, {@code
 * *StreamFull} to {@link #floorStreamFull()}. The server and the kernel's loopback are in every
 * score, so a ratio understates a client's own cost; see aigw-bench/README.md.
 *
 * <p>Each fork builds only the client its benchmark uses (named by the method's prefix), so no
 * other client's classes load or pollute the JIT's profiles, and checks once, before measuring,
 * that all three calls return the canned answer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class ProviderOverheadBenchmark {
  static final String API_KEY = "sk-bench";

  private ChatCompletionsServer server;
  private BenchClient client;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws IOException {
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    server = ChatCompletionsServer.start();
    client = newClient(method, server.baseUrl());
    check(client);
  }

  /** The client a benchmark method's name starts with. */
  static BenchClient newClient(String method, String baseUrl) {
    if (method.startsWith("floor")) {
      return new FloorClient(baseUrl, API_KEY);
    } else if (method.startsWith("aigwProvider")) {
      return new AigwProviderClient(baseUrl, API_KEY);
    } else if (method.startsWith("aigwGateway")) {
      return new AigwGatewayClient(baseUrl, API_KEY);
    } else if (method.startsWith("openaiSdk")) {
      return new OpenAiSdkClient(baseUrl, API_KEY);
    } else if (method.startsWith("langchain4j")) {
      return new LangChain4jClient(baseUrl, API_KEY);
    }
    throw new IllegalArgumentException("no client for benchmark method " + method);
  }

  /** Fails the trial early if a client does not get the canned answer. */
  static void check(BenchClient client) {
    expect(client, "blocking", client.blocking(), ChatCompletionsServer.ANSWER);
    expect(client, "streamFirstChunk", client.streamFirstChunk(), ChatCompletionsServer.FIRST_PIECE);
    expect(client, "streamFull", client.streamFull(), ChatCompletionsServer.ANSWER);
    if (client instanceof FloorClient floor) {
      expect(client, "streamFirstChunkCancelled", floor.streamFirstChunkCancelled(), ChatCompletionsServer.FIRST_PIECE);
    }
  }

  private static void expect(BenchClient client, String what, String actual, String expected) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(client.name() + "." + what + " returned '" + actual + "', expected '" + expected + "'");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.close();
    server.close();
  }

  // ---- blocking: one call, the answer's text ----

  /** OkHttp + Jackson by hand: POST, parse the answer into a record, return its text. */
  @Benchmark
  public String floorBlocking() {
    return client.blocking();
  }

  /** {@code OpenAiProvider.chat(...)}. */
  @Benchmark
  public String aigwProviderBlocking() {
    return client.blocking();
  }

  /** {@code AiGateway.chat(...)} to {@code openai/gpt-4o-mini}, no interceptors. */
  @Benchmark
  public String aigwGatewayBlocking() {
    return client.blocking();
  }

  /** {@code client.chat().completions().create(...)} of the OpenAI Java SDK. */
  @Benchmark
  public String openaiSdkBlocking() {
    return client.blocking();
  }

  /** {@code OpenAiChatModel.chat(String)} of LangChain4j. */
  @Benchmark
  public String langchain4jBlocking() {
    return client.blocking();
  }

  // ---- streaming, time to the first chunk with text, then close/cancel ----

  /** OkHttp + Jackson by hand: read events up to the first with text, close the response (OkHttp drains it, keeps the connection). */
  @Benchmark
  public String floorStreamFirstChunk() {
    return client.streamFirstChunk();
  }

  /** As {@link #floorStreamFirstChunk()}, but {@code call.cancel()} before closing, as aigw does: a new connection every call. */
  @Benchmark
  public String floorStreamFirstChunkCancelled() {
    return ((FloorClient) client).streamFirstChunkCancelled();
  }

  /** {@code OpenAiProvider.stream(...)}: iterate to the first chunk with text, close the stream (cancels the call). */
  @Benchmark
  public String aigwProviderStreamFirstChunk() {
    return client.streamFirstChunk();
  }

  /** {@code AiGateway.stream(...)}: iterate to the first chunk with text, close the stream. */
  @Benchmark
  public String aigwGatewayStreamFirstChunk() {
    return client.streamFirstChunk();
  }

  /** {@code createStreaming(...)}: iterate to the first chunk with text, close the StreamResponse (closes the body). */
  @Benchmark
  public String openaiSdkStreamFirstChunk() {
    return client.streamFirstChunk();
  }

  /** {@code OpenAiStreamingChatModel.chat(...)}: wait for the first partial response, cancel through its StreamingHandle. */
  @Benchmark
  public String langchain4jStreamFirstChunk() {
    return client.streamFirstChunk();
  }

  // ---- streaming, the whole stream ----

  @Benchmark
  public String floorStreamFull() {
    return client.streamFull();
  }

  @Benchmark
  public String aigwProviderStreamFull() {
    return client.streamFull();
  }

  @Benchmark
  public String aigwGatewayStreamFull() {
    return client.streamFull();
  }

  @Benchmark
  public String openaiSdkStreamFull() {
    return client.streamFull();
  }

  @Benchmark
  public String langchain4jStreamFull() {
    return client.streamFull();
  }
}
