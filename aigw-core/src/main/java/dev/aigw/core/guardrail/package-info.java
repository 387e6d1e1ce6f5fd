/**
 * Guardrails: the {@link dev.aigw.core.guardrail.Guardrail} SPI (a guardrail finds; the gateway
 * masks, restores, blocks or flags, for blocking calls and streams alike) and the built-in ones —
 * {@link dev.aigw.core.guardrail.PiiGuardrail}, {@link
 * dev.aigw.core.guardrail.PromptInjectionGuardrail}, {@link
 * dev.aigw.core.guardrail.DenyListGuardrail}, {@link dev.aigw.core.guardrail.LimitsGuardrail},
 * {@link dev.aigw.core.guardrail.JudgeGuardrail} — plus {@link
 * dev.aigw.core.guardrail.StructuredOutput} for answers that must match a JSON schema.
 */
@NullMarked
package dev.aigw.core.guardrail;

import org.jspecify.annotations.NullMarked;
