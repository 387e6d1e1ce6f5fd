/**
 * The client for Anthropic's Messages API: {@link dev.aigw.providers.anthropic.AnthropicProvider}.
 * Everything else in this package is wire format and mapping, not API.
 */
@NullMarked
package dev.aigw.providers.anthropic;

import org.jspecify.annotations.NullMarked;
