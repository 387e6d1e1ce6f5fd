package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A budget or rate limit denied the call before any provider was called. Nothing was reserved
 * against any budget, and nothing was cached.
 *
 * <p>The message names the budget, its scope, measure and window, the limit, what is used, what
 * the call needed and when the window resets. It shows tenant, tag and model keys, but not user
 * ids or custom keys, which may identify people; {@link #usage()} carries them.
 */
public final class BudgetExceededException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  /** The limit that denied the call, as it stood when it did. */
  private final BudgetUsage usage;
  /** What the call would have added to the budget. */
  private final BigDecimal requested;

  /**
   * @param usage the limit that denied the call, as it stood when it did
   * @param requested what the call would have added (the estimate it reserves)
   */
  public BudgetExceededException(BudgetUsage usage, BigDecimal requested) {
    super("budget '" + Require.nonNull(usage, "usage").budget() + "' (" + usage.displayScope() + ", "
        + usage.measure() + " per " + usage.window() + ") denied the call: it needs "
        + Require.nonNull(requested, "requested").toPlainString() + " but " + usage.used().toPlainString()
        + " of " + usage.limit().toPlainString() + " is used; the window resets at " + usage.resetsAt());
    this.usage = usage;
    this.requested = requested;
  }

  /** {@return the limit that denied the call, as it stood when it did} */
  public BudgetUsage usage() {
    return usage;
  }

  /** {@return what the call would have added to the budget} */
  public BigDecimal requested() {
    return requested;
  }

  /** {@return what the budget applies to, for example {@code "tenant:acme"} or {@code "global"}} */
  public String scope() {
    return usage.scopeWithKey();
  }

  /** {@return what the budget counts, for example {@code "total_tokens"} or {@code "cost_usd"}} */
  public String measure() {
    return usage.measure();
  }

  /** {@return the budget's limit in its window} */
  public BigDecimal limit() {
    return usage.limit();
  }

  /** {@return what the window held when the call was denied} */
  public BigDecimal used() {
    return usage.used();
  }

  /**
   * {@return when the budget's window resets (for a rolling window: when its oldest usage leaves
   * it)}
   */
  public Instant resetsAt() {
    return usage.resetsAt();
  }
}
