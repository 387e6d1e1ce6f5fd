/**
 * Routing and resilience: {@link dev.aigw.core.routing.Route} (fallback, weighted, least busy,
 * lowest latency, cheapest capable, conditional — composable), {@link
 * dev.aigw.core.routing.RouteOptions} with {@link dev.aigw.core.routing.Hedging}, and the
 * per-target {@link dev.aigw.core.routing.Resilience} (retries with backoff and the provider's
 * retry delay, retry budget, circuit breaker, bulkhead, attempt time limits).
 */
@NullMarked
package dev.aigw.core.routing;

import org.jspecify.annotations.NullMarked;
