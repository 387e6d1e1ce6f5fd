package dev.aigw.core.internal;

import dev.aigw.api.CacheStatus;
import dev.aigw.api.CachePolicy;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ContentPart;
import dev.aigw.api.Cost;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Interceptor;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.Role;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.api.StreamObserver;
import dev.aigw.api.TimeSource;
import dev.aigw.core.cache.CacheKey;
import dev.aigw.core.cache.CacheKeys;
import dev.aigw.core.cache.CacheStore;
import dev.aigw.core.cache.CachedResponse;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.cache.SemanticCache;
import dev.aigw.core.cache.semantic.LexicalGuard;
import dev.aigw.core.cache.semantic.VectorIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The response cache as an application interceptor (see {@link ResponseCache} for what it
 * promises). It runs after the user's interceptors, so the key is computed from the request as
 * they (and, later, the input guardrails) left it.
 */
public final class CacheInterceptor implements Interceptor {
  private static final System.Logger LOG = System.getLogger(CacheInterceptor.class.getName());
  private static final Currency USD = Currency.getInstance("USD");

  private final CacheStore store;
  private final Duration ttl;
  private final boolean onlyDeterministic;
  private final @Nullable SemanticCache semantic;
  private final Predicate<String> coalesces;
  private final TimeSource clock;
  private final ConcurrentHashMap<CacheKey, CompletableFuture<@Nullable CachedResponse>> inFlight = new ConcurrentHashMap<>();

  /**
   * @param config the cache configuration
   * @param store the store (the configured one, or the gateway's default)
   * @param coalesces whether misses on a model (route alias or target) are coalesced
   * @param clock the gateway's time source
   */
  public CacheInterceptor(ResponseCache config, CacheStore store, Predicate<String> coalesces, TimeSource clock) {
    this.store = store;
    this.ttl = config.ttl();
    this.onlyDeterministic = config.onlyDeterministic();
    this.semantic = config.semantic().orElse(null);
    this.coalesces = coalesces;
    this.clock = clock;
  }

  // ---------------------------------------------------------------------------------------------

  /** What one call does with the cache, decided before the provider is called. */
  private final class Lookup {
    final RealChain chain;
    final ChatRequest request;
    final CachePolicy policy;
    final CacheKey key;
    @Nullable float[] vector;
    @Nullable String semanticPartition;
    @Nullable CachedResponse hit;
    CacheStatus hitStatus = CacheStatus.HIT;
    double similarity = Double.NaN;
    @Nullable CompletableFuture<@Nullable CachedResponse> leader;

    Lookup(RealChain chain, ChatRequest request, CachePolicy policy) {
      this.chain = chain;
      this.request = request;
      this.policy = policy;
      this.key = CacheKeys.of(partition(chain.context()), request);
    }

    boolean reads() {
      return policy == CachePolicy.USE || policy == CachePolicy.READ_ONLY;
    }

    boolean writes() {
      return policy == CachePolicy.USE || policy == CachePolicy.WRITE_ONLY || policy == CachePolicy.REFRESH;
    }

    CacheStatus missStatus() {
      return policy == CachePolicy.REFRESH ? CacheStatus.REFRESH : CacheStatus.MISS;
    }

    /** Looks for an answer: exact, then semantic; on a miss, joins or leads a coalesced call. */
    void find() {
      if (!reads()) {
        return;
      }
      hit = lookup(key, false);
      if (hit == null && semantic != null && semanticEligible(request, semantic)) {
        findSimilar(semantic);
      }
      if (hit == null && policy == CachePolicy.USE && coalesces.test(request.model())) {
        CompletableFuture<@Nullable CachedResponse> mine = new CompletableFuture<>();
        CompletableFuture<@Nullable CachedResponse> theirs = inFlight.putIfAbsent(key, mine);
        if (theirs == null) {
          leader = mine;
          // a leader of this JVM that finished between our lookup and our claim has stored its answer
          CachedResponse stored;
          try {
            stored = storeFailed ? null : lookup(key, true);
          } catch (RuntimeException e) {
            release(null);
            throw e;
          }
          if (stored != null) {
            hit = stored;
            hitStatus = CacheStatus.HIT;
            release(stored);
          }
        } else {
          CachedResponse shared = await(theirs, chain.context());
          if (shared != null) {
            hit = shared;
            hitStatus = CacheStatus.HIT;
          }
        }
      }
      RealChain real = chain;
      if (hit != null) {
        real.scope().listener().cacheHit(real.scope().info(), hitStatus, age(hit));
      } else {
        real.scope().listener().cacheMiss(real.scope().info());
      }
    }

