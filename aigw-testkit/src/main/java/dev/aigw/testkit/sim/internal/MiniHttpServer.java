package dev.aigw.testkit.sim.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on a loopback port: one thread per connection, keep-alive, request
 * bodies by {@code Content-Length} or chunked, responses with a length or chunked, and {@code
 * TCP_NODELAY} on every connection (the JDK's {@code HttpServer} leaves Nagle's algorithm on,
 * which delays small streamed writes by up to a delayed-ACK timeout — fatal to a latency
 * simulation). Handlers may also cut a connection abruptly (a TCP reset), which the JDK server
 * cannot do.
 */
public final class MiniHttpServer implements AutoCloseable {
  /** Serves one request. It must respond, stream, or {@linkplain HttpExchange#cut() cut}. */
  @FunctionalInterface
  public interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private static final int MAX_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 200;
  private static final int MAX_BODY = 64 * 1024 * 1024;

  private final ServerSocket listener;
  private final ExecutorService threads;
  private final Handler handler;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private MiniHttpServer(ServerSocket listener, ExecutorService threads, Handler handler) {
    this.listener = listener;
    this.threads = threads;
    this.handler = handler;
  }

  /** Binds 127.0.0.1 (the loopback address) at {@code port} (0 for a free one) and starts accepting. */
  public static MiniHttpServer start(int port, String name, Handler handler) throws IOException {
    ServerSocket listener = new ServerSocket();
    try {
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    } catch (IOException e) {
      listener.close();
      throw e;
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "sim-" + name + "-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    MiniHttpServer server = new MiniHttpServer(listener, threads, handler);
    Thread acceptor = new Thread(server::accept, "sim-" + name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Stops accepting, resets every open connection and interrupts the handlers. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      reset(s);
    }
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void accept() {
    while (!closed) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      try {
        socket.setTcpNoDelay(true);
        open.add(socket);
        if (closed) {
          reset(socket);
          return;
        }
        threads.execute(() -> serve(socket));
      } catch (IOException | RuntimeException e) {
        reset(socket);
      }
    }
  }

  private void serve(Socket socket) {
    try {
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
      while (!closed) {
        HttpExchange exchange = read(in, out, socket);
        if (exchange == null) {
          break;
        }
        try {
          handler.handle(exchange);
        } catch (IOException e) {
          break;
        } catch (RuntimeException e) {
          if (!exchange.started()) {
            exchange.respond(500, "application/json", Json.error(500, "InternalServerError",
                "simulator failure: " + e), Map.of());
          }
          break;
        }
        if (exchange.isCut()) {
          return;
        }
        if (!exchange.started()) {
          exchange.respond(500, "application/json", Json.error(500, "InternalServerError", "no response"), Map.of());
        }
        if (!exchange.keepAlive()) {
          break;
        }
      }
      socket.close();
    } catch (IOException | RuntimeException e) {
      reset(socket);
    } finally {
      open.remove(socket);
    }
  }

  /** Reads one request, or returns null when the client closed the connection between requests. */
  private static HttpExchange read(InputStream in, OutputStream out, Socket socket) throws IOException {
    String requestLine = readLine(in, true);
    if (requestLine == null) {
      return null;
    }
    while (requestLine.isEmpty()) { // tolerate stray CRLFs between requests
      requestLine = readLine(in, true);
      if (requestLine == null) {
        return null;
      }
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new IOException("bad request line");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; ; i++) {
      if (i > MAX_HEADERS) {
        throw new IOException("too many headers");
      }
      String line = readLine(in, false);
      if (line == null) {
        throw new EOFException();
      }
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("bad header line");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    byte[] body;
    String te = headers.get("transfer-encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = readChunked(in);
    } else {
      String length = headers.get("content-length");
      int n = 0;
      if (length != null) {
        try {
          n = Integer.parseInt(length.trim());
        } catch (NumberFormatException e) {
          throw new IOException("bad content-length");
        }
        if (n < 0 || n > MAX_BODY) {
          throw new IOException("bad content-length");
        }
      }
      body = in.readNBytes(n);
      if (body.length != n) {
        throw new EOFException();
      }
    }
    String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
    boolean keepAlive = parts[2].equals("HTTP/1.1") ? !connection.contains("close") : connection.contains("keep-alive");
    String target = parts[1];
    if (target.startsWith("http://") || target.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    return new HttpExchange(parts[0], path, headers, body, keepAlive, out, socket);
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in, false);
      if (sizeLine == null) {
        throw new EOFException();
      }
      int semi = sizeLine.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size");
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY) {
        throw new IOException("body too large");
      }
      if (size == 0) {
        String trailer;
        do {
          trailer = readLine(in, false);
        } while (trailer != null && !trailer.isEmpty());
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) {
        throw new EOFException();
      }
      body.write(chunk);
      readLine(in, false);
    }
  }

  /** A CRLF- (or LF-) terminated ISO-8859-1 line, or null at end of stream before any byte. */
  private static String readLine(InputStream in, boolean eofOk) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      int b;
      try {
        b = in.read();
      } catch (SocketException e) {
        if (eofOk && sb.length() == 0) {
          return null;
        }
        throw e;
      }
      if (b < 0) {
        if (sb.length() == 0) {
          return null;
        }
        throw new EOFException();
      }
      if (b == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      if (sb.length() >= MAX_LINE) {
        throw new IOException("line too long");
      }
      sb.append((char) b);
    }
  }

  static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
