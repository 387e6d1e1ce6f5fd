package dev.aigw.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Test helpers: run a call on its own thread, wait for a condition and drive a manual clock, without sleeping. */
public final class Driver {
  private Driver() {}

  /** Starts {@code call} on a new thread. */
  public static <T> CompletableFuture<T> start(Supplier<T> call) {
    CompletableFuture<T> future = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        future.complete(call.get());
      } catch (Throwable e) {
        future.completeExceptionally(e);
      }
    }, "test-call");
    t.setDaemon(true);
    t.start();
    return future;
  }

  /** Spins (yielding) until {@code condition} holds; fails after ten seconds of real time. */
  public static void awaitTrue(String what, BooleanSupplier condition) {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(giveUp);
      Thread.onSpinWait();
    }
  }

  /**
   * Completes {@code call} by advancing {@code clock} in {@code step}s whenever a timer is
   * pending, and returns the total time advanced.
   */
  public static Duration drive(ManualClock clock, CompletableFuture<?> call, Duration step) {
    Duration advanced = Duration.ZERO;
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!call.isDone()) {
      assertThat(System.nanoTime()).as("the call completes").isLessThan(giveUp);
      if (clock.pendingTimers() > 0) {
        clock.advance(step);
        advanced = advanced.plus(step);
      } else {
        Thread.onSpinWait();
      }
    }
    return advanced;
  }

  /** The call's result, or its failure's cause rethrown. */
  public static <T> T result(CompletableFuture<T> call) throws Throwable {
    try {
      return call.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }
}
