package dev.aigw.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ContentPart;
import dev.aigw.api.Message;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolChoice;
import dev.aigw.api.ToolSpec;
import dev.aigw.core.cache.internal.CanonicalJson;
import dev.aigw.core.cache.internal.KeyEncoder;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes cache keys: a SHA-256 over a canonical, unambiguous encoding of everything in a
 * {@link ChatRequest} that can change the answer.
 *
 * <p>The encoding (format {@value #FORMAT_VERSION}) covers, in this order: the format version,
 * the partition, the model (the alias or {@code "provider/model"} the caller asked for), every
 * message (role; each content part: text, an image's URL, or the SHA-256 of an inline image's
 * bytes and its media type; tool calls with id, name and arguments; the tool call id a tool
 * result answers), the tools (name, description, parameters schema), the tool choice, the
 * response format (type, name, schema, strict flag), temperature, top-p, the output token limit,
 * the stop sequences (in order), the seed, and the provider passthrough options ({@link
 * ChatRequest#extra()}).
 *
 * <p>Canonical means:
 *
 * <ul>
 *   <li>JSON schemas (tools and response format) and tool call arguments are parsed with
 *       Jackson, so whitespace, object key order, string escapes and the spelling of numbers
 *       ({@code 1}, {@code 1.0}, {@code 1e0}) do not matter. Arguments that are not valid JSON
 *       are hashed as they are (models may write broken JSON), and never equal a valid JSON text.
 *       A schema enters the key as the SHA-256 of its canonical form, which is remembered per
 *       schema text (up to about 4 MiB of schemas), since applications send the same few schemas
 *       with every request and parsing costs far more than hashing.
 *   <li>The {@code extra} map's keys are sorted, recursively; its numbers are compared by value,
 *       as for JSON ({@code 1} equals {@code 1.0}).
 *   <li>An unset parameter differs from every value it could be set to (temperature unset is not
 *       temperature 1.0); an empty stop list equals no stop list.
 *   <li>Order matters where it can change the answer: messages, content parts, tool calls, tools
 *       and stop sequences.
 * </ul>
 *
 * <p>Every value is written with a type tag and every variable-length value with its length, so
 * that no two different requests share an encoding. The request's text is streamed into the
 * digest through a small buffer; no copy of the request is built. The key holds only the hash.
 *
 * <p>Thread-safe. Each thread reuses one encoder (a digest and a 4 KiB buffer), which keeps a
 * key to about 200 bytes of allocation; a new encoder per call allocated 4.5 KiB and took
 * about 100 ns longer (see {@code CacheKeyBenchmark} in aigw-bench). On virtual threads, which
 * come and go with the task, every call effectively gets a new encoder.
 */
public final class CacheKeys {
  /** The version tag at the start of every encoding; a change of the encoding changes it. */
  public static final String FORMAT_VERSION = "aigw-cache-v1";

  private static final HexFormat HEX = HexFormat.of();

  // Field numbers of the encoding.
  private static final int F_PARTITION = 1;
  private static final int F_MODEL = 2;
  private static final int F_MESSAGES = 3;
  private static final int F_TOOLS = 4;
  private static final int F_TOOL_CHOICE = 5;
  private static final int F_RESPONSE_FORMAT = 6;
  private static final int F_TEMPERATURE = 7;
  private static final int F_TOP_P = 8;
  private static final int F_MAX_OUTPUT_TOKENS = 9;
  private static final int F_STOP = 10;
  private static final int F_SEED = 11;
  private static final int F_EXTRA = 12;
  private static final int F_END = 0x7F;

  // Content part and JSON-text tags.
  private static final int PART_TEXT = 't';
  private static final int PART_IMAGE_URL = 'u';
  private static final int PART_IMAGE_BYTES = 'b';
  private static final int JSON_PARSED = 'j';
  private static final int JSON_RAW = 'r';

  private static final int JSON_SCHEMA_DIGEST = 'h';

  /**
   * Canonical digests of JSON schemas, by schema text: applications send the same few tool and
   * response schemas with every request, and parsing them costs far more than looking them up.
   * Bounded by the heap the schema texts take (2 bytes a char, 4 MiB in all).
   */
  private static final Cache<String, byte[]> SCHEMA_DIGESTS = Caffeine.newBuilder()
      .maximumWeight(4L << 20)
      .weigher((String schema, byte[] digest) -> 2 * schema.length() + 128)
      .executor(Runnable::run)
      .build();

  private static final ThreadLocal<Holder> ENCODERS = ThreadLocal.withInitial(Holder::new);

  private static final class Holder {
    final KeyEncoder encoder = new KeyEncoder();
    boolean inUse;
  }

  private CacheKeys() {}

  /**
   * {@return the key for {@code request} in {@code partition}} The request is addressed to its
   * {@link ChatRequest#model() model}: the alias or {@code "provider/model"} the caller asked for,
   * so the key is the same whichever target of a route answers.
   *
   * @param partition the tenant partition, for example {@code "tenant:acme"} or {@code "global"}
   * @param request the request, after input guardrails have rewritten it
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code partition} is blank
   */
  public static CacheKey of(String partition, ChatRequest request) {
    CacheKey.requirePartition(partition);
    Objects.requireNonNull(request, "request");
    Holder holder = ENCODERS.get();
    if (holder.inUse) {
      // Not expected (nothing here calls back into user code), but stay correct if it happens.
      return new CacheKey(partition, HEX.formatHex(hash(new KeyEncoder(), partition, request)));
    }
    holder.inUse = true;
    try {
      return new CacheKey(partition, HEX.formatHex(hash(holder.encoder, partition, request)));
    } finally {
      holder.inUse = false;
    }
  }

  private static byte[] hash(KeyEncoder e, String partition, ChatRequest request) {
    e.reset();
    try {
      e.writeString(FORMAT_VERSION);
      e.field(F_PARTITION);
      e.writeString(partition);
      e.field(F_MODEL);
      e.writeString(request.model());

      e.field(F_MESSAGES);
      List<Message> messages = request.messages();
      e.writeInt(messages.size());
      for (Message m : messages) {
        writeMessage(e, m);
      }

      e.field(F_TOOLS);
      List<ToolSpec> tools = request.tools();
      e.writeInt(tools.size());
      for (ToolSpec tool : tools) {
        e.writeString(tool.name());
        e.writeString(tool.description());
        writeSchema(e, tool.parametersSchema());
      }

      e.field(F_TOOL_CHOICE);
      Optional<ToolChoice> choice = request.toolChoice();
      if (choice.isPresent()) {
        e.present();
        e.writeString(choice.get().mode().name());
        e.writeOptionalString(choice.get().toolName());
      } else {
        e.absent();
      }

      e.field(F_RESPONSE_FORMAT);
      ResponseFormat format = request.responseFormat();
      e.writeString(format.type().name());
      e.writeOptionalString(format.name());
      Optional<String> schema = format.schema();
      if (schema.isPresent()) {
        e.present();
        writeSchema(e, schema.get());
      } else {
        e.absent();
      }
      e.writeBoolean(format.strict());

      e.field(F_TEMPERATURE);
      if (request.temperature().isPresent()) {
        e.present();
        e.writeDouble(request.temperature().getAsDouble() + 0.0);
      } else {
        e.absent();
      }
      e.field(F_TOP_P);
      if (request.topP().isPresent()) {
        e.present();
        e.writeDouble(request.topP().getAsDouble() + 0.0);
      } else {
        e.absent();
      }
      e.field(F_MAX_OUTPUT_TOKENS);
      if (request.maxOutputTokens().isPresent()) {
        e.present();
        e.writeInt(request.maxOutputTokens().getAsInt());
      } else {
        e.absent();
      }
      e.field(F_STOP);
      List<String> stop = request.stop();
      e.writeInt(stop.size());
      for (String s : stop) {
        e.writeString(s);
      }
      e.field(F_SEED);
      if (request.seed().isPresent()) {
        e.present();
        e.writeLong(request.seed().getAsLong());
      } else {
        e.absent();
      }
      e.field(F_EXTRA);
      e.writeJson(request.extra());
      e.field(F_END);
      return e.finish();
    } catch (RuntimeException ex) {
      e.reset();
      throw ex;
    }
  }

  private static void writeMessage(KeyEncoder e, Message m) {
    e.writeString(m.role().name());
    List<ContentPart> parts = m.content();
    e.writeInt(parts.size());
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text t) {
        e.writeInt(PART_TEXT);
        e.writeString(t.text());
      } else if (part instanceof ContentPart.Image image) {
        Optional<String> url = image.url();
        if (url.isPresent()) {
          e.writeInt(PART_IMAGE_URL);
          e.writeString(url.get());
        } else {
          e.writeInt(PART_IMAGE_BYTES);
          e.writeBytes(KeyEncoder.sha256(image.bytes().orElseThrow()));
          e.writeString(image.mediaType().orElseThrow());
        }
      }
    }
    List<ToolCall> calls = m.toolCalls();
    e.writeInt(calls.size());
    for (ToolCall call : calls) {
      e.writeString(call.id());
      e.writeString(call.name());
      writeJsonText(e, call.arguments());
    }
    e.writeOptionalString(m.toolCallId());
  }

  /**
   * A JSON schema, as the SHA-256 of its canonical form ({@link #writeJsonText}); the digest is
   * remembered per schema text.
   */
  private static void writeSchema(KeyEncoder e, String schema) {
    byte[] digest = SCHEMA_DIGESTS.getIfPresent(schema);
    if (digest == null) {
      KeyEncoder own = new KeyEncoder();
      writeJsonText(own, schema);
      digest = own.finish();
      SCHEMA_DIGESTS.put(schema, digest);
    }
    e.writeInt(JSON_SCHEMA_DIGEST);
    e.writeBytes(digest);
  }

  /** JSON text in canonical form, or the text as it is when it does not parse. */
  private static void writeJsonText(KeyEncoder e, String json) {
    Optional<Object> tree = CanonicalJson.parse(json);
    if (tree.isPresent()) {
      e.writeInt(JSON_PARSED);
      e.writeJson(tree.get());
    } else {
      e.writeInt(JSON_RAW);
      e.writeString(json);
    }
  }
}
