/**
 * Budgets, rate limits and the response cache shared by a fleet of JVMs through Redis.
 *
 * <ul>
 *   <li>{@link dev.aigw.redis.RedisConnection}: one Lettuce connection to a Redis server or
 *       cluster ({@code redis://}, {@code rediss://} with TLS, password, database), shared by the
 *       stores, with short timeouts and a retry interval after failures.
 *   <li>{@link dev.aigw.redis.RedisBudgetStore}: the {@link dev.aigw.core.budget.BudgetStore} for
 *       budgets and rate limits, one Lua round trip per reservation and per settlement, exact.
 *   <li>{@link dev.aigw.redis.RedisCacheStore}: the {@link dev.aigw.core.cache.CacheStore} with
 *       a local level in front of Redis.
 *   <li>{@link dev.aigw.redis.FailurePolicy}: what each store does while Redis does not answer.
 * </ul>
 */
@NullMarked
package dev.aigw.redis;

import org.jspecify.annotations.NullMarked;
