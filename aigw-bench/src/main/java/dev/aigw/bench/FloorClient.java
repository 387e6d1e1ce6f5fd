package dev.aigw.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * The floor: what one would write by hand with the libraries aigw itself uses (OkHttp 5 and
 * Jackson 2), for exactly this one request and no more. One {@link OkHttpClient} with default
 * settings, one {@link ObjectMapper} configured as one would for a JSON API (unknown fields
 * ignored, nulls not written), small records for the request and for the parts of the answer
 * that are read, and no error mapping beyond a status check.
 */
final class FloorClient implements BenchClient {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  record Message(String role, String content) {}

  record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {}

  record ChatRequest(
      String model,
      List<Message> messages,
      @Nullable Boolean stream,
      @JsonProperty("stream_options") @Nullable StreamOptions streamOptions) {}

  record ChatResponse(List<Choice> choices) {}

  record Choice(Message message) {}

  record Chunk(@Nullable List<DeltaChoice> choices) {}

  record DeltaChoice(@Nullable Delta delta) {}

  record Delta(@Nullable String content) {}

  private final OkHttpClient http = new OkHttpClient();
  private final String url;
  private final String authorization;

  FloorClient(String baseUrl, String apiKey) {
    this.url = baseUrl + "/v1/chat/completions";
    this.authorization = "Bearer " + apiKey;
  }

  @Override
  public String name() {
    return "floor";
  }

  @Override
  public String transport() {
    return "OkHttp " + okhttp3.OkHttp.VERSION + " (its own OkHttpClient), Jackson databind";
  }

  private Call newCall(boolean stream) {
    ChatRequest body = new ChatRequest(ChatCompletionsServer.MODEL,
        List.of(new Message("user", ChatCompletionsServer.PROMPT)),
        stream ? Boolean.TRUE : null,
        stream ? new StreamOptions(true) : null);
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Request request = new Request.Builder()
        .url(url)
        .header("Authorization", authorization)
        .post(RequestBody.create(json, JSON))
        .build();
    return http.newCall(request);
  }

  @Override
  public String blocking() {
    try (Response response = newCall(false).execute()) {
      check(response);
      ChatResponse answer = MAPPER.readValue(response.body().byteStream(), ChatResponse.class);
      return answer.choices().get(0).message().content();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads events up to the first with text, then closes the response (OkHttp drains what has arrived and keeps the connection). */
  @Override
  public String streamFirstChunk() {
    try (Response response = newCall(true).execute()) {
      check(response);
      return firstText(response.body().source());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * As {@link #streamFirstChunk()}, but cancels the call before closing, as a client that stops a
   * live generation must (and as aigw's streams do): OkHttp then closes the connection.
   */
  String streamFirstChunkCancelled() {
    Call call = newCall(true);
    try (Response response = call.execute()) {
      check(response);
      String text = firstText(response.body().source());
      call.cancel();
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String streamFull() {
    try (Response response = newCall(true).execute()) {
      check(response);
      BufferedSource source = response.body().source();
      StringBuilder text = new StringBuilder();
      String data;
      while ((data = nextData(source)) != null) {
        if (data.equals("[DONE]")) {
          break;
        }
        String content = content(data);
        if (content != null) {
          text.append(content);
        }
      }
      return text.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstText(BufferedSource source) throws IOException {
    String data;
    while ((data = nextData(source)) != null) {
      if (data.equals("[DONE]")) {
        break;
      }
      String content = content(data);
      if (content != null && !content.isEmpty()) {
        return content;
      }
    }
    throw new IllegalStateException("the stream ended without text");
  }

  /** The next {@code data:} line's value (OpenAI sends one per event), or null at the end. */
  private static @Nullable String nextData(BufferedSource source) throws IOException {
    String line;
    while ((line = source.readUtf8Line()) != null) {
      if (line.startsWith("data: ")) {
        return line.substring(6);
      }
    }
    return null;
  }

  private static @Nullable String content(String data) throws IOException {
    Chunk chunk = MAPPER.readValue(data, Chunk.class);
    if (chunk.choices() == null || chunk.choices().isEmpty() || chunk.choices().get(0).delta() == null) {
      return null;
    }
    return chunk.choices().get(0).delta().content();
  }

  private static void check(Response response) {
    if (!response.isSuccessful()) {
      throw new IllegalStateException("HTTP " + response.code());
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
