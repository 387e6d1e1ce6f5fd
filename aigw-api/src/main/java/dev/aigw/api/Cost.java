package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.math.BigDecimal;
import java.util.Currency;

/**
 * An exact amount of money. Never floating point: prices per token are tiny fractions and sums of
 * them must not drift.
 *
 * @param amount the amount, exact; trailing zeros are stripped so equal amounts are equal
 * @param currency the currency
 */
public record Cost(BigDecimal amount, Currency currency) implements Comparable<Cost> {
  private static final Currency USD = Currency.getInstance("USD");

  /**
   * @param amount the amount, exact; trailing zeros are stripped so equal amounts are equal
   * @param currency the currency
   * @throws InvalidRequestException when a field is null or the amount is negative
   */
  public Cost {
    Require.nonNull(amount, "cost.amount");
    Require.nonNull(currency, "cost.currency");
    if (amount.signum() < 0) {
      throw new InvalidRequestException("cost.amount", "must not be negative, was " + amount.toPlainString());
    }
    amount = amount.signum() == 0 ? BigDecimal.ZERO : amount.stripTrailingZeros();
  }

  /**
   * {@return US dollars from a decimal string such as {@code "0.0025"}}
   *
   * @param amount a decimal string, such as {@code "0.0025"}
   */
  public static Cost usd(String amount) {
    try {
      return new Cost(new BigDecimal(Require.nonNull(amount, "cost.amount")), USD);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("cost.amount", "is not a decimal number: '" + amount + "'");
    }
  }

  /**
   * {@return US dollars}
   *
   * @param amount the amount in dollars
   */
  public static Cost usd(BigDecimal amount) {
    return new Cost(amount, USD);
  }

  /**
   * {@return zero in {@code currency}}
   *
   * @param currency the currency
   */
  public static Cost zero(Currency currency) {
    return new Cost(BigDecimal.ZERO, currency);
  }

  /**
   * {@return the sum of this and {@code other}} @throws IllegalArgumentException when the
   * currencies differ
   *
   * @param other a cost in the same currency
   */
  public Cost plus(Cost other) {
    requireSameCurrency(other);
    return new Cost(amount.add(other.amount), currency);
  }

  @Override
  public int compareTo(Cost other) {
    requireSameCurrency(other);
    return amount.compareTo(other.amount);
  }

  private void requireSameCurrency(Cost other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot combine " + currency + " with " + other.currency);
    }
  }

  @Override
  public String toString() {
    return amount.toPlainString() + " " + currency.getCurrencyCode();
  }
}
