package dev.aigw.testkit;

import dev.aigw.api.TimeSource;
import dev.aigw.testkit.internal.Nanos;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TimeSource} whose time moves only when a test {@linkplain #advance(Duration) advances}
 * it, so deadlines, windows, TTLs and back-offs are tested without sleeping.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * AtomicBoolean expired = new AtomicBoolean();
 * clock.schedule(Duration.ofSeconds(30), () -> expired.set(true));
 * clock.advance(Duration.ofSeconds(29)); // not due yet
 * clock.advance(Duration.ofSeconds(1));  // runs the task, on this thread
 * assert expired.get();
 * }</pre>
 *
 * <p>{@link #now()} starts at the given instant ({@link #DEFAULT_START} by default) and {@link
 * #nanoTime()} at 0; both move together. Scheduled tasks run only inside {@link #advance}, on the
 * advancing thread, in the order they become due (tasks due at the same instant in the order they
 * were scheduled).
 *
 * <p>Thread-safe: tests advance from one thread while the code under test reads the time and
 * schedules timers from others. Concurrent advances are serialised.
 */
public final class ManualClock implements TimeSource {
  /** Where a clock made with {@link #ManualClock()} starts: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final Instant start;
  private final Object lock = new Object();
  private final ReentrantLock advancing = new ReentrantLock();
  private final PriorityQueue<ScheduledTask> queue = new PriorityQueue<>();
  private volatile long elapsedNanos;
  private long sequence;

  /** A clock at {@link #DEFAULT_START}, with {@link #nanoTime()} at 0. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  /**
   * A clock at {@code start}, with {@link #nanoTime()} at 0.
   *
   * @param start the clock's first instant
   * @throws NullPointerException when {@code start} is null
   */
  public ManualClock(Instant start) {
    this.start = Objects.requireNonNull(start, "start");
  }

  /** The start instant plus the time advanced so far. */
  @Override
  public Instant now() {
    return start.plusNanos(elapsedNanos);
  }

  /** The nanoseconds advanced so far (0 at the start). */
  @Override
  public long nanoTime() {
    return elapsedNanos;
  }

  /**
   * Schedules {@code task} to run {@code delay} from now, when a later {@link #advance} reaches
   * that time. A zero or negative delay makes the task due at once: it runs on the next {@code
   * advance}, including {@code advance(Duration.ZERO)}, never inside this method.
   *
   * @return a timer whose {@link Timer#cancel() cancel()} keeps the task from running (idempotent;
   *     no effect once the task has run)
   * @throws NullPointerException when {@code delay} or {@code task} is null
   */
  @Override
  public Timer schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(task, "task");
    long delayNanos = Math.max(0, Nanos.of(delay));
    ScheduledTask scheduled;
    synchronized (lock) {
      scheduled = new ScheduledTask(Nanos.add(elapsedNanos, delayNanos), sequence++, task);
      queue.add(scheduled);
    }
    return () -> {
      synchronized (lock) {
        queue.remove(scheduled);
      }
    };
  }

  /**
   * Moves the time forward by {@code duration} and runs, on this thread, every scheduled task that
   * became due, in due order. While a task runs, {@link #now()} and {@link #nanoTime()} read its
   * due time; tasks it schedules run too if they fall due within {@code duration}. When a task
   * throws, the remaining due tasks still run and the time still advances fully; then the first
   * exception is rethrown, with the later ones {@linkplain Throwable#addSuppressed suppressed}.
   *
   * @param duration how far to move; zero runs the tasks that are already due
   * @throws NullPointerException when {@code duration} is null
   * @throws IllegalArgumentException when {@code duration} is negative
   * @throws RuntimeException the first exception a task threw
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, was " + duration);
    }
    advancing.lock();
    try {
      long target = Nanos.add(elapsedNanos, Nanos.of(duration));
      RuntimeException failure = null;
      while (true) {
        ScheduledTask due;
        synchronized (lock) {
          due = queue.peek();
          if (due == null || due.dueNanos > target) {
            if (elapsedNanos < target) {
              elapsedNanos = target;
            }
            break;
          }
          queue.poll();
          if (elapsedNanos < due.dueNanos) {
            elapsedNanos = due.dueNanos;
          }
        }
        try {
          due.task.run();
        } catch (RuntimeException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      advancing.unlock();
    }
  }

  /** {@return the number of scheduled tasks that have neither run nor been cancelled} */
  public int pendingTimers() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** The current instant and the number of pending timers. */
  @Override
  public String toString() {
    return "ManualClock[now=" + now() + ", pendingTimers=" + pendingTimers() + "]";
  }

  private static final class ScheduledTask implements Comparable<ScheduledTask> {
    final long dueNanos;
    final long sequence;
    final Runnable task;

    ScheduledTask(long dueNanos, long sequence, Runnable task) {
      this.dueNanos = dueNanos;
      this.sequence = sequence;
      this.task = task;
    }

    @Override
    public int compareTo(ScheduledTask other) {
      int byDue = Long.compare(dueNanos, other.dueNanos);
      return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }
}
