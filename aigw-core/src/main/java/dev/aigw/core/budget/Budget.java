package dev.aigw.core.budget;

import dev.aigw.api.BudgetAction;
import dev.aigw.api.CallContext;
import dev.aigw.api.ModelRequest;
import dev.aigw.api.Cost;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A budget or rate limit: a scope (global, tenant, user, tag, model, or a key function) with one
 * or more limits, each a measure (input, output or total tokens, requests, or money) over a
 * {@link Window}, and an action for a call that would pass a limit ({@linkplain BudgetAction#REJECT
 * reject}, {@linkplain #downgradeTo downgrade} or {@linkplain #warnOnly warn}). Immutable: every
 * method returns a new budget.
 *
 * <pre>{@code
 * AiGateway.builder()
 *     .budget(Budget.perTenant().tokensPerDay(1_000_000).costPerMonth(Cost.usd("50")))
 *     .budget(Budget.perUser().requestsPerMinute(20))                 // a rate limit
 *     .budget(Budget.global().costPerDay(Cost.usd("200")).downgradeTo("cheap"))
 * }</pre>
 *
 * <p>Before a call the gateway reserves, against every limit of every budget that applies, what
 * the call may use: its input tokens counted with the candidates' tokenizers, plus its max output
 * tokens (or {@link #reserveOutputTokens this budget's assumption} when the request sets none),
 * priced for the most expensive candidate of its route. Either every limit admits the call or
 * none keeps anything. After the call the reservation is replaced by what the provider reported.
 * So a limit is passed by at most the estimation error of the calls in flight, and a request limit
 * never.
 *
 * <p>Money is counted exactly, in nano-units of the limit's currency. Calls are priced by the
 * {@linkplain dev.aigw.core.catalog.ModelCatalog catalog}: a target without prices in the
 * budget's currency counts as costing nothing, so give self-hosted models prices (see {@link
 * dev.aigw.core.pricing.Prices#fromGpuHour}) before limiting their cost.
 *
 * <p>A budget's counters are named after the budget ({@link #name()}), so renaming a budget starts
 * its counters afresh. A budget whose scope has no key for a call (a tenant budget and a call
 * without a tenant) does not apply to it. A response-cache hit spends nothing.
 *
 * <p>Budgets apply to embeddings calls too: their input tokens count as input and total tokens,
 * they have no output, and their cost is priced the same way. A downgrading budget rejects an
 * embeddings call instead, since vectors of another model would not be comparable with the
 * caller's.
 */
public final class Budget {
  /** What a limit counts. */
  public enum Measure {
    /** Prompt tokens. */
    INPUT_TOKENS("input_tokens"),
    /** Generated tokens, reasoning included. */
    OUTPUT_TOKENS("output_tokens"),
    /** Prompt plus generated tokens. */
    TOTAL_TOKENS("total_tokens"),
    /** Calls; a call that fails without usage does not count. */
    REQUESTS("requests"),
    /** Money, in a currency; see {@link Budget#cost}. */
    COST("cost");

    private final String id;

    Measure(String id) {
      this.id = id;
    }

    /** {@return the name used in counters and events: {@code "total_tokens"}, {@code "cost"}} */
    public String id() {
      return id;
    }
  }

  /** The kinds of scope. */
  public enum Scope {
    /** Every call. */
    GLOBAL,
    /** Per {@link CallContext#tenant()}; calls without a tenant are not counted. */
    TENANT,
    /** Per {@link CallContext#user()}; calls without a user are not counted. */
    USER,
    /** Per tag in {@link CallContext#tags()}: each tag of a call is charged. */
    TAG,
    /** Per requested model: the route alias or {@code "provider/model"} the caller asked for. */
    MODEL,
    /** Per key returned by a function of the request and context. */
    KEY;

    /** {@return the lower-case name used in events: {@code "tenant"}} */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One limit of a budget.
   *
   * @param measure what it counts
   * @param window the period it counts over
   * @param limit the most one window may hold: tokens, requests, or nano-units of {@code currency}
   * @param currency the currency of a {@link Measure#COST} limit, otherwise {@code null}
   */
  public record Limit(Measure measure, Window window, long limit, @Nullable Currency currency) {
    /**
     * @param measure what it counts
     * @param window the period it counts over
     * @param limit the most one window may hold: tokens, requests, or nano-units of {@code currency}
     * @param currency the currency of a {@link Measure#COST} limit, otherwise {@code null}
     * @throws IllegalArgumentException when the limit is negative or the currency does not fit the measure
     */
    public Limit {
      Objects.requireNonNull(measure, "measure");
      Objects.requireNonNull(window, "window");
      if (limit < 0) {
        throw new IllegalArgumentException("a budget limit must not be negative, was " + limit);
      }
      if ((measure == Measure.COST) != (currency != null)) {
        throw new IllegalArgumentException(measure == Measure.COST
            ? "a cost limit needs a currency" : "only a cost limit has a currency");
      }
    }

    /**
     * {@return the measure as named in counters and events: {@code "total_tokens"}, {@code
     * "cost_usd"}}
     */
    public String measureId() {
      return currency == null ? measure.id() : "cost_" + currency.getCurrencyCode().toLowerCase(Locale.ROOT);
    }

    /**
     * {@return an amount of this limit's unit as a number: tokens or requests as they are, money in
     * currency units}
     *
     * @param amount an amount in this limit's unit (nano-units for money)
     */
    public BigDecimal toDecimal(long amount) {
      return currency == null ? BigDecimal.valueOf(amount) : Money.toDecimal(amount);
    }

    /**
     * {@return a cost in this limit's unit: nano-units rounded up, saturating at {@code
     * Long.MAX_VALUE}; 0 for a cost in another currency (which this limit cannot count) or a limit
     * of another measure}
     *
     * @param cost the cost
     */
    public long units(Cost cost) {
      Objects.requireNonNull(cost, "cost");
      return cost.currency().equals(currency) ? Money.ceilNanos(cost.amount()) : 0;
    }

    @Override
    public String toString() {
      return measureId() + " per " + window + " <= " + toDecimal(limit).toPlainString();
    }
  }

  /** The output tokens reserved for a request that sets no max output tokens, unless configured. */
  public static final int DEFAULT_RESERVED_OUTPUT_TOKENS = 4_096;

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final double[] DEFAULT_ALERTS = {0.8, 1.0};

  private final String name;
  private final Scope scope;
  private final @Nullable BiFunction<ModelRequest, CallContext, @Nullable String> keyFunction;
  private final List<Limit> limits;
  private final BudgetAction action;
  private final @Nullable String downgradeAlias;
  private final int reservedOutputTokens;
  private final double[] alerts;

  private Budget(
      String name, Scope scope, @Nullable BiFunction<ModelRequest, CallContext, @Nullable String> keyFunction,
      List<Limit> limits, BudgetAction action, @Nullable String downgradeAlias, int reservedOutputTokens, double[] alerts) {
    this.name = name;
    this.scope = scope;
    this.keyFunction = keyFunction;
    this.limits = List.copyOf(limits);
    this.action = action;
    this.downgradeAlias = downgradeAlias;
    this.reservedOutputTokens = reservedOutputTokens;
    this.alerts = alerts;
  }

  private static Budget of(Scope scope) {
    return new Budget(scope.id(), scope, null, List.of(), BudgetAction.REJECT, null, DEFAULT_RESERVED_OUTPUT_TOKENS, DEFAULT_ALERTS);
  }

  /** {@return a budget over every call, named {@code "global"}} */
  public static Budget global() {
    return of(Scope.GLOBAL);
  }

  /** {@return a budget per tenant, named {@code "tenant"}} */
  public static Budget perTenant() {
    return of(Scope.TENANT);
  }

  /**
   * {@return a budget per end user, named {@code "user"}} User ids are kept out of exception
   * messages.
   */
  public static Budget perUser() {
    return of(Scope.USER);
  }

  /**
   * {@return a budget per tag, named {@code "tag"}: a call with several tags is charged under each}
   */
  public static Budget perTag() {
    return of(Scope.TAG);
  }

  /**
   * {@return a budget per requested model (route alias or {@code "provider/model"}), named {@code
   * "model"}}
   */
  public static Budget perModel() {
    return of(Scope.MODEL);
  }

  /**
   * {@return a budget per key that {@code key} computes from the request (a {@link
   * dev.aigw.api.ChatRequest} or an {@link dev.aigw.api.EmbeddingRequest}) and context; a call for
   * which it returns {@code null} or a blank string is not counted} Keys are kept out of exception
   * messages.
   *
   * @param name the budget's name, lower-case {@code [a-z0-9._-]}
   * @param key computes a call's key from its request and context
   * @throws IllegalArgumentException when the name is not of that form
   */
  public static Budget perKey(String name, BiFunction<ModelRequest, CallContext, @Nullable String> key) {
    Objects.requireNonNull(key, "key");
    return new Budget(checkName(name), Scope.KEY, key, List.of(), BudgetAction.REJECT, null,
        DEFAULT_RESERVED_OUTPUT_TOKENS, DEFAULT_ALERTS);
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a budget name must be lower-case letters, digits, '.', '_' or '-', was '" + name + "'");
    }
    return name;
  }

  private Budget with(List<Limit> newLimits, BudgetAction newAction, @Nullable String alias, int output, double[] newAlerts) {
    return new Budget(name, scope, keyFunction, newLimits, newAction, alias, output, newAlerts);
  }

  /**
   * This budget under another name: the name of its counters, events and {@link
   * dev.aigw.core.AiGateway#budgetUsage queries}. Two budgets of one gateway need different names.
   *
   * @param name the new name
   * @return a copy of this budget with the new name
   * @throws IllegalArgumentException when the name is not lower-case {@code [a-z0-9._-]}
   */
  public Budget named(String name) {
    return new Budget(checkName(name), scope, keyFunction, limits, action, downgradeAlias, reservedOutputTokens, alerts);
  }

  /**
   * Adds a limit on tokens or requests per {@code window}.
   *
   * @param measure what to count
   * @param window the window
   * @param limit the most the window may hold
   * @return a copy of this budget with the limit added
   * @throws IllegalArgumentException when the measure is {@link Measure#COST} (use {@link #cost}),
   *     the limit is negative, or this budget already limits the measure over the window
   */
  public Budget limit(Measure measure, Window window, long limit) {
    Objects.requireNonNull(measure, "measure");
    if (measure == Measure.COST) {
      throw new IllegalArgumentException("limit money with cost(window, Cost), which carries the currency");
    }
    return add(new Limit(measure, window, limit, null));
  }

  /**
   * Adds a limit on money per {@code window}, exact to a nano-unit of the currency.
   *
   * @param window the window
   * @param limit the most the window may spend
   * @return a copy of this budget with the limit added
   * @throws IllegalArgumentException when the limit is negative, finer than a nano-unit, or this
   *     budget already limits cost in that currency over the window
   */
  public Budget cost(Window window, Cost limit) {
    Objects.requireNonNull(limit, "limit");
    return add(new Limit(Measure.COST, window, Money.exactNanos(limit.amount(), "cost limit"), limit.currency()));
  }

  private Budget add(Limit limit) {
    for (Limit l : limits) {
      if (l.measureId().equals(limit.measureId()) && l.window().equals(limit.window())) {
        throw new IllegalArgumentException("budget '" + name + "' already limits " + l.measureId() + " per " + l.window());
      }
    }
    List<Limit> more = new ArrayList<>(limits);
    more.add(limit);
    return with(more, action, downgradeAlias, reservedOutputTokens, alerts);
  }

  /**
   * A rate limit: at most {@code n} calls in any minute (a rolling window of 60 one-second slices).
   *
   * @param n the most calls
   * @return a copy of this budget with the limit added
   */
  public Budget requestsPerMinute(long n) {
    return limit(Measure.REQUESTS, Window.rolling(Duration.ofMinutes(1)), n);
  }

  /**
   * At most {@code n} calls per UTC hour.
   *
   * @param n the most calls
   * @return a copy of this budget with the limit added
   */
  public Budget requestsPerHour(long n) {
    return limit(Measure.REQUESTS, Window.hour(), n);
  }

  /**
   * At most {@code n} calls per UTC day.
   *
   * @param n the most calls
   * @return a copy of this budget with the limit added
   */
  public Budget requestsPerDay(long n) {
    return limit(Measure.REQUESTS, Window.day(), n);
  }

  /**
   * A rate limit: at most {@code n} total tokens in any minute (a rolling window of 60 one-second
   * slices).
   *
   * @param n the most tokens
   * @return a copy of this budget with the limit added
   */
  public Budget tokensPerMinute(long n) {
    return limit(Measure.TOTAL_TOKENS, Window.rolling(Duration.ofMinutes(1)), n);
  }

  /**
   * At most {@code n} total tokens per UTC hour.
   *
   * @param n the most tokens
   * @return a copy of this budget with the limit added
   */
  public Budget tokensPerHour(long n) {
    return limit(Measure.TOTAL_TOKENS, Window.hour(), n);
  }

  /**
   * At most {@code n} total tokens per UTC day.
   *
   * @param n the most tokens
   * @return a copy of this budget with the limit added
   */
  public Budget tokensPerDay(long n) {
    return limit(Measure.TOTAL_TOKENS, Window.day(), n);
  }

  /**
   * At most {@code n} total tokens per UTC calendar month.
   *
   * @param n the most tokens
   * @return a copy of this budget with the limit added
   */
  public Budget tokensPerMonth(long n) {
    return limit(Measure.TOTAL_TOKENS, Window.month(), n);
  }

  /**
   * At most {@code limit} spent per UTC day.
   *
   * @param limit the most spent
   * @return a copy of this budget with the limit added
   */
  public Budget costPerDay(Cost limit) {
    return cost(Window.day(), limit);
  }

  /**
   * At most {@code limit} spent per UTC calendar month.
   *
   * @param limit the most spent
   * @return a copy of this budget with the limit added
   */
  public Budget costPerMonth(Cost limit) {
    return cost(Window.month(), limit);
  }

  /**
   * A call that would pass a limit goes to {@code alias} (a cheaper route alias, or {@code
   * "provider/model"}) instead, and this budget goes on counting it without limiting it; the other
   * budgets still apply to the downgraded call. The downgraded answer is not stored in the
   * response cache, so the cheaper answer is not served for the original model later.
   *
   * @param alias where calls that would pass a limit go
   * @return a copy of this budget that downgrades
   * @throws IllegalArgumentException when {@code alias} is blank
   */
  public Budget downgradeTo(String alias) {
    Objects.requireNonNull(alias, "alias");
    if (alias.isBlank()) {
      throw new IllegalArgumentException("the downgrade alias must not be blank");
    }
    return with(limits, BudgetAction.DOWNGRADE, alias, reservedOutputTokens, alerts);
  }

  /**
   * A call that would pass a limit goes through and is reported to listeners; this budget never
   * blocks.
   *
   * @return a copy of this budget that only warns
   */
  public Budget warnOnly() {
    return with(limits, BudgetAction.WARN, null, reservedOutputTokens, alerts);
  }

  /**
   * A call that would pass a limit fails with a {@link dev.aigw.api.BudgetExceededException} (the
   * default).
   *
   * @return a copy of this budget that rejects
   */
  public Budget reject() {
    return with(limits, BudgetAction.REJECT, null, reservedOutputTokens, alerts);
  }

  /**
   * The output tokens reserved for a request that sets no max output tokens; {@value
   * #DEFAULT_RESERVED_OUTPUT_TOKENS} by default. A call that generates more passes its limit by
   * the difference, so set max output tokens on requests where a hard limit matters.
   *
   * @param tokens the output tokens to reserve
   * @return a copy of this budget with that reservation
   * @throws IllegalArgumentException when {@code tokens} is negative
   */
  public Budget reserveOutputTokens(int tokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException("reserved output tokens must not be negative, was " + tokens);
    }
    return with(limits, action, downgradeAlias, tokens, alerts);
  }

  /**
   * The fractions of a limit at which listeners get a {@code budgetThreshold} event, once per
   * window; 0.8 and 1.0 by default, none when empty.
   *
   * @param fractions the alert levels, as fractions of a limit
   * @return a copy of this budget with those alert levels
   * @throws IllegalArgumentException when a fraction is not in (0, 10]
   */
  public Budget alertAt(double... fractions) {
    double[] sorted = fractions.clone();
    Arrays.sort(sorted);
    for (double f : sorted) {
      if (!(f > 0 && f <= 10)) {
        throw new IllegalArgumentException("an alert fraction must be in (0, 10], was " + f);
      }
    }
    if (sorted.length > 32) {
      throw new IllegalArgumentException("at most 32 alert fractions, got " + sorted.length);
    }
    return with(limits, action, downgradeAlias, reservedOutputTokens, sorted);
  }

  /** {@return the budget's name, unique within a gateway} */
  public String name() {
    return name;
  }

  /** {@return the kind of scope} */
  public Scope scope() {
    return scope;
  }

  /** {@return the limits, in the order added} */
  public List<Limit> limits() {
    return limits;
  }

  /** {@return what happens to a call that would pass a limit} */
  public BudgetAction action() {
    return action;
  }

  /** {@return where a {@link BudgetAction#DOWNGRADE} budget sends calls that would pass a limit} */
  public java.util.Optional<String> downgradeAlias() {
    return java.util.Optional.ofNullable(downgradeAlias);
  }

  /** {@return the output tokens reserved for a request that sets no max output tokens} */
  public int reservedOutputTokens() {
    return reservedOutputTokens;
  }

  /** {@return the alert fractions, ascending} */
  public double[] alertFractions() {
    return alerts.clone();
  }

  /**
   * {@return the scope keys of one call, each charged separately: none when the budget does not
   * apply, {@code ""} for the global scope}
   *
   * @param request the request
   * @param context the call's context
   */
  public List<String> keys(ModelRequest request, CallContext context) {
    return switch (scope) {
      case GLOBAL -> List.of("");
      case TENANT -> context.tenant().map(List::of).orElse(List.of());
      case USER -> context.user().map(List::of).orElse(List.of());
      case TAG -> List.copyOf(context.tags());
      case MODEL -> List.of(request.model());
      case KEY -> {
        String key = Objects.requireNonNull(keyFunction).apply(request, context);
        yield key == null || key.isBlank() ? List.of() : List.of(key);
      }
    };
  }

  /**
   * {@return the counter of one limit for one scope key: the budget's name, the key and the
   * measure, separated by {@code ':'} (the name and measure contain none, so the form is
   * unambiguous)}
   *
   * @param key the scope key
   * @param limit one of this budget's limits
   */
  public String counter(String key, Limit limit) {
    return name + ":" + key + ":" + limit.measureId();
  }

  @Override
  public String toString() {
    return "Budget[" + name + ", " + scope.id() + ", " + limits + ", " + action
        + (downgradeAlias == null ? "" : " to " + downgradeAlias) + "]";
  }

  /** Exact money in nano-units. */
  static final class Money {
    private Money() {}

    static BigDecimal toDecimal(long nanos) {
      BigDecimal d = BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
      return d.scale() < 0 ? d.setScale(0) : d;
    }

    static long exactNanos(BigDecimal amount, String what) {
      BigDecimal nanos = amount.movePointRight(9);
      if (nanos.signum() < 0) {
        throw new IllegalArgumentException("a " + what + " must not be negative, was " + amount.toPlainString());
      }
      try {
        return nanos.longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("a " + what + " must be a whole number of nano-units (9 decimals) below 9.2 billion, was "
            + amount.toPlainString(), e);
      }
    }

    /** An amount rounded up to whole nano-units (saturating), as estimates and actual costs are counted. */
    static long ceilNanos(BigDecimal amount) {
      BigDecimal nanos = amount.movePointRight(9).setScale(0, RoundingMode.CEILING);
      return nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : Math.max(0, nanos.longValue());
    }
  }
}
