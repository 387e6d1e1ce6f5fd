package dev.aigw.providers;

import dev.aigw.providers.internal.HttpSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What every HTTP provider builder shares: id, base URL, credentials, timeouts and extra headers.
 * Each setter checks its argument at once: {@code null} gives a {@link NullPointerException}
 * naming it, any other bad value an {@link IllegalArgumentException}.
 *
 * <p>Subclasses read the configured values ({@link #configuredId()}, {@link #httpSettings()}, ...)
 * in their {@code build()} method and hand them to the provider: the accessors are protected, so
 * only the builder itself can call them.
 *
 * <p>Credentials come from a {@link Supplier} asked on every request, so a rotated key is picked
 * up without rebuilding the provider. They never appear in {@code toString()}, exceptions or
 * logs.
 *
 * @param <B> the concrete builder
 */
public abstract class HttpProviderBuilder<B extends HttpProviderBuilder<B>> {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private String id;
  private String baseUrl;
  private @Nullable ResponseObserver observer;
  private @Nullable Supplier<String> apiKey;
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Duration readTimeout = Duration.ofSeconds(120);
  private Duration callTimeout = Duration.ZERO;
  private final Map<String, String> headers = new LinkedHashMap<>();

  /**
   * @param id the default provider id
   * @param baseUrl the default base URL
   */
  protected HttpProviderBuilder(String id, String baseUrl) {
    this.id = id;
    this.baseUrl = baseUrl;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * The id targets use ({@code "id/model"}): lower-case letters, digits, '.', '_' and '-'.
   *
   * @param id the provider id
   * @return this builder
   * @throws IllegalArgumentException when the id has other characters
   */
  public B id(String id) {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("id must be lower-case letters, digits, '.', '_' or '-', was '" + id + "'");
    }
    this.id = id;
    return self();
  }

  /**
   * The base URL requests go to (for example {@code http://localhost:8000/v1} for a local vLLM).
   *
   * @param baseUrl the base URL requests go to (for example {@code http://localhost:8000/v1} for a
   *     local vLLM)
   * @return this builder
   * @throws IllegalArgumentException when it is not an absolute http(s) URL
   */
  public B baseUrl(String baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("baseUrl is not a URL: '" + baseUrl + "'", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException("baseUrl must be an absolute http or https URL, was '" + baseUrl + "'");
    }
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return self();
  }

  /**
   * A fixed API key. Prefer {@link #apiKey(Supplier)} when keys rotate.
   *
   * @param apiKey a fixed API key
   * @return this builder
   */
  public B apiKey(String apiKey) {
    Objects.requireNonNull(apiKey, "apiKey");
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    return apiKey(() -> apiKey);
  }

  /**
   * Where to get the API key; asked on every request.
   *
   * @param apiKey where to get the API key; asked on every request
   * @return this builder
   */
  public B apiKey(Supplier<String> apiKey) {
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    return self();
  }

  /**
   * How long to wait for a connection; 10 s by default.
   *
   * @param timeout the connect timeout
   * @return this builder
   */
  public B connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connectTimeout");
    return self();
  }

  /**
   * The longest silence while reading a response (for streams: between two events); 120 s by
   * default.
   *
   * @param timeout the read timeout
   * @return this builder
   */
  public B readTimeout(Duration timeout) {
    this.readTimeout = positive(timeout, "readTimeout");
    return self();
  }

  /**
   * The longest a whole call may take, streams included. None by default: a whole call is
   * bounded by its own deadline ({@code CallContext} timeout or deadline, which cancels the HTTP
   * call), and silence by {@link #readTimeout}. Setting one adds a timer to every call (about
   * 9 µs measured on loopback).
   *
   * @param timeout the call timeout
   * @return this builder
   */
  public B callTimeout(Duration timeout) {
    this.callTimeout = positive(timeout, "callTimeout");
    return self();
  }

  /**
   * Adds a header sent with every request (for example an organisation or project id). Do not
   * pass credentials here; use {@link #apiKey(Supplier)}.
   *
   * @param name the header's name
   * @param value its value
   * @return this builder
   */
  public B header(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isBlank()) {
      throw new IllegalArgumentException("header name must not be blank");
    }
    headers.put(name, value);
    return self();
  }

  /**
   * Observes the status and headers of every response (for example ORCA load reports or
   * rate-limit headers); see {@link ResponseObserver}.
   *
   * @param observer told of every response's status and headers
   * @return this builder
   */
  public B observeResponses(ResponseObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    return self();
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }

  /** {@return the configured id} */
  protected final String configuredId() {
    return id;
  }

  /** {@return the configured base URL, without a trailing slash} */
  protected final String configuredBaseUrl() {
    return baseUrl;
  }

  /** {@return the configured key supplier, if any} */
  protected final @Nullable Supplier<String> configuredApiKey() {
    return apiKey;
  }

  /** {@return the settings for the HTTP layer} */
  protected final HttpSettings httpSettings() {
    return new HttpSettings(connectTimeout, readTimeout, callTimeout, Map.copyOf(headers), observer);
  }
}
