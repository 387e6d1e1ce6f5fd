package dev.aigw.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A companion to {@link ProviderOverheadBenchmark} for ratios near 1: one client, one kind of call,
 * in a JVM of its own, reporting per call the wall time, the calling thread's CPU time and the whole
 * process's CPU time (server included, the same for every client). CPU time is steadier than wall
 * time on a small shared machine; alternate clients across several JVMs and compare means.
 *
 * <pre>
 * java -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.ProviderOverheadCpu floor blocking
 * java -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.ProviderOverheadCpu aigwProvider first
 * </pre>
 *
 * Clients: {@code floor}, {@code aigwProvider}, {@code aigwGateway}, {@code openaiSdk}, {@code
 * langchain4j}; calls: {@code blocking}, {@code first}, {@code full}. {@code -Dwarm=N} (20,000) calls
 * warm up, then three rounds of {@code -Dn=N} (20,000) calls are measured. {@code -Dout=FILE} writes the
 * rounds to FILE as JSON too.
 */
public final class ProviderOverheadCpu {
  private ProviderOverheadCpu() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ProviderOverheadCpu CLIENT blocking|first|full");
      System.exit(2);
    }
    String name = args[0];
    String kind = args[1];
    int warm = Integer.getInteger("warm", 20_000);
    int n = Integer.getInteger("n", 20_000);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (ChatCompletionsServer server = ChatCompletionsServer.start();
        BenchClient client = ProviderOverheadBenchmark.newClient(name, server.baseUrl())) {
      ProviderOverheadBenchmark.check(client);
      Supplier<String> call = switch (kind) {
        case "blocking" -> client::blocking;
        case "first" -> client::streamFirstChunk;
        case "full" -> client::streamFull;
        default -> throw new IllegalArgumentException("unknown call " + kind);
      };
      for (int i = 0; i < warm; i++) {
        call.get();
      }
      List<Map<String, Object>> rounds = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        long w0 = System.nanoTime();
        long t0 = threads.getCurrentThreadCpuTime();
        long p0 = os.getProcessCpuTime();
        for (int i = 0; i < n; i++) {
          call.get();
        }
        long w = System.nanoTime() - w0;
        long t = threads.getCurrentThreadCpuTime() - t0;
        long p = os.getProcessCpuTime() - p0;
        System.out.printf("%s %s wall %.1f us  threadCpu %.1f us  processCpu %.1f us%n",
            name, kind, w / 1e3 / n, t / 1e3 / n, p / 1e3 / n);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("wallUs", w / 1e3 / n);
        r.put("threadCpuUs", t / 1e3 / n);
        r.put("processCpuUs", p / 1e3 / n);
        rounds.add(r);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("harness", "ProviderOverheadCpu");
      out.put("client", name);
      out.put("call", kind);
      out.put("warm", warm);
      out.put("n", n);
      out.put("rounds", rounds);
      JsonOut.write(out);
    }
  }
}
