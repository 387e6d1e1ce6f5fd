package dev.aigw.testkit.sim.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One request read by {@link MiniHttpServer}, and the means to answer it. Used by one thread. */
public final class HttpExchange {
  private final String method;
  private final String path;
  private final Map<String, String> headers;
  private final byte[] body;
  private final boolean keepAlive;
  private final OutputStream out;
  private final Socket socket;
  private boolean started;
  private boolean cut;

  HttpExchange(String method, String path, Map<String, String> headers, byte[] body, boolean keepAlive,
      OutputStream out, Socket socket) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
    this.keepAlive = keepAlive;
    this.out = out;
    this.socket = socket;
  }

  public String method() {
    return method;
  }

  /** The request path, without the query. */
  public String path() {
    return path;
  }

  /** A request header's value (repeated headers joined with {@code ", "}), by case-insensitive name. */
  public @Nullable String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  public byte[] body() {
    return body;
  }

  boolean keepAlive() {
    return keepAlive;
  }

  boolean started() {
    return started;
  }

  boolean isCut() {
    return cut;
  }

  /** Sends a whole response with a {@code Content-Length}. */
  public void respond(int status, String contentType, byte[] content, Map<String, String> extraHeaders)
      throws IOException {
    started = true;
    StringBuilder head = statusLine(status);
    head.append("content-type: ").append(contentType).append("\r\n");
    head.append("content-length: ").append(content.length).append("\r\n");
    appendHeaders(head, extraHeaders);
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(content);
    out.flush();
  }

  /** Sends the status line and headers of a chunked response, and returns its body. */
  public ChunkedBody beginChunked(int status, String contentType, Map<String, String> extraHeaders)
      throws IOException {
    started = true;
    StringBuilder head = statusLine(status);
    head.append("content-type: ").append(contentType).append("\r\n");
    head.append("transfer-encoding: chunked\r\n");
    appendHeaders(head, extraHeaders);
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return new ChunkedBody();
  }

  /**
   * Closes the connection at once, after what was already flushed: the client reads that, then
   * the end of the stream where the rest of the response should be (no response at all, or a
   * chunked body without its last chunk), which it reports as a broken connection.
   */
  public void cut() {
    started = true;
    cut = true;
    try {
      socket.shutdownOutput();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private StringBuilder statusLine(int status) {
    StringBuilder head = new StringBuilder(256);
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    head.append("server: aigw-vllm-sim\r\n");
    if (!keepAlive) {
      head.append("connection: close\r\n");
    }
    return head;
  }

  private static void appendHeaders(StringBuilder head, Map<String, String> extra) {
    for (Map.Entry<String, String> e : extra.entrySet()) {
      head.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    head.append("\r\n");
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 413 -> "Payload Too Large";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status " + status;
    };
  }

  /** A chunked response body: writes are buffered until {@link #flush()}, which sends them as one chunk. */
  public final class ChunkedBody {
    private final StringBuilder pending = new StringBuilder(1024);

    private ChunkedBody() {}

    /** Buffers text (UTF-8 on the wire). */
    public ChunkedBody write(CharSequence text) {
      pending.append(text);
      return this;
    }

    /** Sends the buffered text as one chunk. */
    public void flush() throws IOException {
      if (pending.length() == 0) {
        return;
      }
      byte[] data = pending.toString().getBytes(StandardCharsets.UTF_8);
      pending.setLength(0);
      out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(data);
      out.write(CRLF);
      out.flush();
    }

    /** Sends what is buffered and the terminating chunk. */
    public void end() throws IOException {
      flush();
      out.write(LAST_CHUNK);
      out.flush();
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
}
