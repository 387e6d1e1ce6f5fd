/**
 * Token, cost and request budgets. The ledger is here: {@link dev.aigw.core.budget.BudgetStore}
 * (reserve several counters all-or-nothing, then reconcile or release) with {@link
 * dev.aigw.core.budget.InMemoryBudgetStore}, counting over calendar or rolling {@link
 * dev.aigw.core.budget.Window}s. Budget policies and the gateway interceptor that reserves
 * before a call and reconciles after it build on it.
 */
@NullMarked
package dev.aigw.core.budget;

import org.jspecify.annotations.NullMarked;
