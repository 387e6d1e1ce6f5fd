package dev.aigw.api;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A budget or rate limit denied the call before any provider was called. Nothing was reserved. */
public final class BudgetExceededException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  private final String scope;
  private final String measure;
  private final @Nullable Instant resetsAt;

  /**
   * @param scope what the budget applies to, for example {@code "tenant:acme"}
   * @param measure what it counts, for example {@code "total_tokens"} or {@code "cost_usd"}
   * @param resetsAt when the window resets, or {@code null} for budgets that never reset
   * @param message limit and usage in words
   */
  public BudgetExceededException(String scope, String measure, @Nullable Instant resetsAt, String message) {
    super(message);
    this.scope = scope;
    this.measure = measure;
    this.resetsAt = resetsAt;
  }

  /** What the budget applies to, for example {@code "tenant:acme"}. */
  public String scope() {
    return scope;
  }

  /** What the budget counts, for example {@code "total_tokens"}. */
  public String measure() {
    return measure;
  }

  /** When the budget's window resets, if it does. */
  public Optional<Instant> resetsAt() {
    return Optional.ofNullable(resetsAt);
  }
}
