package dev.aigw.core.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.TargetUnavailableException;
import dev.aigw.api.TimeSource;
import dev.aigw.core.routing.Hedging;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A hedged call: attempts run on the router's hedging threads; this thread waits for events (an attempt's
 * result, the hedge timer, the call's cancellation) and reports them to listeners, so a
 * call's events still arrive one at a time.
 */
final class HedgedCall<R> {
  private final List<TargetState> candidates;
  private final CallScope scope;
  private final boolean streaming;
  private final Hedging hedging;
  private final AttemptCall<R> call;
  private final AttemptCall.Discard<R> discard;
  private final AttemptLog outcomes;
  private final Executor threads;
  private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final List<Running> running = new ArrayList<>(2);
  private int nextCandidate;
  private int hedgesLeft;
  private TimeSource.@Nullable Timer hedgeTimer;

  HedgedCall(List<TargetState> candidates, CallScope scope, boolean streaming, Hedging hedging,
      AttemptCall<R> call, AttemptCall.Discard<R> discard, AttemptLog outcomes, Executor threads) {
    this.threads = threads;
    this.candidates = candidates;
    this.scope = scope;
    this.streaming = streaming;
    this.hedging = hedging;
    this.call = call;
    this.discard = discard;
    this.outcomes = outcomes;
    this.hedgesLeft = hedging.maxHedges();
  }

  /** One attempt in flight. */
  private final class Running {
    final TargetState state;
    final int number;
    final long start;
    @Nullable AttemptControl control;
    @Nullable R result;
    @Nullable AiGatewayException error;
    boolean abandoned;
    boolean acquired;

    Running(TargetState state, int number, long start) {
      this.state = state;
      this.number = number;
      this.start = start;
    }

    void run() {
      R r = null;
      AiGatewayException e = null;
      try {
        state.acquire();
        AttemptControl c = AttemptControl.start(state, scope, streaming, true);
        synchronized (this) {
          control = c;
          acquired = true;
        }
        try {
          r = AttemptCall.run(call, scope, state.target, number, c);
        } catch (RuntimeException failure) {
          e = c.failure(failure);
        }
      } catch (RuntimeException failure) {
        e = scope.failure(failure);
      }
      boolean keep;
      synchronized (this) {
        keep = !abandoned;
        result = r;
        error = e;
      }
      if (!keep && r != null) {
        discard.discard(r);
      }
      events.add(this);
    }

    /** Cancels this attempt because another won; a result that still arrives is discarded. */
    void abandon() {
      AttemptControl c;
      R r;
      synchronized (this) {
        abandoned = true;
        c = control;
        r = result;
        result = null;
      }
      if (c != null) {
        c.cancel(new CallCancelledException("hedged attempt on " + state.target + " lost to a faster one"));
      }
      if (r != null) {
        discard.discard(r);
      }
    }

    synchronized boolean acquired() {
      return acquired;
    }
  }

  private void launch(TargetState state) {
    int number = scope.nextAttemptNumber();
    scope.listener().attemptStart(scope.info(), state.target, number);
    Running attempt = new Running(state, number, scope.clock().nanoTime());
    state.lastUsedNanos = attempt.start;
    running.add(attempt);
    try {
      threads.execute(attempt::run);
    } catch (RejectedExecutionException e) {
      attempt.error = new TargetUnavailableException(state.target, TargetUnavailableException.Reason.BULKHEAD_FULL,
          "the gateway could not start a hedged attempt on " + state.target + " (closed)");
      events.add(attempt);
    }
  }

  private void armHedgeTimer() {
    if (hedgesLeft <= 0 || nextCandidate >= candidates.size()) {
      return;
    }
    Duration delay = hedging.delay();
    if (hedging.adaptive()) {
      long p = candidates.get(Math.max(0, nextCandidate - 1)).latency(streaming).percentile(hedging.percentile());
      if (p >= 0) {
        delay = Duration.ofNanos(p);
      }
    }
    hedgeTimer = scope.clock().schedule(delay, () -> events.add(HEDGE));
  }

  <T> T run(AttemptCall.Finish<R, T> finish) {
    CancellationRelay relay = new CancellationRelay(events);
    try (var registration = scope.token().onCancel(relay)) {
      launch(candidates.get(nextCandidate++));
      armHedgeTimer();
      AiGatewayException last = null;
      while (true) {
        Object event;
        try {
          event = events.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          scope.token().cancel(new CallCancelledException("the calling thread was interrupted"));
          continue;
        }
        if (event == relay) {
          abandonAll();
          throw scope.failure(scope.token().reason().orElseThrow());
        }
        if (event == HEDGE) {
          if (hedgesLeft > 0 && nextCandidate < candidates.size() && !running.isEmpty()) {
            hedgesLeft--;
            TargetState from = running.get(running.size() - 1).state;
            TargetState to = candidates.get(nextCandidate++);
            scope.listener().hedge(scope.info(), from.target, to.target);
            launch(to);
            armHedgeTimer();
          }
          continue;
        }
        @SuppressWarnings("unchecked")
        Running done = (Running) event;
        if (!running.remove(done)) {
          continue;
        }
        long latency = scope.clock().nanoTime() - done.start;
        if (done.error == null && done.result != null) {
          R result = done.result;
          AttemptLog.succeeded(done.state, scope, done.number, latency, streaming, outcomes);
          for (Running loser : running) {
            loser.abandon();
            outcomes.cancelled(loser.state, Duration.ofNanos(scope.clock().nanoTime() - loser.start));
            if (loser.acquired()) {
              loser.state.failed(0, new CallCancelledException("lost a hedge"), false);
            }
          }
          running.clear();
          cancelHedgeTimer();
          return finish.finish(result, done.state, outcomes.attempts());
        }
        AiGatewayException error = done.error != null ? done.error
            : new ProviderException(done.state.target.provider(), 0, false, "attempt returned nothing");
        last = error;
        if (!(error instanceof TargetUnavailableException)) {
          done.state.failed(latency, error, AttemptLog.targetsFault(error, scope));
        }
        outcomes.failed(done.state, error, Duration.ofNanos(latency), null);
        scope.listener().attemptFailed(scope.info(), done.state.target, done.number, Duration.ofNanos(latency), error);
        if (scope.token().isCancelled()) {
          abandonAll();
          throw scope.failure(error);
        }
        if (!outcomes.fallsBack(error)) {
          abandonAll();
          throw outcomes.finalFailure(error, candidates);
        }
        if (running.isEmpty()) {
          int next = outcomes.next(candidates, nextCandidate - 1, error);
          if (next < 0) {
            throw outcomes.finalFailure(error, candidates);
          }
          scope.listener().fallback(scope.info(), done.state.target, candidates.get(next).target, error);
          nextCandidate = next + 1;
          launch(candidates.get(next));
          cancelHedgeTimer();
          armHedgeTimer();
        }
      }
    } finally {
      cancelHedgeTimer();
    }
  }

  private void abandonAll() {
    for (Running r : running) {
      r.abandon();
    }
    running.clear();
  }

  private void cancelHedgeTimer() {
    if (hedgeTimer != null) {
      hedgeTimer.cancel();
      hedgeTimer = null;
    }
  }

  private static final Object HEDGE = new Object();

  /** Puts itself on the event queue when the call is cancelled. */
  private static final class CancellationRelay implements Runnable {
    private final LinkedBlockingQueue<Object> events;

    CancellationRelay(LinkedBlockingQueue<Object> events) {
      this.events = events;
    }

    @Override
    public void run() {
      events.add(this);
    }
  }
}
