package dev.aigw.api;

/** What a budget does with a call that would take it past its limit. */
public enum BudgetAction {
  /** Fail the call with a {@link BudgetExceededException} before any provider is called. */
  REJECT,
  /** Send the call to the budget's cheaper route instead; the budget goes on counting. */
  DOWNGRADE,
  /** Let the call through and report it to listeners; the budget goes on counting. */
  WARN
}
