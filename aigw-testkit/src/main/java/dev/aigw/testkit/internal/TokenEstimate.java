package dev.aigw.testkit.internal;

/** The fake's token estimate: one token per four characters, rounded up. */
public final class TokenEstimate {
  private TokenEstimate() {}

  /** {@code ceil(chars / 4)}: zero only for zero characters. */
  public static long ofChars(long chars) {
    return (chars + 3) / 4;
  }
}
