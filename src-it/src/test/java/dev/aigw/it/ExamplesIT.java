package dev.aigw.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.Attempt;
import dev.aigw.api.CacheStatus;
import dev.aigw.examples.FallbackExample;
import dev.aigw.examples.PiiMaskingExample;
import dev.aigw.examples.RedisFleetExample;
import dev.aigw.examples.SelfHostedPoolExample;
import dev.aigw.examples.StreamingGuardrailsExample;
import dev.aigw.examples.TelemetryExample;
import dev.aigw.examples.TenantBudgetsExample;
import dev.aigw.redis.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Every example of {@code aigw-examples} runs in CI, and shows what its Javadoc says it shows:
 * each test runs the example's {@code run} method and checks what it returns and prints.
 */
class ExamplesIT {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  private static List<String> targets(FallbackExample.Call call) {
    return call.attempts().stream().map(a -> a.target().provider()).toList();
  }

  private static List<String> errors(FallbackExample.Call call) {
    return call.attempts().stream().map(a -> a.errorType().map(t -> t.substring(t.lastIndexOf('.') + 1)).orElse("-")).toList();
  }

  @Test
  void fallbackMovesOnByErrorClass() {
    List<FallbackExample.Call> calls = FallbackExample.run(out);

    assertThat(calls).hasSize(4);
    FallbackExample.Call shortWait = calls.get(0);
    assertThat(targets(shortWait)).containsExactly("openai", "openai");
    assertThat(shortWait.attempts().get(0).retryDelay()).as("the provider's Retry-After").contains(Duration.ofMillis(50));
    assertThat(shortWait.attempts().get(1).outcome()).isEqualTo(Attempt.Outcome.SUCCESS);

    FallbackExample.Call longWait = calls.get(1);
    assertThat(targets(longWait)).containsExactly("openai", "anthropic", "anthropic", "gemini");
    assertThat(errors(longWait)).containsExactly("RateLimitedException", "ProviderException", "ProviderException", "-");
    assertThat(longWait.attempts().get(0).retryDelay()).as("a minute is too long to wait").isEmpty();

    assertThat(targets(calls.get(2))).containsExactly("openai", "anthropic", "gemini");
    assertThat(errors(calls.get(2)).get(1)).as("the open breaker").isEqualTo("TargetUnavailableException");

    assertThat(calls.get(3).outcome()).as("a client error does not fall back").startsWith("AuthenticationException");
    assertThat(printed()).contains("anthropic 2 (none once its breaker opened), gemini 2");
  }

  @Test
  void aTenantIsDeniedByItsRateLimitThenItsDailyTokensAndTheWindowsReset() {
    List<TenantBudgetsExample.Step> steps = TenantBudgetsExample.run(out);

    assertThat(steps).extracting(TenantBudgetsExample.Step::tenant)
        .containsExactly("acme", "acme", "acme", "acme", "acme", "acme", "globex", "acme");
    assertThat(steps).extracting(TenantBudgetsExample.Step::denied)
        .containsExactly("", "", "", "requests", "", "total_tokens", "", "");
    assertThat(printed())
        .contains("DENIED budget 'tenant' (tenant:acme, requests per rolling:PT1M)")
        .contains("acme total_tokens per day          used 2000")
        .contains("acme total_tokens per day          used 500 ")
        .contains("provider calls: 6 of 8");
  }

  @Test
  void piiIsMaskedForTheProviderAndRestoredForTheCallerAndAnInjectionNeverLeaves() {
    PiiMaskingExample.Result result = PiiMaskingExample.run(out);

    assertThat(result.providerSaw()).contains("<PAYMENT_CARD_1>", "<EMAIL_1>").doesNotContain("4111", "jane.doe");
    assertThat(result.callerGot()).contains("4111 1111 1111 1111", "jane.doe@example.com").doesNotContain("<EMAIL_1>");
    assertThat(result.blocked()).contains("prompt_injection");
    assertThat(result.providerCalls()).as("the blocked call never reached the provider").isEqualTo(1);
  }

