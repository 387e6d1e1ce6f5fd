package dev.aigw.examples;

import dev.aigw.api.ChatRequest;
import dev.aigw.core.AiGateway;
import dev.aigw.providers.pool.InferencePool;
import dev.aigw.providers.pool.Picker;
import dev.aigw.providers.pool.Pickers;
import dev.aigw.testkit.sim.SimulatedInferenceServer;
import dev.aigw.testkit.sim.SimulatedServerStats;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-hosted model on three replicas: three {@link SimulatedInferenceServer}s (vLLM-like
 * servers on loopback ports, with a prefix cache) behind an {@link InferencePool}, called through
 * a gateway. Four assistants, each with its own long system prompt, take turns asking six
 * questions each.
 *
 * <p>With {@link Pickers#prefixAffinity()} (the default) the pool sends each system prompt back to
 * the replica that has it cached, so most prompt tokens are served from the prefix cache. With
 * {@link Pickers#roundRobin()} every assistant's prompt is spread over all replicas and each
 * replica computes it again. The example prints, per replica, the requests it served and its
 * prefix-cache hit rate ({@link SimulatedServerStats#prefixCacheHitRate()}), for both pickers.
 * Which replica a new prompt lands on is a tie between idle replicas, broken at random, so the
 * per-replica counts of prefix affinity vary from run to run; its hit rate does not.
 *
 * <p><b>Run it:</b> {@code ./mvnw -q -pl aigw-examples -am -Dmaven.test.skip -Dexample=SelfHostedPoolExample package}
 */
public final class SelfHostedPoolExample {
  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  private static final int ASSISTANTS = 4;
  private static final int QUESTIONS = 6;

  private SelfHostedPoolExample() {}

  /**
   * One picker's run.
   *
   * @param picker the picker's name
   * @param served requests served by each replica
   * @param hitRate prompt tokens found in the prefix cache over prompt tokens looked up, all replicas
   */
  public record Run(String picker, List<Long> served, double hitRate) {}

  /** Runs the example on standard output. */
  public static void main(String[] args) {
    run(System.out);
  }

  /** Sends the same requests with each picker, printing the replicas' statistics to {@code out}. */
  public static List<Run> run(PrintStream out) {
    out.println(ASSISTANTS + " assistants x " + QUESTIONS + " questions over 3 replicas of " + MODEL);
    return List.of(run(out, "prefixAffinity", Pickers.prefixAffinity()), run(out, "roundRobin", Pickers.roundRobin()));
  }

  private static Run run(PrintStream out, String name, Picker picker) {
    List<SimulatedInferenceServer> replicas = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        // time runs 50x faster than on a GPU; answers of 8 tokens
        replicas.add(SimulatedInferenceServer.builder().model(MODEL).timeScale(50).defaultOutputTokens(8).seed(i).start());
      }
      InferencePool pool = InferencePool.builder()
          .id("llama").providerName("vllm")
          .replicas(replicas.stream().map(SimulatedInferenceServer::baseUrl).toArray(String[]::new))
          .picker(picker)
          .build();
      // Read every replica's load now, as a running service would have: until its first scrape
      // (1 s after start) a replica's load is unknown, and the picker prefers known idle replicas.
      pool.scrapeNow();
      try (AiGateway gateway = AiGateway.builder().provider(pool).build()) {   // closing it closes the pool
        for (int q = 0; q < QUESTIONS; q++) {
          for (int a = 0; a < ASSISTANTS; a++) {
            gateway.chat(ChatRequest.builder().model("llama/" + MODEL)
                .system(("You are assistant " + a + " of the help desk. Answer briefly, politely and in English. ").repeat(30))
                .user("Question " + q + " for assistant " + a + "?")
                .build());
          }
        }
      }
      List<Long> served = new ArrayList<>();
      long hits = 0;
      long queried = 0;
      out.println(name + ":");
      for (int i = 0; i < replicas.size(); i++) {
        SimulatedServerStats stats = replicas.get(i).stats();
        served.add(stats.requestsServed());
        hits += stats.prefixCacheHitTokens();
        queried += stats.prefixCacheQueryTokens();
        out.printf("  replica %d: %2d requests, prefix-cache hit rate %3.0f%%%n",
            i + 1, stats.requestsServed(), 100 * stats.prefixCacheHitRate());
      }
      double hitRate = queried == 0 ? 0 : (double) hits / queried;
      out.printf("  all replicas: %.0f%% of prompt tokens served from the prefix cache%n", 100 * hitRate);
      return new Run(name, served, hitRate);
    } finally {
      replicas.forEach(SimulatedInferenceServer::close);
    }
  }
}
