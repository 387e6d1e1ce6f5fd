package dev.aigw.testkit;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded polling for state another thread reaches; fails instead of hanging a broken build. */
final class Await {
  private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private Await() {}

  static void until(String what, BooleanSupplier condition) {
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - start > LIMIT_NANOS) {
        throw new AssertionError("gave up waiting until " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
