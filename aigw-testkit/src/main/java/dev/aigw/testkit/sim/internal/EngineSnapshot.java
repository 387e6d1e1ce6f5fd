package dev.aigw.testkit.sim.internal;

import java.util.List;

/**
 * The engine's state at one moment.
 *
 * @param waiting requests past the API-server overhead and not yet admitted
 * @param running admitted requests (prefilling or decoding)
 * @param kvCacheUsage blocks referenced or reserved by admitted requests, 0 to 1
 * @param served requests finished normally
 * @param aborted requests dropped (client gone, cut, server stopped)
 * @param promptTokens prompt tokens of admitted requests
 * @param generationTokens output tokens generated
 * @param prefixQueryTokens prompt tokens looked up in the prefix cache
 * @param prefixHitTokens of those, tokens found
 * @param cachedBlocks hashed blocks held in the KV cache
 * @param simulatedNanos simulated time since the engine started
 * @param maxLagNanos the most the engine fell behind the scaled wall clock at a step's end, in simulated nanoseconds
 * @param meanLagNanos the mean of that over all steps
 * @param runningLoras adapters of running requests, distinct, in admission order
 * @param waitingLoras adapters of waiting requests, distinct, in queue order
 */
public record EngineSnapshot(
    int waiting,
    int running,
    double kvCacheUsage,
    long served,
    long aborted,
    long promptTokens,
    long generationTokens,
    long prefixQueryTokens,
    long prefixHitTokens,
    int cachedBlocks,
    long simulatedNanos,
    long maxLagNanos,
    long meanLagNanos,
    List<String> runningLoras,
    List<String> waitingLoras) {}
