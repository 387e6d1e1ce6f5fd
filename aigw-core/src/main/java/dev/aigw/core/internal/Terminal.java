package dev.aigw.core.internal;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;

/** What a chain calls after its last interceptor: the router (application chain) or a provider (attempt chain). */
interface Terminal {
  ChatResponse chat(ChatRequest request, RealChain chain);

  ChatStream stream(ChatRequest request, RealChain chain);
}
