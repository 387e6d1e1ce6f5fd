package dev.aigw.providers.pool;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.EmbeddingProvider;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.ModelRequest;
import dev.aigw.api.ProviderException;
import dev.aigw.api.StreamObserver;
import dev.aigw.api.TimeSource;
import dev.aigw.providers.pool.internal.Background;
import dev.aigw.providers.pool.internal.PoolHttp;
import dev.aigw.providers.pool.internal.ReplicaClient;
import dev.aigw.providers.pool.internal.PoolReplica;
import dev.aigw.providers.pool.internal.PoolRequest;
import dev.aigw.providers.pool.internal.ServerMetrics;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A provider over many replicas of a self-hosted OpenAI-compatible inference server (vLLM,
 * SGLang, TGI's Messages API), which picks the replica for each request inside the client, by
 * load and prompt-prefix affinity, instead of a Kubernetes endpoint-picker sidecar:
 *
 * <pre>{@code
 * InferencePool pool = InferencePool.builder()
 *     .id("llama").providerName("vllm")
 *     .dns("vllm.inference.svc.cluster.local", 8000, Duration.ofSeconds(10))  // or .replicas("http://gpu-1:8000", ...)
 *     .picker(Pickers.prefixAffinity())                                        // the default
 *     .build();
 * AiGateway gateway = AiGateway.builder().provider(pool).route("chat", Route.target("llama/meta-llama/Llama-3.1-8B-Instruct")).build();
 * }</pre>
 *
 * <ul>
 *   <li><b>Replicas</b> come from a static list or a DNS name re-resolved periodically. Each
 *       replica's models (LoRA adapters included) are read from its {@code /v1/models} unless
 *       {@link Builder#models} fixes them.
 *   <li><b>Health:</b> an active check of {@code /health} at an interval, and passive outlier
 *       ejection: a replica that fails a number of requests in a row is left out for a time that
 *       doubles with each repeat ejection, up to a cap, and never more than a share of the pool at
 *       once. When no replica is usable, every replica serving the model is tried (panic mode).
 *   <li><b>Load:</b> requests in flight from this client (always), {@code /metrics} scraped at an
 *       interval (vLLM, SGLang and TGI names) and ORCA {@code endpoint-load-metrics} headers on
 *       responses, each used only while fresher than the staleness cut-off.
 *   <li><b>Retries:</b> a request that fails before any token reached the caller (connection
 *       refused, 5xx, 429, or a stream cut before its first chunk) is retried on another replica.
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops the background checks.
 */
public final class InferencePool implements ChatProvider, EmbeddingProvider {
  private static final System.Logger LOG = System.getLogger(InferencePool.class.getName());

  private final String id;
  private final String providerName;
  private final Picker picker;
  private final TimeSource clock;
  private final Builder settings;
  private final Background background;
  private final PoolHttp http;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Map<String, PoolReplica> replicas = Map.of();

  private InferencePool(Builder b) {
    this.settings = b;
    this.id = b.id;
    this.providerName = b.providerName;
    this.picker = b.picker != null ? b.picker : Pickers.prefixAffinity();
    this.clock = b.clock;
    this.http = new PoolHttp(b.checkTimeout);
    this.background = new Background(b.id, b.clock, b.background);
    if (b.dnsHost != null) {
      resolve();
      background.every(b.dnsRefresh, this::resolve);
    } else {
      setReplicas(b.staticReplicas);
    }
    if (!b.healthInterval.isZero()) {
      background.every(b.healthInterval, this::checkHealth);
    }
    if (!b.scrapeInterval.isZero()) {
      background.every(b.scrapeInterval, this::scrape);
    }
  }

  /** {@return a builder for a pool of OpenAI-compatible replicas} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String providerName() {
    return providerName;
  }

  /** {@return the current replicas, in the order they were resolved} */
  public List<Replica> replicas() {
    return List.copyOf(replicas.values());
  }

  // ---------------------------------------------------------------------------------------------
  // Calls

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    return call(request, context, (replica, r) -> replica.client().chat((ChatRequest) r, context));
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    return call(request, context, (replica, r) -> replica.client().embed((EmbeddingRequest) r, context));
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    PoolRequest pick = new PoolRequest(request);
    List<PoolReplica> tried = new ArrayList<>(2);
    while (true) {
      PoolReplica replica = choose(pick, tried);
      replica.started();
      ChatStream stream = null;
      try {
        stream = replica.client().stream(request, context);
        Iterator<ChatChunk> chunks = stream.iterator();
        ChatChunk first = chunks.hasNext() ? chunks.next() : null;
        replica.succeeded();
        ChatStream opened = stream;
        return ChatStream.of(new FirstChunkFirst(first, opened, chunks)).withMetadata(ignored -> opened.metadata())
            .observe(new Finisher(replica));
      } catch (RuntimeException e) {
        replica.finished();
        if (stream != null) {
          stream.close();
        }
        if (!retry(replica, e, tried, context, pick.model())) {
          throw e;
        }
      }
    }
  }

  private interface Call<T> {
    T run(PoolReplica replica, ModelRequest request);
  }

  private <T> T call(ModelRequest request, CallContext context, Call<T> call) {
    PoolRequest pick = new PoolRequest(request);
    List<PoolReplica> tried = new ArrayList<>(2);
    while (true) {
      PoolReplica replica = choose(pick, tried);
      replica.started();
      try {
        T result = call.run(replica, request);
        replica.succeeded();
        return result;
      } catch (RuntimeException e) {
        if (!retry(replica, e, tried, context, pick.model())) {
          throw e;
        }
      } finally {
        replica.finished();
      }
    }
  }

  /** Picks a replica for {@code request} among those not yet tried, and tells the picker. */
  private PoolReplica choose(PoolRequest request, List<PoolReplica> tried) {
    List<Replica> candidates = candidates(request.model(), tried);
    Replica chosen = picker.pick(request, candidates);
    if (!(chosen instanceof PoolReplica replica) || !candidates.contains(chosen)) {
      throw new IllegalStateException("picker " + picker + " returned " + chosen + ", which is not one of its candidates");
    }
    picker.routed(request, replica);
    tried.add(replica);
    return replica;
  }

  /** The usable replicas that serve {@code model} and were not tried yet; all that serve it when none is usable. */
  private List<Replica> candidates(String model, List<PoolReplica> tried) {
    Map<String, PoolReplica> current = replicas;
    List<Replica> usable = new ArrayList<>(current.size());
    List<Replica> serving = new ArrayList<>(current.size());
    for (PoolReplica r : current.values()) {
      if (!r.serves(model) || tried.contains(r)) {
        continue;
      }
      serving.add(r);
      if (r.healthy() && !r.ejected()) {
        usable.add(r);
      }
    }
    if (!usable.isEmpty()) {
      return usable;
    }
    if (!serving.isEmpty()) {
      return serving; // panic mode: every replica is unhealthy or ejected, so try them anyway
    }
    throw new ProviderException(id, 0, !tried.isEmpty(), tried.isEmpty()
        ? "no replica of pool '" + id + "' serves model '" + model + "' (" + current.size() + " replicas)"
        : "every replica of pool '" + id + "' that serves model '" + model + "' failed (" + tried.size() + " tried)");
  }

  /** Records {@code error} against {@code replica}; whether the request may go to another replica. */
  private boolean retry(PoolReplica replica, RuntimeException error, List<PoolReplica> tried, CallContext context, String model) {
    boolean replicaFault = error instanceof ProviderException p && (p.retryable() || p.statusCode().orElse(0) >= 500);
    if (replicaFault) {
      boolean ejected = replica.failed(settings.ejectAfterFailures, settings.baseEjection, settings.maxEjection, mayEject());
      if (ejected) {
        LOG.log(System.Logger.Level.INFO, "pool " + id + ": ejected replica " + replica.id() + " after consecutive failures");
      }
    }
    boolean cancelled = context.cancellation().map(t -> t.isCancelled()).orElse(false);
    return replicaFault && !cancelled && tried.size() < settings.maxReplicaAttempts && untried(model, tried);
  }

  /** Whether a replica serving {@code model} is left that this request has not tried. */
  private boolean untried(String model, List<PoolReplica> tried) {
    for (PoolReplica r : replicas.values()) {
      if (r.serves(model) && !tried.contains(r)) {
        return true;
      }
    }
    return false;
  }

  private boolean mayEject() {
    Map<String, PoolReplica> current = replicas;
    int ejected = 0;
    for (PoolReplica r : current.values()) {
      if (r.ejected()) {
        ejected++;
      }
    }
    return ejected + 1 <= Math.floor(current.size() * settings.maxEjectedShare);
  }

  // ---------------------------------------------------------------------------------------------
  // Background: DNS, health, metrics

  private void resolve() {
    List<String> addresses;
    try {
      addresses = settings.resolver.apply(settings.dnsHost);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "pool " + id + ": resolving " + settings.dnsHost + " failed; keeping "
          + replicas.size() + " replicas", e);
      return;
    }
    if (addresses.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "pool " + id + ": " + settings.dnsHost + " resolved to nothing; keeping "
          + replicas.size() + " replicas");
      return;
    }
    List<URI> urls = new ArrayList<>(addresses.size());
    for (String address : addresses) {
      String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
      urls.add(URI.create(settings.dnsScheme + "://" + host + ":" + settings.dnsPort));
    }
    setReplicas(urls);
  }

  /** Makes {@code urls} the pool's replicas, keeping the state of those that stay. */
  private synchronized void setReplicas(List<URI> urls) {
    Map<String, PoolReplica> old = replicas;
    Map<String, PoolReplica> next = new LinkedHashMap<>();
    for (URI url : urls) {
      PoolReplica replica = new PoolReplica(url, clock, settings.staleAfter);
      PoolReplica kept = old.get(replica.id());
      if (kept != null) {
        next.put(kept.id(), kept);
      } else {
        replica.client(client(replica));
        if (settings.models != null) {
          replica.models(settings.models);
        }
        next.put(replica.id(), replica);
      }
    }
    replicas = java.util.Collections.unmodifiableMap(next);
    for (PoolReplica gone : old.values()) {
      if (!next.containsKey(gone.id())) {
        picker.removed(gone);
        gone.client().close();
      }
    }
  }

  private ReplicaClient client(PoolReplica replica) {
    return ReplicaClients.create(settings.protocol, replica, id, providerName, http, clock, new ReplicaClients.Settings(
        settings.connectTimeout, settings.readTimeout, settings.checkTimeout, settings.apiKey, settings.orca,
        settings.healthPath, settings.defaultMaxTokens));
  }

  private void checkHealth() {
    for (PoolReplica replica : replicas.values()) {
      boolean ready = replica.client().ready();
      replica.health(ready);
      if (ready && (settings.models == null || !settings.protocol.isOpenAi())) {
        Set<String> models = replica.client().models(settings.models);
        if (models != null) {
          replica.models(models);
        }
      }
    }
  }

  private void scrape() {
    for (PoolReplica replica : replicas.values()) {
      String text = http.text(replica.baseUrl().resolve(settings.metricsPath));
      if (text != null) {
        replica.scraped(ServerMetrics.load(text, clock.now()));
      }
    }
  }

  /** Runs the health checks (and model discovery) now, on the calling thread. */
  public void checkHealthNow() {
    checkHealth();
  }

  /** Scrapes every replica's metrics now, on the calling thread. */
  public void scrapeNow() {
    scrape();
  }

  /** Re-resolves the DNS name now, on the calling thread (no effect for a static list). */
  public void resolveNow() {
    if (settings.dnsHost != null) {
      resolve();
    }
  }

  /** Stops the background checks and closes the replicas' clients and the checks' connections. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      background.close();
      for (PoolReplica r : replicas.values()) {
        r.client().close();
      }
      http.close();
    }
  }

  @Override
  public String toString() {
    return "InferencePool[id=" + id + ", replicas=" + replicas.keySet() + ", picker=" + picker + "]";
  }

  // ---------------------------------------------------------------------------------------------

  /** A stream whose first chunk was already read (to know the replica answered) and is given first. */
  private static final class FirstChunkFirst implements ChatStream.Source {
    private @Nullable ChatChunk first;
    private final ChatStream stream;
    private final Iterator<ChatChunk> rest;

    FirstChunkFirst(@Nullable ChatChunk first, ChatStream stream, Iterator<ChatChunk> rest) {
      this.first = first;
      this.stream = stream;
      this.rest = rest;
    }

    @Override
    public @Nullable ChatChunk next() {
      ChatChunk f = first;
      if (f != null) {
        first = null;
        return f;
      }
      return rest.hasNext() ? rest.next() : null;
    }

    @Override
    public void close() {
      stream.close();
    }
  }

  /** Ends the replica's in-flight count once, however the stream ends. */
  private static final class Finisher implements StreamObserver {
    private final PoolReplica replica;
    private final AtomicBoolean done = new AtomicBoolean();

    Finisher(PoolReplica replica) {
      this.replica = replica;
    }

    private void finish() {
      if (done.compareAndSet(false, true)) {
        replica.finished();
      }
    }

    @Override
    public void onComplete() {
      finish();
    }

    @Override
    public void onError(RuntimeException error) {
      finish();
    }

    @Override
    public void onCancel() {
      finish();
    }
  }

  /** Builds an {@link InferencePool}. */
  public static final class Builder {
    private String id = "pool";
    private String providerName = "vllm";
    private List<URI> staticReplicas = List.of();
    private @Nullable String dnsHost;
    private int dnsPort;
    private String dnsScheme = "http";
    private Duration dnsRefresh = Duration.ofSeconds(10);
    private Function<String, List<String>> resolver = Builder::lookup;
    private @Nullable Set<String> models;
    private @Nullable Picker picker;
    private PoolProtocol protocol = PoolProtocol.openAi();
    private int defaultMaxTokens = 1024;
    private String healthPath = "/health";
    private Duration healthInterval = Duration.ofSeconds(5);
    private String metricsPath = "/metrics";
    private Duration scrapeInterval = Duration.ofSeconds(1);
    private Duration staleAfter = Duration.ofSeconds(5);
    private boolean orca = true;
    private int ejectAfterFailures = 5;
    private Duration baseEjection = Duration.ofSeconds(30);
    private Duration maxEjection = Duration.ofMinutes(5);
    private double maxEjectedShare = 0.5;
    private int maxReplicaAttempts = 3;
    private @Nullable Supplier<String> apiKey;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(120);
    private Duration checkTimeout = Duration.ofSeconds(2);
    private TimeSource clock = TimeSource.system();
    private @Nullable Executor background;

    private Builder() {}

    /**
     * The provider id targets use ({@code "pool"} by default).
     *
     * @param id the provider id
     * @return this builder
     */
    public Builder id(String id) {
      if (Objects.requireNonNull(id, "id").isBlank() || id.indexOf('/') >= 0) {
        throw new IllegalArgumentException("id must be non-blank without '/', was '" + id + "'");
      }
      this.id = id;
      return this;
    }

    /**
     * The name reported as {@code gen_ai.provider.name} ({@code vllm} by default).
     *
     * @param providerName the name reported as {@code gen_ai.provider.name} ({@code vllm} by
     *     default)
     * @return this builder
     */
    public Builder providerName(String providerName) {
      if (Objects.requireNonNull(providerName, "providerName").isBlank()) {
        throw new IllegalArgumentException("providerName must not be blank");
      }
      this.providerName = providerName;
      return this;
    }

    /**
     * A fixed list of replicas, by base URL ({@code http://10.0.0.7:8000}, without {@code /v1}).
     *
     * @param baseUrls the replicas' base URLs
     * @return this builder
     */
    public Builder replicas(String... baseUrls) {
      if (baseUrls.length == 0) {
        throw new IllegalArgumentException("replicas: give at least one base URL");
      }
      List<URI> urls = new ArrayList<>();
      for (String url : baseUrls) {
        URI uri;
        try {
          uri = URI.create(Objects.requireNonNull(url, "replica URL"));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("replica is not a URL: '" + url + "'", e);
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
          throw new IllegalArgumentException("replica must be an http or https URL with a host, was '" + url + "'");
        }
        urls.add(URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")));
      }
      this.staticReplicas = List.copyOf(urls);
      this.dnsHost = null;
      return this;
    }

    /**
     * Replicas from the addresses a DNS name resolves to (a Kubernetes headless service), at
     * {@code port} over http, re-resolved every {@code refresh}.
     *
     * @param host the DNS name
     * @param port the replicas' port
     * @param refresh how often the name is resolved again
     * @return this builder
     */
    public Builder dns(String host, int port, Duration refresh) {
      if (Objects.requireNonNull(host, "host").isBlank() || port <= 0 || port > 65535) {
        throw new IllegalArgumentException("dns: host must not be blank and port must be 1..65535");
      }
      this.dnsHost = host;
      this.dnsPort = port;
      this.dnsRefresh = positive(refresh, "refresh");
      return this;
    }

    /**
     * Resolves names for {@link #dns}: a name to its addresses (for tests; the JVM's resolver by
     * default).
     *
     * @param resolver resolves names for {@link #dns}: a name to its addresses (for tests; the
     *     JVM's resolver by default)
     * @return this builder
     */
    public Builder resolver(Function<String, List<String>> resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * The models every replica serves; by default each replica's {@code /v1/models} tells.
     *
     * @param models the models every replica serves; by default each replica's {@code /v1/models}
     *     tells
     * @return this builder
     */
    public Builder models(String... models) {
      this.models = Set.copyOf(Arrays.asList(models));
      return this;
    }

    /**
     * How the pool talks to its replicas; {@link PoolProtocol#openAi()} by default.
     *
     * @param protocol how the pool talks to its replicas; {@link PoolProtocol#openAi()} by default
     * @return this builder
     */
    public Builder protocol(PoolProtocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * For KServe and Triton pools, the output limit sent when a request sets none (1,024 by
     * default); their backends need one.
     *
     * @param tokens the output limit
     * @return this builder
     */
    public Builder defaultMaxTokens(int tokens) {
      if (tokens < 1) {
        throw new IllegalArgumentException("defaultMaxTokens must be at least 1, was " + tokens);
      }
      this.defaultMaxTokens = tokens;
      return this;
    }

    /**
     * How replicas are chosen; {@link Pickers#prefixAffinity()} by default.
     *
     * @param picker how replicas are chosen; {@link Pickers#prefixAffinity()} by default
     * @return this builder
     */
    public Builder picker(Picker picker) {
      this.picker = Objects.requireNonNull(picker, "picker");
      return this;
    }

    /**
     * The health check's path and interval ({@code /health} every 5 s); {@code Duration.ZERO} turns
     * it off.
     *
     * @param path the health check's path
     * @param interval how often it runs; zero turns it off
     * @return this builder
     */
    public Builder healthCheck(String path, Duration interval) {
      this.healthPath = Objects.requireNonNull(path, "path");
      this.healthInterval = notNegative(interval, "interval");
      return this;
    }

    /**
     * The metrics path, scrape interval, and how long a load report stays usable ({@code /metrics}
     * every 1 s, stale after 5 s); an interval of {@code Duration.ZERO} turns scraping off.
     *
     * @param path the metrics path
     * @param interval how often it is scraped; zero turns scraping off
     * @param staleAfter how long a load report stays usable
     * @return this builder
     */
    public Builder metrics(String path, Duration interval, Duration staleAfter) {
      this.metricsPath = Objects.requireNonNull(path, "path");
      this.scrapeInterval = notNegative(interval, "interval");
      this.staleAfter = positive(staleAfter, "staleAfter");
      return this;
    }

    /**
     * Whether to ask replicas for ORCA load reports on responses (on by default).
     *
     * @param orca whether to ask replicas for ORCA load reports on responses (on by default)
     * @return this builder
     */
    public Builder orca(boolean orca) {
      this.orca = orca;
      return this;
    }

    /**
     * Passive outlier ejection: after {@code consecutiveFailures} failures in a row a replica is
     * left out for {@code baseEjection}, doubled at each repeat ejection up to {@code
     * maxEjection}; at most {@code maxEjectedShare} of the pool is ejected at once (5, 30 s, 5
     * min, 0.5 by default).
     *
     * @param consecutiveFailures failures in a row that eject a replica
     * @param baseEjection how long the first ejection lasts
     * @param maxEjection the longest ejection
     * @param maxEjectedShare the largest share of the pool ejected at once
     * @return this builder
     */
    public Builder outlierEjection(int consecutiveFailures, Duration baseEjection, Duration maxEjection, double maxEjectedShare) {
      if (consecutiveFailures < 1 || !(maxEjectedShare >= 0 && maxEjectedShare <= 1)) {
        throw new IllegalArgumentException("outlierEjection: consecutiveFailures >= 1 and maxEjectedShare in [0, 1]");
      }
      this.ejectAfterFailures = consecutiveFailures;
      this.baseEjection = positive(baseEjection, "baseEjection");
      this.maxEjection = positive(maxEjection, "maxEjection");
      this.maxEjectedShare = maxEjectedShare;
      return this;
    }

    /**
     * How many replicas one request may try when they fail before answering (3 by default).
     *
     * @param attempts the most replicas one request may try
     * @return this builder
     */
    public Builder maxReplicaAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxReplicaAttempts must be at least 1, was " + attempts);
      }
      this.maxReplicaAttempts = attempts;
      return this;
    }

    /**
     * The key sent as a bearer token (servers started with {@code --api-key}); asked on every
     * request.
     *
     * @param apiKey the key sent as a bearer token (servers started with {@code --api-key}); asked
     *     on every request
     * @return this builder
     */
    public Builder apiKey(Supplier<String> apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /**
     * Connect and read timeouts of requests to replicas (5 s and 120 s).
     *
     * @param connect the connect timeout
     * @param read the read timeout
     * @return this builder
     */
    public Builder timeouts(Duration connect, Duration read) {
      this.connectTimeout = positive(connect, "connect");
      this.readTimeout = positive(read, "read");
      return this;
    }

    /**
     * The clock for ejections, staleness and the background schedule (the system clock by default).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(TimeSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where health checks, scrapes and DNS lookups run (two daemon threads of the pool's own by
     * default).
     *
     * @param executor where background work runs
     * @return this builder
     */
    public Builder backgroundExecutor(Executor executor) {
      this.background = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the pool and starts its background checks.
     *
     * @return the new {@code InferencePool}
     */
    public InferencePool build() {
      if (staticReplicas.isEmpty() && dnsHost == null) {
        throw new IllegalStateException("an inference pool needs replicas(...) or dns(...)");
      }
      if (!protocol.isOpenAi() && models == null) {
        throw new IllegalStateException("a " + protocol + " pool needs models(...): KServe servers have no model list to discover");
      }
      return new InferencePool(this);
    }

    private static List<String> lookup(String host) {
      try {
        InetAddress[] all = InetAddress.getAllByName(host);
        List<String> out = new ArrayList<>(all.length);
        for (InetAddress a : all) {
          out.add(a.getHostAddress());
        }
        return out;
      } catch (UnknownHostException e) {
        throw new IllegalStateException("cannot resolve " + host, e);
      }
    }

    private static Duration positive(Duration d, String name) {
      if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }

    private static Duration notNegative(Duration d, String name) {
      if (Objects.requireNonNull(d, name).isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
