package dev.aigw.otel.internal;

import dev.aigw.api.Provider;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * The conventions' view of a provider: its {@code gen_ai.provider.name} and where its server is
 * ({@code server.address}, and {@code server.port}, or -1 when unknown).
 */
record ProviderInfo(String name, @Nullable String address, long port) {
  static ProviderInfo of(Provider provider) {
    URI endpoint = provider.endpoint().orElse(null);
    String host = endpoint == null ? null : endpoint.getHost();
    long port = -1;
    if (host != null) {
      port = endpoint.getPort() >= 0 ? endpoint.getPort()
          : "https".equalsIgnoreCase(endpoint.getScheme()) ? 443
          : "http".equalsIgnoreCase(endpoint.getScheme()) ? 80 : -1;
    }
    return new ProviderInfo(provider.providerName(), host, port);
  }
}
