/**
 * Implementation details of the built-in guardrails: the detectors and validators behind {@link
 * dev.aigw.core.guardrail.PiiGuardrail}. Not API.
 */
@NullMarked
package dev.aigw.core.guardrail.internal;

import org.jspecify.annotations.NullMarked;
