package dev.aigw.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Plain java.net.http calls against a simulated server, for the tests. */
final class SimClient {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .executor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sim-test-client");
        t.setDaemon(true);
        return t;
      }))
      .build();

  private final String baseUrl;

  SimClient(SimulatedInferenceServer server) {
    this.baseUrl = server.baseUrl();
  }

  /** A response: status, headers, body text. */
  record Answer(int status, Map<String, List<String>> headers, String body) {
    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The SSE {@code data:} payloads, in order. */
    List<String> events() {
      return body.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).collect(Collectors.toList());
    }
  }

  static ObjectNode chat(String... userMessages) {
    ObjectNode body = MAPPER.createObjectNode();
    var messages = body.putArray("messages");
    for (String m : userMessages) {
      messages.addObject().put("role", "user").put("content", m);
    }
    return body;
  }

  Answer post(String path, JsonNode body, String... headers) {
    return post(path, body.toString(), Duration.ofSeconds(30), headers);
  }

  Answer post(String path, String body, Duration timeout, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(timeout)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  /** Sends, and throws IOExceptions unchecked (so a test can assert on a broken connection). */
  static Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpClient http() {
    return HTTP;
  }

  /**
   * Spins (yielding, so the server's threads run on a small machine) until {@code condition}
   * holds, as the core tests' {@code Driver.awaitTrue} does; fails after 30 s.
   */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting until " + what);
      }
      Thread.yield();
    }
  }
}
