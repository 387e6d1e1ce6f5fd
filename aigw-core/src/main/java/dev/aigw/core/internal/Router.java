package dev.aigw.core.internal;

import dev.aigw.api.AccessDeniedException;
import dev.aigw.api.AiGatewayException;
import dev.aigw.api.Attempt;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.EmbeddingProvider;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.Interceptor;
import dev.aigw.api.ModelRequest;
import dev.aigw.api.NoRouteAvailableException;
import dev.aigw.api.CallInfo;
import dev.aigw.api.Provider;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.RouteHints;
import dev.aigw.api.Target;
import dev.aigw.api.TargetUnavailableException;
import dev.aigw.api.TimeSource;
import dev.aigw.api.Usage;
import dev.aigw.core.access.AccessPolicy;
import dev.aigw.core.catalog.ModelCatalog;
import dev.aigw.core.catalog.ModelInfo;
import dev.aigw.core.pricing.Prices;
import dev.aigw.core.routing.Hedging;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.Route;
import dev.aigw.core.routing.RouteOptions;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The boundary between the application chain and the attempt chains. For each call it plans the
 * candidate targets from the route ({@link RoutePlanner}), drops those the hints and the catalog
 * rule out, and tries the rest: per target with retries, circuit breaker and bulkhead ({@link
 * TargetState}), moving on by the rules in {@link Route}'s Javadoc, optionally hedging. It
 * records every attempt and prices the answer from the catalog.
 */
public final class Router implements Terminal, CallInfo.Topology {
  /** A route with its options, as registered under an alias. */
  public record ConfiguredRoute(Route route, RouteOptions options) {}

  private final Map<String, ConfiguredRoute> routes;
  private final Map<String, Provider> providers;
  private final Map<String, Terminal> chatTerminals;
  private final Interceptor[] attemptInterceptors;
  private final ModelCatalog catalog;
  private final Function<Target, Resilience> resilience;
  private final Clock breakerClock;
  private @Nullable ExecutorService hedgePool;
  private boolean closed;
  private final ConcurrentHashMap<Target, TargetState> states = new ConcurrentHashMap<>();
  /** Routes of direct {@code "provider/model"} calls, parsed once; bounded, since callers choose the strings. */
  private final ConcurrentHashMap<String, ConfiguredRoute> directRoutes = new ConcurrentHashMap<>();
  private static final int MAX_DIRECT_ROUTES = 1024;
  /** Above this many targets, idle ones are forgotten. */
  static final int MAX_TARGET_STATES = 10_000;
  private final TimeSource time;
  private final @Nullable AccessPolicy access;
  private final Function<Target, TargetState> stateOf = this::state;
  private final @Nullable ContextFitter fitter;

  /**
   * @param routes alias to route, already checked against {@code providers}
   * @param providers registered providers by id
   * @param attemptInterceptors run once per attempt, in order
   * @param catalog the model catalog (windows, capabilities, prices)
   * @param resilience the resilience of each target
   * @param clock the gateway's time source
   * @param access the access policy, if any
   * @param fitter fits each attempt's request to its target's context window; {@code null} sends requests as they are
   */
  public Router(
      Map<String, ConfiguredRoute> routes, Map<String, Provider> providers, List<Interceptor> attemptInterceptors,
      ModelCatalog catalog, Function<Target, Resilience> resilience, TimeSource clock, @Nullable AccessPolicy access,
      @Nullable ContextFitter fitter) {
    this.access = access;
    this.fitter = fitter;
    this.routes = Map.copyOf(routes);
    this.providers = Map.copyOf(providers);
    this.attemptInterceptors = attemptInterceptors.toArray(new Interceptor[0]);
    this.catalog = catalog;
    this.resilience = resilience;
    this.breakerClock = new TimeSourceClock(clock);
    this.time = clock;
    Map<String, Terminal> terminals = new HashMap<>();
    providers.forEach((id, provider) -> {
      if (provider instanceof ChatProvider chat) {
        terminals.put(id, new ProviderTerminal(chat));
      }
    });
    this.chatTerminals = Map.copyOf(terminals);
  }

