package dev.aigw.core.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.aigw.api.ChatRequest;
import java.util.Objects;

/**
 * A counter backed by one of OpenAI's byte-level BPE encodings, through JTokkit. Each encoding is
 * loaded once, on first use, and shared ({@link Encoding} is thread-safe).
 */
final class BpeTokenCounter implements TokenCounter, ChatFormat.TextMeasure {
  private final EncodingType type;
  private final String name;

  BpeTokenCounter(EncodingType type) {
    if (type != EncodingType.O200K_BASE && type != EncodingType.CL100K_BASE) {
      throw new IllegalArgumentException("unsupported encoding " + type);
    }
    this.type = type;
    this.name = type.getName();
  }

  /** The encoding, loaded by the first call (holder idiom: class initialization is lazy and thread-safe). */
  private Encoding encoding() {
    return type == EncodingType.O200K_BASE ? O200k.ENCODING : Cl100k.ENCODING;
  }

  @Override
  public int count(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      return 0;
    }
    // Ordinary: special-token text such as "<|endoftext|>" is counted as plain text, never rejected.
    return encoding().countTokensOrdinary(wellFormed(text));
  }

  /**
   * {@code text} with each lone surrogate replaced by U+FFFD, as a UTF-8 encoder would; {@code text}
   * itself when it has none (the usual case, found without allocating). JTokkit's cl100k parser
   * asserts well-formed input and fails under {@code -ea} otherwise.
   */
  static String wellFormed(String text) {
    int len = text.length();
    int i = 0;
    while (i < len) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1))) {
        i += 2;
      } else if (Character.isSurrogate(c)) {
        break;
      } else {
        i++;
      }
    }
    if (i == len) {
      return text;
    }
    StringBuilder sb = new StringBuilder(len).append(text, 0, i);
    while (i < len) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1))) {
        sb.append(c).append(text.charAt(i + 1));
        i += 2;
      } else {
        sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
        i++;
      }
    }
    return sb.toString();
  }

  @Override
  public long text(String text) {
    return count(text);
  }

  @Override
  public long json(String json) {
    return count(ChatFormat.compactJson(json));
  }

  @Override
  public int count(ChatRequest request) {
    return ChatFormat.saturate(ChatFormat.measure(request, this));
  }

  @Override
  public int upperBound(ChatRequest request) {
    return ChatFormat.saturate(ChatFormat.measure(request, ChatFormat.UTF8_BOUND));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "TokenCounter[" + name + "]";
  }

  private static final class O200k {
    static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private static final class Cl100k {
    static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }
}
