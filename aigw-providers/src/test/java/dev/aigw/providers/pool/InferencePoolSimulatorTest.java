package dev.aigw.providers.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Message;
import dev.aigw.testkit.sim.SimulatedInferenceServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool against simulated vLLM replicas: affinity shows in cached tokens, load reports, failures. */
class InferencePoolSimulatorTest {
  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  private static final Picker FIRST = (request, candidates) -> candidates.get(0);
  private final List<SimulatedInferenceServer> sims = new ArrayList<>();

  private InferencePool.Builder pool(int replicas) {
    String[] urls = new String[replicas];
    for (int i = 0; i < replicas; i++) {
      SimulatedInferenceServer sim = SimulatedInferenceServer.builder().model(MODEL).loraAdapters("sql-lora").timeScale(50)
          .defaultOutputTokens(8).seed(i).start();
      sims.add(sim);
      urls[i] = sim.baseUrl();
    }
    return InferencePool.builder().replicas(urls).healthCheck("/health", Duration.ZERO)
        .metrics("/metrics", Duration.ZERO, Duration.ofMinutes(1));
  }

  @AfterEach
  void stop() {
    sims.forEach(SimulatedInferenceServer::close);
  }

  private static ChatRequest tenantQuestion(int tenant, String question) {
    return ChatRequest.builder().model(MODEL).messages(List.of(
        Message.system(("You are the assistant of tenant " + tenant + ". Answer briefly and politely. ").repeat(40)),
        Message.user(question))).build();
  }

  @Test
  void prefixAffinitySendsATenantsRequestsToTheReplicaThatHasItsPromptCached() {
    try (InferencePool pool = pool(3).build()) {
      List<ChatResponse> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(pool.chat(tenantQuestion(1, "question " + i), CallContext.empty()));
      }
      long replicasUsed = sims.stream().filter(s -> s.stats().requestsServed() > 0).count();
      assertThat(replicasUsed).as("one tenant's prefix stays on one replica").isEqualTo(1);
      assertThat(answers.subList(1, 6)).allSatisfy(a ->
          assertThat(a.usage().orElseThrow().cachedInputTokens()).as("served from the prefix cache").isGreaterThan(400));
    }
  }

  @Test
  void roundRobinSpreadsTheSameRequestsAndMissesTheCache() {
    try (InferencePool pool = pool(3).picker(Pickers.roundRobin()).build()) {
      for (int i = 0; i < 6; i++) {
        pool.chat(tenantQuestion(1, "question " + i), CallContext.empty());
      }
      assertThat(sims).allSatisfy(s -> assertThat(s.stats().requestsServed()).isEqualTo(2));
    }
  }

  @Test
  void scrapedMetricsAndLoraAdaptersComeFromTheReplicas() {
    try (InferencePool pool = pool(2).build()) {
      pool.checkHealthNow();
      pool.scrapeNow();
      assertThat(pool.replicas()).allSatisfy(r -> {
        assertThat(r.load().isKnown()).isTrue();
        assertThat(r.load().waiting()).isZero();
      });
      ChatResponse answer = pool.chat(ChatRequest.of("sql-lora", "select all rows"), CallContext.empty());
      assertThat(answer.model()).isEqualTo("sql-lora");
    }
  }

  @Test
  void aFailureBeforeTheFirstTokenIsRetriedElsewhereButOneAfterItReachesTheCaller() {
    try (InferencePool pool = pool(2).picker(FIRST).build()) {
      sims.get(0).failNext(1, 503);
      assertThat(pool.chat(ChatRequest.of(MODEL, "hello"), CallContext.empty()).text()).isNotEmpty();
      assertThat(sims.get(1).stats().requestsServed()).isEqualTo(1);

      sims.get(0).failNextMidStream(3);
      try (ChatStream stream = pool.stream(ChatRequest.builder().model(MODEL).user("count").maxOutputTokens(30).build(),
          CallContext.empty())) {
        Iterator<dev.aigw.api.ChatChunk> chunks = stream.iterator();
        assertThatThrownBy(() -> {
          while (chunks.hasNext()) {
            chunks.next();
          }
        }).isInstanceOf(AiGatewayException.class);
      }
      assertThat(sims.get(1).stats().requestsServed()).as("not retried after a token was delivered").isEqualTo(1);
      assertThat(pool.replicas()).allSatisfy(r -> assertThat(r.inFlight()).isZero());
    }
  }

  @Test
  void anUnhealthyReplicaIsLeftOutAfterTheNextCheck() {
    try (InferencePool pool = pool(2).picker(FIRST).build()) {
      sims.get(0).markUnhealthy();
      pool.checkHealthNow();
      pool.chat(ChatRequest.of(MODEL, "hello"), CallContext.empty());
      assertThat(sims.get(0).stats().requestsServed()).isZero();
      assertThat(sims.get(1).stats().requestsServed()).isEqualTo(1);
    }
  }
}
