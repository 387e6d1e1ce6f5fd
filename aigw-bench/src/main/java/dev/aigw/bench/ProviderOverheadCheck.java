package dev.aigw.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks what {@link ProviderOverheadBenchmark} assumes, for every client, and prints a table:
 * each call returns the canned answer, and after {@code N} calls of one kind, how many TCP
 * connections the server saw (1 means keep-alive works; {@code N} means a new connection per call)
 * and how many sockets the process still holds (a number that grows with {@code N} is a leak).
 *
 * <pre>
 * java -cp aigw-bench/target/benchmarks.jar dev.aigw.bench.ProviderOverheadCheck [N]
 * </pre>
 *
 * With {@code -Dout=FILE} the table is written to FILE as JSON too.
 *
 * Linux only for the socket count ({@code /proc/self/fd}); elsewhere it prints -1.
 */
public final class ProviderOverheadCheck {
  private ProviderOverheadCheck() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    List<String> names = List.of("floor", "aigwProvider", "aigwGateway", "openaiSdk", "langchain4j");
    System.out.printf("%-14s %-26s %8s %12s %16s %14s%n",
        "client", "call", "requests", "new conns", "sockets after", "early closes");
    List<Map<String, Object>> rows = new ArrayList<>();
    try (ChatCompletionsServer server = ChatCompletionsServer.start()) {
      for (String name : names) {
        try (BenchClient client = ProviderOverheadBenchmark.newClient(name, server.baseUrl())) {
          ProviderOverheadBenchmark.check(client);
          rows.add(run(server, client, "blocking", n, client::blocking));
          rows.add(run(server, client, "streamFirstChunk", n, client::streamFirstChunk));
          if (client instanceof FloorClient floor) {
            rows.add(run(server, client, "streamFirstChunkCancelled", n, floor::streamFirstChunkCancelled));
          }
          rows.add(run(server, client, "streamFull", n, client::streamFull));
          System.out.printf("%-14s transport: %s%n", "", client.transport());
        }
      }
    }
    JsonOut.write(Map.of("harness", "ProviderOverheadCheck", "calls", n, "rows", rows));
  }

  private static Map<String, Object> run(ChatCompletionsServer server, BenchClient client, String what, int n,
      Supplier<String> call) throws Exception {
    server.resetCounts();
    for (int i = 0; i < n; i++) {
      call.get();
    }
    // Let closes that another thread finishes (LangChain4j's callbacks, the server's side) land.
    Thread.sleep(200);
    int sockets = sockets();
    System.out.printf("%-14s %-26s %8d %12d %16d %14d%n",
        client.name(), what, server.requests(), server.connections(), sockets, server.earlyCloses());
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("client", client.name());
    row.put("call", what);
    row.put("requests", server.requests());
    row.put("newConnections", server.connections());
    row.put("socketsAfter", sockets);
    row.put("earlyCloses", server.earlyCloses());
    return row;
  }

  /** Open sockets of this process (client and server side), or -1 where /proc is missing. */
  static int sockets() {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    int count = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(fds)) {
      for (Path fd : dir) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            count++;
          }
        } catch (IOException gone) {
          // closed while listing
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return count;
  }
}
