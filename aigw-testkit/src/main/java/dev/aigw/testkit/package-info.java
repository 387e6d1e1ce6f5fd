/**
 * Fakes for unit tests of code that uses aigw.
 *
 * <ul>
 *   <li>{@link dev.aigw.testkit.FakeChatProvider}: a scripted chat and embedding provider with
 *       configurable latency, streaming cadence and failure rates, that records every request;
 *   <li>{@link dev.aigw.testkit.FakeReply}: what the fake answers, including typed provider errors
 *       and a call that hangs until it is cancelled;
 *   <li>{@link dev.aigw.testkit.ManualClock}: a {@link dev.aigw.api.TimeSource} whose time moves
 *       only when a test advances it, so deadlines, windows and TTLs are tested without sleeping;
 *   <li>{@link dev.aigw.testkit.sim.SimulatedInferenceServer} (in {@code dev.aigw.testkit.sim}): a
 *       simulated vLLM-like server on a loopback port, with batching, a prefix cache, vLLM's
 *       metrics, ORCA load reports and injectable failures, for tests and benchmarks over real HTTP.
 * </ul>
 *
 * <p>Nothing here is {@code null}: parameters and results are non-null unless annotated otherwise.
 */
@NullMarked
package dev.aigw.testkit;

import org.jspecify.annotations.NullMarked;
