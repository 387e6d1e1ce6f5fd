package dev.aigw.core.budget;

import java.util.List;
import java.util.Objects;

/**
 * One amount to reserve against one counter: for example 1,200 tokens against {@code
 * "tenant:acme/total_tokens"} per day, limited to 1,000,000. Money is counted in whole
 * nano-units of its currency, so sums stay exact integers.
 *
 * @param counter the counter's name (scope and measure); with the window it identifies the counter
 * @param window the period the counter counts over
 * @param limit the most the counter may hold in one window, at least 0
 * @param amount the amount to reserve, at least 0
 */
public record Charge(String counter, Window window, long limit, long amount) {
  /**
   * @param counter the counter's name (scope and measure); with the window it identifies the counter
   * @param window the period the counter counts over
   * @param limit the most the counter may hold in one window, at least 0
   * @param amount the amount to reserve, at least 0
   * @throws IllegalArgumentException when the counter is blank or a number is negative
   */
  public Charge {
    Objects.requireNonNull(counter, "counter");
    Objects.requireNonNull(window, "window");
    if (counter.isBlank()) {
      throw new IllegalArgumentException("counter must not be blank");
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    if (amount < 0) {
      throw new IllegalArgumentException("amount must not be negative, was " + amount);
    }
  }

  /**
   * For {@link BudgetStore} implementations: checks that no counter appears twice with the same
   * window among {@code charges}.
   *
   * @param charges the charges to check
   * @throws IllegalArgumentException naming the counter that does
   */
  public static void requireDistinctCounters(List<Charge> charges) {
    for (int i = 1; i < charges.size(); i++) {
      Charge c = charges.get(i);
      for (int j = 0; j < i; j++) {
        if (c.counter().equals(charges.get(j).counter()) && c.window().equals(charges.get(j).window())) {
          throw new IllegalArgumentException("counter '" + c.counter() + "' per " + c.window()
              + " is charged twice in one reservation; add the amounts into one charge");
        }
      }
    }
  }
}
