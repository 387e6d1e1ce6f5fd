/**
 * Token, cost and request budgets and rate limits. A {@link dev.aigw.core.budget.Budget} is a
 * scope with limits (measure × {@link dev.aigw.core.budget.Window} × limit) and an action; add it
 * with {@code AiGateway.Builder.budget}. The gateway reserves each call's estimate against every
 * applicable limit before the call and reconciles it to the call's usage after. The counters live
 * in a {@link dev.aigw.core.budget.BudgetStore}: {@link dev.aigw.core.budget.InMemoryBudgetStore}
 * for one JVM, or a shared store for a fleet.
 */
@NullMarked
package dev.aigw.core.budget;

import org.jspecify.annotations.NullMarked;
