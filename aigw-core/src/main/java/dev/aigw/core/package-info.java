/**
 * The gateway: {@link dev.aigw.core.AiGateway}, built with {@link dev.aigw.core.AiGateway#builder()}.
 * Routing and resilience live in {@link dev.aigw.core.routing}, the model catalog in {@link
 * dev.aigw.core.catalog}, prices in {@link dev.aigw.core.pricing} and token counting in {@link
 * dev.aigw.core.tokens}.
 */
@NullMarked
package dev.aigw.core;

import org.jspecify.annotations.NullMarked;
