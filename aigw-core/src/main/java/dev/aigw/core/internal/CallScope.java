package dev.aigw.core.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.ModelRequest;
import dev.aigw.api.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The state of one logical call: its info, effective context, listener, cancellation token and
 * deadline timer. The token fires at the deadline, when the caller's own token fires, or when an
 * async caller cancels its future; the call then ends with the token's reason.
 */
final class CallScope {
  private final CallInfo info;
  private final GatewayListener listener;
  private final CancellationToken token;
  private final TimeSource clock;
  private final long startNanos;
  private final TimeSource.@Nullable Timer deadlineTimer;
  private final CancellationToken.@Nullable Registration callerRegistration;
  private final AtomicBoolean closed = new AtomicBoolean();
  private int attempts;
  private @Nullable RequestSize size;
  private volatile boolean uncacheable;
  /** The chat request as it left the input guardrails; null for embeddings and while they hold it. */
  private volatile @Nullable ChatRequest sent;
  private volatile @Nullable Placeholders placeholders;

  private CallScope(
      CallInfo info,
      GatewayListener listener,
      CancellationToken token,
      TimeSource clock,
      long startNanos,
      TimeSource.@Nullable Timer deadlineTimer,
      CancellationToken.@Nullable Registration callerRegistration) {
    this.info = info;
    this.listener = listener;
    this.token = token;
    this.clock = clock;
    this.startNanos = startNanos;
    this.deadlineTimer = deadlineTimer;
    this.callerRegistration = callerRegistration;
  }

  /**
   * Starts a call: resolves the effective deadline, derives the context the chain sees, creates
   * the listener and arms the deadline timer. Emits no event.
   */
  static CallScope open(
      long id, CallInfo.Operation operation, boolean streaming, ModelRequest request, CallContext callerContext,
      TimeSource clock, Listeners listeners, CallInfo.Topology topology) {
    Instant now = clock.now();
    long startNanos = clock.nanoTime();
    Instant deadline = callerContext.deadline().orElse(null);
    if (callerContext.timeout().isPresent()) {
      Instant byTimeout = now.plus(callerContext.timeout().get());
      deadline = deadline == null || byTimeout.isBefore(deadline) ? byTimeout : deadline;
    }
    CancellationToken token = CancellationToken.create();
    CallContext.Builder context = callerContext.toBuilder().cancellation(token);
    if (deadline != null) {
      context.deadline(deadline);
    }
    CallInfo info = new CallInfo(id, operation, streaming, request, context.build(), now, topology);
    GatewayListener listener = listeners.forCall(info);

    CancellationToken.Registration callerRegistration = null;
    CancellationToken callerToken = callerContext.cancellation().orElse(null);
    if (callerToken != null) {
      callerRegistration = callerToken.onCancel(() -> token.cancel(callerToken.reason().orElseThrow()));
    }
    TimeSource.Timer timer = null;
    if (deadline != null) {
      Duration remaining = Duration.between(now, deadline);
      DeadlineExceededException reason = new DeadlineExceededException(remaining.isNegative() ? Duration.ZERO : remaining);
      if (remaining.isNegative() || remaining.isZero()) {
        token.cancel(reason);
      } else {
        timer = clock.schedule(remaining, () -> token.cancel(reason));
      }
    }
    CallScope scope = new CallScope(info, listener, token, clock, startNanos, timer, callerRegistration);
    if (request instanceof ChatRequest chat) {
      scope.sent = chat;
    }
    return scope;
  }

  CallInfo info() {
    return info;
  }

  CallContext context() {
    return info.context();
  }

  GatewayListener listener() {
    return listener;
  }

  CancellationToken token() {
    return token;
  }

  TimeSource clock() {
    return clock;
  }

  /** The number the next attempt gets, counting from 1 across the whole call. */
  int nextAttemptNumber() {
    return ++attempts;
  }

  /**
   * The token counts of {@code request}, shared by the interceptors and the router of this call
   * so that a request is tokenized once (the last request asked about is remembered).
   */
  RequestSize sizeOf(ChatRequest request) {
    RequestSize known = size;
    if (known == null || !known.isOf(request)) {
      known = new RequestSize(request);
      size = known;
    }
    return known;
  }

  /** Keeps this call's answer out of the response cache (a budget downgraded the call). */
  void markUncacheable() {
    uncacheable = true;
  }

  /** Whether the call's answer must not be stored in the response cache. */
  boolean uncacheable() {
    return uncacheable;
  }

  /**
   * The input guardrails are checking the request: until {@link #guarded} no listener may see it
   * (a blocked request may hold a secret).
   */
  void withholdContent() {
    sent = null;
  }

  /** The input guardrails let {@code request} through, with {@code placeholders} for what they masked. */
  void guarded(ChatRequest request, Placeholders placeholders) {
    this.placeholders = placeholders.isEmpty() ? null : placeholders;
    this.sent = request;
  }

  /**
   * Sends the {@code content} event just before the call's end: the request as it left the
   * input guardrails, and {@code response} (null when the call failed) with their placeholders
   * put back in place of the values.
   */
  void reportContent(@Nullable ChatResponse response) {
    ChatRequest request = sent;
    if (request == null || Listeners.isNone(listener)) {
      return;
    }
    Placeholders p = placeholders;
    listener.content(info, request, Optional.ofNullable(response == null || p == null ? response : p.remask(response)));
  }

  /** Time since the call started, by the gateway's clock. */
  Duration elapsed() {
    return Duration.ofNanos(clock.nanoTime() - startNanos);
  }

  long startNanos() {
    return startNanos;
  }

  /** Throws the token's reason when the call was cancelled or its deadline passed. */
  void throwIfCancelled() {
    if (token.isCancelled()) {
      throw token.reason().orElseThrow();
    }
  }

  /**
   * The exception the call ends with after {@code error}: the token's reason when the call was
   * cancelled (the provider's own error, usually a consequence, is attached as suppressed),
   * otherwise {@code error} itself, wrapped when it is not an {@link AiGatewayException}.
   */
  AiGatewayException failure(Throwable error) {
    if (token.isCancelled()) {
      AiGatewayException reason = token.reason().orElseThrow();
      if (error != reason) {
        reason.addSuppressed(error);
      }
      return reason;
    }
    if (error instanceof AiGatewayException e) {
      return e;
    }
    return new AiGatewayException("call failed with an unexpected " + error.getClass().getName(), error);
  }

  /** Disarms the deadline timer and unlinks the caller's token. Idempotent. */
  void close() {
    if (closed.compareAndSet(false, true)) {
      if (deadlineTimer != null) {
        deadlineTimer.cancel();
      }
      if (callerRegistration != null) {
        callerRegistration.close();
      }
    }
  }
}
