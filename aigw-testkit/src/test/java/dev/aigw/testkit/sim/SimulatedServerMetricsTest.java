package dev.aigw.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SimulatedServerMetricsTest {

  @Test
  void metricsPageHasVllmNamesTypesAndLabels() {
    try (SimulatedInferenceServer sim = SimulatedInferenceServer.builder().timeScale(100).defaultOutputTokens(5)
        .loraAdapters("sql-lora").start()) {
      SimClient client = new SimClient(sim);
      client.post("/v1/chat/completions", SimClient.chat("a".repeat(500)));

      SimClient.Answer answer = client.get("/metrics");

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("content-type")).startsWith("text/plain; version=0.0.4");
      PromText page = new PromText(answer.body());
      assertThat(page.types).containsEntry(SimulatedInferenceServer.METRIC_REQUESTS_RUNNING, "gauge")
          .containsEntry(SimulatedInferenceServer.METRIC_REQUESTS_WAITING, "gauge")
          .containsEntry(SimulatedInferenceServer.METRIC_KV_CACHE_USAGE, "gauge")
          .containsEntry(SimulatedInferenceServer.METRIC_PREFIX_CACHE_QUERIES, "counter")
          .containsEntry(SimulatedInferenceServer.METRIC_PREFIX_CACHE_HITS, "counter")
          .containsEntry(SimulatedInferenceServer.METRIC_TIME_TO_FIRST_TOKEN, "histogram")
          .containsEntry("vllm:cache_config_info", "gauge")
          .containsEntry("vllm:lora_requests_info", "gauge");
      assertThat(page.helps).containsKeys(page.types.keySet().toArray(new String[0]));
      for (PromText.Sample s : page.named("vllm:num_requests_running")) {
        assertThat(s.labels()).containsEntry("model_name", sim.model()).containsEntry("engine", "0");
      }
      assertThat(page.value("vllm:num_requests_running")).isZero();
      assertThat(page.value("vllm:num_requests_waiting")).isZero();
      assertThat(page.value("vllm:kv_cache_usage_perc")).isBetween(0.0, 1.0);
      // "<|user|>\n" + 500 characters + "\n<|assistant|>\n" = 524 characters: 131 prompt tokens
      assertThat(page.value("vllm:prefix_cache_queries_total")).isEqualTo(131);
      assertThat(page.value("vllm:prefix_cache_hits_total")).isZero();
      assertThat(page.value("vllm:prompt_tokens_total")).isEqualTo(131);
      assertThat(page.value("vllm:generation_tokens_total")).isEqualTo(5);
      assertThat(page.value("vllm:time_to_first_token_seconds_count")).isEqualTo(1);
      assertThat(page.value("vllm:time_to_first_token_seconds_sum")).isPositive();
      List<PromText.Sample> buckets = page.named("vllm:time_to_first_token_seconds_bucket");
      assertThat(buckets.get(buckets.size() - 1).labels()).containsEntry("le", "+Inf");
      assertThat(buckets.get(buckets.size() - 1).value()).isEqualTo(1);
      for (int i = 1; i < buckets.size(); i++) {
        assertThat(buckets.get(i).value()).isGreaterThanOrEqualTo(buckets.get(i - 1).value());
      }
      assertThat(buckets.get(0).labels()).containsEntry("le", "0.001");
      assertThat(page.named("vllm:cache_config_info").get(0).labels())
          .containsEntry("block_size", "16").containsEntry("num_gpu_blocks", "8192");
      assertThat(page.named("vllm:request_success_total"))
          .anySatisfy(s -> assertThat(s.labels()).containsEntry("finished_reason", "stop"));
    }
  }

  @Test
  void orcaReportOnlyWhenAsked() {
    try (SimulatedInferenceServer sim = SimulatedInferenceServer.builder().timeScale(100).defaultOutputTokens(3).start()) {
      SimClient client = new SimClient(sim);

      SimClient.Answer plain = client.post("/v1/chat/completions", SimClient.chat("hello"));
      assertThat(plain.header(SimulatedInferenceServer.ORCA_REPORT_HEADER)).isNull();

      SimClient.Answer text = client.post("/v1/chat/completions", SimClient.chat("hello"),
          SimulatedInferenceServer.ORCA_FORMAT_HEADER, "TEXT");
      String report = text.header("endpoint-load-metrics");
      assertThat(report).startsWith("TEXT ");
      Map<String, Double> metrics = parseText(report);
      assertThat(metrics).containsOnlyKeys("kv_cache_usage_perc", "num_requests_waiting", "num_requests_running");
      assertThat(metrics.get("kv_cache_usage_perc")).isBetween(0.0, 1.0);
      // taken as the blocking answer is sent: this request still holds its batch slot and blocks
      assertThat(metrics.get("num_requests_waiting")).isZero();

      SimClient.Answer json = client.post("/v1/chat/completions", SimClient.chat("hello"),
          "Endpoint-Load-Metrics-Format", "json");
      String jsonReport = json.header("endpoint-load-metrics");
      assertThat(jsonReport).startsWith("JSON ");
      JsonNode node = parse(jsonReport.substring(5));
      assertThat(node.path("named_metrics").has("kv_cache_usage_perc")).isTrue();
      assertThat(node.path("named_metrics").has("num_requests_waiting")).isTrue();
      assertThat(node.path("named_metrics").has("num_requests_running")).isTrue();

      SimClient.Answer unsupported = client.post("/v1/chat/completions", SimClient.chat("hello"),
          SimulatedInferenceServer.ORCA_FORMAT_HEADER, "BIN");
      assertThat(unsupported.header("endpoint-load-metrics")).isNull();

      ObjectNode stream = SimClient.chat("hello");
      stream.put("stream", true);
      SimClient.Answer streamed = client.post("/v1/chat/completions", stream,
          SimulatedInferenceServer.ORCA_FORMAT_HEADER, "TEXT");
      assertThat(streamed.header("endpoint-load-metrics")).startsWith("TEXT named_metrics.");
    }
  }

  @Test
  void orcaReportShowsTheQueue() throws Exception {
    try (SimulatedInferenceServer sim = SimulatedInferenceServer.builder()
        .timeScale(20).maxBatchSize(1).maxBatchedTokens(64).defaultOutputTokens(200).start()) {
      SimClient client = new SimClient(sim);
      ObjectNode body = SimClient.chat("long answer");
      body.put("stream", true);
      java.util.concurrent.CompletableFuture<?> first = java.util.concurrent.CompletableFuture.runAsync(
          () -> client.post("/v1/chat/completions", body));
      java.util.concurrent.CompletableFuture<?> second = java.util.concurrent.CompletableFuture.runAsync(
          () -> client.post("/v1/chat/completions", body));
      SimClient.await("one running and one waiting", () -> sim.stats().running() == 1 && sim.stats().waiting() == 1);

      ObjectNode probe = SimClient.chat("probe");
      probe.put("stream", true);
      Map<String, Double> load = parseText(client.post("/v1/chat/completions", probe,
          SimulatedInferenceServer.ORCA_FORMAT_HEADER, "TEXT").header("endpoint-load-metrics"));

      assertThat(load.get("num_requests_running")).isEqualTo(1.0);
      assertThat(load.get("num_requests_waiting")).isEqualTo(1.0);
      assertThat(load.get("kv_cache_usage_perc")).isPositive();
      first.get();
      second.get();
    }
  }

  private static final Pattern PAIR = Pattern.compile("named_metrics\\.([a-z_]+)=([0-9.Ee+-]+)");

  static Map<String, Double> parseText(String report) {
    assertThat(report).matches("TEXT named_metrics\\.[a-z_]+=[0-9.]+(, named_metrics\\.[a-z_]+=[0-9.]+)*");
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    Matcher m = PAIR.matcher(report);
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }

  private static JsonNode parse(String json) {
    try {
      return SimClient.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(json, e);
    }
  }
}
