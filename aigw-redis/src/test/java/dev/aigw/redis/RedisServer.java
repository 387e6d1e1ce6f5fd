package dev.aigw.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} from the PATH, on a free loopback port, for tests: started, killed
 * (SIGKILL, as a crash) and restarted on the same port. Without redis-server the tests that use
 * it are skipped, except under CI (the {@code CI} variable set), where that is an error: {@code
 * .ci/run} installs it.
 *
 * <p>Public, with {@link #start()}, {@link #uri()} and {@link #close()}, for the integration tests
 * in {@code src-it}, which get it from this module's test-jar.
 */
public final class RedisServer implements AutoCloseable {
  private static volatile boolean warned;
  private final Path binary;
  private final Path dir;
  private final int port;
  private final boolean persistent;
  private final boolean cluster;
  private Process process;

  private RedisServer(Path binary, Path dir, int port, boolean persistent, boolean cluster) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.persistent = persistent;
    this.cluster = cluster;
  }

  /** A server without persistence: a restart starts empty. */
  public static RedisServer start() {
    return start(false);
  }

  /**
   * A server; with {@code persistent} it writes every command to an append-only file before
   * answering, so a restart after a kill keeps every acknowledged write (as a production Redis
   * with {@code appendfsync always} would).
   */
  static RedisServer start(boolean persistent) {
    return start(persistent, false);
  }

  /**
   * A one-node Redis Cluster holding every slot: it rejects a command whose keys hash to
   * different slots (CROSSSLOT), as a real cluster does, so it checks the stores' hash tags.
   */
  static RedisServer startCluster() {
    RedisServer server = start(false, true);
    server.command("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
    dev.aigw.core.Driver.awaitTrue("the one-node cluster is ready", () -> server.command("CLUSTER", "INFO").equals("cluster_state:ok"));
    return server;
  }

  private static RedisServer start(boolean persistent, boolean cluster) {
    Path binary = find();
    try {
      Path dir = Files.createTempDirectory("aigw-redis-test");
      RedisServer server = new RedisServer(binary, dir, freePort(), persistent, cluster);
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path find() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String message = "redis-server is not on the PATH, so the Redis tests cannot run; install it (apt-get install redis-server)";
    if (System.getenv("CI") != null) {
      throw new IllegalStateException(message + ". Under CI this is an error: .ci/run installs it.");
    }
    if (!warned) {
      warned = true;
      System.err.println("[aigw-redis tests] " + message + " to run them. Skipped.");
    }
    Assumptions.abort(message + " to run them. Skipped.");
    throw new AssertionError("unreachable");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** {@code redis://127.0.0.1:port}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Kills the server as a crash would (SIGKILL) and waits until it is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port (with its data when persistent). */
  void restart() {
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one command and returns the first line of the reply (for FLUSHALL, CONFIG SET, INFO fields). */
  String command(String... args) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      socket.setSoTimeout(5_000);
      StringBuilder out = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        out.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
      }
      OutputStream os = socket.getOutputStream();
      os.write(out.toString().getBytes(StandardCharsets.UTF_8));
      os.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String first = in.readLine();
      if (first != null && first.startsWith("$") && !first.equals("$-1")) {
        return in.readLine();
      }
      return first;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A field of {@code INFO} as a number, such as {@code total_commands_processed}. */
  long info(String section, String field) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("*2\r\n$4\r\nINFO\r\n$" + section.length() + "\r\n" + section + "\r\n").getBytes(StandardCharsets.UTF_8));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      int length = Integer.parseInt(in.readLine().substring(1));
      char[] body = new char[length];
      int read = 0;
      while (read < length) {
        int r = in.read(body, read, length - read);
        if (r < 0) {
          break;
        }
        read += r;
      }
      for (String line : new String(body, 0, read).split("\r\n")) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim());
        }
      }
      throw new IllegalArgumentException("no INFO field " + field);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    kill();
  }

  private void launch() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(binary.toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--save", "", "--daemonize", "no", "--logfile", "", "--protected-mode", "yes"));
    if (cluster) {
      cmd.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString(),
          "--cluster-announce-ip", "127.0.0.1"));
    }
    if (persistent) {
      cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
    } else {
      cmd.addAll(List.of("--appendonly", "no"));
    }
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    InputStream out = process.getInputStream();
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    StringBuilder log = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!ready.isDone()) {
            log.append(line).append('\n');
            if (line.contains("Ready to accept connections")) {
              ready.complete(true);
            }
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
      ready.complete(false);
    }, "redis-server-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      if (!ready.get(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server did not start:\n" + log);
      }
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + log, e);
    }
  }
}
