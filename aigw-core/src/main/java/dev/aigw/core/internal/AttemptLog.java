package dev.aigw.core.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.Attempt;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.NoRouteAvailableException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.QuotaExhaustedException;
import dev.aigw.api.TargetUnavailableException;
import dev.aigw.core.routing.RouteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The attempts of one routed call so far, and the rules for moving on after a failure. */
final class AttemptLog {
  private final String model;
  private final int candidateCount;
  private final RouteOptions options;
  private final List<Attempt> attempts = new ArrayList<>(2);
  private @Nullable List<AiGatewayException> failures;
  private int windowThatFailed;

  AttemptLog(String model, int candidateCount, RouteOptions options) {
    this.model = model;
    this.candidateCount = candidateCount;
    this.options = options;
  }

  List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  void succeeded(TargetState state, Duration latency) {
    attempts.add(Attempt.success(state.target, latency));
  }

  void cancelled(TargetState state, Duration latency) {
    attempts.add(Attempt.cancelled(state.target, latency));
  }

  void failed(TargetState state, AiGatewayException error, Duration latency, @Nullable Duration retryDelay) {
    attempts.add(retryDelay == null
        ? Attempt.failure(state.target, latency, error)
        : Attempt.retried(state.target, latency, error, retryDelay));
    if (failures == null) {
      failures = new ArrayList<>(2);
    }
    failures.add(error);
    if (error instanceof ContextWindowExceededException) {
      windowThatFailed = Math.max(windowThatFailed, state.contextWindow() > 0 ? state.contextWindow() : 0);
    }
  }

  boolean fallsBack(AiGatewayException error) {
    return error instanceof ProviderException p
        && (p.retryable() || p instanceof ContextWindowExceededException || p instanceof QuotaExhaustedException
            || p instanceof ContentFilteredException && options.fallbackOnContentFilter());
  }

  /** The index of the candidate after {@code current} that may take over after {@code error}, or -1. */
  int next(List<TargetState> candidates, int current, AiGatewayException error) {
    if (!fallsBack(error)) {
      return -1;
    }
    for (int j = current + 1; j < candidates.size(); j++) {
      if (windowThatFailed == 0 || candidates.get(j).contextWindow() > windowThatFailed) {
        return j;
      }
    }
    return -1;
  }

  AiGatewayException finalFailure(AiGatewayException last, List<TargetState> candidates) {
    List<AiGatewayException> all = failures == null ? List.of(last) : failures;
    if (candidateCount == 1 || !fallsBack(last)) {
      for (AiGatewayException f : all) {
        if (f != last) {
          last.addSuppressed(f);
        }
      }
      return last;
    }
    StringBuilder sb = new StringBuilder();
    for (Attempt a : attempts) {
      sb.append(sb.length() == 0 ? "" : ", ").append(a.target()).append(" -> ")
          .append(a.errorType().map(t -> t.substring(t.lastIndexOf('.') + 1)).orElse(a.outcome().name().toLowerCase(java.util.Locale.ROOT)));
    }
    String skipped = windowThatFailed > 0 ? "; candidates with a context window of at most " + windowThatFailed + " were skipped" : "";
    return new NoRouteAvailableException(
        "all " + candidates.size() + " targets of '" + model + "' failed: " + sb + skipped, List.copyOf(attempts), List.copyOf(all));
  }

  static void succeeded(TargetState state, CallScope scope, int number, long latency, boolean streaming, AttemptLog outcomes) {
    state.succeeded(latency);
    state.latency(streaming).record(latency, scope.clock().nanoTime());
    outcomes.succeeded(state, Duration.ofNanos(latency));
    scope.listener().attemptEnd(scope.info(), state.target, number, Duration.ofNanos(latency));
  }

  /** Whether a failure counts against the target's breaker and retry budget. */
  static boolean targetsFault(AiGatewayException error, CallScope scope) {
    return !scope.token().isCancelled() && error instanceof ProviderException p && p.retryable()
        && !(p instanceof TargetUnavailableException);
  }
}
