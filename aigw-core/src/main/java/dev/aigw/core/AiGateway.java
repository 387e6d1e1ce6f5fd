package dev.aigw.core;

import dev.aigw.api.BudgetUsage;
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
import dev.aigw.core.access.AccessPolicy;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.budget.BudgetStore;
import dev.aigw.core.budget.InMemoryBudgetStore;
import dev.aigw.core.cache.CacheStore;
import dev.aigw.core.cache.InMemoryCacheStore;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.catalog.ModelCatalog;
import dev.aigw.core.context.ContextFitting;
import dev.aigw.core.context.ConversationMemory;
import dev.aigw.core.guardrail.Guardrail;
import dev.aigw.core.guardrail.StructuredOutput;
import dev.aigw.core.internal.AccessCheck;
import dev.aigw.core.internal.BudgetInterceptor;
import dev.aigw.core.internal.CacheInterceptor;
import dev.aigw.core.internal.ContextFitter;
import dev.aigw.core.internal.ConversationMemoryInterceptor;
import dev.aigw.core.internal.InputGuard;
import dev.aigw.core.internal.OutputGuard;
import dev.aigw.core.internal.Router;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.Route;
import dev.aigw.core.routing.RouteOptions;
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
 * through an interceptor chain (policies) and a router (routing policies, retries, circuit
 * breakers, bulkheads, fallback and hedging across targets; see {@link Route} and {@link
 * Resilience}). Every answer carries its attempts and, when the {@linkplain ModelCatalog model
 * catalog} prices its model, its exact cost.
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
  private final Router router;
  private final @Nullable BudgetInterceptor budgets;
  private final List<Provider> providers;
  private final @Nullable ExecutorService ownedExecutor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AiGateway(
      GatewayCore core, Router router, @Nullable BudgetInterceptor budgets, List<Provider> providers,
      @Nullable ExecutorService ownedExecutor) {
    this.core = core;
    this.router = router;
    this.budgets = budgets;
    this.providers = providers;
    this.ownedExecutor = ownedExecutor;
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Same as {@link #chat(ChatRequest, CallContext)} with an empty context.
   *
   * @param request the request
   * @return the answer
   */
  public ChatResponse chat(ChatRequest request) {
    return chat(request, CallContext.empty());
  }

  /**
   * Sends a chat request and blocks for the answer.
   *
   * @param request the request
   * @param context the call's tenant, deadline, cancellation, cache policy and hints
   * @return the answer
   * @throws dev.aigw.api.AiGatewayException when the call fails; see its subclasses
   * @throws IllegalStateException when the gateway is closed
   */
  public ChatResponse chat(ChatRequest request, CallContext context) {
    checkCall(request, context);
    return core.chat(request, context);
  }

  /**
   * Same as {@link #chatAsync(ChatRequest, CallContext)} with an empty context.
   *
   * @param request the request
   * @return a future of the answer
   */
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return chatAsync(request, CallContext.empty());
  }

  /**
   * Sends a chat request on the gateway's executor. The future completes with the answer or an
   * {@link dev.aigw.api.AiGatewayException}; at the deadline it completes exceptionally at once.
   * Cancelling the future cancels the call and its upstream request.
   *
   * @param request the request
   * @param context the call's tenant, deadline, cancellation, cache policy and hints
   * @return a future of the answer
   * @throws IllegalStateException when the gateway is closed
   */
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, CallContext context) {
    checkCall(request, context);
    return core.chatAsync(request, context);
  }

  /**
   * Same as {@link #stream(ChatRequest, CallContext)} with an empty context.
   *
   * @param request the request
   * @return the answer as a stream, to be closed
   */
  public ChatStream stream(ChatRequest request) {
    return stream(request, CallContext.empty());
  }

  /**
   * Sends a chat request and returns the answer as a stream, once its first chunk has arrived
   * (so the router can still fall back when a target fails before that). Close the stream.
   *
   * @param request the request
   * @param context the call's tenant, deadline, cancellation, cache policy and hints
   * @return the answer as a stream, to be closed
   * @throws dev.aigw.api.AiGatewayException when the call fails before streaming starts
   * @throws IllegalStateException when the gateway is closed
   */
  public ChatStream stream(ChatRequest request, CallContext context) {
    checkCall(request, context);
    return core.stream(request, context);
  }

  /**
   * Same as {@link #embed(EmbeddingRequest, CallContext)} with an empty context.
   *
   * @param request the request
   * @return the embeddings
   */
  public EmbeddingResponse embed(EmbeddingRequest request) {
    return embed(request, CallContext.empty());
  }

  /**
   * Embeds texts. Embeddings are routed (with fallback and the access policy), counted against
   * the budgets, timed and reported to listeners; the chat interceptors (guardrails, cache, your
   * own) do not apply to them.
   *
   * @param request the request
   * @param context the call's tenant, deadline, cancellation and hints
   * @return the embeddings, one per input
   * @throws dev.aigw.api.AiGatewayException when the call fails
   * @throws IllegalStateException when the gateway is closed
   */
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    checkCall(request, context);
    return core.embed(request, context);
  }

  /**
   * {@return the usage of each limit of the budget named {@code budget} for one scope key (the
   * tenant id, user id, tag, model or custom key), now: what is used (reconciled usage and
   * reservations in flight), the limit, what remains and when the window resets}
   *
   * <pre>{@code
   * for (BudgetUsage u : gateway.budgetUsage("tenant", "acme")) {
   *   System.out.println(u.measure() + " per " + u.window() + ": " + u.remaining() + " left until " + u.resetsAt());
   * }
   * }</pre>
   *
   * @param budget the budget's name
   * @param key the scope key
   * @throws IllegalArgumentException when no budget has that name or it is global (use {@link #budgetUsage(String)})
   */
  public List<BudgetUsage> budgetUsage(String budget, String key) {
    Objects.requireNonNull(key, "key");
    return budgets(budget).usage(budget, key);
  }

  /**
   * {@return the usage of each limit of the global budget named {@code budget}, now}
   *
   * @param budget the global budget's name
   * @throws IllegalArgumentException when no budget has that name or it is not global
   */
  public List<BudgetUsage> budgetUsage(String budget) {
    return budgets(budget).usage(budget, null);
  }

  private BudgetInterceptor budgets(String budget) {
    Objects.requireNonNull(budget, "budget");
    if (budgets == null) {
      throw new IllegalArgumentException("no budget named '" + budget + "': the gateway has no budgets");
    }
    return budgets;
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
    router.close();
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
    private final Map<String, Router.ConfiguredRoute> routes = new LinkedHashMap<>();
    private final Map<String, Resilience> resilienceOverrides = new LinkedHashMap<>();
    private @Nullable Resilience resilience;
    private @Nullable ModelCatalog catalog;
    private @Nullable ResponseCache cache;
    private final List<Budget> budgetList = new ArrayList<>();
    private final List<Guardrail> guardrails = new ArrayList<>();
    private @Nullable AccessPolicy accessPolicy;
    private @Nullable StructuredOutput structuredOutput;
    private @Nullable BudgetStore budgetStore;
    private final List<Interceptor> interceptors = new ArrayList<>();
    private final List<Interceptor> attemptInterceptors = new ArrayList<>();
    private final List<GatewayListener.Factory> listeners = new ArrayList<>();
    private @Nullable TimeSource clock;
    private @Nullable Executor executor;
    private @Nullable ContextFitting contextFitting;
    private @Nullable ConversationMemory conversationMemory;

    private Builder() {}

    /**
     * Registers a provider under its {@link Provider#id()}. It serves chat if it is a
     * {@link ChatProvider} and embeddings if it is an {@link EmbeddingProvider}. The gateway
     * closes it when the gateway closes.
     *
     * @param provider a provider, registered under its {@link Provider#id()}
     * @return this builder
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
     * @param alias the alias requests use as their model
     * @param route the targets and how to choose among them
     * @return this builder
     * @throws IllegalArgumentException when the alias is blank, contains '/', or is taken
     */
    public Builder route(String alias, Route route) {
      return route(alias, route, RouteOptions.defaults());
    }

    /**
     * Maps an alias to a route with options (hedging, fallback on content filter).
     *
     * @param alias the alias requests use as their model
     * @param route the targets and how to choose among them
     * @param options the route's options
     * @return this builder
     * @throws IllegalArgumentException when the alias is blank, contains '/', or is taken
     */
    public Builder route(String alias, Route route, RouteOptions options) {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(route, "route");
      Objects.requireNonNull(options, "options");
      if (alias.isBlank() || alias.indexOf('/') >= 0) {
        throw new IllegalArgumentException("route alias must be non-blank and contain no '/', was '" + alias + "'");
      }
      if (routes.putIfAbsent(alias, new Router.ConfiguredRoute(route, options)) != null) {
        throw new IllegalArgumentException("route alias '" + alias + "' is registered twice");
      }
      return this;
    }

    /**
     * Turns on the response cache (none by default). It runs after the application
     * interceptors added with {@link #interceptor}, so its keys see the request as they left it.
     *
     * @param cache the response cache (none by default)
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder cache(ResponseCache cache) {
      Objects.requireNonNull(cache, "cache");
      if (this.cache != null) {
        throw new IllegalStateException("cache was already set");
      }
      this.cache = cache;
      return this;
    }

    /**
     * Which tenants may use which models, targets, providers and regions (none by default: every
     * call may use everything). Checked before the guardrails, the cache and the budgets (only
     * conversation memory and the interceptors added with {@link #interceptor} run earlier), and
     * applied by the router to every candidate, fallbacks included.
     *
     * @param accessPolicy which tenants may use which models, targets, providers and regions (none
     *     by default: every call may use everything)
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder accessPolicy(AccessPolicy accessPolicy) {
      Objects.requireNonNull(accessPolicy, "accessPolicy");
      if (this.accessPolicy != null) {
        throw new IllegalStateException("accessPolicy was already set");
      }
      this.accessPolicy = accessPolicy;
      return this;
    }

    /**
     * Adds a guardrail. Guardrails run in the order added: on input, after the application
     * interceptors and before the cache, so masked values never reach a cache key, a budget
     * estimate or a provider; on output, before an answer is cached. See {@link Guardrail}.
     *
     * @param guardrail a guardrail
     * @return this builder
     * @throws IllegalArgumentException when another guardrail has the same name
     */
    public Builder guardrail(Guardrail guardrail) {
      Objects.requireNonNull(guardrail, "guardrail");
      for (Guardrail g : guardrails) {
        if (g.name().equals(guardrail.name())) {
          throw new IllegalArgumentException("two guardrails are named '" + guardrail.name() + "'");
        }
      }
      guardrails.add(guardrail);
      return this;
    }

    /**
     * What happens to answers of requests that ask for JSON matching a schema; {@link
     * StructuredOutput#validate()} (validate, re-ask twice) by default.
     *
     * @param structuredOutput what happens to answers of requests that ask for JSON matching a
     *     schema; {@link StructuredOutput#validate()} (validate, re-ask twice) by default
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder structuredOutput(StructuredOutput structuredOutput) {
      Objects.requireNonNull(structuredOutput, "structuredOutput");
      if (this.structuredOutput != null) {
        throw new IllegalStateException("structuredOutput was already set");
      }
      this.structuredOutput = structuredOutput;
      return this;
    }

    /**
     * Adds a budget or rate limit (see {@link Budget}). Every budget that applies to a call must
     * admit it: its estimate is reserved against all of them at once before the router runs, and
     * reconciled to the call's usage after. Budgets run after the response cache, so a hit spends
     * nothing.
     *
     * @param budget a budget or rate limit (see {@link Budget})
     * @return this builder
     * @throws IllegalArgumentException when the budget has no limits, or another budget has its name
     */
    public Builder budget(Budget budget) {
      Objects.requireNonNull(budget, "budget");
      if (budget.limits().isEmpty()) {
        throw new IllegalArgumentException("budget '" + budget.name() + "' has no limits; add one, for example tokensPerDay(...)");
      }
      for (Budget b : budgetList) {
        if (b.name().equals(budget.name())) {
          throw new IllegalArgumentException("two budgets are named '" + budget.name() + "'; give one another name with named(...)");
        }
      }
      budgetList.add(budget);
      return this;
    }

    /**
     * Where budget counters live; an {@link InMemoryBudgetStore} on the gateway's clock by
     * default. A supplied store is not closed by {@link AiGateway#close()}.
     *
     * @param store the store
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder budgetStore(BudgetStore store) {
      Objects.requireNonNull(store, "budgetStore");
      if (this.budgetStore != null) {
        throw new IllegalStateException("budgetStore was already set");
      }
      this.budgetStore = store;
      return this;
    }

    /**
     * The model catalog for context windows, capabilities and prices; {@link
     * ModelCatalog#defaults()} (derived from LiteLLM's price table) by default. Add self-hosted
     * models or override prices with {@code ModelCatalog.defaults().toBuilder()}.
     *
     * @param catalog the model catalog for context windows, capabilities and prices; {@link
     *     ModelCatalog#defaults()} (derived from LiteLLM's price table) by default
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder catalog(ModelCatalog catalog) {
      Objects.requireNonNull(catalog, "catalog");
      if (this.catalog != null) {
        throw new IllegalStateException("catalog was already set");
      }
      this.catalog = catalog;
      return this;
    }

    /**
     * The resilience of every target without its own; {@link Resilience#defaults()} by default.
     *
     * @param resilience the resilience of every target without its own; {@link
     *     Resilience#defaults()} by default
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder resilience(Resilience resilience) {
      Objects.requireNonNull(resilience, "resilience");
      if (this.resilience != null) {
        throw new IllegalStateException("resilience was already set");
      }
      this.resilience = resilience;
      return this;
    }

    /**
     * The resilience of one target ({@code "provider/model"}) or of every target of one provider
     * ({@code "provider"}). A target's own setting wins over its provider's, which wins over the
     * gateway-wide one.
     *
     * @param targetOrProvider {@code "provider/model"} or {@code "provider"}
     * @param resilience its resilience
     * @return this builder
     * @throws IllegalArgumentException when {@code targetOrProvider} is blank or already set
     */
    public Builder resilience(String targetOrProvider, Resilience resilience) {
      Objects.requireNonNull(targetOrProvider, "targetOrProvider");
      Objects.requireNonNull(resilience, "resilience");
      if (targetOrProvider.isBlank()) {
        throw new IllegalArgumentException("targetOrProvider must not be blank");
      }
      String key = targetOrProvider.indexOf('/') >= 0 ? Target.parse(targetOrProvider).toString() : targetOrProvider;
      if (resilienceOverrides.putIfAbsent(key, resilience) != null) {
        throw new IllegalArgumentException("resilience for '" + targetOrProvider + "' is set twice");
      }
      return this;
    }

    /**
     * Fits each attempt's request to the context window of the target it goes to, by a policy per
     * route: fail (so the router falls back to a larger window), drop the oldest turns, or
     * summarise them with a summariser route of this gateway. See {@link ContextFitting}. Off by
     * default: requests are sent as they are.
     *
     * @param contextFitting the context-fitting policies, by route
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder contextFitting(ContextFitting contextFitting) {
      Objects.requireNonNull(contextFitting, "contextFitting");
      if (this.contextFitting != null) {
        throw new IllegalStateException("contextFitting was already set");
      }
      this.contextFitting = contextFitting;
      return this;
    }

    /**
     * Keeps conversations by {@link CallContext#conversation()} id, so that a call sends only its
     * new turn: the gateway puts the stored conversation after the request's system messages,
     * first thing in the chain (before the interceptors added with {@link #interceptor}, the
     * guardrails, the cache and the budgets), and appends the exchange when the call succeeds.
     * See {@link ConversationMemory}. None by default. A supplied memory is not closed.
     *
     * @param memory where conversations are kept
     * @return this builder
     * @throws IllegalStateException when already set
     */
    public Builder conversationMemory(ConversationMemory memory) {
      Objects.requireNonNull(memory, "conversationMemory");
      if (this.conversationMemory != null) {
        throw new IllegalStateException("conversationMemory was already set");
      }
      this.conversationMemory = memory;
      return this;
    }

    /**
     * Adds an application interceptor: once per logical call, in the order added.
     *
     * @param interceptor an application interceptor: once per logical call, in the order added
     * @return this builder
     */
    public Builder interceptor(Interceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * Adds an attempt interceptor: once per attempt against a concrete target, in the order added.
     *
     * @param interceptor the interceptor
     * @return this builder
     */
    public Builder attemptInterceptor(Interceptor interceptor) {
      attemptInterceptors.add(Objects.requireNonNull(interceptor, "attemptInterceptor"));
      return this;
    }

    /**
     * Adds a listener shared by all calls. Listeners receive events in the order added.
     *
     * @param listener a listener shared by all calls
     * @return this builder
     */
    public Builder listener(GatewayListener listener) {
      Objects.requireNonNull(listener, "listener");
      listeners.add(call -> listener);
      return this;
    }

    /**
     * Adds a factory that creates a listener per call, for listeners with per-call state.
     *
     * @param factory creates one listener per call
     * @return this builder
     */
    public Builder listenerFactory(GatewayListener.Factory factory) {
      listeners.add(Objects.requireNonNull(factory, "listenerFactory"));
      return this;
    }

    /**
     * The time source for deadlines and latencies; {@link TimeSource#system()} by default.
     *
     * @param clock the time source
     * @return this builder
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
     * @param executor the executor
     * @return this builder
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
     * @return the new {@code AiGateway}
     * @throws IllegalStateException when no provider is registered
     * @throws IllegalArgumentException when a route names a provider that is not registered, or the
     *     context fitting names a model or summariser that is neither a route nor a registered
     *     {@code "provider/model"}, or summarises with a route that summarises too
     */
    public AiGateway build() {
      if (providers.isEmpty()) {
        throw new IllegalStateException("no provider registered: add one with provider(...)");
      }
      routes.forEach((alias, configured) -> {
        for (Target target : configured.route().targets()) {
          if (!providers.containsKey(target.provider())) {
            throw new IllegalArgumentException("route '" + alias + "' names target '" + target
                + "', but no provider '" + target.provider() + "' is registered (registered: " + providers.keySet() + ")");
          }
        }
      });
      resilienceOverrides.keySet().forEach(key -> {
        String provider = key.indexOf('/') >= 0 ? key.substring(0, key.indexOf('/')) : key;
        if (!providers.containsKey(provider)) {
          throw new IllegalArgumentException("resilience is set for '" + key + "', but no provider '" + provider
              + "' is registered (registered: " + providers.keySet() + ")");
        }
      });
      for (Budget budget : budgetList) {
        String alias = budget.downgradeAlias().orElse(null);
        if (alias != null && !routes.containsKey(alias)
            && !(alias.indexOf('/') > 0 && providers.containsKey(alias.substring(0, alias.indexOf('/'))))) {
          throw new IllegalArgumentException("budget '" + budget.name() + "' downgrades to '" + alias
              + "', which is neither a route alias " + routes.keySet() + " nor 'provider/model' with a registered provider");
        }
      }
      if (accessPolicy != null) {
        for (String provider : accessPolicy.taggedProviders()) {
          if (!providers.containsKey(provider)) {
            throw new IllegalArgumentException("the access policy tags provider '" + provider + "' with a region, but no such provider is registered (registered: "
                + providers.keySet() + ")");
          }
        }
      }
      ContextFitter fitter = null;
      if (contextFitting != null) {
        ContextFitter.validate(contextFitting, routes.keySet(), providers::containsKey);
        fitter = new ContextFitter(contextFitting);
      }
      Resilience fallbackResilience = resilience != null ? resilience : Resilience.defaults();
      Map<String, Resilience> overrides = Map.copyOf(resilienceOverrides);
      java.util.function.Function<Target, Resilience> resilienceOf = target -> {
        Resilience own = overrides.get(target.toString());
        if (own == null) {
          own = overrides.get(target.provider());
        }
        return own != null ? own : fallbackResilience;
      };
      TimeSource time = clock != null ? clock : TimeSource.system();
      ThreadPoolExecutor owned = null;
      Executor chosen = executor;
      if (chosen == null) {
        owned = defaultExecutor();
        chosen = owned;
      }
      Router router = new Router(routes, providers, attemptInterceptors,
          catalog != null ? catalog : ModelCatalog.defaults(), resilienceOf, time, accessPolicy, fitter);
      List<Interceptor> chain = new ArrayList<>();
      if (conversationMemory != null) {
        chain.add(new ConversationMemoryInterceptor(conversationMemory));
      }
      chain.addAll(interceptors);
      if (accessPolicy != null) {
        chain.add(new AccessCheck(router));
      }
      if (!guardrails.isEmpty()) {
        chain.add(new InputGuard(guardrails));
      }
      if (cache != null) {
        CacheStore store = cache.store().orElseGet(() -> InMemoryCacheStore.builder().timeSource(time).build());
        Map<String, Router.ConfiguredRoute> routesByAlias = Map.copyOf(routes);
        chain.add(new CacheInterceptor(cache, store, model -> {
          Router.ConfiguredRoute route = routesByAlias.get(model);
          return route == null || route.options().coalesceCacheMisses();
        }, time));
      }
      OutputGuard outputGuard = new OutputGuard(guardrails, structuredOutput != null ? structuredOutput : StructuredOutput.validate());
      if (outputGuard.active()) {
        chain.add(outputGuard);
      }
      BudgetInterceptor budgets = null;
      if (!budgetList.isEmpty()) {
        budgets = new BudgetInterceptor(budgetList, budgetStore != null ? budgetStore : new InMemoryBudgetStore(), router, time);
        chain.add(budgets);
      }
      GatewayCore core = new GatewayCore(chain, router, budgets, new Listeners(listeners), time, chosen);
      if (fitter != null) {
        fitter.connect(core);
      }
      return new AiGateway(core, router, budgets, List.copyOf(providers.values()), owned);
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
