package dev.aigw.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.Attempt;
import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.NoRouteAvailableException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.Target;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.Driver;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.budget.InMemoryBudgetStore;
import dev.aigw.core.budget.Window;
import dev.aigw.core.cache.InMemoryCacheStore;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.Route;
import dev.aigw.core.tokens.TokenCounter;
import dev.aigw.providers.internal.HttpTransport;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javax.net.ServerSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * One cell of the fault matrix: a gateway over a faulty {@code primary} (a MockWebServer, or a
 * dead end) and, for the fallback shapes, a {@code backup} of the same provider type, with a
 * budget, a response cache and a recording listener. {@link #run} makes a call, checks its
 * outcome and every invariant the suite promises (deadline bound, connections, threads, budget
 * ledger, cache, listener sequence), heals the primary, calls again (which must reach the
 * provider unless the first answer was cached), checks again, and closes everything.
 */
final class FaultKit implements AutoCloseable {
  enum Mode { BLOCKING, STREAM }

  /** SOLE: a route of the primary alone. FALLBACK: primary, then a healthy backup. BOTH_FAIL: the backup fails alike. */
  enum Shape { SOLE, FALLBACK, BOTH_FAIL }

  /**
   * A primary that is no server: nothing listens on its port, or its listener's accept queue is
   * full so connecting hangs. Healing starts a healthy server on the same port.
   */
  enum DeadEnd { REFUSED, BLACKHOLE }

  /** The primary's answer to one chat request. */
  @FunctionalInterface
  interface Respond {
    MockResponse to(ProviderKind kind, boolean stream);
  }

  static final String PRIMARY = "primary";
  static final String BACKUP = "backup";
  static final Duration BACKOFF = Duration.ofMillis(5);
  static final Duration SLACK = Duration.ofMillis(1500);
  static final ChatRequest REQUEST = ChatRequest.builder().model("chat").user("What is the capital of France?")
      .maxOutputTokens(256).build();
  private static final String COUNTER = "tenant:acme:total_tokens";
  private static final List<String> SHARED_DAEMONS = List.of(
      "OkHttp TaskRunner", "Okio Watchdog", "aigw-timer", "ForkJoinPool.commonPool", "Common-Cleaner");

  /** A primary the cell does not build from a MockWebServer (the simulator's replicas); closed with the cell. */
  interface Primary extends AutoCloseable {
    ChatProvider provider(String id);

    /** Makes the primary healthy again. */
    void heal();
  }

  /**
   * How a cell differs from the defaults: the primary's HTTP timeouts, the call's timeout, the
   * primary's resilience, a dead end or a primary of its own.
   */
  record Setup(Duration connect, Duration read, Duration timeout, UnaryOperator<Resilience.Builder> resilience,
      @Nullable DeadEnd deadEnd, @Nullable Primary primary) {
    static Setup defaults() {
      return new Setup(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(3), b -> b, null, null);
    }

    Setup timeouts(Duration connect, Duration read) {
      return new Setup(connect, read, timeout, resilience, deadEnd, primary);
    }

    Setup deadline(Duration timeout) {
      return new Setup(connect, read, timeout, resilience, deadEnd, primary);
    }

    Setup resilience(UnaryOperator<Resilience.Builder> resilience) {
      return new Setup(connect, read, timeout, resilience, deadEnd, primary);
    }

    Setup deadEnd(DeadEnd deadEnd) {
      return new Setup(connect, read, timeout, resilience, deadEnd, primary);
    }

    Setup primary(Primary primary) {
      return new Setup(connect, read, timeout, resilience, deadEnd, primary);
    }
  }

  /**
   * What the first call must end with: served by the backup ({@code error == null}), or an error
   * of a type (and {@code check}), thrown mid-stream when {@code midStream}; how many attempts go
   * to the primary (-1: not checked), and the delay of each retry of the primary.
   */
  record Expect(@Nullable Class<? extends AiGatewayException> error, Predicate<AiGatewayException> check, boolean midStream,
      int primaryAttempts, Duration retryDelay, String servedBy) {
    static Expect servedByBackup(int primaryAttempts) {
      return new Expect(null, e -> true, false, primaryAttempts, BACKOFF, BACKUP);
    }

    /** Served by the primary after all (it recovered inside its own attempt, as a pool does on another replica). */
    static Expect servedByPrimary(int primaryAttempts) {
      return new Expect(null, e -> true, false, primaryAttempts, BACKOFF, PRIMARY);
    }

    @SuppressWarnings("unchecked")
    static <E extends AiGatewayException> Expect fails(Class<E> type, int primaryAttempts, Predicate<? super E> check) {
      return new Expect(type, e -> ((Predicate<Object>) (Predicate<?>) check).test(e), false, primaryAttempts, BACKOFF, "");
    }

    /** The error reaches the caller in the stream, after its first chunk (no fallback is possible then). */
    Expect afterFirstChunk() {
      return new Expect(error, check, true, primaryAttempts, retryDelay, servedBy);
    }

    Expect retryDelay(Duration delay) {
      return new Expect(error, check, midStream, primaryAttempts, delay, servedBy);
    }
  }

  /** How one call ended, as the caller saw it. */
  record Outcome(long call, @Nullable String text, @Nullable Usage usage, @Nullable ResponseMetadata metadata,
      @Nullable AiGatewayException error, boolean opened, String delivered, Duration elapsed) {
    boolean ok() {
      return error == null;
    }
  }

  private final ProviderKind kind;
  private final Mode mode;
  private final Setup setup;
  private final Set<Thread> threadsBefore = liveThreads();
  /** Connections of the shared pool in use before the cell (none, unless an earlier test leaked one). */
  private final int connectionsInUse = connectionsInUse();
  private final CallEvents recorder = new CallEvents();
  private final InMemoryBudgetStore budgets = new InMemoryBudgetStore();
  private final InMemoryCacheStore cache = InMemoryCacheStore.builder().build();
  private @Nullable Server primary;
  /** The dead end's port; healing starts a server on it. */
  private int deadPort;
  /** The blackhole's listener and the connections that fill its queue. */
  private final List<AutoCloseable> blackhole = new ArrayList<>();
  private final @Nullable Server backup;
  private final AiGateway gateway;
  private long ledger;

  private FaultKit(ProviderKind kind, Mode mode, Shape shape, Setup setup, Respond fault) throws IOException {
    this.kind = kind;
    this.mode = mode;
    this.setup = setup;
    String primaryUrl = null;
    if (setup.primary() != null) {
      primary = null;
    } else if (setup.deadEnd() == null) {
      primary = new Server(kind, fault);
      primaryUrl = primary.url();
    } else {
      primary = null;
      deadPort = setup.deadEnd() == DeadEnd.REFUSED ? refusingPort() : blackholePort();
      primaryUrl = "http://127.0.0.1:" + deadPort;
    }
    backup = shape == Shape.SOLE ? null : new Server(kind, shape == Shape.BOTH_FAIL ? fault : null);
    Resilience.Builder base = Resilience.custom().maxAttempts(2).backoff(BACKOFF, 2, Duration.ofMillis(20)).jitter(0)
        .noRetryBudget().noCircuitBreaker().maxConcurrentCalls(1).maxRetryDelay(Duration.ofSeconds(5));
    AiGateway.Builder b = AiGateway.builder()
        .provider(setup.primary() != null ? setup.primary().provider(PRIMARY)
            : kind.provider(PRIMARY, primaryUrl, setup.connect(), setup.read()))
        .resilience(base.build())
        .resilience(PRIMARY, setup.resilience().apply(Resilience.from(base.build())).build())
        .budgetStore(budgets)
        .budget(Budget.perTenant().tokensPerDay(10_000_000))
        .cache(ResponseCache.builder().store(cache).build())
        .listener(recorder);
    if (backup != null) {
      b.provider(kind.provider(BACKUP, backup.url(), Duration.ofSeconds(2), Duration.ofSeconds(5)))
          .route("chat", Route.fallback(target(PRIMARY).toString(), target(BACKUP).toString()));
    } else {
      b.route("chat", Route.target(target(PRIMARY).toString()));
    }
    gateway = b.build();
  }

  /** Runs one cell: a faulty call, its checks, a repeat after healing the primary, its checks, and the clean-up checks. */
  static void run(ProviderKind kind, Mode mode, Shape shape, Setup setup, Respond fault, Expect expect) throws Exception {
    try (FaultKit kit = new FaultKit(kind, mode, shape, setup, fault)) {
      Outcome first = kit.call();
      kit.checkFirst(first, shape, expect);
      kit.heal();
      kit.checkRepeat(first, kit.call());
    }
  }

  /** Heals the primary: it answers healthily from now on (a dead end's port gets a healthy server). */
  private void heal() throws Exception {
    if (primary != null) {
      primary.fault = null;
    } else if (setup.primary() != null) {
      setup.primary().heal();
    } else {
      for (AutoCloseable c : blackhole) {
        c.close();
      }
      primary = new Server(kind, null, deadPort);
    }
  }

  private Target target(String provider) {
    return new Target(provider, kind.model);
  }

  // ---------------------------------------------------------------------------------------------
  // Calls

  private Outcome call() {
    CallContext context = CallContext.builder().tenant("acme").timeout(setup.timeout()).build();
    long before = recorder.lastCall.get();
    long start = System.nanoTime();
    ChatStream stream = null;
    StringBuilder delivered = new StringBuilder();
    Usage usage = null;
    AiGatewayException error = null;
    String text = null;
    ResponseMetadata metadata = null;
    try {
      if (mode == Mode.BLOCKING) {
        ChatResponse response = gateway.chat(REQUEST, context);
        text = response.text();
        usage = response.usage().orElse(null);
        metadata = response.metadata();
      } else {
        stream = gateway.stream(REQUEST, context);
        for (ChatChunk chunk : stream) {
          delivered.append(chunk.text());
          usage = chunk.usage().orElse(usage);
        }
        text = delivered.toString();
        metadata = stream.metadata();
      }
    } catch (AiGatewayException e) {
      error = e;
    } catch (RuntimeException e) {
      throw new AssertionError("the gateway must fail only with AiGatewayExceptions, threw " + e, e);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    // before the caller closes anything: the gateway released the connection itself (ended, failed or cut off)
    Driver.awaitTrue("no HTTP connection is left in use", () -> connectionsInUse() <= connectionsInUse);
    if (stream != null) {
      stream.close();
    }
    long call = recorder.lastCall.get();
    assertThat(call).as("the call reported callStart").isGreaterThan(before);
    return new Outcome(call, text, usage, metadata, error, stream != null, delivered.toString(), elapsed);
  }

  // ---------------------------------------------------------------------------------------------
  // Checks

  private void checkFirst(Outcome o, Shape shape, Expect expect) {
    String cell = kind + " " + mode + " " + shape;
    if (expect.error() == null) {
      assertThat(o.error()).as(cell + ": served by the " + expect.servedBy() + ", got %s", o.error()).isNull();
      assertServed(o, expect.servedBy());
      if (backup != null) {
        assertThat(backup.chats.get()).as(cell + ": requests to the backup").isEqualTo(expect.servedBy().equals(BACKUP) ? 1 : 0);
      }
    } else {
      Class<? extends AiGatewayException> type = shape == Shape.BOTH_FAIL ? NoRouteAvailableException.class : expect.error();
      assertThat(o.error()).as(cell + ": the typed error").isInstanceOf(type);
      if (shape != Shape.BOTH_FAIL) {
        assertThat(expect.check().test(o.error())).as(cell + ": the error is as documented: " + o.error()).isTrue();
      }
      if (mode == Mode.STREAM) {
        assertThat(o.opened()).as(cell + ": failed " + (expect.midStream() ? "after" : "before") + " the first chunk: " + o.error())
            .isEqualTo(expect.midStream());
      }
      if (backup != null && shape == Shape.FALLBACK) {
        assertThat(backup.chats.get()).as(cell + ": no fallback after this error").isZero();
      }
    }
    if (o.error() instanceof NoRouteAvailableException none) {
      assertThat(none.attempts()).extracting(Attempt::target).contains(target(PRIMARY), target(BACKUP));
    }
    checkDeadline(o);
    List<CallEvents.Event> events = recorder.check(o);
    if (expect.primaryAttempts() >= 0) {
      assertThat(events).as(cell + ": attempts on the primary").filteredOn(e -> e.type().equals("attemptStart")
          && e.target().provider().equals(PRIMARY)).hasSize(expect.primaryAttempts());
      if (primary != null) {
        // never more requests than attempts (no hidden transport retries); fewer when an attempt timed out before the server read it
        assertThat(primary.chats.get()).as(cell + ": requests that reached the primary").isBetween(1, expect.primaryAttempts());
      }
    }
    assertThat(events).filteredOn(e -> e.type().equals("retry") && e.target().provider().equals(PRIMARY))
        .allSatisfy(e -> assertThat(e.delay()).as("the primary's retry delay").isEqualTo(expect.retryDelay()));
    checkLedger(o);
    assertThat(cache.stats().entries()).as(cell + ": cached entries (nothing partial, nothing failed)").isEqualTo(o.ok() ? 1 : 0);
  }

  private void checkRepeat(Outcome first, Outcome again) {
    String cell = kind + " " + mode + " repeat";
    List<CallEvents.Event> events = recorder.check(again);
    if (first.ok()) {
      assertThat(again.error()).as(cell).isNull();
      assertThat(again.metadata().cacheStatus()).as(cell + ": the complete answer was cached").isEqualTo(CacheStatus.HIT);
      assertThat(again.text()).isEqualTo(ProviderKind.ANSWER);
      assertThat(events).extracting(e -> e.type()).contains("cacheHit").doesNotContain("attemptStart");
    } else {
      assertThat(events).as(cell + ": a failed call left nothing in the cache").extracting(e -> e.type())
          .contains("cacheMiss", "attemptStart");
      assertThat(again.error()).as(cell + ": after healing, the primary serves").isNull();
      assertServed(again, PRIMARY);
      assertThat(again.metadata().cacheStatus()).isEqualTo(CacheStatus.MISS);
    }
    checkDeadline(again);
    checkLedger(again);
    assertThat(cache.stats().entries()).as(cell + ": cached entries").isEqualTo(first.ok() || again.ok() ? 1 : 0);
  }

  private void assertServed(Outcome o, String provider) {
    assertThat(o.text()).isEqualTo(ProviderKind.ANSWER);
    assertThat(o.metadata().target()).contains(target(provider));
    if (setup.primary() == null || provider.equals(BACKUP)) {
      assertThat(o.usage()).as("the usage the provider reported").isEqualTo(Usage.of(ProviderKind.INPUT, ProviderKind.OUTPUT));
    } else {
      assertThat(o.usage()).as("the usage the provider reported").isNotNull()
          .satisfies(u -> assertThat(u.estimated()).isFalse(), u -> assertThat(u.totalTokens()).isPositive());
    }
  }

  private void checkDeadline(Outcome o) {
    assertThat(o.elapsed()).as("the call outlived its deadline of " + setup.timeout()).isLessThan(setup.timeout().plus(SLACK));
    if (o.error() instanceof DeadlineExceededException) {
      assertThat(o.elapsed()).as("ended by the deadline, not before it").isGreaterThanOrEqualTo(setup.timeout().minusMillis(20));
    }
  }

  /** The ledger holds exactly the usage of the served calls and the counted tokens of streams cut off after they started. */
  private void checkLedger(Outcome o) {
    if (o.ok() && o.metadata().cacheStatus() != CacheStatus.HIT) {
      ledger += o.usage().totalTokens();
    } else if (!o.ok() && o.opened()) {
      // documented: a stream cut off part way is charged its input and the tokens it delivered, counted locally
      TokenCounter counter = TokenCounter.forModel(kind.model);
      ledger += counter.count(REQUEST) + counter.count(o.delivered());
    }
    assertThat(budgets.used(COUNTER, Window.day(), Instant.now())).as("the budget store's ledger").isEqualTo(ledger);
    assertThat(gateway.budgetUsage("tenant", "acme").get(0).used()).as("the gateway's budget usage")
        .isEqualByComparingTo(BigDecimal.valueOf(ledger));
  }

  // ---------------------------------------------------------------------------------------------
  // Resources

  /** The connection pool every HTTP provider shares (HttpTransport's one OkHttpClient). */
  private static ConnectionPool sharedPool() {
    try {
      var field = HttpTransport.class.getDeclaredField("SHARED");
      field.setAccessible(true);
      return ((OkHttpClient) field.get(null)).connectionPool();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("HttpTransport.SHARED is no longer reachable; update the suite", e);
    }
  }

  /** How many connections of the shared pool are in use: idle ones are evicted first. */
  private static int connectionsInUse() {
    ConnectionPool pool = sharedPool();
    pool.evictAll();
    return pool.connectionCount();
  }

  private static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
  }

  /** Threads started during the cell that are still alive, except the JVM-wide daemon pools that idle on purpose. */
  private List<String> leakedThreads() {
    return liveThreads().stream().filter(t -> !threadsBefore.contains(t))
        .filter(t -> !(t.isDaemon() && SHARED_DAEMONS.stream().anyMatch(t.getName()::startsWith)))
        .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : "") + " " + t.getState())
        .toList();
  }

  /** A loopback port nothing listens on: connections are refused. */
  private int refusingPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * A loopback listener whose accept queue is full: it never accepts, so once the kernel's queue
   * holds {@link #queueRoom} connections (backlog + 1 on Linux, measured once), further connects
   * get no answer and time out.
   */
  private int blackholePort() throws IOException {
    ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    blackhole.add(listener);
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    synchronized (FaultKit.class) {
      for (int i = 0; queueRoom < 0 ? i < 8 : i < queueRoom; i++) {
        Socket filler = new Socket();
        try {
          filler.connect(address, 200);
          blackhole.add(filler);
        } catch (SocketTimeoutException full) {
          filler.close();
          queueRoom = i;
        }
      }
      if (queueRoom < 0) {
        throw new AssertionError("could not fill the accept queue of a loopback listener; no blackhole");
      }
    }
    return listener.getLocalPort();
  }

  private static int queueRoom = -1;

  @Override
  public void close() throws Exception {
    gateway.close();
    for (Server server : new Server[] {primary, backup}) {
      if (server != null) {
        server.server.close();
      }
    }
    if (setup.primary() != null) {
      setup.primary().close();
    }
    for (AutoCloseable c : blackhole) {
      c.close();
    }
    budgets.close();
    cache.close();
    Driver.awaitTrue("no thread the cell started is left running", () -> leakedThreads().isEmpty());
  }

  // ---------------------------------------------------------------------------------------------

  /** A dropped or cut connection: retryable, and no timeout. */
  static boolean droppedConnection(ProviderException e) {
    return e.retryable() && !(e instanceof ProviderTimeoutException);
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  static MockResponse sse(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream").body(body).build();
  }

  /** The healthy answer of {@code kind}. */
  static MockResponse healthy(ProviderKind kind, boolean stream) {
    return stream ? sse(kind.streamHead() + kind.streamTail()) : json(200, kind.answerJson());
  }

  /** A loopback MockWebServer that answers chat requests healthily, or with a fault. */
  private static final class Server extends Dispatcher {
    final MockWebServer server = new MockWebServer();
    final AtomicInteger chats = new AtomicInteger();
    private final ProviderKind kind;
    volatile @Nullable Respond fault;

    Server(ProviderKind kind, @Nullable Respond fault) throws IOException {
      this(kind, fault, 0);
    }

    Server(ProviderKind kind, @Nullable Respond fault, int port) throws IOException {
      this.kind = kind;
      this.fault = fault;
      server.setDispatcher(this);
      server.setServerSocketFactory(new NoDelay());
      server.start(InetAddress.getLoopbackAddress(), port);
    }

    String url() {
      return "http://127.0.0.1:" + server.getPort();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!"POST".equals(request.getMethod())) {
        return new MockResponse.Builder().code(404).build();
      }
      chats.incrementAndGet();
      boolean stream = kind.isStream(request);
      Respond f = fault;
      return f != null ? f.to(kind, stream) : healthy(kind, stream);
    }
  }

  /**
   * Listeners whose connections send at once (TCP_NODELAY): MockWebServer writes a response's
   * headers and body apart, and with Nagle's algorithm the body would wait for the client's
   * delayed ACK, 40 ms per exchange on Linux loopback.
   */
  static final class NoDelay extends ServerSocketFactory {
    private final @Nullable List<Socket> accepted;

    NoDelay() {
      this(null);
    }

    /** Also records every connection accepted, in {@code accepted}. */
    NoDelay(@Nullable List<Socket> accepted) {
      this.accepted = accepted;
    }

    private ServerSocket socket() throws IOException {
      return new ServerSocket() {
        @Override
        public Socket accept() throws IOException {
          Socket socket = super.accept();
          socket.setTcpNoDelay(true);
          if (accepted != null) {
            accepted.add(socket);
          }
          return socket;
        }
      };
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return socket();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return createServerSocket(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      return createServerSocket(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, @Nullable InetAddress address) throws IOException {
      ServerSocket s = socket();
      s.bind(new InetSocketAddress(address, port), backlog);
      return s;
    }
  }
}
