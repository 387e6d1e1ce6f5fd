package dev.aigw.testkit.sim;

import dev.aigw.testkit.sim.internal.Engine;
import dev.aigw.testkit.sim.internal.EngineSnapshot;
import dev.aigw.testkit.sim.internal.FaultPlan;
import dev.aigw.testkit.sim.internal.MiniHttpServer;
import dev.aigw.testkit.sim.internal.SimConfig;
import dev.aigw.testkit.sim.internal.SimHttpHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A simulated vLLM server on a loopback port: the OpenAI-compatible API, vLLM's metrics and ORCA
 * load reports, over a model of an inference engine that is realistic enough for load-aware and
 * prefix-aware routing to make the difference they make in front of real replicas.
 *
 * <pre>{@code
 * try (SimulatedInferenceServer sim = SimulatedInferenceServer.builder()
 *     .model("meta-llama/Llama-3.1-8B-Instruct")
 *     .loraAdapters("sql-lora")
 *     .timeScale(20)                       // 1 s of wall time is 20 s of simulated time
 *     .start()) {
 *   ChatProvider vllm = OpenAiProvider.compatible(sim.openAiBaseUrl()).build();
 *   // ... or plain HTTP: POST sim.baseUrl() + "/v1/chat/completions"
 *   SimulatedServerStats stats = sim.stats();
 * }
 * }</pre>
 *
 * <h2>Endpoints</h2>
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions} and {@code POST /v1/completions}: blocking JSON, or with
 *       {@code "stream": true} server-sent events ({@code data: {...}} chunks, the last token's
 *       chunk carrying {@code finish_reason}, a usage chunk with {@code choices: []} when {@code
 *       stream_options.include_usage} is true, then {@code data: [DONE]}). Usage has {@code
 *       prompt_tokens}, {@code completion_tokens}, {@code total_tokens} and {@code
 *       prompt_tokens_details.cached_tokens}. Understood fields: {@code model} (the base model or a
 *       LoRA adapter; absent means the base model; unknown is 404), {@code messages} (with {@code
 *       tools}) or {@code prompt}, {@code max_tokens} / {@code max_completion_tokens}, {@code
 *       min_tokens}, {@code ignore_eos}, {@code stream}, {@code stream_options}, {@code cache_salt}
 *       and {@code n} (1 only); others are ignored.
 *   <li>{@code POST /v1/embeddings}: deterministic unit vectors ({@code input} a string or a list
 *       of strings; {@code dimensions}; {@code encoding_format} {@code float} or {@code base64}).
 *   <li>{@code GET /v1/models}: the base model and its adapters ({@code parent} = the base model).
 *   <li>{@code GET /health}: 200, or 503 after {@link #markUnhealthy()}.
 *   <li>{@code GET /metrics}: Prometheus text with vLLM's names and {@code model_name} / {@code
 *       engine} labels: the gauges {@value #METRIC_REQUESTS_RUNNING}, {@value
 *       #METRIC_REQUESTS_WAITING} and {@value #METRIC_KV_CACHE_USAGE} (0 to 1); the counters
 *       {@value #METRIC_PREFIX_CACHE_QUERIES} and {@value #METRIC_PREFIX_CACHE_HITS} (in tokens;
 *       samples named {@code ..._total}), {@code vllm:prompt_tokens}, {@code
 *       vllm:generation_tokens}, {@code vllm:request_success}; the histograms {@value
 *       #METRIC_TIME_TO_FIRST_TOKEN}, {@code vllm:inter_token_latency_seconds}, {@code
 *       vllm:e2e_request_latency_seconds}, {@code vllm:request_queue_time_seconds} (simulated
 *       seconds, vLLM's buckets); and the info gauges {@code vllm:cache_config_info} ({@code
 *       block_size}, {@code num_gpu_blocks}) and, with adapters, {@code vllm:lora_requests_info}.
 *   <li>{@code POST /reset_prefix_cache}, {@code GET /version}.
 * </ul>
 *
 * <p>An inference request with the header {@value #ORCA_FORMAT_HEADER}{@code : TEXT} (or {@code
 * JSON}) gets a {@value #ORCA_REPORT_HEADER} response header, as vLLM sends it: {@code TEXT
 * named_metrics.kv_cache_usage_perc=0.42, named_metrics.num_requests_waiting=3.0,
 * named_metrics.num_requests_running=8.0} or {@code JSON {"named_metrics": {"kv_cache_usage_perc":
 * 0.42, "num_requests_waiting": 3.0, "num_requests_running": 8.0}}}. The load is taken when the
 * response headers are sent: on arrival for a stream, at the end for a blocking answer.
 *
 * <h2>Tokens and answers</h2>
 *
 * <p>A chat request's prompt is rendered like a chat template: the {@code tools} JSON (if any),
 * then each message as {@code <|role|>\n}, its text content (text parts joined; an image is
 * {@code <|image|>}; an assistant's tool calls as {@code name(arguments)}) and a newline, then
 * {@code <|assistant|>\n}. A completion's prompt is its {@code prompt}. Tokens are {@code
 * ceil(characters / 4)} of that text. The answer is deterministic: the {@linkplain
 * Builder#replyText reply text} cut into 4-character tokens, or else {@linkplain
 * Builder#defaultOutputTokens a number} of 4-character words chosen by a hash of the prompt. Its
 * length is that natural length, cut to {@code max_tokens} (finish reason {@code length}), raised
 * to {@code min_tokens}, or exactly {@code max_tokens} with {@code ignore_eos: true} (as in vLLM's
 * benchmarks: the way to control output length) — never more than the context window allows.
 *
 * <h2>The engine model (simulated time)</h2>
 *
 * <ol>
 *   <li>A request spends the {@linkplain Builder#requestOverhead API-server overhead} before it
 *       reaches the engine queue (not counted as waiting meanwhile).
 *   <li>It waits in FIFO order until the running batch has room ({@linkplain
 *       Builder#maxBatchSize max batch size}) and the KV cache can reserve its blocks ({@code
 *       ceil((prompt + output) / blockSize)}, less those it shares); a request that does not fit
 *       holds up those behind it. LoRA requests whose adapter cannot join the batch ({@linkplain
 *       Builder#maxLoras max LoRAs}) are skipped instead.
 *   <li>At admission its prompt's full blocks ({@linkplain Builder#blockSize 16 tokens}, 64
 *       characters) are looked up in the prefix cache by
 *       chained hash (seeded by the model or adapter and the request's {@code cache_salt}), so a
 *       block only hits when every block before it does; {@code cached_tokens} is the matched
 *       blocks' tokens, less one block when the whole prompt matched (the last token is always
 *       computed).
 *   <li>The engine runs in steps. Each step has a budget of {@linkplain Builder#maxBatchedTokens
 *       max batched tokens}: every decoding request takes one token, prefilling requests take
 *       chunks of the rest, oldest first (chunked prefill). A step lasts {@code interTokenLatency
 *       × (1 + batchSlowdown × scheduled / maxBatchSize) + prefillTokens × prefillTimePerToken}.
 *       So time to first token is overhead + queueing + the prefill steps of its uncached tokens
 *       (which other requests' prefills share), and decoding slows as the batch grows and whenever
 *       prefills run alongside.
 *   <li>As prefill computes full prompt blocks they enter the cache, where later requests (even
 *       ones admitted while this one still runs) find them. When a request ends its blocks stay
 *       cached, evictable in least-recently-used order (a prefix's last blocks go first) when a
 *       new request needs room. {@code kv_cache_usage_perc} is the share of blocks referenced or
 *       reserved by running requests; evictable cached blocks count as free, as in vLLM.
 * </ol>
 *
 * <h2>Time scale</h2>
 *
 * <p>Simulated time runs {@linkplain Builder#timeScale timeScale} times faster than the wall clock:
 * with 20, a simulated step of 20 ms takes 1 ms. Everything the server reports (records, metrics,
 * ORCA loads) is in simulated time. A client measures wall time, so <strong>multiply a
 * client-measured latency by the time scale</strong> to compare it with simulated latencies (the
 * client's own overhead is multiplied too, so keep the scale where it stays small: at 20, 0.5 ms
 * of client overhead reads as 10 simulated ms). Likewise multiply a simulated arrival rate by the
 * scale to get the wall-clock rate to send at (12 requests per simulated second at scale 10 is
 * 120 per wall-clock second). {@link SimulatedServerStats#meanSchedulerLag()}
 * shows whether the host kept up.
 *
 * <h2>Benchmarks</h2>
 *
 * <p>For comparing routers across several replicas: take time to first token from the servers'
 * {@linkplain #records() records} (exact simulated time) or from the client times the scale (which
 * adds the client's own overhead, multiplied); keep the scale at 5–10 on a small machine and watch
 * {@link SimulatedServerStats#meanSchedulerLag()}; control output lengths with {@code max_tokens}
 * and {@code ignore_eos: true}. Prefix-aware routing beats random routing only when the
 * distinct shared prefixes do not all fit in every replica's cache: size {@link
 * Builder#kvCacheBlocks} so that prefixes × their blocks exceeds one replica's cache but fits in
 * the pool's. For example, 4 replicas of the defaults but 2048 blocks, 64 system prompts of 1000
 * tokens each with 50-token questions and 100-token answers, Poisson arrivals at 14 requests per
 * simulated second: random routing hits 41% of prompt tokens, p50/p90 TTFT 164/272 ms; routing by
 * prefix hits 90%, 68/82 ms. Without shared prefixes, near saturation (13/s), routing to the
 * replica with the fewest requests in flight cut p99 TTFT from 1.0 s (random) to 0.59 s.
 *
 * <h2>Failures</h2>
 *
 * <p>{@link #markUnhealthy()}, {@link #errorRate(double, int)} and {@link #failNext(int, int)}
 * (OpenAI-style error JSON; a 429 has {@code retry-after: 1}), {@link #failNextMidStream(int)} (the
 * connection closes after some events, without the rest of the body), {@link #hangNext()} (no
 * answer until {@link #releaseHung()} or {@link #stop()}), {@link #stall(Duration)} (the whole engine pauses, as on a slow GPU) and
 * {@link #stop()} / {@link #restart()} (connections refused in between; in-flight requests are
 * reset; the restarted server has an empty cache and zeroed counters, on the same port).
 *
 * <p>Thread-safe. Each server uses one engine thread, an accept thread and one thread per open
 * connection, so it serves hundreds of concurrent streams.
 */
public final class SimulatedInferenceServer implements AutoCloseable {
  /** The request header that asks for an ORCA load report: {@code TEXT} or {@code JSON}. */
  public static final String ORCA_FORMAT_HEADER = SimHttpHandler.ORCA_FORMAT_HEADER;
  /** The response header with the ORCA load report. */
  public static final String ORCA_REPORT_HEADER = SimHttpHandler.ORCA_REPORT_HEADER;
  /** The ORCA named metric for the KV-cache usage, 0 to 1. */
  public static final String ORCA_KV_CACHE_USAGE = SimHttpHandler.ORCA_KV_CACHE_USAGE;
  /** The ORCA named metric for the requests waiting. */
  public static final String ORCA_REQUESTS_WAITING = SimHttpHandler.ORCA_REQUESTS_WAITING;
  /** The ORCA named metric for the requests running. */
  public static final String ORCA_REQUESTS_RUNNING = SimHttpHandler.ORCA_REQUESTS_RUNNING;

  /** Gauge: requests in the running batch. */
  public static final String METRIC_REQUESTS_RUNNING = "vllm:num_requests_running";
  /** Gauge: requests waiting in the engine queue. */
  public static final String METRIC_REQUESTS_WAITING = "vllm:num_requests_waiting";
  /** Gauge: KV-cache usage, 0 to 1. */
  public static final String METRIC_KV_CACHE_USAGE = "vllm:kv_cache_usage_perc";
  /** Counter family (sample {@code vllm:prefix_cache_queries_total}): prompt tokens looked up. */
  public static final String METRIC_PREFIX_CACHE_QUERIES = "vllm:prefix_cache_queries";
  /** Counter family (sample {@code vllm:prefix_cache_hits_total}): prompt tokens found cached. */
  public static final String METRIC_PREFIX_CACHE_HITS = "vllm:prefix_cache_hits";
  /** Histogram: time to first token in simulated seconds. */
  public static final String METRIC_TIME_TO_FIRST_TOKEN = "vllm:time_to_first_token_seconds";

  private final SimConfig config;
  private final FaultPlan faults;
  /** By response id, oldest first. */
  private final LinkedHashMap<String, SimulatedRequestRecord> records = new LinkedHashMap<>();
  private final Object lifecycle = new Object();
  private @Nullable Engine engine;
  private @Nullable MiniHttpServer http;
  private @Nullable SimHttpHandler handler;
  private EngineSnapshot last;
  private long failedBefore;
  private int port;
  private boolean closed;

  private SimulatedInferenceServer(SimConfig config) {
    this.config = config;
    this.faults = new FaultPlan(config.seed(), config.errorRate(), config.errorStatus());
    this.port = config.port();
    this.last = new EngineSnapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of());
  }

  /** {@return a builder with the defaults of an 8B model on one GPU, at real-time speed} */
  public static Builder builder() {
    return new Builder();
  }

  // ---- where ----

  /**
   * {@return {@code http://127.0.0.1:PORT}, without a trailing slash: the server root ({@code
   * /health}, {@code /metrics})}
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** {@return {@link #baseUrl()} + {@code /v1}: what an OpenAI client takes as its base URL} */
  public String openAiBaseUrl() {
    return baseUrl() + "/v1";
  }

  /** {@return the port; the same across {@link #restart()}s} */
  public int port() {
    synchronized (lifecycle) {
      return port;
    }
  }

  /** {@return the served base model's name} */
  public String model() {
    return config.model();
  }

  /** {@return the names {@code /v1/models} lists: the base model, then the LoRA adapters} */
  public List<String> models() {
    List<String> all = new ArrayList<>();
    all.add(config.model());
    all.addAll(config.loraAdapters());
    return List.copyOf(all);
  }

  /** {@return simulated seconds per wall-clock second} */
  public double timeScale() {
    return config.timeScale();
  }

  /**
   * {@return a wall-clock duration (as a client measures it) in simulated time: {@code wall ×
   * timeScale}}
   *
   * @param wall a wall-clock duration
   */
  public Duration toSimulated(Duration wall) {
    return Duration.ofNanos(Math.round(wall.toNanos() * config.timeScale()));
  }

  /**
   * {@return a simulated duration in wall-clock time: {@code simulated / timeScale}}
   *
   * @param simulated a simulated duration
   */
  public Duration toWall(Duration simulated) {
    return Duration.ofNanos(Math.round(simulated.toNanos() / config.timeScale()));
  }

  // ---- what happened ----

  /**
   * {@return whether the server is accepting connections (not {@linkplain #stop() stopped} or
   * closed)}
   */
  public boolean isRunning() {
    synchronized (lifecycle) {
      return http != null;
    }
  }

  /**
   * {@return the live counters and gauges; after {@link #stop()}, the last values with nothing
   * waiting or running}
   */
  public SimulatedServerStats stats() {
    EngineSnapshot s;
    long failed;
    synchronized (lifecycle) {
      s = engine != null ? engine.snapshot() : last;
      failed = failedBefore + (handler != null ? handler.failed() : 0);
    }
    return new SimulatedServerStats(s.served(), failed, s.aborted(), s.waiting(), s.running(), s.kvCacheUsage(),
        s.promptTokens(), s.generationTokens(), s.prefixQueryTokens(), s.prefixHitTokens(), s.cachedBlocks(),
        Duration.ofNanos(s.simulatedNanos()), Duration.ofNanos(s.maxLagNanos()), Duration.ofNanos(s.meanLagNanos()));
  }

  /**
   * {@return the records of finished and aborted requests, oldest first: the most recent {@link
   * Builder#maxRecords} of them, across restarts, until {@link #clearRecords()}} A request's record
   * is there once its last token is produced, which may be a moment before its client has read it.
   */
  public List<SimulatedRequestRecord> records() {
    synchronized (records) {
      return List.copyOf(records.values());
    }
  }

  /**
   * {@return the record of the request whose response had {@code id}, if it has finished and is
   * still kept}
   *
   * @param id the response id
   */
  public Optional<SimulatedRequestRecord> record(String id) {
    synchronized (records) {
      return Optional.ofNullable(records.get(id));
    }
  }

  /** Forgets every record (for example between a benchmark's warm-up and its measurement). */
  public void clearRecords() {
    synchronized (records) {
      records.clear();
    }
  }

  private void record(SimulatedRequestRecord r) {
    synchronized (records) {
      if (config.maxRecords() == 0) {
        return;
      }
      if (records.size() >= config.maxRecords()) {
        Iterator<String> oldest = records.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      records.put(r.id(), r);
    }
  }

  // ---- failures ----

  /** {@code GET /health} answers 503 from now on (inference still works: combine with {@link #errorRate}). */
  public void markUnhealthy() {
    faults.healthy(false);
  }

  /** {@code GET /health} answers 200 again. */
  public void markHealthy() {
    faults.healthy(true);
  }

  /** {@return whether {@code /health} answers 200} */
  public boolean isHealthy() {
    return faults.healthy();
  }

  /**
   * From now on, answers each inference request with {@code status} and an OpenAI-style error body
   * with probability {@code rate} (a seeded draw), before it reaches the engine.
   *
   * @param rate 0 (never) to 1 (always)
   * @param status an HTTP status from 400 to 599
   */
  public void errorRate(double rate, int status) {
    checkRate(rate);
    checkStatus(status);
    faults.errorRate(rate, status);
  }

  /**
   * Answers the next {@code count} inference requests with {@code status} (before any error rate
   * applies).
   *
   * @param count how many requests fail
   * @param status the HTTP status they get
   */
  public void failNext(int count, int status) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    checkStatus(status);
    faults.failNext(count, status);
  }

  /**
   * Cuts the next streamed answer after {@code events} SSE events ({@code data:} lines; for chat
   * the role chunk counts): the connection closes without the rest of the chunked body or {@code
   * [DONE]}, so the client reads those events and then fails on a truncated body. 0 cuts it right
   * after the response headers. The engine aborts the request.
   *
   * @param events how many SSE events are sent before the cut
   */
  public void failNextMidStream(int events) {
    if (events < 0) {
      throw new IllegalArgumentException("events must not be negative, got " + events);
    }
    faults.cutNextStreamAfter(events);
  }

  /**
   * The next inference request hangs: it never reaches the engine and gets no response headers
   * until {@link #releaseHung()} or {@link #stop()}, which close its connection without a response.
   */
  public void hangNext() {
    faults.hangNext(1);
  }

  /** Closes the connections of every request hung by {@link #hangNext()}, without a response. */
  public void releaseHung() {
    faults.releaseHung();
  }

  /**
   * Pauses the engine for {@code simulated} time from now: no step starts, so running requests
   * produce no tokens and queued ones wait (a latency spike).
   *
   * @param simulated how long the engine pauses, in simulated time
   */
  public void stall(Duration simulated) {
    if (simulated.isNegative()) {
      throw new IllegalArgumentException("simulated must not be negative, got " + simulated);
    }
    Engine e;
    synchronized (lifecycle) {
      e = engine;
    }
    if (e != null) {
      e.stall(simulated.toNanos());
    }
  }

  /** Drops every cached block no running request uses (as {@code POST /reset_prefix_cache}). */
  public void resetPrefixCache() {
    Engine e;
    synchronized (lifecycle) {
      e = engine;
    }
    if (e != null) {
      e.resetPrefixCache();
    }
  }

  // ---- lifecycle ----

  /**
   * Stops serving, as a crashed replica: closes the port (connections are refused), resets open
   * connections and aborts every request. Does nothing when already stopped. {@link #restart()}
   * serves again.
   */
  public void stop() {
    synchronized (lifecycle) {
      if (http == null) {
        return;
      }
      Engine e = Objects.requireNonNull(engine);
      MiniHttpServer h = http;
      e.close();
      h.close();
      EngineSnapshot s = e.snapshot();
      last = s;
      failedBefore += Objects.requireNonNull(handler).failed();
      engine = null;
      http = null;
      handler = null;
    }
  }

  /**
   * Starts serving again on the same port, with a fresh engine (empty queue and prefix cache,
   * counters from zero), keeping the failure settings and records; stops first if running.
   *
   * @throws UncheckedIOException when the port cannot be bound again
   * @throws IllegalStateException when the server was closed
   */
  public void restart() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("the server is closed");
      }
      stop();
      launch();
    }
  }

  /** Stops serving for good. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      stop();
      closed = true;
    }
    faults.releaseHung();
  }

  private void launch() {
    Engine e = new Engine(config, this::record);
    SimHttpHandler h = new SimHttpHandler(config, e, faults);
    try {
      MiniHttpServer server = MiniHttpServer.start(port, config.name(), h);
      port = server.port();
      engine = e;
      handler = h;
      http = server;
    } catch (IOException ex) {
      e.close();
      throw new UncheckedIOException("cannot bind 127.0.0.1:" + port, ex);
    }
  }

  private static void checkRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("rate must be between 0 and 1, got " + rate);
    }
  }

  private static void checkStatus(int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP error status (400-599), got " + status);
    }
  }

  /**
   * Settings of a {@link SimulatedInferenceServer}. Durations are simulated time. The defaults
   * model an 8B model (Llama-3.1-8B-class) on one data-centre GPU: 20 ms API overhead, prefill
   * 0.1 ms per token (10k tokens/s), 20 ms per decode step at batch 1 rising to 40 ms with a full
   * batch of 32, chunked prefill of 2048 tokens per step, 8192 KV blocks of 16 tokens (131,072
   * tokens, about 16 GiB of KV cache for that model) and a 32,768-token context.
   */
  public static final class Builder {
    private String model = "meta-llama/Llama-3.1-8B-Instruct";
    private final LinkedHashSet<String> loraAdapters = new LinkedHashSet<>();
    private double timeScale = 1;
    private Duration requestOverhead = Duration.ofMillis(20);
    private Duration prefillTimePerToken = Duration.ofNanos(100_000);
    private Duration interTokenLatency = Duration.ofMillis(20);
    private double batchSlowdown = 1.0;
    private int maxBatchSize = 32;
    private int maxBatchedTokens = 2048;
    private int maxLoras = 0;
    private int blockSize = 16;
    private int kvCacheBlocks = 8192;
    private int maxModelLen = 32768;
    private int defaultOutputTokens = 128;
    private @Nullable String replyText;
    private int streamInterval = 1;
    private int embeddingDimensions = 384;
    private double errorRate;
    private int errorStatus = 503;
    private long seed = 42;
    private int port;
    private String name = "sim";
    private int maxRecords = 100_000;

    private Builder() {}

    /**
     * The served base model's name ({@code --served-model-name}). Default {@code
     * meta-llama/Llama-3.1-8B-Instruct}.
     *
     * @param model the model's name
     * @return this builder
     */
    public Builder model(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      this.model = model;
      return this;
    }

    /**
     * LoRA adapters served on the base model, by name (added to any set before). Default none.
     *
     * @param names the adapters' names
     * @return this builder
     */
    public Builder loraAdapters(String... names) {
      for (String n : names) {
        Objects.requireNonNull(n, "adapter name");
        if (n.isBlank()) {
          throw new IllegalArgumentException("adapter names must not be blank");
        }
        loraAdapters.add(n);
      }
      return this;
    }

    /**
     * Simulated seconds per wall-clock second (above 0, at most 10,000). Default 1 (real time).
     * 10 to 50 suits benchmarks; much higher and sleeps become shorter than the host's timer
     * resolution and client overheads, which then dominate.
     *
     * @param timeScale simulated seconds per wall-clock second (above 0, at most 10,000)
     * @return this builder
     */
    public Builder timeScale(double timeScale) {
      if (!(timeScale > 0 && timeScale <= 10_000)) {
        throw new IllegalArgumentException("timeScale must be above 0 and at most 10000, got " + timeScale);
      }
      this.timeScale = timeScale;
      return this;
    }

    /**
     * Time from arrival to the engine queue (HTTP, parsing, tokenisation). Default 20 ms.
     *
     * @param overhead the overhead
     * @return this builder
     */
    public Builder requestOverhead(Duration overhead) {
      this.requestOverhead = nonNegative(overhead, "requestOverhead");
      return this;
    }

    /**
     * Prefill compute per uncached prompt token. Default 0.1 ms (100 µs).
     *
     * @param perToken the prefill time per token
     * @return this builder
     */
    public Builder prefillTimePerToken(Duration perToken) {
      this.prefillTimePerToken = nonNegative(perToken, "prefillTimePerToken");
      return this;
    }

    /**
     * One engine step (a forward pass) with a batch of one: the inter-token latency at low load.
     * Default 20 ms.
     *
     * @param itl the inter-token latency
     * @return this builder
     */
    public Builder interTokenLatency(Duration itl) {
      nonNegative(itl, "interTokenLatency");
      if (itl.isZero()) {
        throw new IllegalArgumentException("interTokenLatency must be positive");
      }
      this.interTokenLatency = itl;
      return this;
    }

    /**
     * How much a full batch slows each step: the step's base time is {@code interTokenLatency ×
     * (1 + batchSlowdown × scheduled / maxBatchSize)}. Default 1 (a full batch doubles it).
     *
     * @param slowdown the slowdown factor
     * @return this builder
     */
    public Builder batchSlowdown(double slowdown) {
      if (!(slowdown >= 0) || Double.isInfinite(slowdown)) {
        throw new IllegalArgumentException("batchSlowdown must be finite and not negative, got " + slowdown);
      }
      this.batchSlowdown = slowdown;
      return this;
    }

    /**
     * The most requests running at once (vLLM's {@code --max-num-seqs}); more wait. Default 32.
     *
     * @param n how many
     * @return this builder
     */
    public Builder maxBatchSize(int n) {
      this.maxBatchSize = positive(n, "maxBatchSize");
      return this;
    }

    /**
     * Tokens per engine step (vLLM's {@code --max-num-batched-tokens}): decoding requests take one
     * each and prefills share the rest. At least {@link #maxBatchSize}. Default 2048.
     *
     * @param n how many
     * @return this builder
     */
    public Builder maxBatchedTokens(int n) {
      this.maxBatchedTokens = positive(n, "maxBatchedTokens");
      return this;
    }

    /**
     * The most distinct LoRA adapters in the running batch (vLLM's {@code --max-loras}). Default:
     * all of them.
     *
     * @param n how many
     * @return this builder
     */
    public Builder maxLoras(int n) {
      this.maxLoras = positive(n, "maxLoras");
      return this;
    }

    /**
     * Tokens per KV-cache block, the prefix cache's unit (vLLM's {@code --block-size}). Default 16.
     *
     * @param tokens tokens per block
     * @return this builder
     */
    public Builder blockSize(int tokens) {
      if (tokens < 1 || tokens > 1024) {
        throw new IllegalArgumentException("blockSize must be between 1 and 1024, got " + tokens);
      }
      this.blockSize = tokens;
      return this;
    }

    /**
     * The KV cache's capacity in blocks ({@code num_gpu_blocks}); it must hold one full context
     * ({@code kvCacheBlocks × blockSize ≥ maxModelLen}). Default 8192.
     *
     * @param blocks the capacity in blocks
     * @return this builder
     */
    public Builder kvCacheBlocks(int blocks) {
      this.kvCacheBlocks = positive(blocks, "kvCacheBlocks");
      return this;
    }

    /**
     * The context window in tokens (prompt plus output), as {@code --max-model-len}. Default 32768.
     *
     * @param tokens the context window
     * @return this builder
     */
    public Builder maxModelLen(int tokens) {
      if (tokens < 2) {
        throw new IllegalArgumentException("maxModelLen must be at least 2, got " + tokens);
      }
      this.maxModelLen = tokens;
      return this;
    }

    /**
     * The answer's natural length in tokens when no {@linkplain #replyText reply text} is set.
     * Default 128.
     *
     * @param tokens the natural length
     * @return this builder
     */
    public Builder defaultOutputTokens(int tokens) {
      this.defaultOutputTokens = positive(tokens, "defaultOutputTokens");
      return this;
    }

    /**
     * A fixed answer (its natural length is its length / 4, rounded up). Default: generated words.
     *
     * @param text the answer's text
     * @return this builder
     */
    public Builder replyText(String text) {
      Objects.requireNonNull(text, "text");
      if (text.isEmpty()) {
        throw new IllegalArgumentException("replyText must not be empty");
      }
      this.replyText = text;
      return this;
    }

    /**
     * How a stream sends its tokens (vLLM's {@code --stream-interval}): the first at once, then in
     * groups of this many (each group's tokens as separate SSE events in one write, when the
     * group's last token is produced), and the rest at the end. Default 1: every token as soon as
     * it is produced. Larger values cut the host's work per token (wake-ups and socket writes) —
     * useful when many simulated replicas run at a high time scale on few cores — at the price of
     * burstier inter-token timing; time to first token is unaffected.
     *
     * @param tokens tokens per group
     * @return this builder
     */
    public Builder streamInterval(int tokens) {
      this.streamInterval = positive(tokens, "streamInterval");
      return this;
    }

    /**
     * The embedding length when a request does not ask for {@code dimensions}. Default 384.
     *
     * @param dimensions the embedding length
     * @return this builder
     */
    public Builder embeddingDimensions(int dimensions) {
      if (dimensions < 1 || dimensions > 65536) {
        throw new IllegalArgumentException("embeddingDimensions must be between 1 and 65536, got " + dimensions);
      }
      this.embeddingDimensions = dimensions;
      return this;
    }

    /**
     * Answers a share of inference requests with an error status from the start (see {@link
     * SimulatedInferenceServer#errorRate}). Default none.
     *
     * @param rate the share of requests that fail, from 0 to 1
     * @param status the HTTP status they get
     * @return this builder
     */
    public Builder errorRate(double rate, int status) {
      checkRate(rate);
      checkStatus(status);
      this.errorRate = rate;
      this.errorStatus = status;
      return this;
    }

    /**
     * Seeds the {@linkplain #errorRate error-rate} draws, so a run fails the same requests again.
     * Default 42. (Answers depend on the prompt only; response ids are unique per server.)
     *
     * @param seed the seed of the random numbers
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The port to bind on 127.0.0.1; 0 (the default) picks a free one.
     *
     * @param port the port to bind on 127.0.0.1; 0 (the default) picks a free one
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * A name for the server's threads ({@code sim-NAME-engine}). Default {@code sim}.
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * How many {@linkplain SimulatedInferenceServer#records() request records} to keep (0 keeps
     * none). Default 100,000.
     *
     * @param n how many
     * @return this builder
     */
    public Builder maxRecords(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("maxRecords must not be negative, got " + n);
      }
      this.maxRecords = n;
      return this;
    }

    /**
     * Starts the server.
     *
     * @return the running server
     * @throws IllegalArgumentException when settings contradict each other
     * @throws UncheckedIOException when the port cannot be bound
     */
    public SimulatedInferenceServer start() {
      if (loraAdapters.contains(model)) {
        throw new IllegalArgumentException("an adapter must not have the base model's name: " + model);
      }
      if (maxBatchedTokens < maxBatchSize) {
        throw new IllegalArgumentException("maxBatchedTokens (" + maxBatchedTokens
            + ") must be at least maxBatchSize (" + maxBatchSize + ")");
      }
      if ((long) kvCacheBlocks * blockSize < maxModelLen) {
        throw new IllegalArgumentException("the KV cache (" + kvCacheBlocks + " blocks of " + blockSize
            + " tokens) cannot hold one maxModelLen (" + maxModelLen + " tokens) context");
      }
      SimConfig config = new SimConfig(model, List.copyOf(loraAdapters), timeScale, requestOverhead.toNanos(),
          prefillTimePerToken.toNanos(), interTokenLatency.toNanos(), batchSlowdown, maxBatchSize, maxBatchedTokens,
          maxLoras > 0 ? maxLoras : Math.max(1, loraAdapters.size()), blockSize, kvCacheBlocks, maxModelLen,
          defaultOutputTokens, replyText, streamInterval, embeddingDimensions, errorRate, errorStatus, seed, port, name, maxRecords);
      SimulatedInferenceServer server = new SimulatedInferenceServer(config);
      synchronized (server.lifecycle) {
        server.launch();
      }
      return server;
    }

    private static Duration nonNegative(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative, got " + d);
      }
      if (d.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(what + " must be at most an hour, got " + d);
      }
      return d;
    }

    private static int positive(int n, String what) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, got " + n);
      }
      return n;
    }
  }
}
