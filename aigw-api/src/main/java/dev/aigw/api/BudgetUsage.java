package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How much of one budget limit is used: one counter (a budget's limit for one scope key) in its
 * current window. Tokens and requests are whole numbers; money is in the currency's units (for
 * example {@code 12.5} for $12.50), exact.
 *
 * <p>{@link #toString()} shows the key of tenant, tag and model scopes but not of user and
 * custom-key scopes, whose keys may identify people.
 *
 * @param budget the budget's name
 * @param scope the kind of scope: {@code "global"}, {@code "tenant"}, {@code "user"}, {@code
 *     "tag"}, {@code "model"} or {@code "key"} (a key function)
 * @param key the scope's key, for example the tenant id; {@code null} for the global scope
 * @param measure what is counted: {@code "input_tokens"}, {@code "output_tokens"}, {@code
 *     "total_tokens"}, {@code "requests"} or {@code "cost_"} with the lower-case currency code,
 *     for example {@code "cost_usd"}
 * @param window the window: {@code "minute"}, {@code "hour"}, {@code "day"}, {@code "month"}
 *     (UTC calendar periods) or {@code "rolling:"} with an ISO-8601 duration
 * @param limit the most the window may hold
 * @param used what the window holds: reconciled usage plus reservations in flight
 * @param resetsAt when usage counted now stops counting
 */
public record BudgetUsage(
    String budget, String scope, @Nullable String key, String measure, String window,
    BigDecimal limit, BigDecimal used, Instant resetsAt) {

  /**
   * @param budget the budget's name
   * @param scope the kind of scope: {@code "global"}, {@code "tenant"}, {@code "user"}, {@code
   *     "tag"}, {@code "model"} or {@code "key"} (a key function)
   * @param key the scope's key, for example the tenant id; {@code null} for the global scope
   * @param measure what is counted: {@code "input_tokens"}, {@code "output_tokens"}, {@code
   *     "total_tokens"}, {@code "requests"} or {@code "cost_"} with the lower-case currency code,
   *     for example {@code "cost_usd"}
   * @param window the window: {@code "minute"}, {@code "hour"}, {@code "day"}, {@code "month"}
   *     (UTC calendar periods) or {@code "rolling:"} with an ISO-8601 duration
   * @param limit the most the window may hold
   * @param used what the window holds: reconciled usage plus reservations in flight
   * @param resetsAt when usage counted now stops counting
   * @throws NullPointerException when a value other than {@code key} is null
   */
  public BudgetUsage {
    Require.nonNull(budget, "budget");
    Require.nonNull(scope, "scope");
    Require.nonNull(measure, "measure");
    Require.nonNull(window, "window");
    Require.nonNull(limit, "limit");
    Require.nonNull(used, "used");
    Require.nonNull(resetsAt, "resetsAt");
  }

  /** {@return what is left before the limit: {@code limit - used}, never below zero} */
  public BigDecimal remaining() {
    BigDecimal left = limit.subtract(used);
    return left.signum() < 0 ? BigDecimal.ZERO : left;
  }

  /**
   * {@return {@code used / limit} (1 or more when the limit is reached; infinite for a zero limit
   * with usage)}
   */
  public double fraction() {
    if (limit.signum() == 0) {
      return used.signum() == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return used.doubleValue() / limit.doubleValue();
  }

  /** {@return the scope with its key, for example {@code "tenant:acme"}, or {@code "global"}} */
  public String scopeWithKey() {
    return key == null ? scope : scope + ":" + key;
  }

  /** Whether the key may be shown in messages and logs (tenant, tag and model keys). */
  boolean keyShown() {
    return key == null || scope.equals("tenant") || scope.equals("tag") || scope.equals("model");
  }

  /** The scope as it may appear in messages: with its key only when {@link #keyShown()}. */
  String displayScope() {
    return keyShown() ? scopeWithKey() : scope + ":<" + Objects.requireNonNull(key).length() + " chars>";
  }

  @Override
  public String toString() {
    return "BudgetUsage[" + budget + ", " + displayScope() + ", " + measure + " per " + window + ": "
        + used.toPlainString() + " of " + limit.toPlainString() + ", resets at " + resetsAt + "]";
  }
}
