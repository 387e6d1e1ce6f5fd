package dev.aigw.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatedServerPrefixCacheTest {
  /** 4000 characters that are the same in every request of a test: a long system prompt. */
  private static final String SYSTEM = "You are a careful assistant. ".repeat(138).substring(0, 4000);

  private static ObjectNode request(String system, String user) {
    ObjectNode body = SimClient.MAPPER.createObjectNode();
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", system);
    messages.addObject().put("role", "user").put("content", user);
    body.put("max_tokens", 4);
    return body;
  }

  private static int cached(JsonNode answer) {
    return answer.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt(-1);
  }

  private static SimulatedInferenceServer.Builder sim() {
    return SimulatedInferenceServer.builder().timeScale(10).loraAdapters("sql-lora");
  }

  @Test
  void aRepeatedPromptHitsEveryFullBlock() {
    try (SimulatedInferenceServer sim = sim().start()) {
      SimClient client = new SimClient(sim);

      JsonNode first = client.post("/v1/chat/completions", request(SYSTEM, "q1")).json();
      JsonNode second = client.post("/v1/chat/completions", request(SYSTEM, "q1")).json();

      // "<|system|>\n" + 4000 + "\n<|user|>\nq1\n<|assistant|>\n" = 4038 characters: 1010 tokens, 63 full blocks
      assertThat(first.path("usage").path("prompt_tokens").asInt()).isEqualTo(1010);
      assertThat(cached(first)).isZero();
      assertThat(cached(second)).isEqualTo(63 * 16);
      SimulatedServerStats stats = sim.stats();
      assertThat(stats.prefixCacheQueryTokens()).isEqualTo(2 * 1010);
      assertThat(stats.prefixCacheHitTokens()).isEqualTo(63 * 16);
      assertThat(stats.cachedBlocks()).isEqualTo(63);
      PromText metrics = new PromText(client.get("/metrics").body());
      assertThat(metrics.value("vllm:prefix_cache_hits_total")).isEqualTo(63 * 16);
      assertThat(metrics.value("vllm:prefix_cache_queries_total")).isEqualTo(2 * 1010);
    }
  }

  @Test
  void aSharedPrefixHitsUpToTheLastFullBlockBeforeTheFirstDifference() {
    try (SimulatedInferenceServer sim = sim().start()) {
      SimClient client = new SimClient(sim);

      client.post("/v1/chat/completions", request(SYSTEM, "question one"));
      JsonNode other = client.post("/v1/chat/completions", request(SYSTEM, "question two")).json();

      int common = "<|system|>\n".length() + SYSTEM.length() + "\n<|user|>\nquestion ".length();
      assertThat(cached(other)).isEqualTo(common / 64 * 16);
    }
  }

  @Test
  void aWholePromptHitLeavesTheLastBlockToCompute() {
    try (SimulatedInferenceServer sim = sim().start()) {
      SimClient client = new SimClient(sim);
      // the rendered prompt is exactly 64 × 64 characters: 256 tokens, all in full blocks
      String user = "u".repeat(64 * 64 - "<|user|>\n\n<|assistant|>\n".length());
      ObjectNode body = SimClient.chat(user);

      client.post("/v1/chat/completions", body);
      JsonNode again = client.post("/v1/chat/completions", body).json();

      assertThat(again.path("usage").path("prompt_tokens").asInt()).isEqualTo(1024);
      assertThat(cached(again)).isEqualTo(1024 - 16);
    }
  }

  @Test
  void cacheSaltAndAdapterSeparatePrefixes() {
    try (SimulatedInferenceServer sim = sim().start()) {
      SimClient client = new SimClient(sim);
      client.post("/v1/chat/completions", request(SYSTEM, "q"));

      ObjectNode salted = request(SYSTEM, "q");
      salted.put("cache_salt", "tenant-a");
      assertThat(cached(client.post("/v1/chat/completions", salted).json())).isZero();
      assertThat(cached(client.post("/v1/chat/completions", salted).json())).isEqualTo(63 * 16);

      ObjectNode otherSalt = request(SYSTEM, "q");
      otherSalt.put("cache_salt", "tenant-b");
      assertThat(cached(client.post("/v1/chat/completions", otherSalt).json())).isZero();

      ObjectNode adapter = request(SYSTEM, "q");
      adapter.put("model", "sql-lora");
      assertThat(cached(client.post("/v1/chat/completions", adapter).json())).isZero();

      assertThat(cached(client.post("/v1/chat/completions", request(SYSTEM, "q")).json())).isEqualTo(63 * 16);
    }
  }

  @Test
  void aCachedPromptHasAShorterSimulatedTimeToFirstToken() {
    // a slow prefill (0.5 ms a token) at a low time scale, so that scheduling jitter (multiplied by
    // the scale) stays far below the 500 ms the cache saves
    try (SimulatedInferenceServer sim = sim().timeScale(2).prefillTimePerToken(Duration.ofNanos(500_000)).start()) {
      SimClient client = new SimClient(sim);

      String uncached = client.post("/v1/chat/completions", request(SYSTEM, "q1")).json().path("id").asText();
      String cachedId = client.post("/v1/chat/completions", request(SYSTEM, "q1")).json().path("id").asText();

      SimulatedRequestRecord cold = sim.record(uncached).orElseThrow();
      SimulatedRequestRecord warm = sim.record(cachedId).orElseThrow();
      assertThat(cold.cachedTokens()).isZero();
      assertThat(warm.cachedTokens()).isEqualTo(1008);
      // cold: 1010 tokens of prefill at 0.5 ms = 504 ms more than warm (2 tokens)
      assertThat(warm.timeToFirstToken()).isLessThan(cold.timeToFirstToken());
      assertThat(cold.timeToFirstToken().minus(warm.timeToFirstToken()).toMillis()).isGreaterThan(250);
    }
  }

  @Test
  void aFullKvCacheEvictsTheLeastRecentlyUsedPrefixTailFirst() {
    try (SimulatedInferenceServer sim = sim().kvCacheBlocks(256).maxModelLen(4096).start()) {
      SimClient client = new SimClient(sim);
      client.post("/v1/chat/completions", request(SYSTEM, "q"));
      for (int i = 0; i < 4; i++) {
        String other = (i + "-other system prompt ").repeat(200).substring(0, 4000);
        client.post("/v1/chat/completions", request(other, "q"));
      }

      JsonNode again = client.post("/v1/chat/completions", request(SYSTEM, "q")).json();

      assertThat(sim.stats().cachedBlocks()).isLessThanOrEqualTo(256);
      // the oldest prefix lost its later blocks first: a shorter prefix of it is still cached
      assertThat(cached(again)).isPositive().isLessThan(63 * 16);
      assertThat(cached(again) % 16).isZero();
    }
  }
}
