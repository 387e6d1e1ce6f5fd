package dev.aigw.otel.internal;

import dev.aigw.api.Provider;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.net.URI;

/**
 * The conventions' view of a provider: its {@code gen_ai.provider.name}, and {@code
 * server.address} / {@code server.port} from its endpoint, as attributes built once.
 *
 * @param name the provider's conventional name
 * @param attributes the name, and the server address and port when the provider has an endpoint
 */
record ProviderInfo(String name, Attributes attributes) {
  static ProviderInfo of(Provider provider, GenAiNames n) {
    AttributesBuilder a = Attributes.builder().put(n.providerName, provider.providerName());
    URI endpoint = provider.endpoint().orElse(null);
    if (endpoint != null && endpoint.getHost() != null) {
      a.put(n.serverAddress, endpoint.getHost());
      long port = endpoint.getPort() >= 0 ? endpoint.getPort()
          : "https".equalsIgnoreCase(endpoint.getScheme()) ? 443
          : "http".equalsIgnoreCase(endpoint.getScheme()) ? 80 : -1;
      if (port > 0) {
        a.put(n.serverPort, port);
      }
    }
    return new ProviderInfo(provider.providerName(), a.build());
  }
}
