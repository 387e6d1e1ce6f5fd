package dev.aigw.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.AuthenticationException;
import dev.aigw.api.BudgetExceededException;
import dev.aigw.api.BudgetUsage;
import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Cost;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.GuardrailViolationException;
import dev.aigw.api.Message;
import dev.aigw.api.Provider;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.api.RateLimitedException;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolSpec;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.guardrail.DenyListGuardrail;
import dev.aigw.core.guardrail.Guardrail;
import dev.aigw.core.guardrail.PiiGuardrail;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.Route;
import dev.aigw.otel.GenAiTelemetry;
import dev.aigw.providers.anthropic.AnthropicProvider;
import dev.aigw.providers.gemini.GeminiProvider;
import dev.aigw.providers.openai.AzureOpenAiProvider;
import dev.aigw.providers.openai.OpenAiProvider;
import dev.aigw.providers.pool.InferencePool;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No secret and no personal value leaves the gateway except where it must: a representative
 * workload (successes, streams, 401/429/500, timeouts, a deadline, fallbacks, streams broken part
 * way, a guardrail block, a budget denial, cache hits, async calls) runs through one gateway over
 * every provider type (OpenAI, Azure OpenAI, Anthropic, Gemini and an inference pool of vLLM
 * replicas, each a MockWebServer on loopback), with an API key configured on every provider and
 * requests full of personal data (e-mail, phone, payment card, IBAN, also as the user id) under a
 * masking {@link PiiGuardrail}. Everything the gateway emits is captured ({@link SecretsCapture}):
 * logs of every logger at every level, exceptions with their whole traces, every listener
 * argument, spans and metrics (content capture off and on), cache keys, entries and stored texts,
 * and {@code toString()} of providers, contexts, responses and budgets. None of it may hold the key
 * or a raw personal value. The upstreams must get the key in their credential header and nowhere
 * else, and placeholders instead of the personal values; the caller alone gets the values back.
 *
 * <p>It runs twice per content-capture mode: with a key shaped like an OpenAI key (which the
 * generic key pattern redacts anyway) and with a key of no known shape (which only the provider's
 * own redaction of its credential can hide).
 */
