package dev.aigw.core.internal;

import dev.aigw.api.BudgetAction;
import dev.aigw.api.BudgetExceededException;
import dev.aigw.api.BudgetUsage;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Cost;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.Interceptor;
import dev.aigw.api.ModelRequest;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.api.StreamObserver;
import dev.aigw.api.Target;
import dev.aigw.api.TimeSource;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.Usage;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.budget.Budget.Limit;
import dev.aigw.core.budget.BudgetStore;
import dev.aigw.core.budget.Charge;
import dev.aigw.core.budget.Reservation;
import dev.aigw.core.budget.Window;
import dev.aigw.core.pricing.Prices;
import dev.aigw.core.tokens.TokenCounter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Budgets as an application interceptor, between the response cache and the router: reserves a
 * call's estimate against every applicable budget limit before it proceeds (all or none),
 * downgrades or rejects a call that does not fit, and reconciles the reservation to the call's
 * usage after it: for a blocking call when it returns, for a stream when it ends (to the tokens
 * received, counted, when it is cut off), and to nothing when the call fails without usage.
 */
public final class BudgetInterceptor implements Interceptor {
  private static final System.Logger LOG = System.getLogger(BudgetInterceptor.class.getName());

  private final List<Budget> budgets;
  private final Map<String, Budget> byName;
  private final BudgetStore store;
  private final Router router;
  private final TimeSource clock;
  /** Each budget's alert fractions, copied once (the budget hands out copies). */
  private final Map<Budget, double[]> alerts = new HashMap<>();
  /** Alert levels already reported, per counter and window: the window's period and a bit per level. */
  private final ConcurrentHashMap<String, long[]> alerted = new ConcurrentHashMap<>();

  /**
   * @param budgets the budgets, with distinct names
   * @param store where the counters live
   * @param router for the targets a call may try (their tokenizers and prices)
   * @param clock the gateway's clock, which decides the windows
   */
  public BudgetInterceptor(List<Budget> budgets, BudgetStore store, Router router, TimeSource clock) {
    this.budgets = List.copyOf(budgets);
    Map<String, Budget> names = new LinkedHashMap<>();
    for (Budget b : budgets) {
      if (names.putIfAbsent(b.name(), b) != null) {
        throw new IllegalArgumentException("two budgets are named '" + b.name() + "'; give one another name with named(...)");
      }
    }
    this.byName = Map.copyOf(names);
    for (Budget b : budgets) {
      alerts.put(b, b.alertFractions());
    }
    this.store = store;
    this.router = router;
    this.clock = clock;
  }

  /** One limit of one budget for one scope key, as applied to one call. */
  private record Applied(Budget budget, String key, Limit limit, String counter) {}

  // ---------------------------------------------------------------------------------------------
  // The chain

  @Override
  public ChatResponse intercept(Chain chain) {
    Admission admission = admit((RealChain) chain);
    ChatResponse response;
    try {
      response = chain.proceed((ChatRequest) admission.request);
    } catch (RuntimeException e) {
      admission.release();
      throw e;
    }
    admission.settle(response.usage().orElse(null), response.metadata().cost().orElse(null),
        response.metadata().target().orElse(null), () -> outputText(response));
    return response;
  }

  @Override
  public ChatStream interceptStream(Chain chain) {
    Admission admission = admit((RealChain) chain);
    ChatStream stream;
    try {
      stream = chain.proceedStream((ChatRequest) admission.request);
    } catch (RuntimeException e) {
      admission.release();
      throw e;
    }
    if (admission.reservation == null) {
      return stream;
    }
    return stream.observe(new Meter(admission, stream));
  }

  /**
   * An embeddings call under the budgets: reserved before {@code call} runs (input tokens, no
   * output), reconciled to its reported usage and cost, released when it fails. A downgrading
   * budget rejects it instead, since another model's vectors would not match the caller's.
   */
  public EmbeddingResponse embed(EmbeddingRequest request, CallScope scope, Function<EmbeddingRequest, EmbeddingResponse> call) {
    Admission admission = admit(scope, request, false);
    EmbeddingResponse response;
    try {
      response = call.apply(request);
    } catch (RuntimeException e) {
      admission.release();
      throw e;
    }
    admission.settle(response.usage().orElse(null), response.metadata().cost().orElse(null),
        response.metadata().target().orElse(null), () -> "");
    return response;
  }

