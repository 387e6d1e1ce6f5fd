package dev.aigw.providers.internal;

import dev.aigw.providers.ResponseObserver;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Map;

/**
 * Timeouts and extra headers of one provider.
 *
 * @param connectTimeout connect timeout
 * @param readTimeout longest silence while reading
 * @param callTimeout longest whole call; zero for none
 * @param headers sent with every request
 * @param observer sees every response's status and headers, or null
 */
public record HttpSettings(
    Duration connectTimeout, Duration readTimeout, Duration callTimeout, Map<String, String> headers,
    @Nullable ResponseObserver observer) {

  /** Settings with no response observer. */
  public HttpSettings(Duration connectTimeout, Duration readTimeout, Duration callTimeout, Map<String, String> headers) {
    this(connectTimeout, readTimeout, callTimeout, headers, null);
  }
}
