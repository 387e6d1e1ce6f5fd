/**
 * OpenTelemetry GenAI spans and metrics as a {@link dev.aigw.api.GatewayListener}. The listener
 * arrives with the telemetry issue; until then this module holds only its package.
 */
@NullMarked
package dev.aigw.otel;

import org.jspecify.annotations.NullMarked;
