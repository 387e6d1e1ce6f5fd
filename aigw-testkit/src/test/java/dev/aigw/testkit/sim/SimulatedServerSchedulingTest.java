package dev.aigw.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class SimulatedServerSchedulingTest {

  private static ObjectNode longAnswer(String prompt, int tokens, boolean stream) {
    ObjectNode body = SimClient.chat(prompt);
    body.put("max_tokens", tokens);
    body.put("ignore_eos", true);
    body.put("stream", stream);
    return body;
  }

  @Test
  void requestsBeyondTheMaxBatchWaitAndShowInMetrics() throws Exception {
    try (SimulatedInferenceServer sim = SimulatedInferenceServer.builder()
        .timeScale(20).maxBatchSize(2).start()) {
      SimClient client = new SimClient(sim);
      List<CompletableFuture<SimClient.Answer>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ObjectNode body = longAnswer("request " + i, 100, false);
        calls.add(CompletableFuture.supplyAsync(() -> client.post("/v1/chat/completions", body)));
      }

      SimClient.await("the batch is full and requests wait", () -> {
        SimulatedServerStats s = sim.stats();
        return s.running() == 2 && s.waiting() > 0;
      });
      PromText metrics = new PromText(client.get("/metrics").body());
      assertThat(metrics.value("vllm:num_requests_running")).isEqualTo(2);
      assertThat(metrics.value("vllm:num_requests_waiting")).isPositive();

      for (CompletableFuture<SimClient.Answer> call : calls) {
        assertThat(call.get().status()).isEqualTo(200);
      }
      List<SimulatedRequestRecord> records = sim.records();
      assertThat(records).hasSize(6).allMatch(SimulatedRequestRecord::completed);
      // at most two ran at once, so at least four queued for a whole answer (100 steps of 20+ ms)
      assertThat(records.stream().filter(r -> r.queueTime().compareTo(Duration.ofSeconds(1)) > 0).count())
          .isGreaterThanOrEqualTo(4);
      assertThat(sim.stats().waiting()).isZero();
      assertThat(sim.stats().running()).isZero();
      assertThat(sim.stats().kvCacheUsage()).isZero();
    }
  }

  @Test
  void theIdleModelMatchesTheFormula() {
    try (SimulatedInferenceServer sim = SimulatedInferenceServer.builder()
        .timeScale(2)
        .requestOverhead(Duration.ofMillis(20))
        .prefillTimePerToken(Duration.ofNanos(200_000))
        .interTokenLatency(Duration.ofMillis(20))
        .batchSlowdown(1)
        .maxBatchSize(32)
        .start()) {
      SimClient client = new SimClient(sim);
      // "<|user|>\n" + 4000 + "\n<|assistant|>\n" = 4024 characters: 1006 tokens, prefilled in one 2048-token step
      String id = client.post("/v1/chat/completions", longAnswer("p".repeat(4000), 10, false)).json()
          .path("id").asText();

      SimulatedRequestRecord r = sim.record(id).orElseThrow();
      assertThat(r.promptTokens()).isEqualTo(1006);
      long step = Math.round(20 * (1 + 1.0 / 32) * 1_000_000); // one request in the batch
      long ttft = 20_000_000 + step + r.promptTokens() * 200_000L;
      long latency = ttft + 9 * step;
      // the engine thread's wake-up latency (times the scale) adds a little; never less than the model says
      assertThat(r.timeToFirstToken().toNanos()).isBetween(ttft - 1_000_000, ttft + 100_000_000);
      assertThat(r.latency().toNanos()).isBetween(latency - 1_000_000, latency + 200_000_000);
      assertThat(r.queueTime()).isLessThan(Duration.ofMillis(100));
    }
  }

  @Test
  void aFullBatchDecodesSlowerThanASingleRequest() throws Exception {
    try (SimulatedInferenceServer sim = SimulatedInferenceServer.builder().timeScale(20).maxBatchSize(16).start()) {
      SimClient client = new SimClient(sim);
      String alone = client.post("/v1/chat/completions", longAnswer("alone", 50, false)).json().path("id").asText();
      List<CompletableFuture<SimClient.Answer>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        ObjectNode body = longAnswer("crowd " + i, 50, false);
        calls.add(CompletableFuture.supplyAsync(() -> client.post("/v1/chat/completions", body)));
      }
      List<String> crowd = new ArrayList<>();
      for (CompletableFuture<SimClient.Answer> c : calls) {
        crowd.add(c.get().json().path("id").asText());
      }

      SimulatedRequestRecord single = sim.record(alone).orElseThrow();
      Duration singleDecode = single.latency().minus(single.timeToFirstToken());
      // the crowd's requests arrive a little apart, so the last may decode alone at the end: compare the crowd as a whole
      Duration crowdDecode = Duration.ZERO;
      for (String id : crowd) {
        SimulatedRequestRecord r = sim.record(id).orElseThrow();
        crowdDecode = crowdDecode.plus(r.latency().minus(r.timeToFirstToken()));
      }
      assertThat(crowdDecode.dividedBy(crowd.size())).isGreaterThan(singleDecode);
    }
  }

  @Test
  void hundredsOfConcurrentStreamsAllComplete() throws Exception {
    try (SimulatedInferenceServer sim = SimulatedInferenceServer.builder()
        .timeScale(50).maxBatchSize(64).defaultOutputTokens(30).start()) {
      SimClient client = new SimClient(sim);
      ExecutorService pool = Executors.newFixedThreadPool(300);
      try {
        List<CompletableFuture<SimClient.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          ObjectNode body = SimClient.chat("stream " + i);
          body.put("stream", true);
          body.putObject("stream_options").put("include_usage", true);
          calls.add(CompletableFuture.supplyAsync(() -> client.post("/v1/chat/completions", body), pool));
        }
        for (CompletableFuture<SimClient.Answer> call : calls) {
          SimClient.Answer a = call.get();
          assertThat(a.status()).isEqualTo(200);
          List<String> events = a.events();
          assertThat(events).hasSize(1 + 30 + 1 + 1);
          assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        }
      } finally {
        pool.shutdownNow();
      }
      SimClient.await("every record is in", () -> sim.records().size() == 300);
      assertThat(sim.stats().requestsServed()).isEqualTo(300);
      assertThat(sim.stats().generationTokens()).isEqualTo(300 * 30);
    }
  }

  @Test
  void aStreamIntervalGroupsWritesButKeepsEveryEvent() {
    try (SimulatedInferenceServer sim = SimulatedInferenceServer.builder()
        .timeScale(50).streamInterval(8).defaultOutputTokens(30).start()) {
      SimClient client = new SimClient(sim);
      ObjectNode body = SimClient.chat("grouped");
      body.put("stream", true);

      List<String> events = client.post("/v1/chat/completions", body).events();

      assertThat(events).hasSize(1 + 30 + 1);
      StringBuilder streamed = new StringBuilder();
      for (String e : events.subList(1, 31)) {
        streamed.append(e.replaceAll(".*\"content\":\"([^\"]*)\".*", "$1"));
      }
      String blocking = client.post("/v1/chat/completions", SimClient.chat("grouped")).json()
          .path("choices").get(0).path("message").path("content").asText();
      assertThat(streamed.toString()).isEqualTo(blocking);
    }
  }

  @Test
  void timeScaleRunsSimulatedTimeFasterThanTheWallClock() {
    try (SimulatedInferenceServer sim = SimulatedInferenceServer.builder().timeScale(50).start()) {
      SimClient client = new SimClient(sim);

      long start = System.nanoTime();
      String id = client.post("/v1/chat/completions", longAnswer("time", 100, false)).json().path("id").asText();
      Duration wall = Duration.ofNanos(System.nanoTime() - start);

      SimulatedRequestRecord r = sim.record(id).orElseThrow();
      // 100 steps of ~20.6 ms: over 2 simulated seconds, in a fraction of that on the wall clock
      assertThat(r.latency()).isGreaterThan(Duration.ofSeconds(2));
      assertThat(wall).isLessThan(r.latency().dividedBy(2));
      assertThat(sim.toSimulated(wall)).isGreaterThanOrEqualTo(r.latency().minusMillis(50));
      assertThat(sim.toSimulated(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(500));
      assertThat(sim.toWall(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(20));
      assertThat(sim.stats().simulatedTime()).isGreaterThan(r.latency());
    }
  }
}
