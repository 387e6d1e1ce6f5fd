package dev.aigw.providers.pool.internal.kserve;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.DeadlineExceededException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One call's deadline and cancellation, as the transports need them. The gateway gives every call
 * a token that fires at its deadline; a client used on its own (or a caller that sets a deadline
 * without a token) gets the same here: when the context has a deadline or a timeout (from the
 * call's start; the earlier wins), {@link #context()} carries a token of this call's own that fires
 * with a {@link DeadlineExceededException} at the deadline, or with the caller's reason when the
 * caller's token fires. Without either, the context is passed through. Close it when the call
 * (or its stream) has ended.
 */
public final class CallDeadline implements AutoCloseable {
  private final CallContext context;
  private final @Nullable Instant deadline;
  private final Duration budget;
  private final @Nullable ScheduledFuture<?> timer;
  private final CancellationToken.@Nullable Registration link;

  private CallDeadline(
      CallContext context, @Nullable Instant deadline, Duration budget, @Nullable ScheduledFuture<?> timer,
      CancellationToken.@Nullable Registration link) {
    this.context = context;
    this.deadline = deadline;
    this.budget = budget;
    this.timer = timer;
    this.link = link;
  }

  /** Starts guarding a call made now with {@code context}. */
  public static CallDeadline start(CallContext context) {
    Instant now = Instant.now();
    Instant deadline = context.deadline().orElse(null);
    Duration timeout = context.timeout().orElse(null);
    if (timeout != null) {
      Instant byTimeout = now.plus(timeout);
      if (deadline == null || byTimeout.isBefore(deadline)) {
        deadline = byTimeout;
      }
    }
    if (deadline == null) {
      return new CallDeadline(context, null, Duration.ZERO, null, null);
    }
    Duration remaining = Duration.between(now, deadline);
    Duration budget = remaining.isNegative() ? Duration.ZERO : remaining;
    CancellationToken own = CancellationToken.create();
    CancellationToken caller = context.cancellation().orElse(null);
    CancellationToken.Registration link = caller == null ? null : caller.onCancel(() -> own.cancel(
        caller.reason().orElseGet(() -> new CallCancelledException("cancelled through its CancellationToken"))));
    ScheduledFuture<?> timer = null;
    if (!remaining.isNegative() && !remaining.isZero()) {
      timer = Timer.EXECUTOR.schedule(() -> own.cancel(new DeadlineExceededException(budget)),
          remaining.toNanos(), TimeUnit.NANOSECONDS);
    } else {
      own.cancel(new DeadlineExceededException(budget));
    }
    return new CallDeadline(context.toBuilder().cancellation(own).build(), deadline, budget, timer, link);
  }

  /** The context to hand to the transport: its token fires at the deadline and when the caller's does. */
  public CallContext context() {
    return context;
  }

  /** The effective deadline, when there is one. */
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** The token of {@link #context()}, when there is one. */
  public Optional<CancellationToken> token() {
    return context.cancellation();
  }

  /** Why the call must stop (the token fired), or null while it may go on. */
  public @Nullable AiGatewayException reason() {
    CancellationToken token = context.cancellation().orElse(null);
    return token == null ? null : token.reason().orElse(null);
  }

  /** Whether the deadline has passed. */
  public boolean passed() {
    return deadline != null && !Instant.now().isBefore(deadline);
  }

  /** The exception for a passed deadline. */
  public DeadlineExceededException exceeded() {
    return new DeadlineExceededException(budget);
  }

  /** Disarms the timer and unlinks the caller's token. Idempotent. */
  @Override
  public void close() {
    if (timer != null) {
      timer.cancel(false);
    }
    if (link != null) {
      link.close();
    }
  }

  /** One daemon thread for every deadline of every client, started on first use. */
  private static final class Timer {
    static final ScheduledExecutorService EXECUTOR = create();

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "aigw-kserve-deadlines");
        thread.setDaemon(true);
        return thread;
      });
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }
}
