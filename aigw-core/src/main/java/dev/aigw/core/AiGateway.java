package dev.aigw.core;

import dev.aigw.api.CallContext;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.EmbeddingProvider;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.Interceptor;
import dev.aigw.api.Provider;
import dev.aigw.api.Target;
import dev.aigw.api.TimeSource;
import dev.aigw.core.internal.GatewayCore;
import dev.aigw.core.internal.Listeners;
import dev.aigw.core.internal.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An AI gateway inside the JVM: one API over many model providers, with every call passing
 * through an interceptor chain (policies) and a router (fallback across targets).
 *
 * <pre>{@code
 * try (AiGateway gateway = AiGateway.builder()
 *     .provider(openAi)
 *     .provider(anthropic)
 *     .route("chat", Route.fallback("openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"))
 *     .build()) {
 *   ChatResponse answer = gateway.chat(ChatRequest.of("chat", "Hello"), CallContext.tenant("acme"));
 * }
 * }</pre>
 *
 * <p>A request's model is a route alias or {@code "provider/model"}. Calls are blocking
 * ({@link #chat}), async ({@link #chatAsync}) or streaming ({@link #stream}); all three pass
 * through the same interceptors, honour the context's deadline (ending with a {@link
 * dev.aigw.api.DeadlineExceededException} and cancelling the upstream call), and fail only with
 * {@link dev.aigw.api.AiGatewayException}s.
 *
 * <p>Thread-safe; build one per application and share it. Closing it closes its providers and
 * its own async executor.
 */
public final class AiGateway implements AutoCloseable {
  private final GatewayCore core;
  private final List<Provider> providers;
  private final @Nullable ExecutorService ownedExecutor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AiGateway(GatewayCore core, List<Provider> providers, @Nullable ExecutorService ownedExecutor) {
    this.core = core;
    this.providers = providers;
    this.ownedExecutor = ownedExecutor;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Same as {@link #chat(ChatRequest, CallContext)} with an empty context. */
  public ChatResponse chat(ChatRequest request) {
    return chat(request, CallContext.empty());
  }

  /**
   * Sends a chat request and blocks for the answer.
   *
   * @throws dev.aigw.api.AiGatewayException when the call fails; see its subclasses
   * @throws IllegalStateException when the gateway is closed
   */
  public ChatResponse chat(ChatRequest request, CallContext context) {
    checkCall(request, context);
    return core.chat(request, context);
  }

  /** Same as {@link #chatAsync(ChatRequest, CallContext)} with an empty context. */
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return chatAsync(request, CallContext.empty());
  }

  /**
   * Sends a chat request on the gateway's executor. The future completes with the answer or an
   * {@link dev.aigw.api.AiGatewayException}; at the deadline it completes exceptionally at once.
   * Cancelling the future cancels the call and its upstream request.
   *
   * @throws IllegalStateException when the gateway is closed
   */
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, CallContext context) {
    checkCall(request, context);
    return core.chatAsync(request, context);
  }

  /** Same as {@link #stream(ChatRequest, CallContext)} with an empty context. */
  public ChatStream stream(ChatRequest request) {
    return stream(request, CallContext.empty());
  }

  /**
   * Sends a chat request and returns the answer as a stream, once its first chunk has arrived
   * (so the router can still fall back when a target fails before that). Close the stream.
   *
   * @throws dev.aigw.api.AiGatewayException when the call fails before streaming starts
   * @throws IllegalStateException when the gateway is closed
   */
  public ChatStream stream(ChatRequest request, CallContext context) {
    checkCall(request, context);
    return core.stream(request, context);
  }

  /** Same as {@link #embed(EmbeddingRequest, CallContext)} with an empty context. */
  public EmbeddingResponse embed(EmbeddingRequest request) {
    return embed(request, CallContext.empty());
  }

