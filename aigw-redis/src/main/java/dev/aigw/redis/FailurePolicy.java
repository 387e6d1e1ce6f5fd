package dev.aigw.redis;

/**
 * What a Redis-backed store does while Redis does not answer (a timeout, a refused connection, a
 * restart). Each store has its own; the calls report it either way through {@link
 * dev.aigw.api.GatewayListener#storeUnavailable}.
 */
public enum FailurePolicy {
  /**
   * The call ends with a {@link dev.aigw.api.StoreUnavailableException} before any provider is
   * called; nothing is reserved or cached. For budgets that must never be passed, whatever the
   * cost in availability.
   */
  FAIL_CLOSED,

  /**
   * The call goes on without Redis. A budget store admits it against a local fallback in this
   * JVM (each limit's headroom as last seen from Redis, times the store's {@linkplain
   * RedisBudgetStore.Builder#fallbackShare fallback share}) and adds what such calls used to the
   * shared counters once Redis is back; a cache store answers from its local level, or misses.
   */
  FAIL_OPEN
}
