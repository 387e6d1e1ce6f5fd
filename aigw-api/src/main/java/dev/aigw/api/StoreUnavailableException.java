package dev.aigw.api;

import dev.aigw.api.internal.Require;
import org.jspecify.annotations.Nullable;

/**
 * A shared store (the budget counters or the response cache of a fleet, such as Redis) did not
 * answer in time or failed.
 *
 * <p>A store that <em>fails closed</em> throws it to the caller: the call ends before any
 * provider is called, and nothing was reserved or cached. A store that <em>fails open</em> lets
 * the call go on (budgets admit it against a local fallback, the cache answers from its local
 * level or misses) and the gateway reports the exception to its listeners through {@link
 * GatewayListener#storeUnavailable}; {@link #failedClosed()} tells which happened.
 *
 * <p>The message names the store and what failed, never a password or a key's content.
 */
public final class StoreUnavailableException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  /** What kind of store failed: {@code "budget"} or {@code "cache"}. */
  private final String store;
  /** Whether the call ended with this exception. */
  private final boolean failedClosed;

  /**
   * @param store what kind of store failed: {@code "budget"} or {@code "cache"}
   * @param failedClosed whether the call ends with this exception (fail-closed) or went on
   *     without the store (fail-open)
   * @param message what failed, without secrets
   * @param cause the client's exception, when there was one
   */
  public StoreUnavailableException(String store, boolean failedClosed, String message, @Nullable Throwable cause) {
    super(Require.nonBlank(store, "store") + " store unavailable"
        + (failedClosed ? " (fail-closed, the call was rejected): " : " (fail-open, the call went on without it): ")
        + Require.nonNull(message, "message"), cause);
    this.store = store;
    this.failedClosed = failedClosed;
  }

  /** {@return what kind of store failed: {@code "budget"} or {@code "cache"}} */
  public String store() {
    return store;
  }

  /**
   * {@return whether the call ended with this exception; when false it went on without the store}
   */
  public boolean failedClosed() {
    return failedClosed;
  }
}