  /** Settles a stream's reservation when it ends: to its reported usage, or to what was received, counted. */
  private static final class Meter implements StreamObserver {
    private final Admission admission;
    private final ChatStream stream;
    private final StringBuilder received = new StringBuilder();
    private @Nullable Usage usage;

    Meter(Admission admission, ChatStream stream) {
      this.admission = admission;
      this.stream = stream;
    }

    @Override
    public synchronized void onChunk(ChatChunk chunk) {
      if (chunk.usage().isPresent()) {
        usage = chunk.usage().get();
      }
      received.append(chunk.text()).append(chunk.reasoning());
      for (ToolCallDelta delta : chunk.toolCalls()) {
        delta.name().ifPresent(received::append);
        received.append(delta.arguments());
      }
    }

    @Override
    public void onComplete() {
      end();
    }

    @Override
    public void onError(RuntimeException error) {
      end();
    }

    @Override
    public void onCancel() {
      end();
    }

    private void end() {
      Usage reported;
      String text;
      synchronized (this) {
        reported = usage;
        text = received.toString();
      }
      var metadata = stream.metadata();
      Cost cost = reported != null && !reported.estimated() ? metadata.cost().orElse(null) : null;
      admission.settle(reported, cost, metadata.target().orElse(null), () -> text);
    }
  }

