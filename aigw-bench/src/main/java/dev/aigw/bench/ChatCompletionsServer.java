package dev.aigw.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A canned OpenAI chat-completions server on loopback, the same for every client that {@link
 * ProviderOverheadBenchmark} compares: {@code POST /v1/chat/completions} answers with a realistic
 * {@code chat.completion} JSON, or, when the request body has {@code "stream":true}, with a
 * realistic event stream (a role chunk, {@link #CONTENT_PIECES} content chunks, a finish chunk, a
 * usage chunk and {@code data: [DONE]}, chunked transfer encoding as OpenAI sends it).
 *
 * <p>It is made to cost little and the same for every client: plain blocking sockets on a free
 * port of 127.0.0.1, HTTP/1.1 with keep-alive, one thread per connection (so a request costs one
 * thread wake-up, not a selector-to-worker hand-off as in the JDK's {@code HttpServer}), TCP_NODELAY,
 * and each whole response precomputed as bytes and written with one {@code write}. The request body
 * is read fully (by {@code Content-Length} or chunked) and otherwise only searched for {@code
 * "stream":true}. Clients see every event at once and parse them one by one; none waits for the
 * server between events.
 *
 * <p>It counts requests and accepted connections, which is how {@link ProviderOverheadCheck} tells
 * whether a client reuses connections.
 */
final class ChatCompletionsServer implements AutoCloseable {
  /** What every client asks. */
  static final String PROMPT = "What is the capital of France? Answer in one sentence.";
  /** The model every client names. */
  static final String MODEL = "gpt-4o-mini";
  /** The streamed answer's content deltas, in order. */
  static final List<String> CONTENT_PIECES =
      List.of("The", " capital", " of", " France", " is", " Paris", ",", " on", " the", " Seine.");
  /** The whole answer: the blocking response's content, and the content deltas joined. */
  static final String ANSWER = String.join("", CONTENT_PIECES);
  /** The first content delta: what a time-to-first-chunk benchmark returns. */
  static final String FIRST_PIECE = CONTENT_PIECES.get(0);

  private static final String ID = "chatcmpl-BnHqv5hT3JxJ1eY8mJwqQn2d9KcZz";
  private static final String RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";
  private static final String FINGERPRINT = "fp_34a54ae93c";
  private static final long CREATED = 1751891234L;
  private static final String USAGE = "{\"prompt_tokens\":16,\"completion_tokens\":11,\"total_tokens\":27,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
      + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
      + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";

  /** The blocking answer, pretty-printed as OpenAI sends it. */
  static final byte[] COMPLETION = ("{\n"
      + "  \"id\": \"" + ID + "\",\n"
      + "  \"object\": \"chat.completion\",\n"
      + "  \"created\": " + CREATED + ",\n"
      + "  \"model\": \"" + RESPONSE_MODEL + "\",\n"
      + "  \"choices\": [\n"
      + "    {\n"
      + "      \"index\": 0,\n"
      + "      \"message\": {\n"
      + "        \"role\": \"assistant\",\n"
      + "        \"content\": \"" + ANSWER + "\",\n"
      + "        \"refusal\": null,\n"
      + "        \"annotations\": []\n"
      + "      },\n"
      + "      \"logprobs\": null,\n"
      + "      \"finish_reason\": \"stop\"\n"
      + "    }\n"
      + "  ],\n"
      + "  \"usage\": {\n"
      + "    \"prompt_tokens\": 16,\n"
      + "    \"completion_tokens\": 11,\n"
      + "    \"total_tokens\": 27,\n"
      + "    \"prompt_tokens_details\": {\n"
      + "      \"cached_tokens\": 0,\n"
      + "      \"audio_tokens\": 0\n"
      + "    },\n"
      + "    \"completion_tokens_details\": {\n"
      + "      \"reasoning_tokens\": 0,\n"
      + "      \"audio_tokens\": 0,\n"
      + "      \"accepted_prediction_tokens\": 0,\n"
      + "      \"rejected_prediction_tokens\": 0\n"
      + "    }\n"
      + "  },\n"
      + "  \"service_tier\": \"default\",\n"
      + "  \"system_fingerprint\": \"" + FINGERPRINT + "\"\n"
      + "}\n").getBytes(StandardCharsets.UTF_8);

  /** The streamed answer, event by event as OpenAI sends it (compact JSON, one {@code data:} line each). */
  static final byte[] EVENT_STREAM = eventStream();

  private static final byte[] COMPLETION_RESPONSE = concat(head(
      "Content-Type: application/json\r\nContent-Length: " + COMPLETION.length + "\r\n"), COMPLETION);
  private static final byte[] STREAM_RESPONSE = concat(head(
      "Content-Type: text/event-stream; charset=utf-8\r\nTransfer-Encoding: chunked\r\n"),
      (Integer.toHexString(EVENT_STREAM.length) + "\r\n").getBytes(StandardCharsets.US_ASCII),
      EVENT_STREAM,
      "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
  private static final byte[] NOT_FOUND =
      "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_HEADER_LINE = 16 * 1024;

  private final ServerSocket listener;
  private final ExecutorService pool;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong streams = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong earlyCloses = new AtomicLong();
  private volatile boolean closed;

  private ChatCompletionsServer(ServerSocket listener, ExecutorService pool) {
    this.listener = listener;
    this.pool = pool;
  }

  /** Starts a server on a free port of 127.0.0.1. */
  static ChatCompletionsServer start() throws IOException {
    ServerSocket listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    AtomicInteger threads = new AtomicInteger();
    // One thread per connection (a connection is used by one call at a time); threads of closed
    // connections are reused.
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "bench-server-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ChatCompletionsServer s = new ChatCompletionsServer(listener, pool);
    Thread acceptor = new Thread(s::accept, "bench-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return s;
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash; clients append {@code /v1}. */
  String baseUrl() {
    return "http://" + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
  }

  /** Requests served since the last {@link #resetCounts()}. */
  long requests() {
    return requests.get();
  }

  /** Stream requests served since the last {@link #resetCounts()}. */
  long streams() {
    return streams.get();
  }

  /** TCP connections accepted since the last {@link #resetCounts()}. */
  long connections() {
    return connections.get();
  }

  /** Connections the client closed before the server had written a whole response (0 is expected: it writes each in one go). */
  long earlyCloses() {
    return earlyCloses.get();
  }

  void resetCounts() {
    requests.set(0);
    streams.set(0);
    connections.set(0);
    earlyCloses.set(0);
  }

  private void accept() {
    while (!closed) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return;
      }
      connections.incrementAndGet();
      try {
        socket.setTcpNoDelay(true);
        open.add(socket);
        pool.execute(() -> serve(socket));
      } catch (IOException | RuntimeException e) {
        closeQuietly(socket);
      }
    }
  }

  /** Serves one connection's requests in turn (HTTP/1.1 keep-alive) until the client closes it. */
  private void serve(Socket socket) {
    try (socket) {
      Input in = new Input(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        String requestLine = readLine(in);
        if (requestLine == null) {
          return;
        }
        if (requestLine.isEmpty()) {
          continue;
        }
        long contentLength = 0;
        boolean chunked = false;
        boolean close = false;
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
          int colon = line.indexOf(':');
          if (colon <= 0) {
            continue;
          }
          String name = line.substring(0, colon).trim();
          String value = line.substring(colon + 1).trim();
          if (name.equalsIgnoreCase("Content-Length")) {
            contentLength = Long.parseLong(value);
          } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          } else if (name.equalsIgnoreCase("Connection")) {
            close = value.toLowerCase(Locale.ROOT).contains("close");
          } else if (name.equalsIgnoreCase("Expect") && value.equalsIgnoreCase("100-continue")) {
            out.write(CONTINUE);
            out.flush();
          }
        }
        if (line == null) {
          return;
        }
        byte[] body = chunked ? readChunked(in) : in.readNBytes((int) contentLength);
        if (body == null) {
          return;
        }
        requests.incrementAndGet();
        String[] parts = requestLine.split(" ");
        byte[] response;
        if (parts.length < 2 || !parts[0].equals("POST") || !parts[1].equals("/v1/chat/completions")) {
          response = NOT_FOUND;
        } else if (wantsStream(body)) {
          streams.incrementAndGet();
          response = STREAM_RESPONSE;
        } else {
          response = COMPLETION_RESPONSE;
        }
        try {
          out.write(response);
          out.flush();
        } catch (IOException clientGone) {
          earlyCloses.incrementAndGet();
          return;
        }
        if (close) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client closed or reset the connection between requests
    } finally {
      open.remove(socket);
    }
  }

  /** A line without its CRLF, or null at the end of the stream. */
  private static @Nullable String readLine(Input in) throws IOException {
    return in.readLine();
  }

  private static byte[] readChunked(Input in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = in.readLine();
      if (size == null) {
        throw new IOException("cut-off chunked body");
      }
      int semi = size.indexOf(';');
      int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
      if (n == 0) {
        String trailer;
        while ((trailer = in.readLine()) != null && !trailer.isEmpty()) {
          // trailers are ignored
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(n);
      if (chunk == null) {
        throw new IOException("cut-off chunked body");
      }
      body.writeBytes(chunk);
      in.readLine();
    }
  }

  /** A minimal unsynchronised buffered reader of a connection: lines (ISO-8859-1) and byte runs. */
  private static final class Input {
    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int limit;

    Input(InputStream in) {
      this.in = in;
    }

    private boolean fill() throws IOException {
      int n = in.read(buf, 0, buf.length);
      if (n <= 0) {
        return false;
      }
      pos = 0;
      limit = n;
      return true;
    }

    @Nullable String readLine() throws IOException {
      StringBuilder sb = null;
      while (true) {
        if (pos == limit && !fill()) {
          return sb == null || sb.length() == 0 ? null : sb.toString();
        }
        int start = pos;
        while (pos < limit && buf[pos] != '\n') {
          pos++;
        }
        if (pos < limit) {
          int end = pos++;
          if (sb == null) {
            if (end > start && buf[end - 1] == '\r') {
              end--;
            }
            return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
          }
          sb.append(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
          int len = sb.length();
          if (len > 0 && sb.charAt(len - 1) == '\r') {
            sb.setLength(len - 1);
          }
          return sb.toString();
        }
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(new String(buf, start, pos - start, StandardCharsets.ISO_8859_1));
        if (sb.length() > MAX_HEADER_LINE) {
          throw new IOException("header line too long");
        }
      }
    }

    /** Exactly {@code n} bytes, or null when the stream ends first. */
    byte @Nullable [] readNBytes(int n) throws IOException {
      byte[] out = new byte[n];
      int got = 0;
      while (got < n) {
        if (pos == limit && !fill()) {
          return null;
        }
        int take = Math.min(n - got, limit - pos);
        System.arraycopy(buf, pos, out, got, take);
        pos += take;
        got += take;
      }
      return out;
    }
  }

  private static byte[] head(String headers) {
    return ("HTTP/1.1 200 OK\r\n" + headers
        + "openai-version: 2020-10-01\r\n"
        + "openai-processing-ms: 231\r\n"
        + "x-request-id: req_4f1c8e0b6a2d4e7f9b3c5a1d2e6f8a0b\r\n"
        + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Whether the JSON body has {@code "stream"} set to true; tolerant of whitespace, blind to everything else. */
  static boolean wantsStream(byte[] body) {
    byte[] key = {'"', 's', 't', 'r', 'e', 'a', 'm', '"'};
    outer:
    for (int i = 0; i + key.length <= body.length; i++) {
      for (int k = 0; k < key.length; k++) {
        if (body[i + k] != key[k]) {
          continue outer;
        }
      }
      int j = i + key.length;
      while (j < body.length && (body[j] == ' ' || body[j] == '\n' || body[j] == '\r' || body[j] == '\t' || body[j] == ':')) {
        j++;
      }
      return j < body.length && body[j] == 't';
    }
    return false;
  }

  private static byte[] eventStream() {
    List<String> events = new ArrayList<>();
    String head = "{\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED
        + ",\"model\":\"" + RESPONSE_MODEL + "\",\"service_tier\":\"default\",\"system_fingerprint\":\"" + FINGERPRINT + "\",";
    events.add(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
        + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Qm3x\"}");
    String[] obfuscation = {"k2", "9Zq", "xYw1", "T0", "mK", "wq8", "L3pA", "n0", "Z", "cV"};
    for (int i = 0; i < CONTENT_PIECES.size(); i++) {
      events.add(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + CONTENT_PIECES.get(i) + "\"},"
          + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"" + obfuscation[i] + "\"}");
    }
    events.add(head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":null,\"obfuscation\":\"u4\"}");
    events.add(head + "\"choices\":[],\"usage\":" + USAGE + ",\"obfuscation\":\"HcT\"}");
    events.add("[DONE]");
    StringBuilder sb = new StringBuilder();
    for (String e : events) {
      sb.append("data: ").append(e).append("\n\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    pool.shutdownNow();
  }
}
