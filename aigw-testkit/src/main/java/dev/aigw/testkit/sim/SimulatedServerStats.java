package dev.aigw.testkit.sim;

import java.time.Duration;

/**
 * A {@link SimulatedInferenceServer}'s live counters at one moment. Counters count since the server
 * last (re)started, as a restarted vLLM's do; the failure counter counts since it was built.
 *
 * @param requestsServed inference requests that ran to their end ({@code stop} or {@code length})
 * @param requestsFailed inference requests answered with an injected error status
 * @param requestsAborted requests dropped before their end: the client went away, the stream was
 *     cut by {@link SimulatedInferenceServer#failNextMidStream}, or the server stopped
 * @param waiting requests in the engine queue, not yet running ({@code vllm:num_requests_waiting})
 * @param running requests in the running batch ({@code vllm:num_requests_running})
 * @param kvCacheUsage the share of KV blocks referenced or reserved by running requests, 0 to 1
 *     ({@code vllm:kv_cache_usage_perc})
 * @param promptTokens prompt tokens of admitted requests ({@code vllm:prompt_tokens_total})
 * @param generationTokens output tokens generated ({@code vllm:generation_tokens_total})
 * @param prefixCacheQueryTokens prompt tokens looked up in the prefix cache ({@code vllm:prefix_cache_queries_total})
 * @param prefixCacheHitTokens of those, tokens found cached ({@code vllm:prefix_cache_hits_total})
 * @param cachedBlocks KV blocks holding hashed prompt blocks, in use or evictable
 * @param simulatedTime simulated time since the server (re)started
 * @param maxSchedulerLag the most an engine step ended later than planned (the scaled wall clock
 *     against the model), in simulated time; one slow wake-up (a GC pause, JIT compilation) sets it
 * @param meanSchedulerLag the mean of that lag over all steps: a few simulated milliseconds when
 *     the host keeps up (timer wake-up latency times the time scale); when it grows, the host is
 *     overloaded and client-measured latencies overstate the simulated ones — lower the time
 *     scale, raise {@link SimulatedInferenceServer.Builder#streamInterval}, or run fewer replicas
 */
public record SimulatedServerStats(
    long requestsServed,
    long requestsFailed,
    long requestsAborted,
    int waiting,
    int running,
    double kvCacheUsage,
    long promptTokens,
    long generationTokens,
    long prefixCacheQueryTokens,
    long prefixCacheHitTokens,
    int cachedBlocks,
    Duration simulatedTime,
    Duration maxSchedulerLag,
    Duration meanSchedulerLag) {

  /** {@return hit tokens over queried tokens, or 0 before any query} */
  public double prefixCacheHitRate() {
    return prefixCacheQueryTokens == 0 ? 0 : (double) prefixCacheHitTokens / prefixCacheQueryTokens;
  }
}