  private static String outputText(ChatResponse response) {
    StringBuilder text = new StringBuilder(response.text()).append(response.reasoning());
    for (ToolCall call : response.toolCalls()) {
      text.append(call.name()).append(call.arguments());
    }
    return text.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Reserving

  private List<Applied> applicable(ModelRequest request, CallContext context) {
    List<Applied> applied = new ArrayList<>();
    for (Budget budget : budgets) {
      for (String key : budget.keys(request, context)) {
        for (Limit limit : budget.limits()) {
          applied.add(new Applied(budget, key, limit, budget.counter(key, limit)));
        }
      }
    }
    return applied;
  }

  /**
   * Reserves the call's estimate against every applicable limit. A limit that does not fit
   * downgrades the call (once per downgrading budget, which then counts without limiting) or
   * rejects it; nothing stays reserved from a denied attempt.
   *
   * <p>Input tokens are first estimated with the tokenizers' cheap upper bound, which never
   * undercounts; only when that reservation is denied is the request tokenized and the exact
   * estimate tried, so tokenizing is paid near a limit, not on every call.
   */
  private Admission admit(RealChain chain) {
    return admit(chain.scope(), chain.request(), true);
  }

  private Admission admit(CallScope scope, ModelRequest request, boolean downgradable) {
    CallContext context = scope.context();
    Set<Budget> downgraded = Set.of();
    while (true) {
      List<Applied> applied = applicable(request, context);
      if (applied.isEmpty()) {
        return new Admission(scope, request, applied, null, new long[0], null);
      }
      Estimate estimate = new Estimate(sizeOf(request, scope), false);
      List<Charge> charges = new ArrayList<>(applied.size());
      long[] amounts = new long[applied.size()];
      charge(applied, downgraded, estimate, charges, amounts);
      Instant now = clock.now();
      BudgetStore.Decision decision = reserve(scope, charges, now);
      if (decision instanceof BudgetStore.Denied && estimate.tokenized()) {
        estimate = new Estimate(estimate.size, true);
        charges.clear();
        charge(applied, downgraded, estimate, charges, amounts);
        decision = reserve(scope, charges, now);
      }
      if (decision instanceof BudgetStore.Granted granted) {
        granted.reservation().fallbackCause().ifPresent(e -> scope.listener().storeUnavailable(scope.info(), e));
        Admission admission = new Admission(scope, request, applied, granted.reservation(), amounts, estimate);
        admission.reported(granted.used(), amounts, now, true);
        return admission;
      }
      BudgetStore.Denied denied = (BudgetStore.Denied) decision;
      int i = charges.indexOf(denied.charge());
      Applied culprit = applied.get(i);
      BudgetUsage usage = usage(culprit, denied.used(), denied.resetsAt());
      Budget budget = culprit.budget();
      scope.listener().budgetExceeded(scope.info(), usage, culprit.limit().toDecimal(amounts[i]), budget.action());
      if (budget.action() != BudgetAction.DOWNGRADE || downgraded.contains(budget) || !downgradable) {
        throw new BudgetExceededException(usage, culprit.limit().toDecimal(amounts[i]));
      }
      Set<Budget> more = new HashSet<>(downgraded);
      more.add(budget);
      downgraded = more;
      request = ((ChatRequest) request).withModel(budget.downgradeAlias().orElseThrow());
      scope.markUncacheable();
    }
  }

  /**
   * Asks the store, waiting at most until the call's deadline; a store that fails closed ends the
   * call, reported to the listeners.
   */
  private BudgetStore.Decision reserve(CallScope scope, List<Charge> charges, Instant now) {
    try {
      Instant deadline = scope.context().deadline().orElse(null);
      if (deadline == null) {
        return store.reserve(charges, now);
      }
      Duration left = Duration.between(now, deadline);
      return store.reserve(charges, now, left.isNegative() ? Duration.ZERO : left);
    } catch (StoreUnavailableException e) {
      scope.listener().storeUnavailable(scope.info(), e);
      throw e;
    }
  }

  private void charge(List<Applied> applied, Set<Budget> downgraded, Estimate estimate, List<Charge> charges, long[] amounts) {
    for (int i = 0; i < amounts.length; i++) {
      Applied a = applied.get(i);
      amounts[i] = estimate.amount(a.budget(), a.limit());
      boolean limits = a.budget().action() == BudgetAction.REJECT
          || a.budget().action() == BudgetAction.DOWNGRADE && !downgraded.contains(a.budget());
      charges.add(new Charge(a.counter(), a.limit().window(), limits ? a.limit().limit() : Long.MAX_VALUE, amounts[i]));
    }
  }

  /** How big one call is in tokens, whatever its kind. */
  private interface Size {
    ModelRequest request();

    /** Its input tokens by {@code counter}: the cheap upper bound, or ({@code exact}) the count. */
    int input(TokenCounter counter, boolean exact);

    /** Whether {@link #input} without {@code exact} is a bound that the count could lower. */
    boolean bounded();

    /** The output it may generate, before the catalog's cap. */
    long output(Budget budget);
  }

  /** A chat call's size, shared with the router through the call scope. */
  private record ChatSize(ChatRequest request, RequestSize size) implements Size {
    @Override
    public int input(TokenCounter counter, boolean exact) {
      return exact ? size.inputTokens(counter) : size.upperBound(counter);
    }

    @Override
    public boolean bounded() {
      return true;
    }

    @Override
    public long output(Budget budget) {
      return request.maxOutputTokens().orElse(budget.reservedOutputTokens());
    }
  }

  /** An embeddings call's size: every input counted (there is no cheap bound for plain texts); no output. */
  private static final class EmbeddingSize implements Size {
    private final EmbeddingRequest request;
    private @Nullable TokenCounter countedWith;
    private int count;

    EmbeddingSize(EmbeddingRequest request) {
      this.request = request;
    }

    @Override
    public ModelRequest request() {
      return request;
    }

    @Override
    public int input(TokenCounter counter, boolean exact) {
      if (countedWith != counter) {
        long sum = 0;
        for (String text : request.inputs()) {
          sum += counter.count(text);
        }
        count = (int) Math.min(Integer.MAX_VALUE, sum);
        countedWith = counter;
      }
      return count;
    }

    @Override
    public boolean bounded() {
      return false;
    }

    @Override
    public long output(Budget budget) {
      return 0;
    }
  }

  private static Size sizeOf(ModelRequest request, CallScope scope) {
    return request instanceof ChatRequest chat ? new ChatSize(chat, scope.sizeOf(chat)) : new EmbeddingSize((EmbeddingRequest) request);
  }

  /**
   * What one call may use, by the targets its route may try: with the tokenizers' cheap upper
   * bound, or ({@code exact}) with their counts.
   */
  private final class Estimate {
    private final Size size;
    private final boolean exact;
    private boolean usedBound;
    private @Nullable List<TargetState> targets;

    Estimate(Size size, boolean exact) {
      this.size = size;
      this.exact = exact;
    }

    /** Whether an amount used the upper bound, so an exact count could be smaller. */
    boolean tokenized() {
      return usedBound;
    }

    private List<TargetState> targets() {
      if (targets == null) {
        targets = router.possibleTargets(size.request().model());
      }
      return targets;
    }

    int input(TargetState target) {
      usedBound |= !exact && size.bounded();
      return size.input(target.tokenCounter, exact);
    }

    long output(Budget budget, TargetState target) {
      long output = size.output(budget);
      if (target.model != null && target.model.maxOutputTokens().isPresent()) {
        output = Math.min(output, target.model.maxOutputTokens().getAsInt());
      }
      return output;
    }

    /** The most {@code limit}'s measure may take, over every target the call may try. */
    long amount(Budget budget, Limit limit) {
      if (limit.measure() == Budget.Measure.REQUESTS) {
        return 1;
      }
      long most = 0;
      for (TargetState target : targets()) {
        long amount = switch (limit.measure()) {
          case INPUT_TOKENS -> input(target);
          case OUTPUT_TOKENS -> output(budget, target);
          case TOTAL_TOKENS -> input(target) + output(budget, target);
          case COST -> {
            Prices prices = target.prices();
            yield prices == null ? 0 : limit.units(prices.estimate(input(target), output(budget, target)));
          }
          case REQUESTS -> 1;
        };
        most = Math.max(most, amount);
      }
      return most;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Settling

  /** A call's reservation (none when no budget applies), settled exactly once. */
  private final class Admission {
    final CallScope scope;
    final ModelRequest request;
    final List<Applied> applied;
    final @Nullable Reservation reservation;
    final long[] reserved;
    final @Nullable Estimate estimate;
    private final AtomicBoolean settled = new AtomicBoolean();

    Admission(
        CallScope scope, ModelRequest request, List<Applied> applied, @Nullable Reservation reservation,
        long[] reserved, @Nullable Estimate estimate) {
      this.scope = scope;
      this.request = request;
      this.applied = applied;
      this.reservation = reservation;
      this.reserved = reserved;
      this.estimate = estimate;
    }

    /** The call failed without usage: every reserved amount is returned. */
    void release() {
      reconcile(new long[reserved.length]);
    }

    /**
     * The call ended with an answer (complete or cut off): settles to {@code usage} and {@code
     * cost} when the provider reported usage; otherwise to the request's counted input and the
     * output received, counted with the served target's tokenizer and priced by its prices.
     */
    void settle(@Nullable Usage usage, @Nullable Cost cost, @Nullable Target served, java.util.function.Supplier<String> output) {
      if (reservation == null || settled.get()) {
        return;
      }
      if (usage == null || usage.estimated()) {
        TargetState target = served != null ? router.state(served) : null;
        TokenCounter counter = target != null ? target.tokenCounter : TokenCounter.o200k();
        int input = Objects.requireNonNull(estimate).size.input(counter, true);
        usage = Usage.estimated(input, counter.count(output.get()));
        Prices prices = target != null ? target.prices() : null;
        cost = prices != null ? prices.cost(usage) : null;
      }
      long[] actual = new long[reserved.length];
      for (int i = 0; i < actual.length; i++) {
        Limit limit = applied.get(i).limit();
        actual[i] = switch (limit.measure()) {
          case INPUT_TOKENS -> usage.inputTokens();
          case OUTPUT_TOKENS -> usage.outputTokens();
          case TOTAL_TOKENS -> usage.totalTokens();
          case REQUESTS -> 1;
          case COST -> cost == null ? 0 : limit.units(cost);
        };
      }
      reconcile(actual);
    }

    private void reconcile(long[] actual) {
      if (reservation == null || !settled.compareAndSet(false, true)) {
        return;
      }
      Instant now = clock.now();
      long[] used;
      try {
        used = store.reconcile(reservation, actual, now);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "the budget store could not reconcile call " + scope.info().id()
            + "; its reservation stays counted", e);
        return;
      }
      long[] delta = new long[actual.length];
      for (int i = 0; i < actual.length; i++) {
        delta[i] = actual[i] - reserved[i];
      }
      reported(used, delta, now, false);
      if (!Listeners.isNone(scope.listener())) {
        for (int i = 0; i < actual.length; i++) {
          Applied a = applied.get(i);
          scope.listener().budgetReconciled(scope.info(), usage(a, used[i], a.limit().window().resetsAt(now)),
              a.limit().toDecimal(reserved[i]), a.limit().toDecimal(actual[i]));
        }
      }
    }

    /**
     * Sends the events of a reservation ({@code reserving}) or a settlement that changed the
     * counters by {@code delta} to {@code used}: reserved amounts, warnings of budgets past their
     * limit, and alert levels crossed.
     */
    void reported(long[] used, long[] delta, Instant now, boolean reserving) {
      GatewayListener listener = scope.listener();
      if (Listeners.isNone(listener)) {
        return;
      }
      for (int i = 0; i < used.length; i++) {
        Applied a = applied.get(i);
        Limit limit = a.limit();
        BudgetUsage usage = null;
        if (reserving) {
          usage = usage(a, used[i], limit.window().resetsAt(now));
          listener.budgetReserved(scope.info(), usage, limit.toDecimal(reserved[i]));
          if (a.budget().action() == BudgetAction.WARN && used[i] > limit.limit()) {
            listener.budgetExceeded(scope.info(), usage, limit.toDecimal(reserved[i]), BudgetAction.WARN);
          }
        }
        double[] fractions = alerts.get(a.budget());
        for (int level = 0; level < fractions.length; level++) {
          long mark = (long) Math.ceil(fractions[level] * limit.limit());
          if (used[i] - delta[i] < mark && used[i] >= mark && firstAlert(a, now, level)) {
            if (usage == null) {
              usage = usage(a, used[i], limit.window().resetsAt(now));
            }
            listener.budgetThreshold(scope.info(), usage, fractions[level]);
          }
        }
      }
    }
  }

  /** Whether alert {@code level} of {@code a}'s counter is reported for the first time in the current window. */
  private boolean firstAlert(Applied a, Instant now, int level) {
    Window window = a.limit().window();
    long bucket = window.bucket(now);
    long period = window.rolling() ? Math.floorDiv(bucket, Window.SLICES) : bucket;
    long bit = 1L << level;
    boolean[] first = {false};
    alerted.compute(a.counter() + "@" + window.id(), (k, state) -> {
      if (state == null || state[0] != period) {
        state = new long[] {period, 0};
      }
      if ((state[1] & bit) == 0) {
        state[1] |= bit;
        first[0] = true;
      }
      return state;
    });
    return first[0];
  }

  private static BudgetUsage usage(Applied a, long used, Instant resetsAt) {
    Limit limit = a.limit();
    Budget budget = a.budget();
    return new BudgetUsage(budget.name(), budget.scope().id(), a.key().isEmpty() ? null : a.key(), limit.measureId(),
        limit.window().id(), limit.toDecimal(limit.limit()), limit.toDecimal(used), resetsAt);
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  /**
   * The usage of every limit of budget {@code name} for scope key {@code key} ({@code null} for a
   * global budget), now.
   *
   * @throws IllegalArgumentException when there is no such budget, or the key is missing for a
   *     scoped budget or given for a global one
   */
  public List<BudgetUsage> usage(String name, @Nullable String key) {
    Objects.requireNonNull(name, "name");
    Budget budget = byName.get(name);
    if (budget == null) {
      throw new IllegalArgumentException("no budget named '" + name + "' (budgets: " + byName.keySet() + ")");
    }
    boolean global = budget.scope() == Budget.Scope.GLOBAL;
    if (global && key != null) {
      throw new IllegalArgumentException("budget '" + name + "' is global: query it without a key");
    }
    if (!global && (key == null || key.isBlank())) {
      throw new IllegalArgumentException("budget '" + name + "' is per " + budget.scope().id() + ": give the "
          + budget.scope().id() + " key to query");
    }
    String k = global ? "" : key;
    Instant now = clock.now();
    List<BudgetUsage> usage = new ArrayList<>(budget.limits().size());
    for (Limit limit : budget.limits()) {
      Applied a = new Applied(budget, k, limit, budget.counter(k, limit));
      usage.add(usage(a, store.used(a.counter(), limit.window(), now), limit.window().resetsAt(now)));
    }
    return usage;
  }
}
