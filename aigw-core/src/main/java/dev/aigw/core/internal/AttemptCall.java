package dev.aigw.core.internal;

import dev.aigw.api.Attempt;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.Target;
import java.util.List;

/** How the router runs one attempt of one kind of call (chat, stream, embeddings). */
interface AttemptCall<R> {
  /** One attempt; must end {@code control} when it fails, and hand it to the result when that owns resources. */
  R attempt(Target target, AttemptControl control);

  /** Runs attempt number {@code number} with the listeners' attempt scope open on this thread. */
  static <R> R run(AttemptCall<R> call, CallScope scope, Target target, int number, AttemptControl control) {
    try (GatewayListener.Scope ignored = scope.listener().attemptScope(scope.info(), target, number)) {
      return call.attempt(target, control);
    }
  }

  /** Turns a successful attempt's result into the call's answer. */
  interface Finish<R, T> {
    T finish(R result, TargetState state, List<Attempt> attempts);
  }

  /** Releases the result of an attempt nobody will use (a lost hedge). */
  interface Discard<R> {
    void discard(R result);
  }
}
