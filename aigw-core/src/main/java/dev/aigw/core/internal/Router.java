package dev.aigw.core.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.Attempt;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.EmbeddingProvider;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.Interceptor;
import dev.aigw.api.NoRouteAvailableException;
import dev.aigw.api.Provider;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.RouteHints;
import dev.aigw.api.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The boundary between the application chain and the attempt chains: resolves the request's
 * model to candidate targets and tries them in order, running the attempt interceptors and the
 * provider for each, and falling back on retryable failures (see {@link dev.aigw.core.Route}).
 */
public final class Router implements Terminal {
  private final Map<String, List<Target>> routes;
  private final Map<String, Provider> providers;
  private final Map<String, Terminal> chatTerminals;
  private final Interceptor[] attemptInterceptors;

  /**
   * @param routes alias to candidate targets, already checked against {@code providers}
   * @param providers registered providers by id
   * @param attemptInterceptors run once per attempt, in order
   */
  public Router(Map<String, List<Target>> routes, Map<String, Provider> providers, List<Interceptor> attemptInterceptors) {
    this.routes = Map.copyOf(routes);
    this.providers = Map.copyOf(providers);
    this.attemptInterceptors = attemptInterceptors.toArray(new Interceptor[0]);
    Map<String, Terminal> terminals = new java.util.HashMap<>();
    providers.forEach((id, provider) -> {
      if (provider instanceof ChatProvider chat) {
        terminals.put(id, new ProviderTerminal(chat));
      }
    });
    this.chatTerminals = Map.copyOf(terminals);
  }

  @Override
  public ChatResponse chat(ChatRequest request, RealChain chain) {
    CallScope scope = chain.scope();
    return route(request.model(), scope, ChatProvider.class,
        target -> attemptChain(target, request, scope).proceed(forTarget(request, target)),
        (response, target, attempts) -> response.toBuilder()
            .metadata(response.metadata().toBuilder().target(target).attempts(attempts).build())
            .build());
  }

  @Override
  public ChatStream stream(ChatRequest request, RealChain chain) {
    CallScope scope = chain.scope();
    return route(request.model(), scope, ChatProvider.class,
        target -> FirstChunkAhead.open(attemptChain(target, request, scope).proceedStream(forTarget(request, target))),
        (opened, target, attempts) -> ChatStream.of(opened)
            .withMetadata(ignored -> opened.metadata().toBuilder().target(target).attempts(attempts).build()));
  }

  /** Routes an embeddings call; there is no interceptor chain for embeddings. */
  public EmbeddingResponse embed(EmbeddingRequest request, CallScope scope) {
    return route(request.model(), scope, EmbeddingProvider.class,
        target -> {
          EmbeddingResponse response = ((EmbeddingProvider) providers.get(target.provider()))
              .embed(request.withModel(target.model()), scope.context());
          if (response == null) {
            throw new NullPointerException("provider " + target.provider() + " returned a null embedding response");
          }
          return response;
        },
        (response, target, attempts) ->
            response.withMetadata(response.metadata().toBuilder().target(target).attempts(attempts).build()));
  }

  private RealChain attemptChain(Target target, ChatRequest request, CallScope scope) {
    return new RealChain(attemptInterceptors, 0, request, scope, target, chatTerminals.get(target.provider()));
  }

  private static ChatRequest forTarget(ChatRequest request, Target target) {
    return request.model().equals(target.model()) ? request : request.withModel(target.model());
  }

  private interface AttemptCall<T> {
    T attempt(Target target);
  }

  private interface Finish<R, T> {
    T finish(R result, Target target, List<Attempt> attempts);
  }

  private <R, T> T route(
      String model, CallScope scope, Class<? extends Provider> kind, AttemptCall<R> call, Finish<R, T> finish) {
    List<Target> candidates = candidates(model, kind, scope.context().routeHints());
    List<Attempt> attempts = new ArrayList<>(candidates.size());
    List<AiGatewayException> failures = null;
    for (int i = 0; i < candidates.size(); i++) {
      Target target = candidates.get(i);
      scope.throwIfCancelled();
      int number = scope.nextAttemptNumber();
      scope.listener().attemptStart(scope.info(), target, number);
      long start = scope.clock().nanoTime();
      R result;
      try {
        result = call.attempt(target);
      } catch (RuntimeException e) {
        Duration latency = Duration.ofNanos(scope.clock().nanoTime() - start);
        AiGatewayException error = e instanceof AiGatewayException g ? g
            : new ProviderException(target.provider(), 0, false,
                "provider '" + target.provider() + "' failed with an unexpected " + e.getClass().getName(), e);
        error = scope.failure(error);
        attempts.add(Attempt.failure(target, latency, error));
        scope.listener().attemptFailed(scope.info(), target, number, latency, error);
        if (failures == null) {
          failures = new ArrayList<>(candidates.size());
        }
        failures.add(error);
        boolean last = i == candidates.size() - 1;
        if (scope.token().isCancelled() || !fallsBack(error) || last) {
          throw finalFailure(model, candidates, attempts, failures, error);
        }
        scope.listener().fallback(scope.info(), target, candidates.get(i + 1), error);
        continue;
      }
      Duration latency = Duration.ofNanos(scope.clock().nanoTime() - start);
      attempts.add(Attempt.success(target, latency));
      scope.listener().attemptEnd(scope.info(), target, number, latency);
      return finish.finish(result, target, List.copyOf(attempts));
    }
    throw new IllegalStateException("unreachable: a route has at least one candidate");
  }

