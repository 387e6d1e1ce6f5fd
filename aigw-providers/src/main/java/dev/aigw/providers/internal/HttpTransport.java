package dev.aigw.providers.internal;

import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ProviderException;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * One provider's HTTP layer: posts JSON, honours the call's cancellation token (a fired token
 * cancels the HTTP call, so the deadline bounds every timeout), maps failures through {@link
 * ErrorMapping}, and opens event streams. All providers share one connection pool and dispatcher.
 */
public final class HttpTransport {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final long MAX_BODY = 32L * 1024 * 1024;
  private static final OkHttpClient SHARED = new OkHttpClient.Builder().build();

  private final String provider;
  private final OkHttpClient client;
  private final Headers headers;
  private final @Nullable Supplier<String> secret;
  private final dev.aigw.providers.@Nullable ResponseObserver observer;

  /**
   * @param provider the provider id, for messages
   * @param settings timeouts and extra headers
   * @param secret where to get the credential, or null when there is none
   */
  public HttpTransport(String provider, HttpSettings settings, @Nullable Supplier<String> secret) {
    this.provider = provider;
    this.client = SHARED.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.readTimeout())
        .callTimeout(settings.callTimeout())
        .build();
    Headers.Builder h = new Headers.Builder();
    for (Map.Entry<String, String> e : settings.headers().entrySet()) {
      h.add(e.getKey(), e.getValue());
    }
    this.headers = h.build();
    this.secret = secret;
    this.observer = settings.observer();
  }

  /**
   * {@code baseUrl} as a provider's {@link dev.aigw.api.Provider#endpoint()}: scheme, host, port
   * and path, without user info, query or fragment (which could carry a credential).
   */
  public static java.net.URI endpoint(String baseUrl) {
    java.net.URI uri = java.net.URI.create(baseUrl);
    try {
      return new java.net.URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + uri.getHost(), e);
    }
  }

  /** The current credential, or null when the provider has none configured. */
  public @Nullable String secret() {
    if (secret == null) {
      return null;
    }
    String value = secret.get();
    if (value == null || value.isBlank()) {
      throw new ProviderException(provider, 0, false, "provider '" + provider + "' has no API key: its key supplier returned nothing");
    }
    return value;
  }

  /**
   * Posts {@code body} as JSON and reads the answer as {@code type}.
   *
   * @param url where to post
   * @param auth the credential headers for this request
   * @param key the credential in use (redacted from error messages), or null
   */
  public <T> T postJson(String url, Headers auth, @Nullable String key, Object body, CallContext context, Class<T> type) {
    Exchange exchange = open(url, auth, key, body, context, false);
    try (Response response = exchange.response) {
      BufferedSource source = response.body().source();
      if (source.request(MAX_BODY + 1)) {
        throw ErrorMapping.malformed(provider, response.code(), "a body larger than " + MAX_BODY + " bytes", null);
      }
      byte[] bytes = source.readByteArray();
      try {
        T value = Json.read(bytes, type);
        if (value == null) {
          throw ErrorMapping.malformed(provider, response.code(), "the body is JSON null", null);
        }
        return value;
      } catch (IOException e) {
        throw ErrorMapping.malformed(provider, response.code(), "body is not the documented JSON (" + e.getClass().getSimpleName() + ")", e);
      }
    } catch (IOException e) {
      throw failure(e, context);
    } finally {
      exchange.release();
    }
  }

  /** Posts {@code body} and returns the event stream, decoded by {@code decoder}. */
  public ChatStream postStream(String url, Headers auth, @Nullable String key, Object body, CallContext context, StreamDecoder decoder) {
    Exchange exchange = open(url, auth, key, body, context, true);
    return ChatStream.of(new EventStreamSource(
        provider, exchange.call, exchange.response, decoder, context.cancellation().orElse(null), exchange.registration));
  }

  /**
   * What {@link #exchange} got back: the status, the headers and the body (at most 32 MiB).
   *
   * @param status the HTTP status
   * @param headers the response headers
   * @param body the body bytes; empty when there was none
   */
  public record Answer(int status, Headers headers, byte[] body) {
    /** Whether the status is 2xx. */
    public boolean isSuccessful() {
      return status >= 200 && status < 300;
    }
  }

  /**
   * Sends one request and returns the answer whatever its status, for callers that read the
   * status themselves (health probes, protocols with their own error bodies). Cancellation and
   * transport failures are handled as in {@link #postJson}.
   *
   * @param method {@code GET} or {@code POST}
   * @param url where to send it
   * @param auth the credential headers for this request
   * @param body the JSON body for a POST, or null for none
   * @param context the call's context; its cancellation token cancels the HTTP call
   */
  public Answer exchange(String method, String url, Headers auth, @Nullable Object body, CallContext context) {
    Request request = new Request.Builder()
        .url(url)
        .headers(headers)
        .headers(merge(auth))
        .header("Accept", "application/json")
        .method(method, body == null ? null : RequestBody.create(Json.write(body), JSON))
        .build();
    Call call = client.newCall(request);
    CancellationToken token = context.cancellation().orElse(null);
    CancellationToken.Registration registration = token == null ? null : token.onCancel(call::cancel);
    try (Response response = call.execute()) {
      BufferedSource source = response.body().source();
      if (source.request(MAX_BODY + 1)) {
        throw ErrorMapping.malformed(provider, response.code(), "a body larger than " + MAX_BODY + " bytes", null);
      }
      return new Answer(response.code(), response.headers(), source.readByteArray());
    } catch (IOException e) {
      throw failure(e, context);
    } finally {
      if (registration != null) {
        registration.close();
      }
    }
  }

  private record Exchange(Call call, Response response, CancellationToken.@Nullable Registration registration) {
    void release() {
      if (registration != null) {
        registration.close();
      }
    }
  }

  private Exchange open(String url, Headers auth, @Nullable String key, Object body, CallContext context, boolean stream) {
    Request request = new Request.Builder()
        .url(url)
        .headers(headers)
        .headers(merge(auth))
        .header("Accept", stream ? "text/event-stream" : "application/json")
        .post(RequestBody.create(Json.write(body), JSON))
        .build();
    Call call = client.newCall(request);
    CancellationToken token = context.cancellation().orElse(null);
    CancellationToken.Registration registration = token == null ? null : token.onCancel(call::cancel);
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      if (registration != null) {
        registration.close();
      }
      throw failure(e, context);
    }
    if (observer != null) {
      try {
        observer.observe(response.code(), response::header);
      } catch (RuntimeException ignored) {
        // an observer must not break the call
      }
    }
    if (!response.isSuccessful()) {
      try (response) {
        String raw = readSome(response);
        ErrorBody parsed = null;
        try {
          parsed = Json.read(raw, ErrorBody.class);
        } catch (IOException notJson) {
          parsed = null;
        }
        throw ErrorMapping.fromResponse(provider, response.code(), response.headers(), parsed, raw, key, Instant.now());
      } finally {
        if (registration != null) {
          registration.close();
        }
      }
    }
    return new Exchange(call, response, registration);
  }

  private Headers merge(Headers auth) {
    if (headers.size() == 0) {
      return auth;
    }
    return headers.newBuilder().addAll(auth).build();
  }

  private static String readSome(Response response) {
    try {
      BufferedSource source = response.body().source();
      source.request(64 * 1024);
      return source.getBuffer().readUtf8(Math.min(source.getBuffer().size(), 64 * 1024));
    } catch (IOException e) {
      return "";
    }
  }

  private RuntimeException failure(IOException e, CallContext context) {
    CancellationToken token = context.cancellation().orElse(null);
    if (token != null && token.reason().isPresent()) {
      return token.reason().get();
    }
    return ErrorMapping.fromIo(provider, e);
  }

  /**
   * Nothing to release: the connection pool and dispatcher are shared by every provider, so
   * closing one provider must not drop the others' connections.
   */
  public void close() {
    // the shared pool and dispatcher outlive any one provider
  }
}
