package dev.aigw.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Counts the commands clients send to a {@link RedisServer} — its round trips — with {@code
 * MONITOR}. Unlike {@code INFO stats total_commands_processed}, which also counts every command
 * a Lua script runs, MONITOR tags those {@code lua}, so they can be left out. An {@code ECHO} of
 * a unique marker, sent after the operation, tells when every command it sent has been seen
 * (MONITOR reports commands in the order the server runs them).
 */
final class RedisMonitor implements AutoCloseable {
  private final RedisServer server;
  private final Socket socket;
  private final BufferedReader in;

  RedisMonitor(RedisServer server) {
    this.server = server;
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2_000);
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write("*1\r\n$7\r\nMONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String ok = in.readLine();
      if (!"+OK".equals(ok)) {
        throw new IllegalStateException("MONITOR answered " + ok);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code operation} and returns the names (upper case) of the commands clients sent while
   * it ran, in order, without those run by scripts and without this monitor's markers.
   */
  List<String> commandsDuring(Runnable operation) {
    sync();
    operation.run();
    return sync();
  }

  /** Reads until a fresh marker, returning the client commands seen before it. */
  private List<String> sync() {
    String marker = "aigw-monitor-" + UUID.randomUUID();
    server.command("ECHO", marker);
    List<String> seen = new ArrayList<>();
    try {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.contains(marker)) {
          return seen;
        }
        int close = line.indexOf("] \"");
        if (close < 0 || line.substring(0, close).endsWith(" lua")) {
          continue;
        }
        int start = close + 3;
        seen.add(line.substring(start, line.indexOf('"', start)).toUpperCase(Locale.ROOT));
      }
      throw new IllegalStateException("MONITOR ended");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
