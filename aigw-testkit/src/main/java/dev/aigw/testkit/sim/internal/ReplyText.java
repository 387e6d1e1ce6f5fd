package dev.aigw.testkit.sim.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The simulated answer's tokens. With a configured reply text, the text cut into pieces of four
 * characters (one token each), repeated when more tokens are asked for; otherwise words from a
 * small vocabulary picked by a hash of the prompt and the token's index, so the same prompt always
 * gets the same answer. Each generated token is four characters (a space and a three-letter word),
 * the first capitalised and without the space.
 */
public final class ReplyText {
  private static final String[] WORDS = {
    "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one",
    "our", "out", "day", "get", "has", "him", "his", "how", "man", "new", "now", "old", "see", "two",
    "way", "who", "did", "its", "let", "put", "say", "she", "too", "use", "sky", "sea", "sun", "map",
    "key", "run", "set", "top", "low", "big", "few", "far", "end", "yes", "why", "art", "fit", "job",
  };

  private final List<String> pieces;
  private final List<String> escaped;

  /** @param replyText the fixed answer, or null for generated words */
  public ReplyText(@Nullable String replyText) {
    List<String> p = new ArrayList<>();
    List<String> e = new ArrayList<>();
    if (replyText != null) {
      JsonStringEncoder encoder = JsonStringEncoder.getInstance();
      for (int i = 0; i < replyText.length(); i += SimConfig.CHARS_PER_TOKEN) {
        String piece = replyText.substring(i, Math.min(replyText.length(), i + SimConfig.CHARS_PER_TOKEN));
        p.add(piece);
        e.add(new String(encoder.quoteAsString(piece)));
      }
    }
    this.pieces = List.copyOf(p);
    this.escaped = List.copyOf(e);
  }

  /** The answer's natural length in tokens: the reply text's, or {@code defaultTokens}. */
  public int naturalTokens(int defaultTokens) {
    return pieces.isEmpty() ? defaultTokens : pieces.size();
  }

  /** Token {@code index} of the answer to a prompt whose hash is {@code seed}. */
  public String token(long seed, int index) {
    if (!pieces.isEmpty()) {
      return pieces.get(index % pieces.size());
    }
    String word = WORDS[(int) Long.remainderUnsigned(BlockHashes.mix(seed + index * 0x9e3779b97f4a7c15L), WORDS.length)];
    return index == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word;
  }

  /** {@link #token} escaped for a JSON string. */
  public String jsonToken(long seed, int index) {
    return escaped.isEmpty() ? token(seed, index) : escaped.get(index % escaped.size());
  }

  /** The first {@code tokens} tokens joined. */
  public String text(long seed, int tokens) {
    StringBuilder sb = new StringBuilder(tokens * SimConfig.CHARS_PER_TOKEN);
    for (int i = 0; i < tokens; i++) {
      sb.append(token(seed, i));
    }
    return sb.toString();
  }
}
