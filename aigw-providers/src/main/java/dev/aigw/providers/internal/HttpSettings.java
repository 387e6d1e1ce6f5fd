package dev.aigw.providers.internal;

import java.time.Duration;
import java.util.Map;

/**
 * Timeouts and extra headers of one provider.
 *
 * @param connectTimeout connect timeout
 * @param readTimeout longest silence while reading
 * @param callTimeout longest whole call; zero for none
 * @param headers sent with every request
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, Duration callTimeout, Map<String, String> headers) {}
