package dev.aigw.providers.pool.internal;

import dev.aigw.providers.pool.ReplicaLoad;
import dev.aigw.providers.pool.internal.PrometheusText.Sample;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Turns the gauges an inference server exposes on {@code /metrics} into a {@link ReplicaLoad}.
 *
 * <table>
 *   <caption>The gauges read, by server</caption>
 *   <tr><th>server</th><th>waiting</th><th>running</th><th>KV cache usage (0 to 1)</th></tr>
 *   <tr><td>vLLM</td><td>{@code vllm:num_requests_waiting}</td>
 *       <td>{@code vllm:num_requests_running}</td>
 *       <td>{@code vllm:kv_cache_usage_perc}, else the deprecated {@code
 *       vllm:gpu_cache_usage_perc}</td></tr>
 *   <tr><td>SGLang</td><td>{@code sglang:num_queue_reqs}</td>
 *       <td>{@code sglang:num_running_reqs}</td><td>{@code sglang:token_usage}</td></tr>
 *   <tr><td>TGI</td><td>{@code tgi_queue_size}</td><td>{@code tgi_batch_current_size}</td>
 *       <td>none</td></tr>
 * </table>
 *
 * <p>vLLM renamed {@code gpu_cache_usage_perc} to {@code kv_cache_usage_perc} in 2025: 0.10
 * exports both, later versions hide and then drop the old name under vLLM's deprecation policy.
 * Both mean the share of KV-cache blocks in use; the old one is read only when the new one is
 * absent.
 * Each value is taken from the first server in the table whose gauge the page has, so a page that
 * mixes servers' names is read as the first one's.
 *
 * <p>A server reports one series per label set: vLLM labels its gauges with {@code model_name} and
 * {@code engine} (one per data-parallel engine), SGLang with {@code model_name} and ranks ({@code
 * tp_rank}, {@code dp_rank}, ...). Waiting and running are summed over the label sets, since each
 * engine has its own queue and batch. KV cache usage is the <em>maximum</em> over them, not a
 * request-weighted mean: a request lands on one engine, and the fullest one is the one that
 * preempts or queues first, so the maximum is the conservative signal and needs no weights the
 * page may not have. It is clamped to 0..1. NaN, infinite and negative values are ignored; a
 * value with no usable sample is {@link Double#NaN}.
 *
 * <p>Caveat: SGLang started with {@code --enable-metrics-for-all-schedulers} and tensor
 * parallelism but no data-parallel attention has every TP rank report the same queue; the sums then
 * count it once per rank. By default only TP rank 0 reports, and the sums are right.
 */
public final class ServerMetrics {
  /** vLLM: requests waiting to be scheduled. */
  public static final String VLLM_WAITING = "vllm:num_requests_waiting";
  /** vLLM: requests in the running batch. */
  public static final String VLLM_RUNNING = "vllm:num_requests_running";
  /** vLLM: share of KV-cache blocks in use, 0 to 1. */
  public static final String VLLM_KV_CACHE = "vllm:kv_cache_usage_perc";
  /** vLLM up to 0.10 (deprecated, then hidden and removed): the old name of {@link #VLLM_KV_CACHE}. */
  public static final String VLLM_KV_CACHE_DEPRECATED = "vllm:gpu_cache_usage_perc";
  /** SGLang: requests in the waiting queue. */
  public static final String SGLANG_WAITING = "sglang:num_queue_reqs";
  /** SGLang: requests running. */
  public static final String SGLANG_RUNNING = "sglang:num_running_reqs";
  /** SGLang: share of the KV token pool in use, 0 to 1. */
  public static final String SGLANG_KV_CACHE = "sglang:token_usage";
  /** TGI: requests queued. */
  public static final String TGI_WAITING = "tgi_queue_size";
  /** TGI: requests in the current batch. */
  public static final String TGI_RUNNING = "tgi_batch_current_size";

  /** Every series name this class reads: pass {@code NAMES::contains} as the parse filter. */
  public static final Set<String> NAMES = Set.of(
      VLLM_WAITING, VLLM_RUNNING, VLLM_KV_CACHE, VLLM_KV_CACHE_DEPRECATED,
      SGLANG_WAITING, SGLANG_RUNNING, SGLANG_KV_CACHE,
      TGI_WAITING, TGI_RUNNING);

  /** Accumulator slots, in preference order within each signal. */
  private static final int W_VLLM = 0;
  private static final int W_SGLANG = 1;
  private static final int W_TGI = 2;
  private static final int R_VLLM = 3;
  private static final int R_SGLANG = 4;
  private static final int R_TGI = 5;
  private static final int K_VLLM = 6;
  private static final int K_VLLM_DEPRECATED = 7;
  private static final int K_SGLANG = 8;
  private static final int SLOTS = 9;

  private ServerMetrics() {}

  /**
   * Reads a {@code /metrics} page: parses only the series in {@link #NAMES}.
   *
   * @param page the response body
   * @param observedAt when it was scraped, by the pool's clock
   * @return the load; every value NaN when the page has none of the gauges
   */
  public static ReplicaLoad load(String page, Instant observedAt) {
    return load(PrometheusText.parse(page, NAMES::contains).samples(), observedAt);
  }

  /**
   * The load {@code samples} report.
   *
   * @param samples a page's samples (others than the gauges above are ignored)
   * @param observedAt when they were scraped, by the pool's clock
   * @return the load; every value NaN when the samples have none of the gauges
   */
  public static ReplicaLoad load(List<Sample> samples, Instant observedAt) {
    double[] values = new double[SLOTS];
    boolean[] seen = new boolean[SLOTS];
    for (Sample sample : samples) {
      int slot = slot(sample.name());
      double value = sample.value();
      if (slot < 0 || !Double.isFinite(value) || value < 0) {
        continue;
      }
      if (slot >= K_VLLM) {
        values[slot] = seen[slot] ? Math.max(values[slot], value) : value;
      } else {
        values[slot] += value;
      }
      seen[slot] = true;
    }
    double waiting = first(values, seen, W_VLLM, W_TGI);
    double running = first(values, seen, R_VLLM, R_TGI);
    double kvCache = first(values, seen, K_VLLM, K_SGLANG);
    return new ReplicaLoad(waiting, running, Math.min(kvCache, 1.0), observedAt);
  }

  private static int slot(String name) {
    return switch (name) {
      case VLLM_WAITING -> W_VLLM;
      case SGLANG_WAITING -> W_SGLANG;
      case TGI_WAITING -> W_TGI;
      case VLLM_RUNNING -> R_VLLM;
      case SGLANG_RUNNING -> R_SGLANG;
      case TGI_RUNNING -> R_TGI;
      case VLLM_KV_CACHE -> K_VLLM;
      case VLLM_KV_CACHE_DEPRECATED -> K_VLLM_DEPRECATED;
      case SGLANG_KV_CACHE -> K_SGLANG;
      default -> -1;
    };
  }

  /** The value of the first slot from {@code from} to {@code to} that was seen, or NaN. */
  private static double first(double[] values, boolean[] seen, int from, int to) {
    for (int slot = from; slot <= to; slot++) {
      if (seen[slot]) {
        return values[slot];
      }
    }
    return Double.NaN;
  }
}
