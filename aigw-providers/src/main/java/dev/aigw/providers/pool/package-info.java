/**
 * A provider over many replicas of a self-hosted inference server ({@link
 * dev.aigw.providers.pool.InferencePool}), which picks the replica for each request by load and
 * prompt-prefix affinity ({@link dev.aigw.providers.pool.Pickers}).
 */
@NullMarked
package dev.aigw.providers.pool;

import org.jspecify.annotations.NullMarked;
