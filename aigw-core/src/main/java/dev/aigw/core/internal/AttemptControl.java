package dev.aigw.core.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.api.TimeSource;
import dev.aigw.core.routing.Resilience;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One attempt's resources and limits: the target's bulkhead slot, and, when the attempt can be
 * cut short on its own (a per-attempt timeout, a first-chunk timeout, a stream throughput floor,
 * or hedging), its own cancellation token linked to the call's, with the timers that fire it.
 * {@link #end()} releases everything, once; a stream attempt ends when its stream closes.
 */
final class AttemptControl {
  private final TargetState state;
  private final CallScope scope;
  private final @Nullable CancellationToken token;
  private final CallContext context;
  private final CancellationToken.@Nullable Registration link;
  private TimeSource.@Nullable Timer attemptTimer;
  private TimeSource.@Nullable Timer firstChunkTimer;
  private volatile TimeSource.@Nullable Timer throughputTimer;
  private final AtomicLong streamedChars = new AtomicLong();
  private final AtomicBoolean ended = new AtomicBoolean();

  private AttemptControl(TargetState state, CallScope scope, boolean ownToken) {
    this.state = state;
    this.scope = scope;
    if (ownToken) {
      CancellationToken child = CancellationToken.create();
      CancellationToken parent = scope.token();
      this.link = parent.onCancel(() -> child.cancel(parent.reason().orElseThrow()));
      this.token = child;
      this.context = scope.context().toBuilder().cancellation(child).build();
    } else {
      this.link = null;
      this.token = null;
      this.context = scope.context();
    }
  }

  /**
   * Starts an attempt whose bulkhead slot and breaker permission were already taken, arming its
   * timers. {@code hedged} attempts always get their own token, so the loser can be cancelled.
   */
  static AttemptControl start(TargetState state, CallScope scope, boolean streaming, boolean hedged) {
    Resilience r = state.resilience;
    boolean timed = r.attemptTimeout().isPresent()
        || streaming && (r.firstChunkTimeout().isPresent() || r.minStreamWindow().isPresent());
    AttemptControl control = new AttemptControl(state, scope, hedged || timed);
    TimeSource clock = scope.clock();
    r.attemptTimeout().ifPresent(t -> control.attemptTimer = clock.schedule(t,
        () -> control.cancel(timeout("did not " + (streaming ? "finish its stream" : "answer") + " within its attempt timeout of " + t.toMillis() + " ms", state))));
    if (streaming) {
      r.firstChunkTimeout().ifPresent(t -> control.firstChunkTimer = clock.schedule(t,
          () -> control.cancel(timeout("sent no first chunk within " + t.toMillis() + " ms", state))));
    }
    return control;
  }

  private static ProviderTimeoutException timeout(String what, TargetState state) {
    return new ProviderTimeoutException(state.target.provider(), "target " + state.target + " " + what, null);
  }

  /** The context the attempt runs with (its own token, when it has one). */
  CallContext context() {
    return context;
  }

  /** Cancels this attempt alone (the call goes on). */
  void cancel(AiGatewayException reason) {
    if (token != null) {
      token.cancel(reason);
    }
  }

  boolean cancelledAlone() {
    return token != null && token.isCancelled() && !scope.token().isCancelled();
  }

  /**
   * The exception this attempt ends with after {@code error}: the call's reason when the call
   * was cancelled, this attempt's reason when only the attempt was (its timeout, or a lost
   * hedge), else the error itself, made an {@link AiGatewayException} when it is not one.
   */
  AiGatewayException failure(Throwable error) {
    if (cancelledAlone()) {
      AiGatewayException reason = token.reason().orElseThrow();
      if (reason != error) {
        reason.addSuppressed(error);
      }
      return reason;
    }
    if (scope.token().isCancelled()) {
      return scope.failure(error);
    }
    if (error instanceof AiGatewayException e) {
      return e;
    }
    return new ProviderException(state.target.provider(), 0, false,
        "provider '" + state.target.provider() + "' failed with an unexpected " + error.getClass().getName(), error);
  }

  /** The stream's first chunk arrived: stops the first-chunk timer and starts the throughput watch. */
  void firstChunk() {
    if (firstChunkTimer != null) {
      firstChunkTimer.cancel();
    }
    Resilience r = state.resilience;
    r.minStreamWindow().ifPresent(window -> watchThroughput(window, r.minStreamCharacters(), 0));
  }

  /** Counts streamed output toward the throughput floor. */
  void streamed(int chars) {
    streamedChars.addAndGet(chars);
  }

  private void watchThroughput(Duration window, int minChars, long seenBefore) {
    if (ended.get()) {
      return;
    }
    throughputTimer = scope.clock().schedule(window, () -> {
      long seen = streamedChars.get();
      if (seen - seenBefore < minChars) {
        cancel(timeout("streamed " + (seen - seenBefore) + " characters in " + window.toMillis()
            + " ms, below its floor of " + minChars, state));
      } else {
        watchThroughput(window, minChars, seen);
      }
    });
  }

  /** Releases the bulkhead slot, stops the timers and unlinks the token. Idempotent. */
  void end() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    cancelTimer(attemptTimer);
    cancelTimer(firstChunkTimer);
    cancelTimer(throughputTimer);
    if (link != null) {
      link.close();
    }
    state.releaseSlot();
  }

  private static void cancelTimer(TimeSource.@Nullable Timer timer) {
    if (timer != null) {
      timer.cancel();
    }
  }
}
