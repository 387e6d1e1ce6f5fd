/**
 * A simulated vLLM-like inference server for tests, demos and routing benchmarks.
 *
 * <p>{@link dev.aigw.testkit.sim.SimulatedInferenceServer} serves vLLM's OpenAI-compatible HTTP
 * API on a loopback port, with a discrete-step model of continuous batching, chunked prefill, a
 * block-hashed prefix cache in a bounded KV cache, a FIFO queue, vLLM's Prometheus metrics, ORCA
 * load reports and injectable failures — all on a scaled clock, so minutes of simulated serving take
 * seconds. {@link dev.aigw.testkit.sim.SimulatedRequestRecord} is the server's own (simulated-time)
 * account of each request, and {@link dev.aigw.testkit.sim.SimulatedServerStats} its live
 * counters.
 *
 * <p>Nothing here is {@code null}: parameters and results are non-null unless annotated otherwise.
 */
@NullMarked
package dev.aigw.testkit.sim;

import org.jspecify.annotations.NullMarked;