    private void findSimilar(SemanticCache semantic) {
      semanticPartition = semanticPartition(key, request);
      vector = embed(semantic, request.lastUserText(), chain.context());
      if (vector == null) {
        return;
      }
      Optional<VectorIndex.Match> match = semantic.index().nearest(semanticPartition, vector, semantic.threshold());
      if (match.isEmpty()) {
        return;
      }
      // the index id is the entry's key hash, a ':' and the question it was stored for
      String id = match.get().id();
      int colon = id.indexOf(':');
      if (colon < 0 || !LexicalGuard.sameQuestion(id.substring(colon + 1), request.lastUserText())) {
        return;
      }
      CachedResponse similar = lookup(new CacheKey(key.partition(), id.substring(0, colon)), false);
      if (similar != null) {
        hit = similar;
        hitStatus = CacheStatus.SEMANTIC_HIT;
        similarity = match.get().similarity();
      }
    }

    /** Whether a lookup found the store unavailable, so this call asks it no more. */
    private boolean storeFailed;

    /**
     * The store's entry (only what this JVM holds, when {@code localOnly}); a store that fails
     * open and cannot answer is reported and counts as a miss.
     */
    private @Nullable CachedResponse lookup(CacheKey k, boolean localOnly) {
      try {
        return (localOnly ? store.getLocal(k) : store.get(k)).orElse(null);
      } catch (StoreUnavailableException e) {
        chain.scope().listener().storeUnavailable(chain.scope().info(), e);
        if (e.failedClosed()) {
          throw e;
        }
        storeFailed = true;
        return null;
      }
    }

    ResponseMetadata hitMetadata(ResponseMetadata base) {
      CachedResponse h = hit;
      ResponseMetadata.Builder m = base.toBuilder().cacheStatus(hitStatus).cacheAge(age(h));
      Cost saved = h.cost().orElse(null);
      m.cost(Cost.zero(saved != null ? saved.currency() : USD));
      if (saved != null) {
        m.savedCost(saved);
      }
      if (hitStatus == CacheStatus.SEMANTIC_HIT) {
        m.cacheSimilarity(Math.max(-1, Math.min(1, similarity)));
      }
      return m.build();
    }

    /** Stores a complete answer (when the policy writes and no budget downgraded the call) and releases coalesced followers. */
    void complete(@Nullable CachedResponse answer) {
      try {
        if (answer != null && writes() && !chain.scope().uncacheable()) {
          store.put(key, answer, ttl);
          if (semantic != null && semanticEligible(request, semantic)) {
            float[] v = vector != null ? vector : embed(semantic, request.lastUserText(), chain.context());
            String partition = semanticPartition != null ? semanticPartition : semanticPartition(key, request);
            if (v != null) {
              semantic.index().add(partition, key.hash() + ":" + request.lastUserText(), v, ttl);
            }
          }
          chain.scope().listener().cacheStore(chain.scope().info(), answer.weightBytes());
        }
      } catch (StoreUnavailableException e) {
        chain.scope().listener().storeUnavailable(chain.scope().info(), e);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "the response cache could not store an answer; the call goes on", e);
      } finally {
        release(answer);
      }
    }

