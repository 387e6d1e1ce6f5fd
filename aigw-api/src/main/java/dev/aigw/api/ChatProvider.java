package dev.aigw.api;

/**
 * A provider of chat completions; the terminal of the interceptor chain.
 *
 * <p>The gateway calls it with {@link ChatRequest#model()} set to the provider's own model name
 * (the part after {@code "provider/"}) and a context whose {@link CallContext#cancellation()}
 * is present: implementations must {@linkplain CancellationToken#onCancel(Runnable) register} on
 * it to abort their I/O, so deadlines and caller cancellation reach the upstream. Failures are
 * reported as {@link ProviderException}s, whose {@link ProviderException#retryable()} decides
 * whether the router falls back.
 */
public interface ChatProvider extends Provider {
  /**
   * Sends a request and blocks for the whole answer.
   *
   * @param request the request, addressed to one of this provider's models
   * @param context the call's context: deadline, cancellation and attributes
   * @return the whole answer
   * @throws ProviderException when the provider fails
   */
  ChatResponse chat(ChatRequest request, CallContext context);

  /**
   * Sends a request and returns a stream of the answer. May block until the provider has
   * accepted the request (for HTTP: until the response headers arrive). Errors before the
   * stream starts are thrown; errors after are thrown by the stream's iteration.
   *
   * @param request the request, addressed to one of this provider's models
   * @param context the call's context: deadline, cancellation and attributes
   * @return the stream of the answer; the caller must close it
   * @throws ProviderException when the provider fails before streaming starts
   */
  ChatStream stream(ChatRequest request, CallContext context);

  /**
   * {@return what {@code model} (the provider's own model name) can do} The default claims
   * everything; clients override it with what they know of their models.
   *
   * @param model the provider's own model name
   */
  default ModelCapabilities capabilities(String model) {
    return ModelCapabilities.ALL;
  }
}
