/**
 * Provider clients for OpenAI and OpenAI-compatible servers, Azure OpenAI, Anthropic, Google
 * Gemini and self-hosted inference pools. The clients arrive with the provider issue; until then
 * this module holds only its package, so the build and the BOM already have their final shape.
 */
@NullMarked
package dev.aigw.providers;

import org.jspecify.annotations.NullMarked;
