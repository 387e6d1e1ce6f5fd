package dev.aigw.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SimulatedServerFailureTest {

  private static SimulatedInferenceServer.Builder sim() {
    return SimulatedInferenceServer.builder().timeScale(50).defaultOutputTokens(8);
  }

  @Test
  void failNextAnswersWithTheStatusThenServesAgain() {
    try (SimulatedInferenceServer sim = sim().start()) {
      SimClient client = new SimClient(sim);
      sim.failNext(2, 429);

      SimClient.Answer first = client.post("/v1/chat/completions", SimClient.chat("hi"));
      SimClient.Answer second = client.post("/v1/chat/completions", SimClient.chat("hi"));
      SimClient.Answer third = client.post("/v1/chat/completions", SimClient.chat("hi"));

      assertThat(first.status()).isEqualTo(429);
      assertThat(first.header("retry-after")).isEqualTo("1");
      JsonNode error = first.json().path("error");
      assertThat(error.path("message").asText()).isNotBlank();
      assertThat(error.path("type").asText()).isEqualTo("RateLimitError");
      assertThat(error.path("code").asInt()).isEqualTo(429);
      assertThat(second.status()).isEqualTo(429);
      assertThat(third.status()).isEqualTo(200);
      assertThat(sim.stats().requestsFailed()).isEqualTo(2);
      assertThat(sim.stats().requestsServed()).isEqualTo(1);
    }
  }

  @Test
  void errorRateFailsThatShareOfRequests() {
    try (SimulatedInferenceServer sim = sim().errorRate(1.0, 503).start()) {
      SimClient client = new SimClient(sim);
      SimClient.Answer failed = client.post("/v1/chat/completions", SimClient.chat("hi"));
      assertThat(failed.status()).isEqualTo(503);
      assertThat(failed.json().path("error").path("type").asText()).isEqualTo("ServiceUnavailableError");

      sim.errorRate(0.5, 500);
      int errors = 0;
      for (int i = 0; i < 40; i++) {
        int status = client.post("/v1/embeddings", SimClient.MAPPER.createObjectNode().put("input", "x")).status();
        assertThat(status).isIn(200, 500);
        errors += status == 500 ? 1 : 0;
      }
      assertThat(errors).isBetween(5, 35);

      sim.errorRate(0, 500);
      assertThat(client.post("/v1/chat/completions", SimClient.chat("hi")).status()).isEqualTo(200);
    }
  }

  @Test
  void failNextMidStreamCutsTheConnectionAfterThatManyEvents() throws Exception {
    try (SimulatedInferenceServer sim = sim().defaultOutputTokens(50).start()) {
      sim.failNextMidStream(3);
      ObjectNode body = SimClient.chat("cut me");
      body.put("stream", true);

      // a raw socket shows exactly what the server sent before it closed the connection
      String raw;
      try (Socket socket = new Socket("127.0.0.1", sim.port())) {
        byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: sim\r\ncontent-type: application/json\r\n"
            + "content-length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(json);
        out.flush();
        raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }

      assertThat(raw).startsWith("HTTP/1.1 200 OK").contains("transfer-encoding: chunked");
      List<String> events = raw.lines().filter(l -> l.startsWith("data: ")).toList();
      assertThat(events).hasSize(3).noneMatch(e -> e.contains("[DONE]"));
      assertThat(raw).doesNotEndWith("0\r\n\r\n"); // no last chunk: the body is truncated
      SimClient.await("the cut request is aborted", () -> sim.stats().requestsAborted() == 1);
      assertThat(sim.records()).singleElement().satisfies(r -> assertThat(r.finishReason()).isEqualTo("abort"));

      // an HTTP client reports the truncated body as an error
      sim.failNextMidStream(3);
      HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
          .timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
          .build();
      assertThatThrownBy(() -> SimClient.send(request)).hasRootCauseInstanceOf(java.io.IOException.class);

      // the next stream is whole again
      List<String> whole = new SimClient(sim).post("/v1/chat/completions", body).events();
      assertThat(whole.get(whole.size() - 1)).isEqualTo("[DONE]");
    }
  }

  @Test
  void hangNextHoldsTheRequestUntilReleased() throws Exception {
    try (SimulatedInferenceServer sim = sim().start()) {
      SimClient client = new SimClient(sim);
      sim.hangNext();

      assertThatThrownBy(() -> client.post("/v1/chat/completions", SimClient.chat("hang").toString(),
          Duration.ofMillis(300)))
          .isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(java.net.http.HttpTimeoutException.class);

      sim.hangNext();
      CompletableFuture<SimClient.Answer> hung = CompletableFuture.supplyAsync(
          () -> client.post("/v1/chat/completions", SimClient.chat("hang").toString(), Duration.ofSeconds(30)));
      assertThatThrownBy(() -> hung.get(100, java.util.concurrent.TimeUnit.MILLISECONDS))
          .isInstanceOf(java.util.concurrent.TimeoutException.class);
      sim.releaseHung();
      assertThatThrownBy(hung::join).hasRootCauseInstanceOf(java.io.IOException.class);

      assertThat(client.post("/v1/chat/completions", SimClient.chat("fine")).status()).isEqualTo(200);
    }
  }

  @Test
  void stallDelaysEveryRequestBySimulatedTime() {
    try (SimulatedInferenceServer sim = sim().start()) {
      SimClient client = new SimClient(sim);
      Duration stallStart = sim.stats().simulatedTime();
      sim.stall(Duration.ofSeconds(3));

      String id = client.post("/v1/chat/completions", SimClient.chat("slow")).json().path("id").asText();

      SimulatedRequestRecord slow = sim.record(id).orElseThrow();
      assertThat(slow.arrivedAt().plus(slow.timeToFirstToken())).isGreaterThanOrEqualTo(stallStart.plusSeconds(3));
      String after = client.post("/v1/chat/completions", SimClient.chat("fast")).json().path("id").asText();
      assertThat(sim.record(after).orElseThrow().timeToFirstToken()).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void stopRefusesConnectionsAndRestartServesOnTheSamePort() {
    try (SimulatedInferenceServer sim = sim().start()) {
      SimClient client = new SimClient(sim);
      int port = sim.port();
      assertThat(client.post("/v1/chat/completions", SimClient.chat("before")).status()).isEqualTo(200);
      assertThat(sim.stats().requestsServed()).isEqualTo(1);

      sim.stop();

      assertThat(sim.isRunning()).isFalse();
      assertThatThrownBy(() -> client.get("/health")).isInstanceOf(UncheckedIOException.class);

      sim.restart();

      assertThat(sim.isRunning()).isTrue();
      assertThat(sim.port()).isEqualTo(port);
      assertThat(sim.stats().requestsServed()).isZero();
      assertThat(client.get("/health").status()).isEqualTo(200);
      assertThat(client.post("/v1/chat/completions", SimClient.chat("after")).status()).isEqualTo(200);
      assertThat(sim.records()).hasSize(2);
    }
  }

  @Test
  void stopResetsInFlightStreams() throws Exception {
    try (SimulatedInferenceServer sim = sim().timeScale(5).defaultOutputTokens(500).start()) {
      ObjectNode body = SimClient.chat("long");
      body.put("stream", true);
      CompletableFuture<SimClient.Answer> call =
          CompletableFuture.supplyAsync(() -> new SimClient(sim).post("/v1/chat/completions", body));
      SimClient.await("the stream runs", () -> sim.stats().running() == 1);

      sim.stop();

      assertThatThrownBy(call::join).hasRootCauseInstanceOf(java.io.IOException.class);
      assertThat(sim.stats().requestsAborted()).isEqualTo(1);
    }
  }

  @Test
  void builderRejectsContradictions() {
    assertThatThrownBy(() -> SimulatedInferenceServer.builder().timeScale(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeScale");
    assertThatThrownBy(() -> SimulatedInferenceServer.builder().maxBatchSize(64).maxBatchedTokens(32).start())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatchedTokens");
    assertThatThrownBy(() -> SimulatedInferenceServer.builder().kvCacheBlocks(100).start())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxModelLen");
    assertThatThrownBy(() -> SimulatedInferenceServer.builder().loraAdapters("m").model("m").start())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatedInferenceServer.builder().errorRate(1.5, 503))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatedInferenceServer.builder().errorRate(0.5, 200))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SimulatedInferenceServer.builder().interTokenLatency(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
