package dev.aigw.redis;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentPart;
import dev.aigw.api.Cost;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.Target;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.Usage;
import dev.aigw.core.cache.CachedResponse;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The compact binary form of a {@link CachedResponse} in Redis. Every field is kept, so that
 * decoding gives an {@code equals} entry and a stream replays exactly the chunks it was stored
 * with.
 *
 * <p>Layout (version 1): one format-version byte; a flags byte ({@link #CHUNKS}, {@link
 * #TARGET}, {@link #COST}); {@code storedAt} as zig-zag varint seconds and varint nanoseconds;
 * the target (provider, model) and cost (currency code, zig-zag varint scale, the unscaled value's
 * two's-complement bytes) when flagged; the response or the chunks; a CRC-32C of everything
 * before it (4 bytes, big-endian), so a corrupt or truncated entry is always detected.
 *
 * <p>Strings are a varint header {@code length << 1 | form} and the bytes: UTF-8 ({@code form 0})
 * or, for the rare strings that are not well-formed UTF-16 (a lone surrogate, as a stream cut
 * between the halves of an emoji can deliver), their UTF-16 code units ({@code form 1}), so
 * every string survives unchanged. Optional fields are flag bits; integers are varints. Nothing
 * of the metadata is stored: a {@link CachedResponse} holds none.
 */
final class CachedResponseCodec {
  /** The format this class writes. */
  static final int VERSION = 1;

  // entry flags
  private static final int CHUNKS = 1;
  private static final int TARGET = 1 << 1;
  private static final int COST = 1 << 2;

  // response flags
  private static final int R_USAGE = 1;

  // chunk flags
  private static final int C_ID = 1;
  private static final int C_MODEL = 1 << 1;
  private static final int C_TEXT = 1 << 2;
  private static final int C_REASONING = 1 << 3;
  private static final int C_TOOL_CALLS = 1 << 4;
  private static final int C_FINISH = 1 << 5;
  private static final int C_USAGE = 1 << 6;

  // tool-call delta flags
  private static final int D_ID = 1;
  private static final int D_NAME = 1 << 1;

  // content part kinds
  private static final int PART_TEXT = 0;
  private static final int PART_IMAGE_URL = 1;
  private static final int PART_IMAGE_BYTES = 2;

  // usage flags: which counts are non-zero, and the estimated flag
  private static final int U_INPUT = 1;
  private static final int U_OUTPUT = 1 << 1;
  private static final int U_CACHED = 1 << 2;
  private static final int U_CACHE_WRITE = 1 << 3;
  private static final int U_REASONING = 1 << 4;
  private static final int U_ESTIMATED = 1 << 5;

  private CachedResponseCodec() {}

  /** Bytes that are not an entry this gateway can read: another format version, or corrupt. */
  static final class MalformedEntryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedEntryException(String message, @Nullable Throwable cause) {
      super("not a cached response this gateway can read: " + message, cause);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding

  /** The entry's bytes. */
  static byte[] encode(CachedResponse value) {
    Out out = new Out(256);
    out.write(VERSION);
    Optional<Target> target = value.target();
    Optional<Cost> cost = value.cost();
    List<ChatChunk> chunks = null;
    ChatResponse response = value.toResponse();
    if (!isResponseForm(value, response)) {
      chunks = value.toChunks();
      response = null;
    }
    out.write((chunks != null ? CHUNKS : 0) | (target.isPresent() ? TARGET : 0) | (cost.isPresent() ? COST : 0));
    Instant storedAt = value.storedAt();
    out.varlong(zigzag(storedAt.getEpochSecond()));
    out.varlong(storedAt.getNano());
    if (target.isPresent()) {
      out.string(target.get().provider());
      out.string(target.get().model());
    }
    if (cost.isPresent()) {
      out.string(cost.get().currency().getCurrencyCode());
      BigDecimal amount = cost.get().amount();
      out.varlong(zigzag(amount.scale()));
      out.bytes(amount.unscaledValue().toByteArray());
    }
    if (chunks != null) {
      out.varlong(chunks.size());
      for (ChatChunk c : chunks) {
        chunk(out, c);
      }
    } else {
      response(out, response);
    }
    CRC32C crc = new CRC32C();
    crc.update(out.buf, 0, out.size);
    int sum = (int) crc.getValue();
    out.write(sum >>> 24);
    out.write(sum >>> 16);
    out.write(sum >>> 8);
    out.write(sum);
    return out.toByteArray();
  }

  /**
   * Whether {@code value} holds a blocking response rather than chunks. {@link CachedResponse}
   * does not expose its form, but its {@code equals} compares forms: an entry equals the one
   * made of its own response exactly when it holds that response. (For an entry of chunks the
   * comparison fails on its first field.)
   */
  private static boolean isResponseForm(CachedResponse value, ChatResponse response) {
    return value.equals(CachedResponse.ofResponse(response, value.storedAt(), value.target().orElse(null), value.cost().orElse(null)));
  }

  private static void response(Out out, ChatResponse r) {
    out.string(r.id());
    out.string(r.model());
    out.string(r.reasoning());
    out.write(finishCode(r.finishReason()));
    out.write(r.usage().isPresent() ? R_USAGE : 0);
    List<ContentPart> parts = r.message().content();
    out.varlong(parts.size());
    for (ContentPart p : parts) {
      part(out, p);
    }
    List<ToolCall> calls = r.toolCalls();
    out.varlong(calls.size());
    for (ToolCall call : calls) {
      out.string(call.id());
      out.string(call.name());
      out.string(call.arguments());
    }
    r.usage().ifPresent(u -> usage(out, u));
  }

  /** One content part: its kind, then a text, a URL, or bytes and a media type. */
  static void part(Out out, ContentPart part) {
    if (part instanceof ContentPart.Text t) {
      out.write(PART_TEXT);
      out.string(t.text());
    } else {
      ContentPart.Image image = (ContentPart.Image) part;
      Optional<byte[]> bytes = image.bytes();
      if (bytes.isPresent()) {
        out.write(PART_IMAGE_BYTES);
        out.bytes(bytes.get());
        out.string(image.mediaType().orElseThrow());
      } else {
        out.write(PART_IMAGE_URL);
        out.string(image.url().orElseThrow());
      }
    }
  }

  private static void chunk(Out out, ChatChunk c) {
    int flags = (c.id().isPresent() ? C_ID : 0) | (c.model().isPresent() ? C_MODEL : 0)
        | (c.text().isEmpty() ? 0 : C_TEXT) | (c.reasoning().isEmpty() ? 0 : C_REASONING)
        | (c.toolCalls().isEmpty() ? 0 : C_TOOL_CALLS) | (c.finishReason().isPresent() ? C_FINISH : 0)
        | (c.usage().isPresent() ? C_USAGE : 0);
    out.write(flags);
    c.id().ifPresent(out::string);
    c.model().ifPresent(out::string);
    if (!c.text().isEmpty()) {
      out.string(c.text());
    }
    if (!c.reasoning().isEmpty()) {
      out.string(c.reasoning());
    }
    if (!c.toolCalls().isEmpty()) {
      out.varlong(c.toolCalls().size());
      for (ToolCallDelta d : c.toolCalls()) {
        out.varlong(d.index());
        out.write((d.id().isPresent() ? D_ID : 0) | (d.name().isPresent() ? D_NAME : 0));
        d.id().ifPresent(out::string);
        d.name().ifPresent(out::string);
        out.string(d.arguments());
      }
    }
    c.finishReason().ifPresent(f -> out.write(finishCode(f)));
    c.usage().ifPresent(u -> usage(out, u));
  }

  private static void usage(Out out, Usage u) {
    int flags = (u.inputTokens() != 0 ? U_INPUT : 0) | (u.outputTokens() != 0 ? U_OUTPUT : 0)
        | (u.cachedInputTokens() != 0 ? U_CACHED : 0) | (u.cacheWriteTokens() != 0 ? U_CACHE_WRITE : 0)
        | (u.reasoningTokens() != 0 ? U_REASONING : 0) | (u.estimated() ? U_ESTIMATED : 0);
    out.write(flags);
    for (long n : new long[] {u.inputTokens(), u.outputTokens(), u.cachedInputTokens(), u.cacheWriteTokens(), u.reasoningTokens()}) {
      if (n != 0) {
        out.varlong(n);
      }
    }
  }

  /** Fixed codes, independent of the enum's order. */
  private static int finishCode(FinishReason f) {
    return switch (f) {
      case STOP -> 0;
      case LENGTH -> 1;
      case TOOL_CALLS -> 2;
      case CONTENT_FILTER -> 3;
      case OTHER -> 4;
    };
  }

  private static FinishReason finishReason(int code) {
    return switch (code) {
      case 0 -> FinishReason.STOP;
      case 1 -> FinishReason.LENGTH;
      case 2 -> FinishReason.TOOL_CALLS;
      case 3 -> FinishReason.CONTENT_FILTER;
      case 4 -> FinishReason.OTHER;
      default -> throw new MalformedEntryException("unknown finish reason code " + code, null);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Decoding

  /**
   * The entry {@code bytes} hold.
   *
   * @throws MalformedEntryException when they are of another format version, corrupt or truncated
   */
  static CachedResponse decode(byte[] bytes) {
    if (bytes.length == 0) {
      throw new MalformedEntryException("empty", null);
    }
    int version = bytes[0] & 0xff;
    if (version != VERSION) {
      throw new MalformedEntryException("format version " + version + " (this gateway reads version " + VERSION + ")", null);
    }
    if (bytes.length < 1 + 1 + 4) {
      throw new MalformedEntryException("truncated (" + bytes.length + " bytes)", null);
    }
    int end = bytes.length - 4;
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, end);
    int stored = (bytes[end] & 0xff) << 24 | (bytes[end + 1] & 0xff) << 16 | (bytes[end + 2] & 0xff) << 8 | (bytes[end + 3] & 0xff);
    if (stored != (int) crc.getValue()) {
      throw new MalformedEntryException("checksum mismatch (corrupt or truncated, " + bytes.length + " bytes)", null);
    }
    In in = new In(bytes, 1, end);
    try {
      CachedResponse value = entry(in);
      if (in.pos != end) {
        throw new MalformedEntryException((end - in.pos) + " unexpected trailing bytes", null);
      }
      return value;
    } catch (MalformedEntryException e) {
      throw e;
    } catch (RuntimeException e) {
      // a builder or factory refused a decoded value
      throw new MalformedEntryException("invalid content (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static CachedResponse entry(In in) {
    int flags = in.read();
    if ((flags & ~(CHUNKS | TARGET | COST)) != 0) {
      throw new MalformedEntryException("unknown flags " + flags, null);
    }
    long seconds = unzigzag(in.varlong());
    long nanos = in.varlong();
    if (nanos < 0 || nanos > 999_999_999) {
      throw new MalformedEntryException("invalid nanoseconds " + nanos, null);
    }
    Instant storedAt = Instant.ofEpochSecond(seconds, nanos);
    Target target = (flags & TARGET) != 0 ? new Target(in.string(), in.string()) : null;
    Cost cost = null;
    if ((flags & COST) != 0) {
      Currency currency = Currency.getInstance(in.string());
      long scale = unzigzag(in.varlong());
      if (scale != (int) scale) {
        throw new MalformedEntryException("invalid scale " + scale, null);
      }
      cost = new Cost(new BigDecimal(new BigInteger(in.bytes()), (int) scale), currency);
    }
    if ((flags & CHUNKS) != 0) {
      int n = in.count();
      List<ChatChunk> chunks = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        chunks.add(chunk(in));
      }
      return CachedResponse.ofChunks(chunks, storedAt, target, cost);
    }
    return CachedResponse.ofResponse(response(in), storedAt, target, cost);
  }

  private static ChatResponse response(In in) {
    ChatResponse.Builder b = ChatResponse.builder().id(in.string()).model(in.string()).reasoning(in.string())
        .finishReason(finishReason(in.read()));
    int flags = in.read();
    if ((flags & ~R_USAGE) != 0) {
      throw new MalformedEntryException("unknown response flags " + flags, null);
    }
    int partCount = in.count();
    List<ContentPart> parts = new ArrayList<>(partCount);
    for (int i = 0; i < partCount; i++) {
      parts.add(part(in));
    }
    int callCount = in.count();
    List<ToolCall> calls = new ArrayList<>(callCount);
    for (int i = 0; i < callCount; i++) {
      calls.add(new ToolCall(in.string(), in.string(), in.string()));
    }
    Message base = calls.isEmpty() ? Message.assistant("") : Message.assistantToolCalls(calls);
    b.message(base.withContent(parts));
    if ((flags & R_USAGE) != 0) {
      b.usage(usage(in));
    }
    return b.build();
  }

  /** One content part, as {@link #part(Out, ContentPart)} wrote it. */
  static ContentPart part(In in) {
    int kind = in.read();
    return switch (kind) {
      case PART_TEXT -> ContentPart.text(in.string());
      case PART_IMAGE_URL -> ContentPart.imageUrl(in.string());
      case PART_IMAGE_BYTES -> {
        byte[] bytes = in.bytes();
        yield ContentPart.imageBytes(bytes, in.string());
      }
      default -> throw new MalformedEntryException("unknown content part kind " + kind, null);
    };
  }

  private static ChatChunk chunk(In in) {
    int flags = in.read();
    if ((flags & ~0x7f) != 0) {
      throw new MalformedEntryException("unknown chunk flags " + flags, null);
    }
    ChatChunk.Builder b = ChatChunk.builder();
    if ((flags & C_ID) != 0) {
      b.id(in.string());
    }
    if ((flags & C_MODEL) != 0) {
      b.model(in.string());
    }
    if ((flags & C_TEXT) != 0) {
      b.text(in.string());
    }
    if ((flags & C_REASONING) != 0) {
      b.reasoning(in.string());
    }
    if ((flags & C_TOOL_CALLS) != 0) {
      int n = in.count();
      List<ToolCallDelta> deltas = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long index = in.varlong();
        if (index != (int) index) {
          throw new MalformedEntryException("invalid tool call index " + index, null);
        }
        int f = in.read();
        Optional<String> id = (f & D_ID) != 0 ? Optional.of(in.string()) : Optional.empty();
        Optional<String> name = (f & D_NAME) != 0 ? Optional.of(in.string()) : Optional.empty();
        deltas.add(new ToolCallDelta((int) index, id, name, in.string()));
      }
      b.toolCalls(deltas);
    }
    if ((flags & C_FINISH) != 0) {
      b.finishReason(finishReason(in.read()));
    }
    if ((flags & C_USAGE) != 0) {
      b.usage(usage(in));
    }
    return b.build();
  }

  private static Usage usage(In in) {
    int flags = in.read();
    if ((flags & ~0x3f) != 0) {
      throw new MalformedEntryException("unknown usage flags " + flags, null);
    }
    long[] n = new long[5];
    for (int i = 0; i < 5; i++) {
      n[i] = (flags & (1 << i)) != 0 ? in.varlong() : 0;
    }
    return new Usage(n[0], n[1], n[2], n[3], n[4], (flags & U_ESTIMATED) != 0);
  }

  // ---------------------------------------------------------------------------------------------
  // Primitives

  private static long zigzag(long n) {
    return (n << 1) ^ (n >> 63);
  }

  private static long unzigzag(long n) {
    return (n >>> 1) ^ -(n & 1);
  }

  /** Whether {@code s} is well-formed UTF-16 (no lone surrogate), so UTF-8 keeps it exactly. */
  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** A growable byte buffer with the codec's primitives. */
  static final class Out {
    byte[] buf;
    int size;

    Out(int capacity) {
      buf = new byte[capacity];
    }

    void write(int b) {
      if (size == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[size++] = (byte) b;
    }

    void write(byte[] b) {
      if (size + b.length > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + b.length));
      }
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
    }

    void varlong(long n) {
      while ((n & ~0x7fL) != 0) {
        write((int) (n & 0x7f) | 0x80);
        n >>>= 7;
      }
      write((int) n);
    }

    void bytes(byte[] b) {
      varlong(b.length);
      write(b);
    }

    void string(String s) {
      if (wellFormed(s)) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        varlong((long) utf8.length << 1);
        write(utf8);
      } else {
        varlong((long) s.length() << 1 | 1);
        for (int i = 0; i < s.length(); i++) {
          char c = s.charAt(i);
          write(c >>> 8);
          write(c);
        }
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }
  }

  /** A cursor over {@code [pos, end)} of an entry; every read checks its bounds. */
  static final class In {
    private final byte[] buf;
    private final int end;
    int pos;

    In(byte[] buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    int read() {
      if (pos >= end) {
        throw new MalformedEntryException("truncated", null);
      }
      return buf[pos++] & 0xff;
    }

    long varlong() {
      long n = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = read();
        n |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return n;
        }
      }
      throw new MalformedEntryException("varint too long", null);
    }

    /** A length or count that fits in what is left (each element takes at least one byte). */
    int count() {
      long n = varlong();
      if (n < 0 || n > end - pos) {
        throw new MalformedEntryException("length " + n + " exceeds the " + (end - pos) + " bytes left", null);
      }
      return (int) n;
    }

    byte[] bytes() {
      int n = count();
      byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return b;
    }

    String string() {
      long header = varlong();
      long length = header >>> 1;
      boolean utf16 = (header & 1) != 0;
      long byteCount = utf16 ? length * 2 : length;
      if (length < 0 || byteCount > end - pos) {
        throw new MalformedEntryException("string of " + byteCount + " bytes exceeds the " + (end - pos) + " bytes left", null);
      }
      int n = (int) byteCount;
      String s;
      if (utf16) {
        char[] chars = new char[(int) length];
        for (int i = 0; i < chars.length; i++) {
          chars[i] = (char) ((buf[pos + 2 * i] & 0xff) << 8 | (buf[pos + 2 * i + 1] & 0xff));
        }
        s = new String(chars);
      } else {
        try {
          s = StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(buf, pos, n))
              .toString();
        } catch (CharacterCodingException e) {
          throw new MalformedEntryException("invalid UTF-8", e);
        }
      }
      pos += n;
      return s;
    }
  }
}
