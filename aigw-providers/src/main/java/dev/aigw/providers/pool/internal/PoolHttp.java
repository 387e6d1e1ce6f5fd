package dev.aigw.providers.pool.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/** The pool's own GETs to replicas: health, metrics and model lists, with a short timeout. */
public final class PoolHttp {
  private static final long MAX_BODY = 4L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OkHttpClient client;

  /** @param timeout the longest one check may take */
  public PoolHttp(Duration timeout) {
    this.client = new OkHttpClient.Builder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout).build();
  }

  /** The status of a GET of {@code url}, or 0 when it failed to answer. */
  public int status(URI url) {
    try (Response response = client.newCall(new Request.Builder().url(url.toString()).get().build()).execute()) {
      return response.code();
    } catch (IOException | IllegalArgumentException e) {
      return 0;
    }
  }

  /** The body of a successful GET of {@code url} (at most 4 MB), or null. */
  public @Nullable String text(URI url) {
    try (Response response = client.newCall(new Request.Builder().url(url.toString()).get().build()).execute()) {
      if (!response.isSuccessful()) {
        return null;
      }
      BufferedSource source = response.body().source();
      source.request(MAX_BODY);
      return source.getBuffer().readUtf8(Math.min(source.getBuffer().size(), MAX_BODY));
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Closes the idle connections the checks keep alive; for when the pool closes (they would
   * otherwise stay open to the replicas for OkHttp's five-minute keep-alive).
   */
  public void close() {
    client.connectionPool().evictAll();
  }

  /** The model ids of an OpenAI-style {@code /v1/models} list, or null when it could not be read. */
  public @Nullable Set<String> models(URI url) {
    String body = text(url);
    if (body == null) {
      return null;
    }
    try {
      JsonNode data = JSON.readTree(body).path("data");
      if (!data.isArray()) {
        return null;
      }
      Set<String> ids = new LinkedHashSet<>();
      for (JsonNode model : data) {
        String id = model.path("id").asText("");
        if (!id.isEmpty()) {
          ids.add(id);
        }
      }
      return ids;
    } catch (IOException e) {
      return null;
    }
  }
}
