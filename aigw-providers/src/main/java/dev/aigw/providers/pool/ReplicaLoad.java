package dev.aigw.providers.pool;

import java.time.Instant;

/**
 * What a replica reported about its own load. A value the server does not report is {@link
 * Double#NaN}.
 *
 * @param waiting requests queued and not yet running ({@code vllm:num_requests_waiting}, {@code
 *     sglang:num_queue_reqs}, {@code tgi_queue_size})
 * @param running requests in the running batch ({@code vllm:num_requests_running}, {@code
 *     sglang:num_running_reqs}, {@code tgi_batch_current_size})
 * @param kvCacheUsage the share of the KV cache in use, 0 to 1 ({@code vllm:kv_cache_usage_perc},
 *     {@code sglang:token_usage})
 * @param observedAt when it was reported, by the pool's clock
 */
public record ReplicaLoad(double waiting, double running, double kvCacheUsage, Instant observedAt) {
  /** No report, or none recent enough. */
  public static final ReplicaLoad UNKNOWN = new ReplicaLoad(Double.NaN, Double.NaN, Double.NaN, Instant.EPOCH);

  /** {@return whether any value is known} */
  public boolean isKnown() {
    return !Double.isNaN(waiting) || !Double.isNaN(running) || !Double.isNaN(kvCacheUsage);
  }
}
