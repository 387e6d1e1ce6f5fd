/**
 * Redis-backed budget, rate-limit and cache stores shared by a fleet of JVMs. The stores arrive
 * with the Redis issue; until then this module holds only its package.
 */
@NullMarked
package dev.aigw.redis;

import org.jspecify.annotations.NullMarked;
