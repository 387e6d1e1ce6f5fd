package dev.aigw.api;

import java.util.Optional;

/**
 * Observes, changes or short-circuits calls on their way to a provider and back.
 *
 * <p>The gateway runs two chains, as OkHttp runs application and network interceptors:
 *
 * <ul>
 *   <li><b>Application interceptors</b> run once per logical call, before routing. They see the
 *       request as the caller made it (model = route alias) and may return without proceeding
 *       (a cache hit, a guardrail block), proceed once, or proceed several times (a re-ask).
 *       {@link Chain#target()} is empty.
 *   <li><b>Attempt interceptors</b> run once per attempt against a concrete target, after the
 *       router chose it; a fallback runs them again for the next target. {@link Chain#target()}
 *       is present and the request's model is the provider's model name.
 * </ul>
 *
 * <p>Every interceptor handles blocking calls in {@link #intercept(Chain)} and streams in
 * {@link #interceptStream(Chain)}: async calls run the blocking chain on the gateway's executor,
 * so one implementation covers all three. To change a stream, derive a new one from the stream
 * {@link Chain#proceedStream(ChatRequest)} returns ({@link ChatStream#map},
 * {@link ChatStream#observe}, {@link ChatStream#transform}).
 *
 * <p>An interceptor must return a non-null result or throw an {@link AiGatewayException}.
 * Interceptors are shared by all calls and must be thread-safe.
 */
public interface Interceptor {
  /**
   * Handles a blocking (or async) call.
   *
   * @param chain the rest of the chain, with the call's request and context
   * @return the response, usually {@code chain.proceed(chain.request())} or a change of it
   */
  ChatResponse intercept(Chain chain);

  /**
   * Handles a streaming call.
   *
   * @param chain the rest of the chain, with the call's request and context
   * @return the stream, usually {@code chain.proceedStream(chain.request())} or a stream derived from it
   */
  ChatStream interceptStream(Chain chain);

  /** The rest of the chain, from one interceptor's point of view. Immutable. */
  interface Chain {
    /** {@return the request as the previous interceptor passed it on} */
    ChatRequest request();

    /** {@return the call's context, with its effective deadline and cancellation token} */
    CallContext context();

    /** {@return the logical call this chain serves} */
    CallInfo call();

    /** {@return the concrete target, in attempt chains; empty in the application chain} */
    Optional<Target> target();

    /**
     * Passes {@code request} to the next interceptor (or, at the end, the router or provider)
     * and returns its response. May be called more than once.
     *
     * @param request the request to pass on
     * @return the response of the rest of the chain
     */
    ChatResponse proceed(ChatRequest request);

    /**
     * The streaming form of {@link #proceed(ChatRequest)}.
     *
     * @param request the request to pass on
     * @return the stream of the rest of the chain
     */
    ChatStream proceedStream(ChatRequest request);
  }
}
