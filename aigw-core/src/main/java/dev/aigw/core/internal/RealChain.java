package dev.aigw.core.internal;

import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Interceptor;
import dev.aigw.api.Target;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The immutable chain, after OkHttp's RealInterceptorChain: {@code proceed} copies the chain with
 * the next index and calls the interceptor at the current one, so proceeding several times is
 * natural. One allocation per interceptor per call.
 */
final class RealChain implements Interceptor.Chain {
  private final Interceptor[] interceptors;
  private final int index;
  private final ChatRequest request;
  private final CallScope scope;
  private final @Nullable Target target;
  private final CallContext context;
  private final Terminal terminal;

  RealChain(
      Interceptor[] interceptors, int index, ChatRequest request, CallScope scope, @Nullable Target target, Terminal terminal) {
    this(interceptors, index, request, scope, target, scope.context(), terminal);
  }

  /** A chain whose {@link #context()} is {@code context} (an attempt's, with its own cancellation token). */
  RealChain(
      Interceptor[] interceptors, int index, ChatRequest request, CallScope scope, @Nullable Target target,
      CallContext context, Terminal terminal) {
    this.interceptors = interceptors;
    this.index = index;
    this.request = request;
    this.scope = scope;
    this.target = target;
    this.context = context;
    this.terminal = terminal;
  }

  CallScope scope() {
    return scope;
  }

  @Override
  public ChatRequest request() {
    return request;
  }

  @Override
  public CallContext context() {
    return context;
  }

  @Override
  public CallInfo call() {
    return scope.info();
  }

  @Override
  public Optional<Target> target() {
    return Optional.ofNullable(target);
  }

  @Override
  public ChatResponse proceed(ChatRequest request) {
    checkRequest(request);
    if (index == interceptors.length) {
      return terminal.chat(request, this);
    }
    Interceptor interceptor = interceptors[index];
    ChatResponse response = interceptor.intercept(next(request));
    if (response == null) {
      throw new NullPointerException("interceptor " + interceptor.getClass().getName() + " returned a null response");
    }
    return response;
  }

  @Override
  public ChatStream proceedStream(ChatRequest request) {
    checkRequest(request);
    if (index == interceptors.length) {
      return terminal.stream(request, this);
    }
    Interceptor interceptor = interceptors[index];
    ChatStream stream = interceptor.interceptStream(next(request));
    if (stream == null) {
      throw new NullPointerException("interceptor " + interceptor.getClass().getName() + " returned a null stream");
    }
    return stream;
  }

  private RealChain next(ChatRequest request) {
    return new RealChain(interceptors, index + 1, request, scope, target, context, terminal);
  }

  private void checkRequest(@Nullable ChatRequest request) {
    if (request == null) {
      String who = index == 0 ? "the gateway" : interceptors[index - 1].getClass().getName();
      throw new NullPointerException(who + " passed a null request to proceed");
    }
    scope.throwIfCancelled();
  }
}
