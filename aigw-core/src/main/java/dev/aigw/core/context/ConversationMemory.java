package dev.aigw.core.context;

import dev.aigw.api.Message;
import java.util.List;

/**
 * Where the gateway keeps conversations, keyed by {@link dev.aigw.api.CallContext#conversation()},
 * so that callers send only the new turn. Give one to {@code AiGateway.Builder.conversationMemory};
 * {@link InMemoryConversationMemory} keeps them in the heap.
 *
 * <p>For a call with a conversation id, the gateway, first thing in its application chain (before
 * its interceptors, guardrails, cache and budgets, which therefore see and count the whole
 * conversation):
 *
 * <ol>
 *   <li>{@linkplain #load loads} the earlier messages and puts them right after the request's
 *       leading system messages, before its other messages;
 *   <li>calls, and when the call succeeds (for a stream: when it completes normally)
 *       {@linkplain #append appends} the exchange: the request's messages other than system
 *       messages, as the caller sent them, then the answer's assistant message as the caller got
 *       it. A failed, cancelled or abandoned call appends nothing.
 * </ol>
 *
 * <p>System messages are never stored: send the system prompt with every call (it may change).
 * Context fitting then trims each attempt's request to its target's window; the memory keeps the
 * whole conversation, within its own bounds. Calls without a conversation id pass untouched.
 *
 * <p>A conversation id is the whole key: the memory does not separate tenants, so use ids no
 * other tenant can name (random UUIDs, or ids that include the tenant). Calls of one conversation
 * should not overlap: each loads the conversation as it was when it started, and their exchanges
 * are appended in the order the calls end (each exchange whole).
 *
 * <p>When {@code load} throws, the call fails with a {@link dev.aigw.api.StoreUnavailableException}
 * (store {@code "memory"}, fail-closed). When {@code append} throws, the caller still gets the
 * answer and the listeners get a fail-open {@code storeUnavailable} event.
 *
 * <p>Implementations must be thread-safe.
 */
public interface ConversationMemory {
  /**
   * {@return the conversation's messages so far, oldest first; empty when it is unknown (or
   * expired)}
   *
   * @param conversation the conversation id
   */
  List<Message> load(String conversation);

  /**
   * Adds one completed exchange (the caller's new messages, then the answer) at the end of the
   * conversation, creating it when it is unknown.
   *
   * @param conversation the conversation id
   * @param exchange the messages to add, oldest first; never empty
   */
  void append(String conversation, List<Message> exchange);

  /**
   * Forgets a conversation; nothing happens when it is unknown.
   *
   * @param conversation the conversation id
   */
  void clear(String conversation);
}
