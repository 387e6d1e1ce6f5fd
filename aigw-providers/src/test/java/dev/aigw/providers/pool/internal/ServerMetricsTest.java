package dev.aigw.providers.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.providers.pool.ReplicaLoad;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {
  static final Instant NOW = Instant.parse("2025-09-24T10:15:30Z");

  private static ReplicaLoad load(String page) {
    return ServerMetrics.load(page, NOW);
  }

  @Test
  void vllmSumsQueuesOverEnginesAndTakesTheFullestKvCache() {
    ReplicaLoad load = load(MetricsPages.vllm());

    assertThat(load).isEqualTo(new ReplicaLoad(3.0 + 1.0, 12.0 + 9.0, 0.6843137254901961, NOW));
    assertThat(load.isKnown()).isTrue();
  }

  @Test
  void readingSamplesAndReadingThePageAgree() {
    String page = MetricsPages.vllm();

    assertThat(ServerMetrics.load(PrometheusText.parse(page).samples(), NOW)).isEqualTo(load(page));
  }

  @Test
  void vllmPrefersTheNewKvCacheGaugeOverTheDeprecatedOne() {
    assertThat(load("""
        vllm:gpu_cache_usage_perc{engine="0",model_name="m"} 0.9
        vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.2
        vllm:gpu_cache_usage_perc{engine="1",model_name="m"} 0.8
        """).kvCacheUsage()).isEqualTo(0.2);
  }

  @Test
  void vllmFallsBackToTheDeprecatedKvCacheGauge() {
    ReplicaLoad load = load("""
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{model_name="m"} 2.0
        # TYPE vllm:num_requests_waiting gauge
        vllm:num_requests_waiting{model_name="m"} 0.0
        # TYPE vllm:gpu_cache_usage_perc gauge
        vllm:gpu_cache_usage_perc{model_name="m"} 0.31
        """);

    assertThat(load).isEqualTo(new ReplicaLoad(0.0, 2.0, 0.31, NOW));
  }

  @Test
  void vllmSumsOverModelsAsWellAsEngines() {
    assertThat(load("""
        vllm:num_requests_waiting{engine="0",model_name="a"} 2
        vllm:num_requests_waiting{engine="0",model_name="b"} 5
        vllm:num_requests_running{engine="0",model_name="a"} 1
        vllm:num_requests_running{engine="0",model_name="b"} 1
        """)).isEqualTo(new ReplicaLoad(7.0, 2.0, Double.NaN, NOW));
  }

  @Test
  void sglangReadsQueueRunningAndTokenUsage() {
    assertThat(load(MetricsPages.sglang())).isEqualTo(new ReplicaLoad(5.0, 17.0, 0.37, NOW));
  }

  @Test
  void sglangSumsOverDataParallelRanks() {
    assertThat(load("""
        sglang:num_queue_reqs{dp_rank="0",model_name="m",tp_rank="0"} 4
        sglang:num_queue_reqs{dp_rank="1",model_name="m",tp_rank="4"} 6
        sglang:num_running_reqs{dp_rank="0",model_name="m",tp_rank="0"} 30
        sglang:num_running_reqs{dp_rank="1",model_name="m",tp_rank="4"} 28
        sglang:token_usage{dp_rank="0",model_name="m",tp_rank="0"} 0.5
        sglang:token_usage{dp_rank="1",model_name="m",tp_rank="4"} 0.75
        """)).isEqualTo(new ReplicaLoad(10.0, 58.0, 0.75, NOW));
  }

  @Test
  void tgiHasQueueAndBatchButNoKvCache() {
    ReplicaLoad load = load(MetricsPages.tgi());

    assertThat(load.waiting()).isEqualTo(7.0);
    assertThat(load.running()).isEqualTo(32.0);
    assertThat(load.kvCacheUsage()).isNaN();
    assertThat(load.observedAt()).isEqualTo(NOW);
  }

  @Test
  void aPageWithoutServerGaugesIsUnknown() {
    ReplicaLoad load = load("""
        # HELP process_open_fds Number of open file descriptors.
        # TYPE process_open_fds gauge
        process_open_fds 87.0
        vllm:prompt_tokens_total{model_name="m"} 10
        """);

    assertThat(load.waiting()).isNaN();
    assertThat(load.running()).isNaN();
    assertThat(load.kvCacheUsage()).isNaN();
    assertThat(load.isKnown()).isFalse();
    assertThat(load.observedAt()).isEqualTo(NOW);
  }

  @Test
  void emptyAndGarbagePagesAreUnknown() {
    assertThat(load("").isKnown()).isFalse();
    assertThat(load("<html><body>502 Bad Gateway</body></html>").isKnown()).isFalse();
    assertThat(ServerMetrics.load(List.of(), NOW).isKnown()).isFalse();
  }

  @Test
  void eachValueIsIndependentlyUnknown() {
    ReplicaLoad load = load("vllm:num_requests_waiting 3\n");

    assertThat(load.waiting()).isEqualTo(3.0);
    assertThat(load.running()).isNaN();
    assertThat(load.kvCacheUsage()).isNaN();
  }

  @Test
  void ignoresNaNInfiniteAndNegativeValues() {
    ReplicaLoad load = load("""
        vllm:num_requests_waiting{engine="0"} NaN
        vllm:num_requests_waiting{engine="1"} 2
        vllm:num_requests_waiting{engine="2"} -1
        vllm:num_requests_running{engine="0"} +Inf
        vllm:kv_cache_usage_perc{engine="0"} NaN
        vllm:kv_cache_usage_perc{engine="1"} -0.5
        """);

    assertThat(load.waiting()).isEqualTo(2.0);
    assertThat(load.running()).isNaN();
    assertThat(load.kvCacheUsage()).isNaN();
  }

  @Test
  void anUnusableNewKvGaugeFallsBackToTheDeprecatedOne() {
    assertThat(load("vllm:kv_cache_usage_perc NaN\nvllm:gpu_cache_usage_perc 0.4\n").kvCacheUsage())
        .isEqualTo(0.4);
  }

  @Test
  void clampsKvCacheUsageToOne() {
    assertThat(load("sglang:token_usage 1.07\n").kvCacheUsage()).isEqualTo(1.0);
  }

  @Test
  void prefersVllmThenSglangThenTgiForEachValue() {
    ReplicaLoad load = load("""
        tgi_queue_size 100
        sglang:num_queue_reqs 50
        vllm:num_requests_waiting 1
        tgi_batch_current_size 100
        sglang:num_running_reqs 9
        sglang:token_usage 0.3
        """);

    assertThat(load).isEqualTo(new ReplicaLoad(1.0, 9.0, 0.3, NOW));
  }

  @Test
  void ignoresHistogramSeriesThatShareAPrefix() {
    assertThat(load("""
        vllm:num_requests_waiting_bucket{le="1"} 99
        vllm:num_requests_waiting_sum 99
        tgi_queue_size_count 99
        vllm:num_requests_waiting 4
        """).waiting()).isEqualTo(4.0);
  }

  @Test
  void namesListsEveryGaugeRead() {
    assertThat(ServerMetrics.NAMES).containsExactlyInAnyOrder(
        "vllm:num_requests_waiting", "vllm:num_requests_running", "vllm:kv_cache_usage_perc",
        "vllm:gpu_cache_usage_perc", "sglang:num_queue_reqs", "sglang:num_running_reqs",
        "sglang:token_usage", "tgi_queue_size", "tgi_batch_current_size");
  }
}
