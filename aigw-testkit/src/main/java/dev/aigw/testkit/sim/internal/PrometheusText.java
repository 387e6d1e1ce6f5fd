package dev.aigw.testkit.sim.internal;

import java.math.BigDecimal;

/**
 * The {@code /metrics} page in the Prometheus text format (0.0.4), with vLLM's metric names, help
 * texts and label sets ({@code model_name} and {@code engine="0"}), as vLLM's Python
 * Prometheus client writes them: counters' samples end in {@code _total} while their HELP and TYPE
 * lines name the family without it, and every value is a float.
 */
final class PrometheusText {
  static final String RUNNING = "vllm:num_requests_running";
  static final String WAITING = "vllm:num_requests_waiting";
  static final String KV_USAGE = "vllm:kv_cache_usage_perc";
  static final String PREFIX_QUERIES = "vllm:prefix_cache_queries";
  static final String PREFIX_HITS = "vllm:prefix_cache_hits";
  static final String TTFT = "vllm:time_to_first_token_seconds";

  private PrometheusText() {}

  static String render(SimConfig config, EngineMetrics m, EngineSnapshot s, double epochSeconds) {
    String labels = "model_name=\"" + escape(config.model()) + "\",engine=\"0\"";
    StringBuilder out = new StringBuilder(16 * 1024);
    gauge(out, RUNNING, "Number of requests in model execution batches.", labels, s.running());
    gauge(out, WAITING, "Number of requests waiting to be processed.", labels, s.waiting());
    gauge(out, KV_USAGE, "KV-cache usage. 1 means 100 percent usage.", labels, s.kvCacheUsage());
    counter(out, PREFIX_QUERIES, "Prefix cache queries, in terms of number of queried tokens.", labels,
        s.prefixQueryTokens());
    counter(out, PREFIX_HITS, "Prefix cache hits, in terms of number of cached tokens.", labels, s.prefixHitTokens());
    counter(out, "vllm:prompt_tokens", "Number of prefill tokens processed.", labels, s.promptTokens());
    counter(out, "vllm:generation_tokens", "Number of generation tokens processed.", labels, s.generationTokens());
    header(out, "vllm:request_success", "Count of successfully processed requests.", "counter");
    sample(out, "vllm:request_success_total", labels + ",finished_reason=\"stop\"", m.finishedStop);
    sample(out, "vllm:request_success_total", labels + ",finished_reason=\"length\"", m.finishedLength);
    sample(out, "vllm:request_success_total", labels + ",finished_reason=\"abort\"", m.aborted);
    histogram(out, TTFT, "Histogram of time to first token in seconds.", labels, m.ttft);
    histogram(out, "vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", labels, m.itl);
    histogram(out, "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", labels, m.e2e);
    histogram(out, "vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.",
        labels, m.queue);
    header(out, "vllm:cache_config_info", "Information of the LLMEngine CacheConfig", "gauge");
    sample(out, "vllm:cache_config_info", "block_size=\"" + config.blockSize() + "\",cache_dtype=\"auto\","
        + "enable_prefix_caching=\"True\",engine=\"0\",num_gpu_blocks=\"" + config.kvCacheBlocks() + "\"", 1);
    if (!config.loraAdapters().isEmpty()) {
      header(out, "vllm:lora_requests_info", "Running stats on lora requests.", "gauge");
      sample(out, "vllm:lora_requests_info", "max_lora=\"" + config.maxLoras() + "\",running_lora_adapters=\""
          + escape(String.join(",", s.runningLoras())) + "\",waiting_lora_adapters=\""
          + escape(String.join(",", s.waitingLoras())) + "\"", epochSeconds);
    }
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, String labels, double value) {
    header(out, name, help, "gauge");
    sample(out, name, labels, value);
  }

  private static void counter(StringBuilder out, String name, String help, String labels, double value) {
    header(out, name, help, "counter");
    sample(out, name + "_total", labels, value);
  }

  private static void histogram(StringBuilder out, String name, String help, String labels, Histogram h) {
    header(out, name, help, "histogram");
    double[] bounds = h.bounds();
    for (int i = 0; i < bounds.length; i++) {
      sample(out, name + "_bucket", labels + ",le=\"" + number(bounds[i]) + "\"", h.cumulative(i));
    }
    sample(out, name + "_bucket", labels + ",le=\"+Inf\"", h.count());
    sample(out, name + "_count", labels, h.count());
    sample(out, name + "_sum", labels, h.sum());
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name).append('{').append(labels).append("} ").append(number(value)).append('\n');
  }

  /** A float as Python prints it for integral values ({@code 3.0}), otherwise without an exponent. */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return (long) value + ".0";
    }
    return BigDecimal.valueOf(value).toPlainString();
  }

  private static String escape(String label) {
    return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
