package dev.aigw.redis;

import dev.aigw.core.budget.BudgetStore;
import dev.aigw.core.budget.BudgetStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The Redis store against the same contract as the in-memory one, on a real redis-server. */
class RedisBudgetStoreTest extends BudgetStoreContract {
  private static RedisServer server;
  private static RedisConnection redis;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
    redis = RedisConnection.connect(server.uri());
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void emptyRedis() {
    server.command("FLUSHALL");
  }

  @Override
  protected BudgetStore newStore() {
    return RedisBudgetStore.builder(redis).build();
  }
}
