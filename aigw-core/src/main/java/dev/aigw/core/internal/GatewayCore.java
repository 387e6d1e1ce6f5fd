package dev.aigw.core.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.Interceptor;
import dev.aigw.api.ModelRequest;
import dev.aigw.api.ModelResponse;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.TimeSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs calls: opens each call's scope, sends it through the application chain (whose terminal
 * is the router), and reports the outcome. {@code AiGateway} is its public face.
 */
public final class GatewayCore {
  private final Interceptor[] interceptors;
  private final Router router;
  private final @Nullable BudgetInterceptor budgets;
  private final Listeners listeners;
  private final TimeSource clock;
  private final Executor executor;
  private final AtomicLong callIds = new AtomicLong();

  /**
   * @param interceptors application interceptors, in order
   * @param router the router, terminal of the application chain
   * @param budgets the budgets, which embeddings calls pass through too; {@code null} without budgets
   * @param listeners the listener factories
   * @param clock the time source
   * @param executor runs async calls and feeds stream publishers
   */
  public GatewayCore(
      List<Interceptor> interceptors, Router router, @Nullable BudgetInterceptor budgets, Listeners listeners, TimeSource clock,
      Executor executor) {
    this.budgets = budgets;
    this.interceptors = interceptors.toArray(new Interceptor[0]);
    this.router = router;
    this.listeners = listeners;
    this.clock = clock;
    this.executor = executor;
  }

  private CallScope open(CallInfo.Operation operation, boolean streaming, ModelRequest request, CallContext context) {
    return CallScope.open(callIds.incrementAndGet(), operation, streaming, request, context, clock, listeners, router);
  }

  /** A blocking chat call. */
  public ChatResponse chat(ChatRequest request, CallContext context) {
    return runChat(open(CallInfo.Operation.CHAT, false, request, context), request);
  }

  /** An async chat call: the blocking chain on the executor, with a future that honours the deadline. */
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, CallContext context) {
    CallScope scope = open(CallInfo.Operation.CHAT, false, request, context);
    CallFuture future = new CallFuture(scope);
    scope.token().onCancel(() -> future.completeExceptionally(scope.token().reason().orElseThrow()));
    try {
      executor.execute(new AsyncCall(scope, request, future));
    } catch (RejectedExecutionException e) {
      scope.close();
      future.completeExceptionally(
          new AiGatewayException("the gateway's async executor rejected the call (saturated or shut down)", e));
    }
    return future;
  }

  /** A streaming chat call. */
  public ChatStream stream(ChatRequest request, CallContext context) {
    CallScope scope = open(CallInfo.Operation.CHAT, true, request, context);
    scope.listener().callStart(scope.info());
    try {
      ChatStream stream = new RealChain(interceptors, 0, request, scope, null, router).proceedStream(request);
      return GatewayStream.wrap(stream, scope, executor);
    } catch (RuntimeException e) {
      throw failed(scope, e);
    }
  }

  /** An embeddings call. */
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    CallScope scope = open(CallInfo.Operation.EMBEDDINGS, false, request, context);
    scope.listener().callStart(scope.info());
    try {
      scope.throwIfCancelled();
      EmbeddingResponse response = budgets == null
          ? router.embed(request, scope)
          : budgets.embed(request, scope, r -> router.embed(r, scope));
      scope.throwIfCancelled();
      response = response.withMetadata(withLatency(response.metadata(), scope));
      succeeded(scope, response);
      return response;
    } catch (RuntimeException e) {
      throw failed(scope, e);
    } finally {
      scope.close();
    }
  }

  private ChatResponse runChat(CallScope scope, ChatRequest request) {
    scope.listener().callStart(scope.info());
    try {
      ChatResponse response = new RealChain(interceptors, 0, request, scope, null, router).proceed(request);
      scope.throwIfCancelled();
      response = response.toBuilder().metadata(withLatency(response.metadata(), scope)).build();
      succeeded(scope, response);
      return response;
    } catch (RuntimeException e) {
      throw failed(scope, e);
    } finally {
      scope.close();
    }
  }

  private static ResponseMetadata withLatency(ResponseMetadata metadata, CallScope scope) {
    ResponseMetadata.Builder m = metadata.toBuilder().latency(scope.elapsed());
    promptOf(scope).ifPresent(m::prompt);
    return m.build();
  }

  /** The prompt template the caller's request was rendered from, for the response metadata. */
  static java.util.Optional<dev.aigw.api.PromptRef> promptOf(CallScope scope) {
    return scope.info().request() instanceof ChatRequest chat ? chat.prompt() : java.util.Optional.empty();
  }

  private static void succeeded(CallScope scope, ModelResponse response) {
    response.usage().ifPresent(u -> scope.listener().usage(scope.info(), u));
    if (response instanceof ChatResponse chat) {
      scope.reportContent(chat);
    }
    scope.listener().callEnd(scope.info(), response);
  }

  private static AiGatewayException failed(CallScope scope, RuntimeException e) {
    AiGatewayException failure = scope.failure(e);
    scope.reportContent(null);
    scope.listener().callFailed(scope.info(), failure);
    scope.close();
    return failure;
  }

  /**
   * Fails the future of an async call that an executor dropped without running (the gateway
   * closed first). Other runnables are ignored.
   */
  public static void abandon(Runnable dropped) {
    if (dropped instanceof AsyncCall call) {
      call.scope.close();
      call.future.completeExceptionally(new AiGatewayException("the gateway closed before the async call ran"));
    }
  }

  /** An async call waiting for, or running on, the executor. */
  private final class AsyncCall implements Runnable {
    private final CallScope scope;
    private final ChatRequest request;
    private final CallFuture future;

    AsyncCall(CallScope scope, ChatRequest request, CallFuture future) {
      this.scope = scope;
      this.request = request;
      this.future = future;
    }

    @Override
    public void run() {
      try {
        future.complete(runChat(scope, request));
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    }
  }

  /** A future whose cancellation cancels the call. */
  private static final class CallFuture extends CompletableFuture<ChatResponse> {
    private final CallScope scope;

    CallFuture(CallScope scope) {
      this.scope = scope;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      scope.token().cancel(new CallCancelledException("the async call's future was cancelled"));
      return cancelled;
    }
  }
}