    void release(@Nullable CachedResponse answer) {
      if (leader != null) {
        inFlight.remove(key, leader);
        leader.complete(answer);
        leader = null;
      }
    }
  }

  private Duration age(CachedResponse entry) {
    Duration age = Duration.between(entry.storedAt(), clock.now());
    return age.isNegative() ? Duration.ZERO : age;
  }

  private static String partition(CallContext context) {
    return context.tenant().map(t -> "tenant:" + t).orElse("global");
  }

  private boolean cacheable(ChatRequest request) {
    if (!onlyDeterministic) {
      return true;
    }
    return request.seed().isPresent() || request.temperature().isPresent() && request.temperature().getAsDouble() == 0;
  }

  // ---------------------------------------------------------------------------------------------

  @Override
  public ChatResponse intercept(Chain chain) {
    ChatRequest request = chain.request();
    CachePolicy policy = chain.context().cachePolicy();
    if (policy == CachePolicy.BYPASS || !cacheable(request)) {
      ChatResponse response = chain.proceed(request);
      return withStatus(response, CacheStatus.BYPASS);
    }
    Lookup lookup = new Lookup((RealChain) chain, request, policy);
    lookup.find();
    if (lookup.hit != null) {
      ChatResponse cached = lookup.hit.toResponse();
      return cached.toBuilder().metadata(lookup.hitMetadata(cached.metadata())).build();
    }
    ChatResponse response;
    try {
      response = chain.proceed(request);
    } catch (RuntimeException e) {
      lookup.release(null);
      throw e;
    }
    Instant now = clock.now();
    boolean complete = response.finishReason() != FinishReason.CONTENT_FILTER;
    lookup.complete(complete ? CachedResponse.ofResponse(response, now,
        response.metadata().target().orElse(null), response.metadata().cost().orElse(null)) : null);
    return withStatus(response, lookup.missStatus());
  }

  @Override
  public ChatStream interceptStream(Chain chain) {
    ChatRequest request = chain.request();
    CachePolicy policy = chain.context().cachePolicy();
    if (policy == CachePolicy.BYPASS || !cacheable(request)) {
      return chain.proceedStream(request).withMetadata(m -> m.toBuilder().cacheStatus(CacheStatus.BYPASS).build());
    }
    Lookup lookup = new Lookup((RealChain) chain, request, policy);
    lookup.find();
    if (lookup.hit != null) {
      List<ChatChunk> chunks = lookup.hit.toChunks();
      ResponseMetadata metadata = lookup.hitMetadata(ResponseMetadata.empty());
      return ChatStream.of(chunks).withMetadata(ignored -> metadata);
    }
    ChatStream stream;
    try {
      stream = chain.proceedStream(request);
    } catch (RuntimeException e) {
      lookup.release(null);
      throw e;
    }
    CacheStatus status = lookup.missStatus();
    return stream.observe(new Recorder(lookup, stream)).withMetadata(m -> m.toBuilder().cacheStatus(status).build());
  }

  private static ChatResponse withStatus(ChatResponse response, CacheStatus status) {
    return response.toBuilder().metadata(response.metadata().toBuilder().cacheStatus(status).build()).build();
  }

  /** Records a missed stream as it passes and stores it when, and only when, it completes normally. */
  private final class Recorder implements StreamObserver {
    private final Lookup lookup;
    private final ChatStream stream;
    private final List<ChatChunk> chunks = new ArrayList<>();
    private boolean filtered;

    Recorder(Lookup lookup, ChatStream stream) {
      this.lookup = lookup;
      this.stream = stream;
    }

    @Override
    public void onChunk(ChatChunk chunk) {
      chunks.add(chunk);
      if (chunk.finishReason().orElse(null) == FinishReason.CONTENT_FILTER) {
        filtered = true;
      }
    }

    @Override
    public void onComplete() {
      if (filtered) {
        lookup.release(null);
        return;
      }
      CachedResponse answer;
      try {
        ResponseMetadata m = stream.metadata();
        answer = CachedResponse.ofChunks(chunks, clock.now(), m.target().orElse(null), m.cost().orElse(null));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a completed stream could not be recorded for the cache; not stored", e);
        lookup.release(null);
        return;
      }
      lookup.complete(answer);
    }

    @Override
    public void onError(RuntimeException error) {
      lookup.release(null);
    }

    @Override
    public void onCancel() {
      lookup.release(null);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Coalescing and semantic helpers

  /**
   * Waits for a coalesced leader's answer, honouring this call's own cancellation and deadline
   * (which end the wait with the token's reason). {@code null} when the leader got no cacheable
   * answer, so this call goes on by itself.
   */
  private static @Nullable CachedResponse await(CompletableFuture<@Nullable CachedResponse> leader, CallContext context) {
    CancellationToken token = context.cancellation().orElse(null);
    if (token == null) {
      return join(leader);
    }
    CompletableFuture<@Nullable CachedResponse> cancelled = new CompletableFuture<>();
    try (CancellationToken.Registration r = token.onCancel(() -> cancelled.complete(null))) {
      CompletableFuture.anyOf(leader, cancelled).join();
    }
    if (token.isCancelled()) {
      throw token.reason().orElseThrow();
    }
    return join(leader);
  }

  private static @Nullable CachedResponse join(CompletableFuture<@Nullable CachedResponse> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      return null;
    }
  }

  private static boolean semanticEligible(ChatRequest request, SemanticCache semantic) {
    if (!request.tools().isEmpty() || request.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA
        || request.messages().size() > semantic.maxMessages()) {
      return false;
    }
    for (Message m : request.messages()) {
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Image) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The index partition of a request: the cache partition, the model, and a hash of every
   * message but the last user turn (system prompt and earlier turns must match exactly; only the
   * question may be paraphrased).
   */
  private static String semanticPartition(CacheKey key, ChatRequest request) {
    List<Message> messages = request.messages();
    int last = messages.size() - 1;
    while (last >= 0 && messages.get(last).role() != Role.USER) {
      last--;
    }
    ChatRequest context = ChatRequest.builder().model(request.model())
        .messages(last >= 0 ? messages.subList(0, last) : List.of()).user(".").build();
    return key.partition() + "|" + request.model() + "|" + CacheKeys.of(key.partition(), context).hash().substring(0, 32);
  }

  private static @Nullable float[] embed(SemanticCache semantic, String text, CallContext context) {
    try {
      EmbeddingResponse response = semantic.embeddings().embed(EmbeddingRequest.of(semantic.model(), text), context);
      return response.embeddings().get(0).vector();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "the semantic cache could not embed a request; using the exact cache only", e);
      return null;
    }
  }
}
