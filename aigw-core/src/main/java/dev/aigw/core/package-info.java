/**
 * The gateway: {@link dev.aigw.core.AiGateway}, built with {@link dev.aigw.core.AiGateway#builder()},
 * and {@link dev.aigw.core.Route}s that map aliases to targets.
 */
@NullMarked
package dev.aigw.core;

import org.jspecify.annotations.NullMarked;
