package dev.aigw.api;

import java.net.URI;
import java.util.Optional;

/**
 * Something the gateway can send calls to, registered under its {@link #id()}. A provider
 * implements {@link ChatProvider}, {@link EmbeddingProvider} or both. The gateway owns the
 * providers given to its builder and closes them when it closes.
 */
public interface Provider extends AutoCloseable {
  /**
   * {@return the id targets use to address this provider ({@code "openai"} in {@code
   * "openai/gpt-4o"}): lower-case letters, digits, {@code -}, {@code _} and {@code .}}
   */
  String id();

  /**
   * {@return the provider's name as the OpenTelemetry GenAI conventions spell it ({@code
   * gen_ai.provider.name}): {@code openai}, {@code azure.ai.openai}, {@code anthropic}, {@code
   * gcp.gemini}, or a configured name for other servers} Defaults to {@link #id()}.
   */
  default String providerName() {
    return id();
  }

  /**
   * {@return the address the provider sends calls to, when it has one (an HTTP provider's base
   * URL); telemetry reports its host and port as {@code server.address} and {@code server.port}}
   * Never includes credentials. Defaults to empty.
   */
  default Optional<URI> endpoint() {
    return Optional.empty();
  }

  /** Releases the provider's resources (connection pools, threads). The default does nothing. */
  @Override
  default void close() {}
}
