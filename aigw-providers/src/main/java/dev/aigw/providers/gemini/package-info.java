/**
 * The Google Gemini API client ({@code generativelanguage.googleapis.com}, v1beta): {@link
 * dev.aigw.providers.gemini.GeminiProvider} for chat (blocking and streamed) and embeddings.
 */
@NullMarked
package dev.aigw.providers.gemini;

import org.jspecify.annotations.NullMarked;