  @Test
  void aStreamGetsThePlaceholderRestoredAndNothingOfADeniedPhrase() {
    StreamingGuardrailsExample.Result result = StreamingGuardrailsExample.run(out);

    assertThat(result.restored()).isEqualTo("I have sent the receipt to jane.doe@example.com just now.");
    assertThat(result.stoppedBy()).isEqualTo("code_names");
    assertThat(result.released()).startsWith("The roadmap is public.").doesNotContain("Zeus").doesNotContain("Proj");
    assertThat(printed()).contains("|to <|EMAI|L_1>|").contains("(then it was cancelled)");
  }

  @Test
  void prefixAffinityHitsThePrefixCacheMoreThanRoundRobin() {
    List<SelfHostedPoolExample.Run> runs = SelfHostedPoolExample.run(out);

    SelfHostedPoolExample.Run affinity = runs.get(0);
    SelfHostedPoolExample.Run roundRobin = runs.get(1);
    assertThat(affinity.served().stream().mapToLong(Long::longValue).sum()).isEqualTo(24);
    assertThat(roundRobin.served()).containsExactly(8L, 8L, 8L);
    // each assistant's prompt is computed once with affinity, on every replica with round robin
    assertThat(affinity.hitRate()).isGreaterThan(0.75).isGreaterThan(roundRobin.hitRate() + 0.2);
  }

  @Test
  void telemetryReachesAnOtlpCollector() throws Exception {
    List<RecordedRequest> received = new CopyOnWriteArrayList<>();
    try (MockWebServer collector = new MockWebServer()) {
      collector.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          received.add(request);
          return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-protobuf").build();
        }
      });
      collector.start(InetAddress.getLoopbackAddress(), 0);

      // returns once the SDK has shut down, so every export has been sent
      String traceId = TelemetryExample.run(out, "http://127.0.0.1:" + collector.getPort(), "examples-it");

      ByteString traces = body(received, "/v1/traces");
      assertThat(traces.indexOf(ByteString.of(HexFormat.of().parseHex(traceId)))).as("the trace id").isNotNegative();
      assertThat(traces.indexOf(ByteString.encodeUtf8("examples-it"))).as("the service name").isNotNegative();
      assertThat(traces.indexOf(ByteString.encodeUtf8("chat chat"))).as("a call's span").isNotNegative();
      assertThat(traces.indexOf(ByteString.encodeUtf8("attempt anthropic/claude-3-5-haiku-latest"))).isNotNegative();
      ByteString metrics = body(received, "/v1/metrics");
      assertThat(metrics.indexOf(ByteString.encodeUtf8("gen_ai.client.operation.duration"))).isNotNegative();
      assertThat(metrics.indexOf(ByteString.encodeUtf8("gen_ai.client.token.usage"))).isNotNegative();
    }
    assertThat(printed()).contains("cache HIT").contains("OpenTelemetry SDK shut down");
  }

  /** The bodies of every POST to {@code path}, concatenated; fails when there was none. */
  private static ByteString body(List<RecordedRequest> received, String path) {
    List<RecordedRequest> posts = received.stream()
        .filter(r -> r.getMethod().equals("POST") && r.getUrl().encodedPath().equals(path)).toList();
    assertThat(posts).as("OTLP exports to " + path).isNotEmpty();
    assertThat(posts).allSatisfy(r -> assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/x-protobuf"));
    okio.Buffer all = new okio.Buffer();
    posts.forEach(r -> all.write(Optional.ofNullable(r.getBody()).orElse(ByteString.EMPTY)));
    return all.readByteString();
  }

  @Test
  void twoGatewaysShareACacheEntryAndATenantBudgetThroughRedis() {
    try (RedisServer redis = RedisServer.start()) {   // skipped without redis-server, except under CI
      RedisFleetExample.Result result = RedisFleetExample.run(out, redis.uri());

      assertThat(result.cacheStatus()).isEqualTo(CacheStatus.HIT);
      assertThat(result.providerCallsB()).as("B answered from A's entry").isZero();
      assertThat(result.denied()).contains("tenant:acme").contains("total_tokens per day");
    }
  }
}
