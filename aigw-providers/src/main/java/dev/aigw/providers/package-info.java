/**
 * Provider clients over HTTP: {@link dev.aigw.providers.openai.OpenAiProvider} (OpenAI and
 * OpenAI-compatible servers such as vLLM, SGLang, TGI, Ollama, Groq or Mistral), {@link
 * dev.aigw.providers.openai.AzureOpenAiProvider}, {@link
 * dev.aigw.providers.anthropic.AnthropicProvider} and {@link
 * dev.aigw.providers.gemini.GeminiProvider}. Each is configured with a builder derived from
 * {@link dev.aigw.providers.HttpProviderBuilder}.
 */
@NullMarked
package dev.aigw.providers;

import org.jspecify.annotations.NullMarked;
