/**
 * Token counting before a call: {@link dev.aigw.core.tokens.TokenCounter}, for budgets, cost
 * estimates and context-window checks.
 *
 * <p>OpenAI models are counted exactly at the text level with their own encodings ({@code
 * o200k_base}, {@code cl100k_base}, through JTokkit), plus OpenAI's published per-message rule (3
 * tokens per message, 1 for the role, 3 to prime the reply). Tool definitions, tool calls, the
 * response-format schema and images are approximations, documented with their error on {@link
 * dev.aigw.core.tokens.TokenCounter}.
 *
 * <p>Other models are estimated: Anthropic's and Google's tokenizers are not available offline,
 * so their counts are the {@code o200k_base} count times a conservative factor, rounded up —
 * {@value dev.aigw.core.tokens.TokenCounter#CLAUDE_FACTOR} for Claude up to 4.6 (measured
 * comparisons found 16–30% more tokens than GPT-4o), {@value
 * dev.aigw.core.tokens.TokenCounter#CLAUDE_4_7_FACTOR} for Claude 4.7 and later (whose tokenizer
 * Anthropic says yields up to 1.35 times more again), {@value
 * dev.aigw.core.tokens.TokenCounter#GEMINI_FACTOR} for Gemini and Gemma, and {@value
 * dev.aigw.core.tokens.TokenCounter#DEFAULT_FACTOR} for unknown tokenizers. Over-counting is the
 * safe side for budgets and context windows. Any factor can be chosen with {@link
 * dev.aigw.core.tokens.TokenCounter#estimate(dev.aigw.core.tokens.TokenCounter, double)}.
 *
 * <p>{@link dev.aigw.core.tokens.TokenCounter#upperBound(dev.aigw.api.ChatRequest)} bounds the
 * count from above without tokenizing (UTF-8 bytes plus the same overheads), so that a request
 * that obviously fits a context window needs no tokenization at all.
 */
@NullMarked
package dev.aigw.core.tokens;

import org.jspecify.annotations.NullMarked;
