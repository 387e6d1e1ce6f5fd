package dev.aigw.core.tokens;

import dev.aigw.api.ChatRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Another counter's counts times a factor of at least 1, rounded up. The factor is kept as an
 * integer number of millionths (rounded up), so that for example 100 × 1.1 is 110 and not the
 * 111 that {@code Math.ceil(100 * 1.1)} gives.
 */
final class EstimatingTokenCounter implements TokenCounter {
  private static final long SCALE = 1_000_000L;
  private static final double MAX_FACTOR = 100.0;

  private final TokenCounter base;
  private final long millionths;
  private final String name;

  EstimatingTokenCounter(TokenCounter base, double factor) {
    if (!(factor >= 1.0 && factor <= MAX_FACTOR)) {
      throw new IllegalArgumentException("factor must be between 1 and " + (int) MAX_FACTOR + ", was " + factor);
    }
    // BigDecimal.valueOf uses the shortest decimal that names the double (1.3, not 1.3000000000000000444).
    BigDecimal exact = BigDecimal.valueOf(factor).setScale(6, RoundingMode.CEILING);
    this.base = base;
    this.millionths = exact.unscaledValue().longValueExact();
    this.name = "estimate(" + base.name() + " x" + exact.stripTrailingZeros().toPlainString() + ")";
  }

  /** {@code tokens} × factor, rounded up, at most {@link Integer#MAX_VALUE}. */
  private int scale(int tokens) {
    // tokens < 2^31 and millionths <= 10^8, so the product fits a long.
    return ChatFormat.saturate((tokens * millionths + SCALE - 1) / SCALE);
  }

  @Override
  public int count(String text) {
    return scale(base.count(text));
  }

  @Override
  public int count(ChatRequest request) {
    return scale(base.count(request));
  }

  @Override
  public int upperBound(ChatRequest request) {
    // Scaling is monotonic, so base.upperBound >= base.count carries over.
    return scale(base.upperBound(request));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "TokenCounter[" + name + "]";
  }
}
