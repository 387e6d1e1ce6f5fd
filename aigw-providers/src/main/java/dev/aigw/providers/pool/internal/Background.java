package dev.aigw.providers.pool.internal;

import dev.aigw.api.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A pool's periodic work (health checks, scrapes, DNS): each task runs on an executor at an
 * interval of the pool's clock, so tests drive it with a manual clock, and the next run is armed
 * only after the last one ended. {@link #close()} cancels every timer and stops the executor the
 * pool owns.
 */
public final class Background implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Background.class.getName());

  private final String name;
  private final TimeSource clock;
  private final Executor executor;
  private final @Nullable ExecutorService owned;
  private final List<Periodic> tasks = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param name names the pool in log messages and thread names
   * @param clock schedules the runs
   * @param executor runs the tasks, or null for two daemon threads of its own
   */
  public Background(String name, TimeSource clock, @Nullable Executor executor) {
    this.name = name;
    this.clock = clock;
    if (executor != null) {
      this.executor = executor;
      this.owned = null;
    } else {
      ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "aigw-pool-" + name);
        t.setDaemon(true);
        return t;
      });
      this.executor = threads;
      this.owned = threads;
    }
  }

  /** Runs {@code task} every {@code interval} until closed. */
  public void every(Duration interval, Runnable task) {
    Periodic periodic = new Periodic(interval, task);
    synchronized (tasks) {
      tasks.add(periodic);
    }
    periodic.arm();
  }

  @Override
  public void close() {
    closed = true;
    synchronized (tasks) {
      tasks.forEach(Periodic::cancel);
    }
    if (owned != null) {
      owned.shutdownNow();
    }
  }

  /** A task run at an interval; only its next timer is held, so closing cancels it. */
  private final class Periodic implements Runnable {
    private final Duration interval;
    private final Runnable task;
    private volatile TimeSource.@Nullable Timer timer;

    Periodic(Duration interval, Runnable task) {
      this.interval = interval;
      this.task = task;
    }

    void arm() {
      if (!closed) {
        timer = clock.schedule(interval, this);
      }
    }

    void cancel() {
      TimeSource.Timer t = timer;
      if (t != null) {
        t.cancel();
      }
    }

    @Override
    public void run() {
      if (closed) {
        return;
      }
      try {
        executor.execute(() -> {
          try {
            task.run();
          } catch (Exception e) {
            // Exception, not RuntimeException: OkHttp (Kotlin) throws InterruptedException undeclared
            // when close() interrupts a check that is connecting, which would kill the thread noisily
            if (e instanceof InterruptedException) {
              Thread.currentThread().interrupt();
            }
            if (!closed) {
              LOG.log(System.Logger.Level.WARNING, "pool " + name + ": background task failed", e);
            }
          } finally {
            arm();
          }
        });
      } catch (RejectedExecutionException e) {
        // closing
      }
    }
  }
}