class SecretsIT {
  static final String SK_KEY = "sk-aigw-SECRET-7f3c9e1d";
  static final String PLAIN_KEY = "aigwSECRET7f3c9e1d5b8d2a4c0ffee";
  static final String EMAIL = "ada.lovelace@example.org";
  static final String EMAIL_2 = "grace.hopper@example.net";
  static final String PHONE = "+44 20 7946 0958";
  static final String CARD = "4539 1488 0343 6467"; // Visa, valid Luhn
  static final String IBAN = "GB82 WEST 1234 5698 7654 32"; // valid mod-97
  /** Every form in which a value could leak: as written, and without its spaces. */
  static final List<String> PII = List.of(EMAIL, EMAIL_2, PHONE, "+442079460958", CARD, "4539148803436467", IBAN,
      "GB82WEST12345698765432");
  static final Duration READ_TIMEOUT = Duration.ofMillis(250);

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of(false, SK_KEY), Arguments.of(true, SK_KEY),
        Arguments.of(false, PLAIN_KEY), Arguments.of(true, PLAIN_KEY));
  }

  private SecretsCapture capture;
  private final List<String> answers = new ArrayList<>();

  @ParameterizedTest(name = "content capture {0}, key {1}")
  @MethodSource("modes")
  void neitherTheKeyNorAnyPersonalValueLeavesTheGatewayExceptWhereItMust(boolean captureContent, String key) throws Exception {
    List<SecretsUpstream> upstreams = new ArrayList<>();
    try (SecretsCapture c = new SecretsCapture()) {
      capture = c;
      try {
        run(c, upstreams, captureContent, key);
      } finally {
        upstreams.forEach(SecretsUpstream::close); // releases requests held to time out
      }
    }
  }

  private void run(SecretsCapture c, List<SecretsUpstream> upstreams, boolean captureContent, String key) {
    SecretsUpstream openAiServer = add(upstreams, new SecretsUpstream("openai", SecretsUpstream.Kind.OPENAI));
    SecretsUpstream azureServer = add(upstreams, new SecretsUpstream("azure", SecretsUpstream.Kind.AZURE));
    SecretsUpstream anthropicServer = add(upstreams, new SecretsUpstream("anthropic", SecretsUpstream.Kind.ANTHROPIC));
    SecretsUpstream geminiServer = add(upstreams, new SecretsUpstream("gemini", SecretsUpstream.Kind.GEMINI));
    SecretsUpstream replica1 = add(upstreams, new SecretsUpstream("pool", SecretsUpstream.Kind.VLLM));
    SecretsUpstream replica2 = add(upstreams, new SecretsUpstream("pool", SecretsUpstream.Kind.VLLM));
    List<Provider> providers = List.of(
        OpenAiProvider.builder().apiKey(key).baseUrl(openAiServer.url("/v1")).readTimeout(READ_TIMEOUT).build(),
        AzureOpenAiProvider.builder().endpoint(azureServer.url("/")).apiKey(key).deployment("gpt-4o", "prod-gpt4o")
            .readTimeout(READ_TIMEOUT).build(),
        AnthropicProvider.builder().apiKey(key).baseUrl(anthropicServer.url("/")).readTimeout(READ_TIMEOUT).build(),
        GeminiProvider.builder().apiKey(key).baseUrl(geminiServer.url("/v1beta")).readTimeout(READ_TIMEOUT).build(),
        InferencePool.builder().id("pool").providerName("vllm").replicas(replica1.url("/"), replica2.url("/"))
            .apiKey(() -> key).timeouts(Duration.ofSeconds(2), READ_TIMEOUT)
            .healthCheck("/health", Duration.ofMillis(100)).metrics("/metrics", Duration.ofMillis(100), Duration.ofSeconds(5))
            .build());
    Guardrail pii = PiiGuardrail.defaults();
    Guardrail codenames = DenyListGuardrail.builder().name("codenames").inputPhrases("project nightingale").build();
    AiGateway.Builder builder = AiGateway.builder()
        .route("chat", Route.fallback("openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"))
        .route("azure-chat", Route.fallback("azure/gpt-4o", "gemini/gemini-2.5-flash"))
        .route("pool-chat", Route.fallback("pool/llama", "openai/gpt-4o-mini"))
        .resilience(Resilience.custom().maxAttempts(2).backoff(Duration.ofMillis(5), 2, Duration.ofMillis(20))
            .maxRetryDelay(Duration.ofMillis(100)).noCircuitBreaker().build())
        .guardrail(pii).guardrail(codenames)
        .budget(Budget.perTenant().tokensPerDay(1_000_000))
        .budget(Budget.perUser().requestsPerMinute(1_000))
        .budget(Budget.global().costPerDay(Cost.usd("100")))
        .budget(Budget.perKey("tiny", (r, ctx) -> "tiny".equals(ctx.tenant().orElse(null)) ? "tiny" : null).tokensPerDay(10))
        .cache(ResponseCache.builder().store(c.cache).build())
        .listenerFactory(GenAiTelemetry.builder(c.otel).captureContent(captureContent).build())
        .listener(c.listener);
    providers.forEach(builder::provider);
    AiGateway gateway = builder.build();
    try {
      workload(gateway);
      for (BudgetUsage u : gateway.budgetUsage("tenant", "acme")) {
        c.add("tostring", u.toString());
      }
      gateway.budgetUsage("user", EMAIL).forEach(u -> c.add("tostring", u.toString()));
      gateway.budgetUsage("global").forEach(u -> c.add("tostring", u.toString()));
      gateway.budgetUsage("tiny", "tiny").forEach(u -> c.add("tostring", u.toString()));
      for (Object o : List.of(gateway, pii, codenames, c.cache, c.cache.stats(), context(EMAIL), providers)) {
        c.add("tostring", o.toString());
      }
    } finally {
      upstreams.forEach(SecretsUpstream::release);
      gateway.close();
    }
    List<SpanData> spans = c.collectTelemetry();

    // The workload did reach everything that is checked.
    assertThat(answers).as("the caller gets its values back").anyMatch(a -> a.contains(EMAIL) && a.contains(PHONE) && a.contains(IBAN));
    assertThat(answers).as("a cache hit for another user restores that user's value").anyMatch(a -> a.contains(EMAIL_2) && !a.contains(EMAIL));
    assertThat(spans).hasSizeGreaterThan(40);
    assertThat(c.count("listener")).isGreaterThan(200);
    assertThat(c.count("exception")).isGreaterThanOrEqualTo(16);
    assertThat(c.texts("cache-text")).isNotEmpty().allMatch(t -> t.contains("<EMAIL_1>"));
    assertThat(c.texts("content")).isNotEmpty().allMatch(t -> t.contains("<EMAIL_1>") && t.contains("<IBAN_1>"));
    AttributeKey<String> input = AttributeKey.stringKey("gen_ai.input.messages");
    List<String> captured = spans.stream().map(s -> s.getAttributes().get(input)).filter(v -> v != null).toList();
    if (captureContent) {
      assertThat(captured).isNotEmpty().allMatch(v -> v.contains("<EMAIL_1>"));
    } else {
      assertThat(captured).isEmpty();
    }

    // What the upstreams received: the key in the credential header only, placeholders only.
    List<String> secrets = new ArrayList<>(PII);
    secrets.add(key);
    secrets.add("SECRET-7f3c9e1d");
    secrets.add("SECRET7f3c9e1d");
    int chats = 0;
    int masked = 0;
    for (SecretsUpstream u : upstreams) {
      for (RecordedRequest r : u.received) {
        if (u.isChat(r)) {
          chats++;
          assertThat(u.credential(r)).as("credential of %s %s", u.name, r.getRequestLine()).isEqualTo(key);
        }
        String body = SecretsUpstream.body(r);
        masked += body.contains("<EMAIL_1>") && body.contains("<PHONE_1>") && body.contains("<PAYMENT_CARD_1>") && body.contains("<IBAN_1>") ? 1 : 0;
        StringBuilder seen = new StringBuilder(r.getRequestLine()).append('\n').append(r.getUrl()).append('\n').append(body);
        for (String name : r.getHeaders().names()) {
          if (!name.equalsIgnoreCase(u.credentialHeader())) {
            seen.append('\n').append(name).append(": ").append(r.getHeaders().values(name));
          }
        }
        for (String s : secrets) {
          assertThat(seen.toString()).as("what %s received", u.name).doesNotContain(s);
        }
      }
    }
    assertThat(chats).isGreaterThan(30);
    assertThat(masked).as("requests that carried the placeholders of all four values").isGreaterThan(20);

    // Nothing the gateway emitted holds the key or a personal value.
    assertThat(c.leaks(secrets)).as("leaks").isEmpty();
  }

  private static SecretsUpstream add(List<SecretsUpstream> list, SecretsUpstream u) {
    list.add(u);
    return u;
  }

  static CallContext context(String user) {
    return CallContext.builder().tenant("acme").user(user).tag("billing").timeout(Duration.ofSeconds(10)).build();
  }

  /** A billing conversation with every personal value: in the system prompt, the user's text, a tool call and its result. */
  static ChatRequest request(String model, String marker, String email) {
    return ChatRequest.builder().model(model)
        .system("You are the billing assistant of Example Bank. The customer's IBAN is " + IBAN + ".")
        .message(Message.user("Hi, I'm Ada. My e-mail is " + email + " and my phone is " + PHONE + "."))
        .message(Message.assistantToolCalls(List.of(new ToolCall("call_1", "lookup_customer", "{\"email\":\"" + email + "\"}"))))
        .message(Message.tool("call_1", "{\"phone\":\"" + PHONE + "\",\"card\":\"" + CARD + "\",\"iban\":\"" + IBAN + "\"}"))
        .message(Message.user("Please charge my card " + CARD + " and send the receipt to " + email + ". [" + marker + "]"))
        .tool(ToolSpec.of("lookup_customer", "Finds a customer by e-mail",
            "{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\"}},\"required\":[\"email\"]}"))
        .maxOutputTokens(200)
        .build();
  }

  private void workload(AiGateway g) {
    CallContext ada = context(EMAIL);
    String[] targets = {"openai/gpt-4o-mini", "azure/gpt-4o", "anthropic/claude-3-5-haiku-latest", "gemini/gemini-2.5-flash", "pool/llama"};
    for (String t : targets) {
      ok(g.chat(request(t, "case:ok", EMAIL), ada));
      answers.add(streamed(g, request(t, "case:ok", EMAIL), ada, Integer.MAX_VALUE));
      answers.add(streamed(g, request(t, "case:stream", EMAIL), ada, Integer.MAX_VALUE));
      expect(AuthenticationException.class, () -> g.chat(request(t, "fail:openai=401 fail:azure=401 fail:anthropic=401 "
          + "fail:gemini=401 fail:pool=401", EMAIL), ada));
    }
    // cache hits: the same request again, as a stream, and from another user with another e-mail
    assertThat(ok(g.chat(request(targets[0], "case:ok", EMAIL), ada)).metadata().cacheStatus()).isEqualTo(CacheStatus.HIT);
    answers.add(streamed(g, request(targets[2], "case:ok", EMAIL), ada, Integer.MAX_VALUE));
    ChatResponse other = ok(g.chat(request(targets[0], "case:ok", EMAIL_2), context(EMAIL_2)));
    assertThat(other.metadata().cacheStatus()).isEqualTo(CacheStatus.HIT);
    // fallbacks: 429 with a retry delay too long to wait, 500 retried then abandoned, a pool whose replicas time out
    assertThat(ok(g.chat(request("chat", "fail:openai=429", EMAIL), ada)).metadata().target().orElseThrow().provider()).isEqualTo("anthropic");
    assertThat(ok(g.chat(request("azure-chat", "fail:azure=500", EMAIL), ada)).metadata().target().orElseThrow().provider()).isEqualTo("gemini");
    assertThat(ok(g.chat(request("pool-chat", "fail:pool=timeout", EMAIL), ada)).metadata().target().orElseThrow().provider()).isEqualTo("openai");
    answers.add(streamed(g, request("chat", "fail:openai=500 stream", EMAIL), ada, Integer.MAX_VALUE));
    // failures the caller sees
    expect(ProviderTimeoutException.class, () -> g.chat(request(targets[0], "fail:openai=timeout", EMAIL), ada));
    expect(DeadlineExceededException.class, () -> g.chat(request(targets[2], "fail:anthropic=timeout", EMAIL),
        ada.toBuilder().timeout(Duration.ofMillis(150)).build()));
    expect(RateLimitedException.class, () -> g.chat(request(targets[3], "fail:gemini=429", EMAIL), ada));
    expect(AiGatewayException.class, () -> g.chat(request("chat", "fail:openai=500 fail:anthropic=500", EMAIL), ada));
    expect(AiGatewayException.class, () -> g.chat(request("pool-chat", "fail:pool=500 fail:openai=429", EMAIL), ada));
    expect(AuthenticationException.class, () -> streamed(g, request(targets[1], "fail:azure=401", EMAIL), ada, Integer.MAX_VALUE));
    for (String t : new String[] {targets[0], targets[2], targets[3], targets[4]}) {
      expect(AiGatewayException.class, () -> streamed(g, request(t, "fail:openai=midstream fail:anthropic=midstream "
          + "fail:gemini=midstream fail:pool=midstream", EMAIL), ada, Integer.MAX_VALUE));
    }
    streamed(g, request(targets[3], "case:early", EMAIL), ada, 1); // closed by the caller after one chunk
    // answers that are not what the provider documents, holding the key
    for (String t : new String[] {targets[0], targets[2], targets[3], targets[4]}) {
      String all = "fail:openai=%s fail:anthropic=%s fail:gemini=%s fail:pool=%s";
      expect(AiGatewayException.class, () -> g.chat(request(t, all.replace("%s", "garbage"), EMAIL), ada));
      expect(AiGatewayException.class, () -> g.chat(request(t, all.replace("%s", "wrongtype"), EMAIL), ada));
      expect(AiGatewayException.class, () -> streamed(g, request(t, all.replace("%s", "wrongtype"), EMAIL), ada, Integer.MAX_VALUE));
    }
    // policy: a guardrail block (with the values in the same message) and a budget denial
    expect(GuardrailViolationException.class, () -> g.chat(request("chat", "about Project Nightingale", EMAIL), ada));
    expect(GuardrailViolationException.class, () -> streamed(g, request("chat", "about project  nightingale", EMAIL), ada, 9));
    expect(BudgetExceededException.class, () -> g.chat(request("chat", "case:tiny", EMAIL), ada.toBuilder().tenant("tiny").build()));
    // async, answered and failed
    answers.add(ok(g.chatAsync(request("chat", "case:async", EMAIL), ada).join()).text());
    expect(AuthenticationException.class, () -> g.chatAsync(request("chat", "fail:openai=401", EMAIL), ada).join());
  }

  private ChatResponse ok(ChatResponse r) {
    answers.add(r.text());
    capture.add("tostring", r + " " + r.metadata() + " " + r.metadata().attempts() + " " + r.usage() + " " + r.metadata().guardrailFindings());
    return r;
  }

  /** Reads up to {@code chunks} chunks of a stream and closes it; the text the caller got. */
  private String streamed(AiGateway g, ChatRequest request, CallContext context, int chunks) {
    StringBuilder text = new StringBuilder();
    try (ChatStream s = g.stream(request, context)) {
      int n = 0;
      for (ChatChunk chunk : s) {
        capture.add("tostring", chunk.toString());
        text.append(chunk.text());
        if (++n >= chunks) {
          break;
        }
      }
      capture.add("tostring", s.metadata() + " " + s.metadata().attempts());
    }
    return text.toString();
  }

  /** Runs a call that must fail with {@code type}, and captures the exception. */
  private void expect(Class<? extends AiGatewayException> type, Runnable call) {
    try {
      call.run();
    } catch (CompletionException e) {
      capture.exception(e);
      assertThat(e.getCause()).isInstanceOf(type);
      return;
    } catch (AiGatewayException e) {
      capture.exception(e);
      assertThat(e).isInstanceOf(type);
      return;
    }
    fail("expected " + type.getSimpleName());
  }
}
