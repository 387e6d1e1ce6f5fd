package dev.aigw.api;

import java.time.Duration;

/**
 * Receives events about calls, as OkHttp's {@code EventListener} does: observation kept apart
 * from interception. Every method has an empty default, so a listener overrides only what it
 * needs.
 *
 * <p>Events of one call arrive in order, on the thread doing the work (the caller's, the async
 * executor's, or the stream consumer's): {@code callStart}, then per attempt {@code
 * attemptStart} and {@code attemptEnd} or {@code attemptFailed} (with {@code fallback} between
 * attempts), then for streams {@code firstChunk}, then {@code usage} when the provider reported
 * it, and finally exactly one of {@code callEnd} and {@code callFailed}.
 *
 * <p>A listener must not block and must be thread-safe when shared. An exception thrown by a
 * listener is logged and swallowed: it never changes or breaks a call. For per-call state,
 * register a {@link Factory} instead of one shared listener.
 */
public interface GatewayListener {
  /** The call started. */
  default void callStart(CallInfo call) {}

  /** An attempt against {@code target} started; {@code attempt} counts from 1. */
  default void attemptStart(CallInfo call, Target target, int attempt) {}

  /** The attempt succeeded (for streams: its first chunk arrived) after {@code latency}. */
  default void attemptEnd(CallInfo call, Target target, int attempt, Duration latency) {}

  /** The attempt failed after {@code latency}. */
  default void attemptFailed(CallInfo call, Target target, int attempt, Duration latency, AiGatewayException error) {}

  /** The router moves on from {@code from} to {@code to} because of {@code cause}. */
  default void fallback(CallInfo call, Target from, Target to, AiGatewayException cause) {}

  /** The first chunk of a stream reached the caller, {@code timeToFirstChunk} after the call started. */
  default void firstChunk(CallInfo call, Duration timeToFirstChunk) {}

  /** The provider reported the call's usage. */
  default void usage(CallInfo call, Usage usage) {}

  /**
   * The call succeeded. For streams, {@code response} is assembled from the chunks when the
   * stream completes.
   */
  default void callEnd(CallInfo call, ModelResponse response) {}

  /**
   * The call failed, timed out, or was cancelled (including a stream closed before it
   * completed, reported as a {@link CallCancelledException}).
   */
  default void callFailed(CallInfo call, AiGatewayException error) {}

  /** Creates a listener per call, for listeners that keep per-call state (a span, a timer). */
  @FunctionalInterface
  interface Factory {
    /** The listener for {@code call}; called before {@code callStart}. */
    GatewayListener create(CallInfo call);
  }
}
