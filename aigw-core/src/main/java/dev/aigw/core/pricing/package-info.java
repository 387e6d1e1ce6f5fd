/**
 * Exact model pricing: {@link dev.aigw.core.pricing.Prices} per token, in {@link
 * java.math.BigDecimal}, with cache, reasoning and long-context prices, turning a {@link
 * dev.aigw.api.Usage} into a {@link dev.aigw.api.Cost}. Never floating point.
 */
@NullMarked
package dev.aigw.core.pricing;

import org.jspecify.annotations.NullMarked;
