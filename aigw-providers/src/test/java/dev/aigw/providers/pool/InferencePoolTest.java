package dev.aigw.providers.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ProviderException;
import dev.aigw.testkit.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool over MockWebServer replicas: retries, ejection, health, DNS, load reports, model lists. */
class InferencePoolTest {
  private final ManualClock clock = new ManualClock();
  private final List<MockWebServer> servers = new ArrayList<>();
  private final List<InferencePool> pools = new ArrayList<>();
  /** The replicas' names in the order chat requests reached them. */
  private final List<String> order = new CopyOnWriteArrayList<>();

  /** A replica whose answers the test scripts per path. */
  private final class Fake extends Dispatcher {
    final MockWebServer server = new MockWebServer();
    final Map<String, AtomicReference<MockResponse>> answers = new ConcurrentHashMap<>();
    final List<String> paths = new CopyOnWriteArrayList<>();
    final AtomicInteger chats = new AtomicInteger();
    final String name;

    Fake(String text) throws IOException {
      this(text, InetAddress.getLoopbackAddress(), 0);
    }

    Fake(String text, InetAddress address, int port) throws IOException {
      name = text;
      answer("/v1/chat/completions", json(200, completion(text)));
      answer("/health", new MockResponse.Builder().code(200).build());
      answer("/v1/models", json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"llama\",\"object\":\"model\"},"
          + "{\"id\":\"sql-lora\",\"object\":\"model\",\"parent\":\"llama\"}]}"));
      answer("/metrics", new MockResponse.Builder().code(200).body("""
          # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
          # TYPE vllm:num_requests_waiting gauge
          vllm:num_requests_waiting{model_name="llama"} 7.0
          # HELP vllm:num_requests_running Number of requests in model execution batches.
          # TYPE vllm:num_requests_running gauge
          vllm:num_requests_running{model_name="llama"} 12.0
          # HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
          # TYPE vllm:kv_cache_usage_perc gauge
          vllm:kv_cache_usage_perc{model_name="llama"} 0.25
          """).build());
      server.setDispatcher(this);
      server.start(address, port);
      servers.add(server);
    }

    void answer(String path, MockResponse response) {
      answers.put(path, new AtomicReference<>(response));
    }

    String url() {
      return "http://" + server.getHostName() + ":" + server.getPort();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getUrl().encodedPath();
      paths.add(path);
      if (path.equals("/v1/chat/completions")) {
        chats.incrementAndGet();
        order.add(name);
      }
      AtomicReference<MockResponse> r = answers.get(path);
      return r != null ? r.get() : new MockResponse.Builder().code(404).build();
    }
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  static String completion(String text) {
    return """
        {"id":"chatcmpl-1","object":"chat.completion","created":1741570283,"model":"llama",
         "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25,"prompt_tokens_details":{"cached_tokens":16}}}"""
        .formatted(text);
  }

  static final MockResponse UNAVAILABLE = json(503, "{\"object\":\"error\",\"message\":\"overloaded\",\"type\":\"ServiceUnavailableError\",\"code\":503}");

  /** Always the first candidate: makes the order of replicas decide. */
  static final Picker FIRST = (request, candidates) -> candidates.get(0);

  private InferencePool.Builder pool(Fake... replicas) {
    String[] urls = new String[replicas.length];
    for (int i = 0; i < replicas.length; i++) {
      urls[i] = replicas[i].url();
    }
    return InferencePool.builder().id("pool").replicas(urls).clock(clock).picker(FIRST)
        .healthCheck("/health", Duration.ZERO).metrics("/metrics", Duration.ZERO, Duration.ofSeconds(5))
        .backgroundExecutor(Runnable::run);
  }

  private InferencePool build(InferencePool.Builder b) {
    InferencePool p = b.build();
    pools.add(p);
    return p;
  }

  @AfterEach
  void stop() throws IOException {
    pools.forEach(InferencePool::close);
    for (MockWebServer s : servers) {
      s.close();
    }
  }

  private static ChatRequest hello() {
    return ChatRequest.of("llama", "hello");
  }

  @Test
  void aRequestThatFailsBeforeAnsweringIsRetriedOnAnotherReplica() throws IOException {
    Fake a = new Fake("from a");
    Fake b = new Fake("from b");
    a.answer("/v1/chat/completions", UNAVAILABLE);
    InferencePool pool = build(pool(a, b));

    assertThat(pool.chat(hello(), CallContext.empty()).text()).isEqualTo("from b");
    assertThat(a.chats).hasValue(1);
    assertThat(b.chats).hasValue(1);
    assertThat(pool.replicas()).allSatisfy(r -> assertThat(r.inFlight()).isZero());
  }