  /**
   * Embeds texts. Embeddings are routed (with fallback), timed and reported to listeners; the
   * chat interceptors do not apply to them.
   *
   * @throws dev.aigw.api.AiGatewayException when the call fails
   * @throws IllegalStateException when the gateway is closed
   */
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    checkCall(request, context);
    return core.embed(request, context);
  }

  private void checkCall(Object request, Object context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    if (closed.get()) {
      throw new IllegalStateException("the gateway is closed");
    }
  }

  /**
   * Closes the gateway: new calls are refused, async calls that have not started fail, the
   * gateway's own executor stops (a user-supplied one is left alone) and every provider is
   * closed. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (ownedExecutor != null) {
      for (Runnable dropped : ownedExecutor.shutdownNow()) {
        GatewayCore.abandon(dropped);
      }
    }
    RuntimeException failure = null;
    for (Provider provider : providers) {
      try {
        provider.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Builds an {@link AiGateway}. Each setter checks its argument at once: {@code null} gives a
   * {@link NullPointerException} naming the argument, any other bad value an {@link
   * IllegalArgumentException} that says what is wrong.
   */
  public static final class Builder {
    private static final Pattern PROVIDER_ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final List<Interceptor> interceptors = new ArrayList<>();
    private final List<Interceptor> attemptInterceptors = new ArrayList<>();
    private final List<GatewayListener.Factory> listeners = new ArrayList<>();
    private @Nullable TimeSource clock;
    private @Nullable Executor executor;

    private Builder() {}

    /**
     * Registers a provider under its {@link Provider#id()}. It serves chat if it is a
     * {@link ChatProvider} and embeddings if it is an {@link EmbeddingProvider}. The gateway
     * closes it when the gateway closes.
     *
     * @throws IllegalArgumentException when the id is not lower-case {@code [a-z0-9._-]}, or is taken
     */
    public Builder provider(Provider provider) {
      Objects.requireNonNull(provider, "provider");
      String id = provider.id();
      if (id == null || !PROVIDER_ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "provider id must be lower-case letters, digits, '.', '_' or '-', was '" + id + "' ("
                + provider.getClass().getName() + ")");
      }
      if (!(provider instanceof ChatProvider) && !(provider instanceof EmbeddingProvider)) {
        throw new IllegalArgumentException("provider '" + id + "' is neither a ChatProvider nor an EmbeddingProvider");
      }
      if (providers.putIfAbsent(id, provider) != null) {
        throw new IllegalArgumentException("provider id '" + id + "' is registered twice");
      }
      return this;
    }

    /**
     * Maps an alias to a route. Requests whose model is {@code alias} follow the route; aliases
     * are looked up before {@code "provider/model"} addresses.
     *
     * @throws IllegalArgumentException when the alias is blank, contains '/', or is taken
     */
    public Builder route(String alias, Route route) {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(route, "route");
      if (alias.isBlank() || alias.indexOf('/') >= 0) {
        throw new IllegalArgumentException("route alias must be non-blank and contain no '/', was '" + alias + "'");
      }
      if (routes.putIfAbsent(alias, route) != null) {
        throw new IllegalArgumentException("route alias '" + alias + "' is registered twice");
      }
      return this;
    }

    /** Adds an application interceptor: once per logical call, in the order added. */
    public Builder interceptor(Interceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** Adds an attempt interceptor: once per attempt against a concrete target, in the order added. */
    public Builder attemptInterceptor(Interceptor interceptor) {
      attemptInterceptors.add(Objects.requireNonNull(interceptor, "attemptInterceptor"));
      return this;
    }

    /** Adds a listener shared by all calls. Listeners receive events in the order added. */
    public Builder listener(GatewayListener listener) {
      Objects.requireNonNull(listener, "listener");
      listeners.add(call -> listener);
      return this;
    }

    /** Adds a factory that creates a listener per call, for listeners with per-call state. */
    public Builder listenerFactory(GatewayListener.Factory factory) {
      listeners.add(Objects.requireNonNull(factory, "listenerFactory"));
      return this;
    }

    /**
     * The time source for deadlines and latencies; {@link TimeSource#system()} by default.
     *
     * @throws IllegalStateException when already set
     */
    public Builder clock(TimeSource clock) {
      Objects.requireNonNull(clock, "clock");
      if (this.clock != null) {
        throw new IllegalStateException("clock was already set");
      }
      this.clock = clock;
      return this;
    }

    /**
     * The executor for async calls and stream publishers. A supplied executor is not shut down
     * by {@link AiGateway#close()}. By default the gateway creates a bounded pool of
     * {@code max(4, 2 × cores)} daemon threads with a queue of 10,000 calls, and shuts it down
     * on close.
     *
     * @throws IllegalStateException when already set
     */
    public Builder executor(Executor executor) {
      Objects.requireNonNull(executor, "executor");
      if (this.executor != null) {
        throw new IllegalStateException("executor was already set");
      }
      this.executor = executor;
      return this;
    }

    /**
     * Builds the gateway.
     *
     * @throws IllegalStateException when no provider is registered
     * @throws IllegalArgumentException when a route names a provider that is not registered
     */
    public AiGateway build() {
      if (providers.isEmpty()) {
        throw new IllegalStateException("no provider registered: add one with provider(...)");
      }
      Map<String, List<Target>> routeTargets = new LinkedHashMap<>();
      routes.forEach((alias, route) -> {
        for (Target target : route.targets()) {
          if (!providers.containsKey(target.provider())) {
            throw new IllegalArgumentException("route '" + alias + "' names target '" + target
                + "', but no provider '" + target.provider() + "' is registered (registered: " + providers.keySet() + ")");
          }
        }
        routeTargets.put(alias, route.targets());
      });
      ThreadPoolExecutor owned = null;
      Executor chosen = executor;
      if (chosen == null) {
        owned = defaultExecutor();
        chosen = owned;
      }
      GatewayCore core = new GatewayCore(
          interceptors,
          new Router(routeTargets, providers, attemptInterceptors),
          new Listeners(listeners),
          clock != null ? clock : TimeSource.system(),
          chosen);
      return new AiGateway(core, List.copyOf(providers.values()), owned);
    }

    private static ThreadPoolExecutor defaultExecutor() {
      int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
      AtomicInteger count = new AtomicInteger();
      ThreadPoolExecutor pool = new ThreadPoolExecutor(
          threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "aigw-async-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      pool.allowCoreThreadTimeOut(true);
      return pool;
    }
  }
}
