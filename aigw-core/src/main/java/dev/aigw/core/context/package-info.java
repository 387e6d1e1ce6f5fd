/**
 * Conversations that fit the chosen model's window, and conversation memory: {@link
 * dev.aigw.core.context.ContextFitting} fits each attempt's request to its target's context window
 * by a {@link dev.aigw.core.context.ContextPolicy} per route (fail, drop the oldest turns, or
 * summarise them), and a {@link dev.aigw.core.context.ConversationMemory} keeps conversations by
 * id so that callers send only the new turn.
 */
@NullMarked
package dev.aigw.core.context;

import org.jspecify.annotations.NullMarked;
