/**
 * OpenTelemetry spans and metrics for aigw gateways, following the GenAI semantic conventions:
 * {@link dev.aigw.otel.GenAiTelemetry} is a {@link dev.aigw.api.GatewayListener.Factory} to
 * register on the gateway's builder. Depends on the OpenTelemetry API only; bring the SDK (or the
 * Java agent) that exports.
 */
@NullMarked
package dev.aigw.otel;

import org.jspecify.annotations.NullMarked;
