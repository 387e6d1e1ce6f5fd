/** The telemetry's machinery: names, instruments, the per-call listener, content JSON. Not API. */
@NullMarked
package dev.aigw.otel.internal;

import org.jspecify.annotations.NullMarked;
