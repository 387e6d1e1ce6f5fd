package dev.aigw.examples;

import dev.aigw.api.BudgetExceededException;
import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.Usage;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.redis.RedisBudgetStore;
import dev.aigw.redis.RedisCacheStore;
import dev.aigw.redis.RedisConnection;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.io.PrintStream;
import java.time.Duration;
import java.util.UUID;

/**
 * Two instances of a service, each with its own gateway and provider, sharing budgets and the
 * response cache through one Redis ({@link RedisBudgetStore}, {@link RedisCacheStore}). Instance B
 * gets a cache hit for the answer instance A stored, without calling its provider; and tenant
 * {@code acme}'s 1,000 tokens a day are one budget for both, so A's spending gets B's call denied.
 *
 * <p>Both instances live in one JVM here, but each has its own {@link RedisConnection} and stores
 * and shares nothing with the other except Redis. The keys live under a namespace of their own
 * per run, so runs do not see each other's counters; they expire with their windows.
 *
 * <p><b>Run it</b> with a Redis 5+ ({@code redis-server} with no arguments will do) at the URI
 * given as the first argument ({@code -Dexec.args=redis://host:6379}), else in {@value
 * #URL_VARIABLE}, else at {@value #DEFAULT_URL}: {@code ./mvnw -q -pl aigw-examples -am
 * -Dmaven.test.skip -Dexample=RedisFleetExample package}
 */
public final class RedisFleetExample {
  /** The Redis used without an argument or {@value #URL_VARIABLE}: {@value}. */
  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  /** The environment variable naming the Redis URI: {@value}. */
  public static final String URL_VARIABLE = "AIGW_REDIS_URL";

  private RedisFleetExample() {}

  /**
   * What instance B saw.
   *
   * @param cacheStatus the cache status of B's copy of A's question
   * @param providerCallsB how many calls reached B's own provider
   * @param denied the message of the budget denial B got after A spent the budget, or empty
   */
  public record Result(CacheStatus cacheStatus, int providerCallsB, String denied) {}

  /** Runs the example on standard output, against the Redis named by the argument, the environment or the default. */
  public static void main(String[] args) {
    String env = System.getenv(URL_VARIABLE);
    run(System.out, args.length > 0 ? args[0] : env != null && !env.isBlank() ? env : DEFAULT_URL);
  }

  /** Runs both instances against the Redis at {@code redisUri}, printing what each does to {@code out}. */
  public static Result run(PrintStream out, String redisUri) {
    String namespace = "aigw-fleet-example-" + UUID.randomUUID();
    try (Instance a = new Instance(redisUri, namespace); Instance b = new Instance(redisUri, namespace)) {
      out.println("two instances, one Redis at " + redisUri.replaceAll("//[^@/]*@", "//***@") + ", namespace " + namespace);
      CallContext acme = CallContext.tenant("acme");
      ChatResponse first = a.gateway.chat(ask("What are your opening hours?"), acme);
      ChatResponse second = b.gateway.chat(ask("What are your opening hours?"), acme);
      out.println("A: " + first.text() + " [cache " + first.metadata().cacheStatus() + "]");
      out.println("B: " + second.text() + " [cache " + second.metadata().cacheStatus() + ", B's provider calls: "
          + b.provider.requestCount() + "]");

      a.gateway.chat(ask("Write a long report."), acme);
      out.println("A spent acme's budget: " + a.gateway.budgetUsage("tenant", "acme").get(0).used() + " of 1000 tokens today");
      String denied = "";
      try {
        b.gateway.chat(ask("And on Sundays?"), acme);
        out.println("B: served?");
      } catch (BudgetExceededException e) {
        denied = e.getMessage();
        out.println("B: DENIED " + e.getMessage());
      }
      return new Result(second.metadata().cacheStatus(), b.provider.requestCount(), denied);
    }
  }

  private static ChatRequest ask(String question) {
    return ChatRequest.builder().model("openai/gpt-4o-mini").user(question).maxOutputTokens(100).build();
  }

  /** One instance of the service: its Redis connection, stores, provider and gateway. */
  private static final class Instance implements AutoCloseable {
    final RedisConnection redis;
    final RedisBudgetStore budgets;   // both stores share the instance's one connection
    final RedisCacheStore cache;
    final FakeChatProvider provider;  // each instance has its own "model"
    final AiGateway gateway;

    Instance(String uri, String namespace) {
      // timeouts generous for a busy laptop or CI machine; in production, 50-100 ms per command
      redis = RedisConnection.builder(uri).namespace(namespace)
          .commandTimeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(5)).build();
      if (!redis.ping()) {   // FAIL_CLOSED (the default) would reject every call; say why at once
        redis.close();
        throw new IllegalStateException("no Redis answers at " + redis + "; start one or pass its URI");
      }
      budgets = RedisBudgetStore.builder(redis).build();
      cache = RedisCacheStore.builder(redis).build();
      provider = FakeChatProvider.builder().id("openai")
          .reply(FakeReply.text("We are open 9 to 5.").withUsage(Usage.of(300, 200))).build();
      gateway = AiGateway.builder()
          .provider(provider)
          .budgetStore(budgets)
          .budget(Budget.perTenant().tokensPerDay(1_000))
          .cache(ResponseCache.builder().store(cache).ttl(Duration.ofMinutes(10)).build())
          .build();
    }

    @Override
    public void close() {
      gateway.close();   // then the stores, then the connection they use
      cache.close();
      budgets.close();
      redis.close();
    }
  }
}