  @Test
  void aClientErrorIsNotRetried() throws IOException {
    Fake a = new Fake("from a");
    Fake b = new Fake("from b");
    a.answer("/v1/chat/completions", json(400, "{\"object\":\"error\",\"message\":\"bad\",\"type\":\"BadRequestError\",\"code\":400}"));
    InferencePool pool = build(pool(a, b));

    assertThatThrownBy(() -> pool.chat(hello(), CallContext.empty())).isInstanceOf(ProviderException.class);
    assertThat(b.chats).hasValue(0);
  }

  @Test
  void aStreamCutBeforeItsFirstChunkIsRetriedAndTheInFlightCountEndsWithTheStream() throws IOException {
    Fake a = new Fake("from a");
    Fake b = new Fake("from b");
    a.answer("/v1/chat/completions", UNAVAILABLE);
    b.answer("/v1/chat/completions", new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body("""
        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"llama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}

        data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"llama","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}

        data: [DONE]

        """).build());
    InferencePool pool = build(pool(a, b));

    StringBuilder text = new StringBuilder();
    try (ChatStream stream = pool.stream(hello(), CallContext.empty())) {
      Replica busy = pool.replicas().get(1);
      assertThat(busy.inFlight()).isEqualTo(1);
      for (ChatChunk chunk : stream) {
        text.append(chunk.text());
      }
    }
    assertThat(text).hasToString("Hello");
    assertThat(pool.replicas()).allSatisfy(r -> assertThat(r.inFlight()).isZero());
  }

  @Test
  void consecutiveFailuresEjectAReplicaForATimeThatDoublesWithEachEjection() throws IOException {
    Fake a = new Fake("from a");
    Fake b = new Fake("from b");
    a.answer("/v1/chat/completions", UNAVAILABLE);
    InferencePool pool = build(pool(a, b).outlierEjection(2, Duration.ofSeconds(30), Duration.ofMinutes(5), 0.5));

    pool.chat(hello(), CallContext.empty());
    pool.chat(hello(), CallContext.empty()); // a's second failure in a row: ejected
    assertThat(a.chats).hasValue(2);
    pool.chat(hello(), CallContext.empty());
    assertThat(a.chats).as("ejected: not tried").hasValue(2);

    clock.advance(Duration.ofSeconds(30));
    pool.chat(hello(), CallContext.empty());
    pool.chat(hello(), CallContext.empty()); // back, fails twice more: ejected again, for 60 s
    assertThat(a.chats).hasValue(4);
    clock.advance(Duration.ofSeconds(30));
    pool.chat(hello(), CallContext.empty());
    assertThat(a.chats).as("the second ejection lasts 60 s").hasValue(4);
    clock.advance(Duration.ofSeconds(30));
    pool.chat(hello(), CallContext.empty());
    assertThat(a.chats).hasValue(5);
  }

  @Test
  void noMoreThanTheConfiguredShareOfThePoolIsEjected() throws IOException {
    Fake a = new Fake("from a");
    Fake b = new Fake("from b");
    a.answer("/v1/chat/completions", UNAVAILABLE);
    b.answer("/v1/chat/completions", UNAVAILABLE);
    InferencePool pool = build(pool(a, b).outlierEjection(1, Duration.ofSeconds(30), Duration.ofMinutes(5), 0.5));

    assertThatThrownBy(() -> pool.chat(hello(), CallContext.empty())).isInstanceOf(ProviderException.class)
        .as("the last replica's own error, not a summary").hasMessageContaining("overloaded");
    assertThatThrownBy(() -> pool.chat(hello(), CallContext.empty())).isInstanceOf(ProviderException.class);
    // a was ejected by its failure; b's failure could not eject it too (at most half the pool), so
    // the second call went to b first, and then to a anyway, the last replica left to try
    assertThat(order).containsExactly("from a", "from b", "from b", "from a");
  }

  @Test
  void aReplicaFailingItsHealthCheckIsLeftOutUntilItPasses() throws IOException {
    Fake a = new Fake("from a");
    Fake b = new Fake("from b");
    InferencePool pool = build(pool(a, b));
    a.answer("/health", new MockResponse.Builder().code(503).build());

    pool.checkHealthNow();
    assertThat(pool.chat(hello(), CallContext.empty()).text()).isEqualTo("from b");
    a.answer("/health", new MockResponse.Builder().code(200).build());
    pool.checkHealthNow();
    assertThat(pool.chat(hello(), CallContext.empty()).text()).isEqualTo("from a");
  }

  @Test
  void whenNoReplicaIsHealthyEveryReplicaIsTriedAnyway() throws IOException {
    Fake a = new Fake("from a");
    InferencePool pool = build(pool(a));
    a.answer("/health", new MockResponse.Builder().code(503).build());
    pool.checkHealthNow();

    assertThat(pool.chat(hello(), CallContext.empty()).text()).isEqualTo("from a");
  }

