package dev.aigw.core.cache.semantic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A veto for semantic-cache hits: rejects two questions that sentence embeddings rate as near
 * identical but that ask different things in almost the same words. Use it after the similarity
 * threshold: a hit needs {@code similarity >= threshold && LexicalGuard.sameQuestion(a, b)}.
 *
 * <p>Why: a sentence embedding (all-MiniLM-L6-v2, and bge-small-en-v1.5 alike) is nearly blind to
 * which way round words stand and to one changed word when the rest is the same. On aigw's
 * labelled pairs it rated "convert a string to an integer in Java" against "an integer to a
 * string" at 0.997, "5 miles to kilometers" against "5 kilometers to miles" at 0.992, and "when
 * does the store open" against "close", "foods high in iron" against "low", "what to eat" against
 * "what not to eat" at about 0.94 — above most true paraphrases, so no threshold separates them.
 * A paraphrase, in contrast, says the same thing in other words.
 *
 * <p>The rules, on lower-cased words with articles and common function words left out and a
 * plural {@code s} stripped (so case, punctuation and "Saturday"/"Saturdays" do not matter):
 *
 * <ol>
 *   <li><b>Numbers must match</b>: the numbers in both texts, as multisets ("15% of 200" is not
 *       "25% of 200"; "fifteen percent" is not "15%" either, a recall cost).
 *   <li><b>Same words in another order is another question</b>: when both hold the same content
 *       words in a different order ("miles to kilometers", "kilometers to miles"). A paraphrase
 *       that only moves words around ("in Java, how do I ..." / "how do I ... in Java") is
 *       rejected too, a recall cost.
 *   <li><b>One changed word is another question</b>: when the content words differ by at most one
 *       word on each side, and do differ ("open"/"close", "Mac"/"Windows", "eat"/"not eat"). A
 *       one-word synonym swap ("store"/"shop") is rejected too, a recall cost; texts that differ
 *       only in function words, case or punctuation pass.
 * </ol>
 *
 * English only; for other languages the rules see every word as content. Stateless and
 * thread-safe.
 */
public final class LexicalGuard {
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:'[\\p{L}]+)?");

  private static final Set<String> ARTICLES = Set.of("a", "an", "the");

  /** Words that carry no topic of their own; negations are not among them. */
  private static final Set<String> FUNCTION_WORDS = Set.of(
      "is", "are", "was", "were", "be", "been", "am", "do", "does", "did",
      "i", "me", "my", "you", "your", "we", "our", "it", "its", "this", "that", "there",
      "what", "what's", "which", "who", "whom", "how", "when", "where", "why",
      "can", "could", "would", "should", "will", "shall", "may", "might", "must",
      "of", "in", "on", "at", "for", "to", "from", "by", "with", "about", "into", "as",
      "and", "or", "so", "if", "then", "than", "please", "tell", "explain", "way", "s");

  /** Words whose insertion turns a question into another one. */
  private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "without", "except", "non", "nothing", "none");

  private LexicalGuard() {}

  /**
   * {@return whether {@code a} and {@code b}, already judged similar by their embeddings, may be
   * taken as the same question}
   *
   * @param a one question
   * @param b the other question
   */
  public static boolean sameQuestion(String a, String b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    if (!numbers(a).equals(numbers(b))) {
      return false;
    }
    Words wordsA = words(a);
    Words wordsB = words(b);
    if (wordsA.content().equals(wordsB.content())) {
      return true;
    }
    Map<String, Integer> countsA = counts(wordsA.content());
    Map<String, Integer> countsB = counts(wordsB.content());
    if (countsA.equals(countsB)) {
      // The same content words in another order: another question when the frame is the same.
      return !wordsA.frame().equals(wordsB.frame());
    }
    Set<String> onlyA = new HashSet<>(countsA.keySet());
    onlyA.removeAll(countsB.keySet());
    Set<String> onlyB = new HashSet<>(countsB.keySet());
    onlyB.removeAll(countsA.keySet());
    if (onlyA.size() == 1 && onlyB.size() == 1) {
      return false; // one word replaced by another
    }
    if (onlyA.isEmpty() && onlyB.size() == 1) {
      return !NEGATIONS.contains(onlyB.iterator().next());
    }
    if (onlyB.isEmpty() && onlyA.size() == 1) {
      return !NEGATIONS.contains(onlyA.iterator().next());
    }
    return true;
  }

  /** A text's content words, and its frame: the function words, in order. */
  record Words(List<String> content, List<String> frame) {}

  static Map<String, Integer> numbers(String text) {
    Map<String, Integer> numbers = new HashMap<>();
    Matcher m = NUMBER.matcher(text);
    while (m.find()) {
      numbers.merge(m.group().replace(",", ""), 1, Integer::sum);
    }
    return numbers;
  }

  static Words words(String text) {
    List<String> content = new ArrayList<>();
    List<String> frame = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT).replace('\u2019', '\''));
    while (m.find()) {
      String w = m.group();
      if (w.endsWith("n't")) {
        content.add("not"); // "don't", "isn't": the negation is what counts
        continue;
      }
      if (w.endsWith("'s")) {
        w = w.substring(0, w.length() - 2);
      }
      if (NUMBER.matcher(w).matches() || ARTICLES.contains(w)) {
        continue;
      }
      if (FUNCTION_WORDS.contains(w)) {
        frame.add(w);
      } else {
        content.add(stem(w));
      }
    }
    return new Words(content, frame);
  }

  private static String stem(String w) {
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }

  private static Map<String, Integer> counts(List<String> words) {
    Map<String, Integer> counts = new HashMap<>();
    for (String w : words) {
      counts.merge(w, 1, Integer::sum);
    }
    return counts;
  }
}
