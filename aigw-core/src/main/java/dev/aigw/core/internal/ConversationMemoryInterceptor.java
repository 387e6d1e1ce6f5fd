package dev.aigw.core.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Interceptor;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.Role;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.api.StreamObserver;
import dev.aigw.api.internal.StreamAccumulator;
import dev.aigw.core.context.ConversationMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversation memory as the first application interceptor: for a call with a conversation id
 * it puts the stored conversation after the request's leading system messages, and when the call
 * succeeds (a stream: completes normally) appends the caller's new messages and the answer. See
 * {@link ConversationMemory} for the contract.
 */
public final class ConversationMemoryInterceptor implements Interceptor {
  private static final System.Logger LOG = System.getLogger(ConversationMemoryInterceptor.class.getName());
  private static final String STORE = "memory";

  private final ConversationMemory memory;

  /** @param memory where conversations are kept */
  public ConversationMemoryInterceptor(ConversationMemory memory) {
    this.memory = memory;
  }

  @Override
  public ChatResponse intercept(Chain chain) {
    String conversation = chain.context().conversation().orElse(null);
    if (conversation == null) {
      return chain.proceed(chain.request());
    }
    ChatRequest request = chain.request();
    ChatResponse response = chain.proceed(withHistory(request, load(conversation)));
    append(conversation, request, response.message(), (RealChain) chain);
    return response;
  }

  @Override
  public ChatStream interceptStream(Chain chain) {
    String conversation = chain.context().conversation().orElse(null);
    if (conversation == null) {
      return chain.proceedStream(chain.request());
    }
    ChatRequest request = chain.request();
    ChatStream stream = chain.proceedStream(withHistory(request, load(conversation)));
    return stream.observe(new Recorder(conversation, request, (RealChain) chain));
  }

  private List<Message> load(String conversation) {
    List<Message> history;
    try {
      history = memory.load(conversation);
    } catch (RuntimeException e) {
      if (e instanceof AiGatewayException gateway) {
        throw gateway;
      }
      throw new StoreUnavailableException(STORE, true, "loading conversation '" + conversation + "' failed with "
          + e.getClass().getName(), e);
    }
    if (history == null) {
      throw new StoreUnavailableException(STORE, true, memory.getClass().getName() + " returned null for a conversation", null);
    }
    return history;
  }

  /** {@code request} with {@code history} after its leading system messages. */
  static ChatRequest withHistory(ChatRequest request, List<Message> history) {
    if (history.isEmpty()) {
      return request;
    }
    List<Message> own = request.messages();
    int head = 0;
    while (head < own.size() && own.get(head).role() == Role.SYSTEM) {
      head++;
    }
    List<Message> all = new ArrayList<>(own.size() + history.size());
    all.addAll(own.subList(0, head));
    all.addAll(history);
    all.addAll(own.subList(head, own.size()));
    return request.toBuilder().messages(all).build();
  }

  /** Appends the caller's non-system messages and the answer; a failure is reported, not thrown. */
  private void append(String conversation, ChatRequest request, Message answer, RealChain chain) {
    List<Message> exchange = new ArrayList<>(request.messages().size() + 1);
    for (Message m : request.messages()) {
      if (m.role() != Role.SYSTEM) {
        exchange.add(m);
      }
    }
    exchange.add(answer);
    try {
      memory.append(conversation, List.copyOf(exchange));
    } catch (RuntimeException e) {
      StoreUnavailableException error = new StoreUnavailableException(STORE, false,
          "appending to conversation '" + conversation + "' failed with " + e.getClass().getName() + "; the answer was returned", e);
      LOG.log(System.Logger.Level.WARNING, error.getMessage(), e);
      chain.scope().listener().storeUnavailable(chain.scope().info(), error);
    }
  }

  /** Assembles a streamed answer and appends the exchange when the stream completes normally. */
  private final class Recorder implements StreamObserver {
    private final String conversation;
    private final ChatRequest request;
    private final RealChain chain;
    private final StreamAccumulator answer = new StreamAccumulator();

    Recorder(String conversation, ChatRequest request, RealChain chain) {
      this.conversation = conversation;
      this.request = request;
      this.chain = chain;
    }

    @Override
    public void onChunk(ChatChunk chunk) {
      answer.add(chunk);
    }

    @Override
    public void onComplete() {
      CallContext context = chain.context();
      if (context.cancellation().map(t -> t.isCancelled()).orElse(false)) {
        return; // the stream was cut short by a deadline or the caller, not finished
      }
      Message message;
      try {
        message = answer.toResponse(ResponseMetadata.empty()).message();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "the streamed answer could not be assembled; conversation '"
            + conversation + "' keeps nothing of this call", e);
        return;
      }
      append(conversation, request, message, chain);
    }
  }
}
