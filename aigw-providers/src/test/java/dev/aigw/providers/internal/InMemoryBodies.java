package dev.aigw.providers.internal;

import dev.aigw.api.ChatStream;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Runs the providers' real body-reading code on an in-memory HTTP body, with no server and no
 * socket, so that fuzz tests reach tens of thousands of bodies a second. Only the network is left
 * out: a stream goes through {@link EventStreamSource} (and so {@link SseReader}, the provider's
 * {@link StreamDecoder} and {@link ChatStream}) exactly as {@link HttpTransport#postStream} builds
 * it for a 200 answer.
 */
public final class InMemoryBodies {
  private static final Request REQUEST = new Request.Builder().url("http://fuzz.invalid/").build();
  /** Never executes a call: it only hands out {@link okhttp3.Call}s for the stream to cancel on close. */
  private static final OkHttpClient CLIENT = new OkHttpClient();
  private static final MediaType EVENT_STREAM = MediaType.get("text/event-stream");

  private InMemoryBodies() {}

  /**
   * What {@link HttpTransport#postJson} does with the body of a 200 answer once it has read it
   * (a body over 32 MiB is refused before this step; fuzz inputs are far smaller): the shared
   * mapper binds {@code type}, and a body that does not bind, or is JSON {@code null}, is a
   * malformed answer. Kept line for line in step with {@code postJson}.
   *
   * @throws dev.aigw.api.ProviderException for a malformed body
   */
  public static <T> T readJson(String provider, byte[] body, Class<T> type) {
    int status = 200;
    try {
      T value = Json.read(body, type);
      if (value == null) {
        throw ErrorMapping.malformed(provider, status, "the body is JSON null", null);
      }
      return value;
    } catch (IOException e) {
      throw ErrorMapping.malformed(provider, status, "body is not the documented JSON (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** The stream {@link HttpTransport#postStream} returns for a 200 answer with {@code body}. */
  public static ChatStream stream(String provider, byte[] body, StreamDecoder decoder) {
    Response response = new Response.Builder()
        .request(REQUEST)
        .protocol(Protocol.HTTP_1_1)
        .code(200)
        .message("OK")
        .body(ResponseBody.create(body, EVENT_STREAM))
        .build();
    return ChatStream.of(new EventStreamSource(provider, CLIENT.newCall(REQUEST), response, decoder, null, null));
  }
}