  /**
   * The threads hedged attempts run on: a pool of its own, created on first use, so hedges
   * never wait behind the async calls that wait for them (which a shared bounded pool could
   * make a deadlock). Its threads end after a minute idle; each attempt is bounded by its
   * target's bulkhead.
   */
  private synchronized ExecutorService hedgePool() {
    if (closed) {
      throw new RejectedExecutionException("the gateway is closed");
    }
    if (hedgePool == null) {
      AtomicInteger count = new AtomicInteger();
      hedgePool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "aigw-hedge-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    return hedgePool;
  }

  /** Stops the hedging threads (attempts still running finish or are cancelled by their calls). */
  public synchronized void close() {
    closed = true;
    if (hedgePool != null) {
      hedgePool.shutdown();
    }
  }

  /** The state of {@code target}, created on first use. */
  TargetState state(Target target) {
    TargetState state = states.get(target);
    if (state == null) {
      long now = time.nanoTime();
      if (states.size() >= MAX_TARGET_STATES) {
        forgetIdleTargets(now);
      }
      state = states.computeIfAbsent(target, t -> new TargetState(t, resilience.apply(t), lookup(t), breakerClock));
      state.lastUsedNanos = now;
    }
    return state;
  }

  /**
   * Drops the state of targets idle for an hour with nothing in flight, once there are many:
   * callers choose the model strings of direct calls, so the map must not grow without bound.
   * A forgotten target starts afresh (closed breaker, no latency history) if it is used again.
   */
  private void forgetIdleTargets(long now) {
    long idle = TimeUnit.HOURS.toNanos(1);
    states.values().removeIf(s -> now - s.lastUsedNanos > idle && s.inFlight() == 0);
  }

  private @Nullable ModelInfo lookup(Target target) {
    Optional<ModelInfo> byId = catalog.find(target.provider(), target.model());
    if (byId.isPresent()) {
      return byId.get();
    }
    Provider provider = providers.get(target.provider());
    return provider == null ? null : catalog.find(provider.providerName(), target.model()).orElse(null);
  }

  // ---------------------------------------------------------------------------------------------
  // Entry points

  @Override
  public ChatResponse chat(ChatRequest request, RealChain chain) {
    CallScope scope = chain.scope();
    RequestSize size = scope.sizeOf(request);
    return route(request, size, scope, ChatProvider.class, false,
        (target, control) -> {
          try {
            ContextFitter.Fitted sent = fit(request, target, control);
            return sent.annotate(attemptChain(target, sent.request(), scope, control).proceed(sent.request()));
          } finally {
            control.end();
          }
        },
        (response, state, attempts) -> response.toBuilder()
            .metadata(served(response.metadata(), state, attempts, response.usage().orElse(null))).build(),
        ignored -> {});
  }

  @Override
  public ChatStream stream(ChatRequest request, RealChain chain) {
    CallScope scope = chain.scope();
    RequestSize size = scope.sizeOf(request);
    return route(request, size, scope, ChatProvider.class, true,
        (target, control) -> {
          try {
            ContextFitter.Fitted sent = fit(request, target, control);
            ChatStream stream = attemptChain(target, sent.request(), scope, control).proceedStream(sent.request());
            return AttemptStream.open(sent.annotate(stream), control);
          } catch (RuntimeException e) {
            control.end();
            throw e;
          }
        },
        (opened, state, attempts) -> ChatStream.of(opened)
            .withMetadata(ignored -> served(opened.metadata(), state, attempts, opened.usage)),
        AttemptStream::close);
  }

  @Override
  public Optional<Provider> provider(String id) {
    return Optional.ofNullable(providers.get(id));
  }

  @Override
  public List<Target> targets(String model) {
    try {
      return resolve(model).route().targets();
    } catch (NoRouteAvailableException e) {
      return List.of();
    }
  }

  /** Routes an embeddings call; there is no interceptor chain for embeddings. */
  public EmbeddingResponse embed(EmbeddingRequest request, CallScope scope) {
    return route(request, null, scope, EmbeddingProvider.class, false,
        (target, control) -> {
          try {
            EmbeddingResponse response = ((EmbeddingProvider) providers.get(target.provider()))
                .embed(request.withModel(target.model()), control.context());
            if (response == null) {
              throw new NullPointerException("provider " + target.provider() + " returned a null embedding response");
            }
            return response;
          } finally {
            control.end();
          }
        },
        (response, state, attempts) ->
            response.withMetadata(served(response.metadata(), state, attempts, response.usage().orElse(null))),
        ignored -> {});
  }

  /** {@code base} with the target that served the call, its attempts, and its cost when the catalog prices the model. */
  private static ResponseMetadata served(ResponseMetadata base, TargetState state, List<Attempt> attempts, @Nullable Usage usage) {
    ResponseMetadata.Builder metadata = base.toBuilder().target(state.target).attempts(attempts);
    Prices prices = state.prices();
    if (prices != null && usage != null) {
      metadata.cost(prices.cost(usage));
    }
    return metadata.build();
  }

  private RealChain attemptChain(Target target, ChatRequest request, CallScope scope, AttemptControl control) {
    return new RealChain(attemptInterceptors, 0, request, scope, target, control.context(), chatTerminals.get(target.provider()));
  }

  private static ChatRequest forTarget(ChatRequest request, Target target) {
    return request.model().equals(target.model()) ? request : request.withModel(target.model());
  }

  /**
   * The request for one attempt: {@code request} (whole, for the route {@code request.model()})
   * for {@code target}'s model, fitted to its context window when context fitting is on.
   */
  private ContextFitter.Fitted fit(ChatRequest request, Target target, AttemptControl control) {
    ChatRequest sent = forTarget(request, target);
    return fitter == null
        ? ContextFitter.Fitted.unchanged(sent)
        : fitter.fit(sent, request.model(), state(target), control.context());
  }

  // ---------------------------------------------------------------------------------------------
  // Candidates

  private record Plan(ConfiguredRoute route, List<TargetState> candidates) {}

  /**
   * The route for {@code model}: its alias's, or a single target for {@code "provider/model"}.
   *
   * @throws NoRouteAvailableException when it is neither
   */
  private ConfiguredRoute resolve(String model) {
    ConfiguredRoute configured = routes.get(model);
    if (configured == null) {
      int slash = model.indexOf('/');
      Provider provider = slash > 0 ? providers.get(model.substring(0, slash)) : null;
      if (provider == null || slash == model.length() - 1) {
        throw new NoRouteAvailableException(
            "no route for model '" + model + "': it is neither a route alias " + new TreeSet<>(routes.keySet())
                + " nor 'provider/model' with a registered provider " + new TreeSet<>(providers.keySet()),
            List.of(), List.of());
      }
      configured = directRoutes.get(model);
      if (configured == null) {
        configured = new ConfiguredRoute(Route.target(model), RouteOptions.defaults());
        if (directRoutes.size() < MAX_DIRECT_ROUTES) {
          directRoutes.put(model, configured);
        }
      }
    }
    return configured;
  }

  /**
   * Every target a call to {@code model} may try, whatever its route decides (budgets price a
   * call for the most expensive of them).
   *
   * @throws NoRouteAvailableException when {@code model} is neither an alias nor a registered {@code "provider/model"}
   */
  List<TargetState> possibleTargets(String model) {
    List<Target> targets = resolve(model).route().targets();
    List<TargetState> states = new ArrayList<>(targets.size());
    for (Target target : targets) {
      states.add(state(target));
    }
    return states;
  }

  /**
   * Fails a call the access policy denies: a model its tenant may not request, or a route none of
   * whose targets it may use. The gateway calls this before anything else; {@link #plan} calls it
   * again and also skips the single targets the tenant may not use.
   *
   * @throws AccessDeniedException when the call is denied
   * @throws NoRouteAvailableException when the model is not routable at all
   */
  void checkAccess(String model, CallContext context) {
    if (access == null) {
      return;
    }
    Optional<String> denied = access.checkModel(model, context);
    if (denied.isPresent()) {
      throw new AccessDeniedException(denied.get());
    }
    List<String> reasons = new ArrayList<>();
    for (Target target : resolve(model).route().targets()) {
      Optional<String> reason = access.checkTarget(target, context);
      if (reason.isEmpty()) {
        return;
      }
      reasons.add(reason.get());
    }
    throw new AccessDeniedException("no target of '" + model + "' is allowed: " + String.join("; ", reasons));
  }

  private Plan plan(ModelRequest request, @Nullable RequestSize size, CallScope scope, Class<? extends Provider> kind, boolean streaming) {
    String model = request.model();
    checkAccess(model, scope.context());
    ConfiguredRoute configured = resolve(model);
    // A route whose context policy can shrink the request keeps candidates the whole request does not fit.
    boolean shrinks = fitter != null && size != null && fitter.shrinks(model, scope.context());
    RoutePlanner planner = new RoutePlanner(request, size, scope.context(), streaming, stateOf, scope.clock().nanoTime(), shrinks);
    List<Target> planned = planner.plan(configured.route());
    RouteHints hints = scope.context().routeHints();
    List<TargetState> usable = new ArrayList<>(planned.size());
    if (!hints.isEmpty()) {
      for (Target preferred : hints.preferredTargets()) {
        if (planned.contains(preferred)) {
          addIfUsable(usable, preferred, kind, hints, size, planner);
        }
      }
      for (String provider : hints.preferredProviders()) {
        for (Target target : planned) {
          if (target.provider().equals(provider)) {
            addIfUsable(usable, target, kind, hints, size, planner);
          }
        }
      }
    }
    for (Target target : planned) {
      addIfUsable(usable, target, kind, hints, size, planner);
    }
    if (usable.isEmpty()) {
      throw new NoRouteAvailableException(
          "no target of '" + model + "' " + configured.route().targets() + " can serve this "
              + (kind == ChatProvider.class ? "chat" : "embeddings") + " call"
              + (planner.skipped.isEmpty() ? "" : ": " + String.join("; ", planner.skipped)),
          List.of(), List.of());
    }
    List<Target> order = new ArrayList<>(usable.size());
    for (TargetState s : usable) {
      order.add(s.target);
    }
    scope.listener().route(scope.info(), model, List.copyOf(order));
    return new Plan(configured, usable);
  }

  private void addIfUsable(
      List<TargetState> usable, Target target, Class<? extends Provider> kind, RouteHints hints,
      @Nullable RequestSize size, RoutePlanner planner) {
    for (TargetState s : usable) {
      if (s.target.equals(target)) {
        return;
      }
    }
    if (!kind.isInstance(providers.get(target.provider()))) {
      planner.skipped.add(target + ": provider '" + target.provider() + "' cannot serve "
          + (kind == ChatProvider.class ? "chat" : "embeddings"));
      return;
    }
    if (hints.excludedProviders().contains(target.provider())) {
      planner.skipped.add(target + ": provider excluded by the call's route hints");
      return;
    }
    if (access != null) {
      Optional<String> denied = access.checkTarget(target, planner.context());
      if (denied.isPresent()) {
        planner.skipped.add(target + ": " + denied.get());
        return;
      }
    }
    TargetState state = state(target);
    String reason = planner.lacking(state, hints.requiredCapabilities());
    if (reason == null) {
      reason = planner.windowTooSmall(state);
    }
    if (reason == null && hints.maxCostPerCall().isPresent()) {
      reason = planner.overCost(state, hints.maxCostPerCall().get());
    }
    if (reason != null) {
      planner.skipped.add(target + ": " + reason);
      return;
    }
    usable.add(state);
  }

  // ---------------------------------------------------------------------------------------------
  // Attempts

  private <R, T> T route(
      ModelRequest request, @Nullable RequestSize size, CallScope scope, Class<? extends Provider> kind,
      boolean streaming, AttemptCall<R> call, AttemptCall.Finish<R, T> finish, AttemptCall.Discard<R> discard) {
    Plan plan = plan(request, size, scope, kind, streaming);
    Hedging hedging = plan.route().options().hedging().orElse(null);
    AttemptLog outcomes = new AttemptLog(request.model(), plan.candidates().size(), plan.route().options());
    if (hedging != null && plan.candidates().size() > 1) {
      return new HedgedCall<>(plan.candidates(), scope, streaming, hedging, call, discard, outcomes, hedgePool()).run(finish);
    }
    return sequential(plan.candidates(), scope, streaming, call, finish, outcomes);
  }

  private <R, T> T sequential(
      List<TargetState> candidates, CallScope scope, boolean streaming, AttemptCall<R> call, AttemptCall.Finish<R, T> finish,
      AttemptLog outcomes) {
    int i = 0;
    while (true) {
      TargetState state = candidates.get(i);
      Retry.AsyncContext<Object> retries = null;
      while (true) {
        scope.throwIfCancelled();
        int number = scope.nextAttemptNumber();
        scope.listener().attemptStart(scope.info(), state.target, number);
        long start = scope.clock().nanoTime();
        state.lastUsedNanos = start;
        AttemptControl control = null;
        AiGatewayException error;
        try {
          state.acquire();
          control = AttemptControl.start(state, scope, streaming, false);
          R result = AttemptCall.run(call, scope, state.target, number, control);
          long latency = scope.clock().nanoTime() - start;
          AttemptLog.succeeded(state, scope, number, latency, streaming, outcomes);
          return finish.finish(result, state, outcomes.attempts());
        } catch (RuntimeException e) {
          error = control != null ? control.failure(e) : scope.failure(e);
        }
        long latency = scope.clock().nanoTime() - start;
        boolean attempted = !(error instanceof TargetUnavailableException);
        if (attempted) {
          state.failed(latency, error, AttemptLog.targetsFault(error, scope));
        }
        Duration delay = null;
        if (!scope.token().isCancelled() && error instanceof ProviderException) {
          if (retries == null) {
            retries = state.newRetrySequence();
          }
          long millis = retries.onError(error);
          if (millis >= 0 && state.retryBudgetAllows() && endsBeforeDeadline(scope, millis)) {
            delay = Duration.ofMillis(millis);
          }
        }
        outcomes.failed(state, error, Duration.ofNanos(latency), delay);
        scope.listener().attemptFailed(scope.info(), state.target, number, Duration.ofNanos(latency), error);
        if (delay != null) {
          scope.listener().retry(scope.info(), state.target, number, delay, error);
          await(delay, scope);
          continue;
        }
        if (scope.token().isCancelled()) {
          throw scope.failure(error);
        }
        int next = outcomes.next(candidates, i, error);
        if (next < 0) {
          throw outcomes.finalFailure(error, candidates);
        }
        scope.listener().fallback(scope.info(), state.target, candidates.get(next).target, error);
        i = next;
        break;
      }
    }
  }

  private static boolean endsBeforeDeadline(CallScope scope, long delayMillis) {
    Optional<Instant> deadline = scope.context().deadline();
    return deadline.isEmpty() || scope.clock().now().plusMillis(delayMillis).isBefore(deadline.get());
  }

  /** Waits {@code delay} on the gateway's clock; returns early with the reason when the call is cancelled. */
  private static void await(Duration delay, CallScope scope) {
    CountDownLatch done = new CountDownLatch(1);
    TimeSource.Timer timer = scope.clock().schedule(delay, done::countDown);
    try (var registration = scope.token().onCancel(done::countDown)) {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      scope.token().cancel(new CallCancelledException("the calling thread was interrupted while waiting to retry"));
    } finally {
      timer.cancel();
    }
    scope.throwIfCancelled();
  }

  // ---------------------------------------------------------------------------------------------
  // Terminal and streams

  /** The terminal of an attempt chain: one provider. */
  private static final class ProviderTerminal implements Terminal {
    private final ChatProvider provider;

    ProviderTerminal(ChatProvider provider) {
      this.provider = provider;
    }

    @Override
    public ChatResponse chat(ChatRequest request, RealChain chain) {
      ChatResponse response = provider.chat(request, chain.context());
      if (response == null) {
        throw new NullPointerException("provider " + provider.id() + " returned a null response");
      }
      return response;
    }

    @Override
    public ChatStream stream(ChatRequest request, RealChain chain) {
      ChatStream stream = provider.stream(request, chain.context());
      if (stream == null) {
        throw new NullPointerException("provider " + provider.id() + " returned a null stream");
      }
      return stream;
    }
  }
}