  @Test
  void healthChecksRunOnThePoolsClock() throws IOException {
    Fake a = new Fake("from a");
    build(pool(a).healthCheck("/health", Duration.ofSeconds(5)));

    assertThat(a.paths).doesNotContain("/health");
    clock.advance(Duration.ofSeconds(5));
    clock.advance(Duration.ofSeconds(5));
    assertThat(a.paths).filteredOn("/health"::equals).hasSize(2);
  }

  @Test
  void modelsAndLoraAdaptersAreDiscoveredFromEachReplica() throws IOException {
    Fake a = new Fake("from a");
    Fake b = new Fake("from b");
    b.answer("/v1/models", json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"other\",\"object\":\"model\"}]}"));
    InferencePool pool = build(pool(a, b));
    pool.checkHealthNow();

    assertThat(pool.chat(ChatRequest.of("sql-lora", "q"), CallContext.empty()).text()).isEqualTo("from a");
    assertThat(pool.chat(ChatRequest.of("other", "q"), CallContext.empty()).text()).isEqualTo("from b");
    assertThatThrownBy(() -> pool.chat(ChatRequest.of("missing", "q"), CallContext.empty()))
        .isInstanceOf(ProviderException.class).hasMessageContaining("no replica of pool 'pool' serves model 'missing'");
  }

  @Test
  void scrapedLoadIsUsedWhileFreshAndForgottenWhenStale() throws IOException {
    Fake a = new Fake("from a");
    InferencePool pool = build(pool(a).orca(false));
    assertThat(pool.replicas().get(0).load()).isEqualTo(ReplicaLoad.UNKNOWN);

    pool.scrapeNow();
    ReplicaLoad load = pool.replicas().get(0).load();
    assertThat(load.waiting()).isEqualTo(7);
    assertThat(load.running()).isEqualTo(12);
    assertThat(load.kvCacheUsage()).isEqualTo(0.25);

    clock.advance(Duration.ofSeconds(6));
    assertThat(pool.replicas().get(0).load()).isEqualTo(ReplicaLoad.UNKNOWN);
  }

  @Test
  void anOrcaHeaderOnAResponseUpdatesTheReplicasLoad() throws Exception {
    Fake a = new Fake("from a");
    a.answer("/v1/chat/completions", new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .addHeader("endpoint-load-metrics", "TEXT named_metrics.kv_cache_usage_perc=0.5, named_metrics.num_requests_waiting=3")
        .body(completion("from a")).build());
    InferencePool pool = build(pool(a));

    pool.chat(hello(), CallContext.empty());
    ReplicaLoad load = pool.replicas().get(0).load();
    assertThat(load.kvCacheUsage()).isEqualTo(0.5);
    assertThat(load.waiting()).isEqualTo(3);
    RecordedRequest sent = a.server.takeRequest();
    assertThat(sent.getHeaders().get("endpoint-load-metrics-format")).isEqualTo("TEXT");
  }

  @Test
  void aDnsNameIsReResolvedAndNewAddressesJoinWhileGoneOnesLeave() throws IOException {
    Fake a = new Fake("from a", InetAddress.getByName("127.0.0.1"), 0);
    Fake b = new Fake("from b", InetAddress.getByName("127.0.0.2"), a.server.getPort());
    AtomicReference<List<String>> addresses = new AtomicReference<>(List.of("127.0.0.1"));
    InferencePool pool = build(InferencePool.builder().id("pool").clock(clock).picker(FIRST).backgroundExecutor(Runnable::run)
        .dns("vllm.svc", a.server.getPort(), Duration.ofSeconds(10)).resolver(name -> addresses.get())
        .healthCheck("/health", Duration.ZERO).metrics("/metrics", Duration.ZERO, Duration.ofSeconds(5)));
    assertThat(pool.replicas()).extracting(Replica::id).containsExactly("127.0.0.1:" + a.server.getPort());

    addresses.set(List.of("127.0.0.2", "127.0.0.1"));
    clock.advance(Duration.ofSeconds(10));
    assertThat(pool.replicas()).extracting(Replica::id)
        .containsExactly("127.0.0.2:" + a.server.getPort(), "127.0.0.1:" + a.server.getPort());
    assertThat(pool.chat(hello(), CallContext.empty()).text()).isEqualTo("from b");

    addresses.set(List.of("127.0.0.1"));
    pool.resolveNow();
    assertThat(pool.chat(hello(), CallContext.empty()).text()).isEqualTo("from a");
  }

  @Test
  void badConfigurationIsRejectedWithTheReason() {
    assertThatThrownBy(() -> InferencePool.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("replicas(...) or dns(...)");
    assertThatThrownBy(() -> InferencePool.builder().replicas("gpu-1:8000")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http or https URL");
    assertThatThrownBy(() -> InferencePool.builder().maxReplicaAttempts(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
