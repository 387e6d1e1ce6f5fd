/**
 * OpenAI chat completions and embeddings, for OpenAI itself ({@link
 * dev.aigw.providers.openai.OpenAiProvider#builder()}), for OpenAI-compatible servers such as
 * vLLM, SGLang, TGI, Ollama, llama.cpp, Groq, Together, Mistral or DeepSeek ({@link
 * dev.aigw.providers.openai.OpenAiProvider#compatible(String)}), and for Azure OpenAI ({@link
 * dev.aigw.providers.openai.AzureOpenAiProvider}).
 */
@NullMarked
package dev.aigw.providers.openai;

import org.jspecify.annotations.NullMarked;
