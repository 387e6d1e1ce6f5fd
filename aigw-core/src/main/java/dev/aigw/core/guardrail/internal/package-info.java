/**
 * The detectors behind the built-in guardrails: the PII and secrets scanner with its validators,
 * the prompt-injection scorer and its rules, the phrase automaton and the Unicode text
 * normaliser shared by the deny list and the injection detector. Not API.
 */
@NullMarked
package dev.aigw.core.guardrail.internal;

import org.jspecify.annotations.NullMarked;
