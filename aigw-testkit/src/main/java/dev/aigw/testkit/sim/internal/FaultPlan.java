package dev.aigw.testkit.sim.internal;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The failures a simulated server is told to inject. Shared by the server's (re)starts; thread-safe.
 */
public final class FaultPlan {
  private final SplittableRandom random;
  private volatile boolean healthy = true;
  private double errorRate;
  private int errorStatus;
  private int failNext;
  private int failNextStatus;
  private final AtomicInteger cutNextStreamAfter = new AtomicInteger(-1);
  private final AtomicInteger hangNext = new AtomicInteger();
  private long hangEpoch;

  public FaultPlan(long seed, double errorRate, int errorStatus) {
    this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    this.errorRate = errorRate;
    this.errorStatus = errorStatus;
  }

  public boolean healthy() {
    return healthy;
  }

  public void healthy(boolean value) {
    healthy = value;
  }

  public synchronized void errorRate(double rate, int status) {
    errorRate = rate;
    errorStatus = status;
  }

  public synchronized void failNext(int count, int status) {
    failNext = count;
    failNextStatus = status;
  }

  /** The status to fail this request with, or 0 to serve it. */
  synchronized int drawFailure() {
    if (failNext > 0) {
      failNext--;
      return failNextStatus;
    }
    if (errorRate > 0 && random.nextDouble() < errorRate) {
      return errorStatus;
    }
    return 0;
  }

  public void cutNextStreamAfter(int chunks) {
    cutNextStreamAfter.set(chunks);
  }

  /** Chunks after which to cut this stream, or -1 to let it finish. */
  int takeStreamCut() {
    return cutNextStreamAfter.getAndSet(-1);
  }

  public void hangNext(int count) {
    hangNext.addAndGet(count);
  }

  /** Whether this request hangs. */
  boolean takeHang() {
    return hangNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** Releases every hung request (each is then cut). */
  public synchronized void releaseHung() {
    hangEpoch++;
    notifyAll();
  }

  /** Blocks until {@link #releaseHung()} or interruption (the server stopping). */
  synchronized void awaitRelease() throws InterruptedException {
    long epoch = hangEpoch;
    while (epoch == hangEpoch) {
      wait();
    }
  }
}