  private static boolean fallsBack(AiGatewayException error) {
    return error instanceof ProviderException p && (p.retryable() || p instanceof ContextWindowExceededException);
  }

  private static AiGatewayException finalFailure(
      String model, List<Target> candidates, List<Attempt> attempts, List<AiGatewayException> failures,
      AiGatewayException last) {
    if (candidates.size() == 1 || !fallsBack(last)) {
      for (int i = 0; i < failures.size() - 1; i++) {
        if (failures.get(i) != last) {
          last.addSuppressed(failures.get(i));
        }
      }
      return last;
    }
    return new NoRouteAvailableException(
        "all " + candidates.size() + " targets of '" + model + "' failed: " + describe(attempts), attempts, failures);
  }

  private static String describe(List<Attempt> attempts) {
    StringBuilder sb = new StringBuilder();
    for (Attempt a : attempts) {
      sb.append(sb.length() == 0 ? "" : ", ").append(a.target()).append(" -> ")
          .append(a.errorType().map(t -> t.substring(t.lastIndexOf('.') + 1)).orElse("ok"));
    }
    return sb.toString();
  }

  private List<Target> candidates(String model, Class<? extends Provider> kind, RouteHints hints) {
    List<Target> targets = routes.get(model);
    if (targets == null) {
      int slash = model.indexOf('/');
      Provider provider = slash > 0 ? providers.get(model.substring(0, slash)) : null;
      if (provider == null || slash == model.length() - 1) {
        throw new NoRouteAvailableException(
            "no route for model '" + model + "': it is neither a route alias " + new TreeSet<>(routes.keySet())
                + " nor 'provider/model' with a registered provider " + new TreeSet<>(providers.keySet()),
            List.of(), List.of());
      }
      targets = List.of(Target.parse(model));
    }
    List<Target> usable = new ArrayList<>(targets.size());
    for (Target preferred : hints.preferredTargets()) {
      if (targets.contains(preferred)) {
        addIfUsable(usable, preferred, kind, hints);
      }
    }
    for (Target target : targets) {
      addIfUsable(usable, target, kind, hints);
    }
    if (usable.isEmpty()) {
      throw new NoRouteAvailableException(
          "no target of '" + model + "' " + targets + " can serve " + (kind == ChatProvider.class ? "chat" : "embeddings")
              + (hints.excludedProviders().isEmpty() ? "" : " once providers " + hints.excludedProviders() + " are excluded"),
          List.of(), List.of());
    }
    return usable;
  }

  private void addIfUsable(List<Target> usable, Target target, Class<? extends Provider> kind, RouteHints hints) {
    if (!usable.contains(target) && kind.isInstance(providers.get(target.provider()))
        && !hints.excludedProviders().contains(target.provider())) {
      usable.add(target);
    }
  }

  /** The terminal of an attempt chain: one provider. */
  private static final class ProviderTerminal implements Terminal {
    private final ChatProvider provider;

    ProviderTerminal(ChatProvider provider) {
      this.provider = provider;
    }

    @Override
    public ChatResponse chat(ChatRequest request, RealChain chain) {
      ChatResponse response = provider.chat(request, chain.context());
      if (response == null) {
        throw new NullPointerException("provider " + provider.id() + " returned a null response");
      }
      return response;
    }

    @Override
    public ChatStream stream(ChatRequest request, RealChain chain) {
      ChatStream stream = provider.stream(request, chain.context());
      if (stream == null) {
        throw new NullPointerException("provider " + provider.id() + " returned a null stream");
      }
      return stream;
    }
  }

  /**
   * A stream whose first chunk was read before the router returned it, so a stream that fails
   * before its first chunk counts as a failed attempt and can fall back.
   */
  private static final class FirstChunkAhead implements ChatStream.Source {
    private final ChatStream stream;
    private final Iterator<ChatChunk> chunks;
    private @Nullable ChatChunk first;

    private FirstChunkAhead(ChatStream stream, Iterator<ChatChunk> chunks, @Nullable ChatChunk first) {
      this.stream = stream;
      this.chunks = chunks;
      this.first = first;
    }

    static FirstChunkAhead open(ChatStream stream) {
      Iterator<ChatChunk> chunks = stream.iterator();
      try {
        return new FirstChunkAhead(stream, chunks, chunks.hasNext() ? chunks.next() : null);
      } catch (RuntimeException e) {
        stream.close();
        throw e;
      }
    }

    ResponseMetadata metadata() {
      return stream.metadata();
    }

    @Override
    public @Nullable ChatChunk next() {
      ChatChunk chunk = first;
      if (chunk != null) {
        first = null;
        return chunk;
      }
      return chunks.hasNext() ? chunks.next() : null;
    }

    @Override
    public void close() {
      stream.close();
    }
  }
}
