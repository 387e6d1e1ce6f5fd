package dev.aigw.core.budget;

/** The in-memory ledger against the budget store contract. */
class InMemoryBudgetStoreTest extends BudgetStoreContract {
  @Override
  protected BudgetStore newStore() {
    return new InMemoryBudgetStore();
  }
}
