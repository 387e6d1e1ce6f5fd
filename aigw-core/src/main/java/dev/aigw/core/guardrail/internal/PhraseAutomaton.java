package dev.aigw.core.guardrail.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An Aho–Corasick automaton over a set of strings: one pass over a text reports every occurrence
 * of every string, in time linear in the text (plus the occurrences), whatever the number of
 * strings. Built for the deny list's phrases and also used for the prompt-injection detector's
 * anchor words; callers fold text and patterns first ({@link TextNormalizer}).
 *
 * <p>Two departures from exact matching, both what word matchers want:
 *
 * <ul>
 *   <li><b>Word starts.</b> A pattern that begins with a {@linkplain #isWordChar(int) word char}
 *       only matches where a word starts (its first char does not follow a word char), and a
 *       word char that follows a non-word char inside a pattern ({@code "do not"}) must start a
 *       word in the text too. Callers still check the end of a match. Besides saving callers a
 *       check, this keeps the automaton at its root inside words that start no pattern, which is
 *       what makes it fast on prose.
 *   <li><b>White space.</b> A run of white space in the text ({@link TextNormalizer#isSpace(int)}:
 *       spaces, tabs, line breaks, Unicode spaces) matches one space in a pattern; write patterns
 *       with single spaces. Reported starts account for the runs.
 * </ul>
 *
 * <p>The symbols that occur in the patterns form the automaton's alphabet; every other char sends
 * it back to the root. When states × alphabet is small enough (up to {@value #DENSE_LIMIT}
 * entries, which covers thousands of Latin-script phrases) the goto and failure functions are
 * compiled into one transition table, so a step is three array reads; otherwise it keeps the
 * trie's sorted child arrays and follows failure links.
 *
 * <p>Immutable and thread-safe.
 */
public final class PhraseAutomaton {
  /** The largest dense transition table, in entries. */
  static final int DENSE_LIMIT = 1 << 21;
  /** Marks a word char that starts a word, in a symbol. */
  private static final int INITIAL = 0x10000;
  /** 128 for ASCII word chars, 0 for the others: the offset into {@link #asciiClasses} for the next char. */
  private static final int[] AFTER_ASCII = new int[128];

  /** {@link #isWordChar} for the Basic Multilingual Plane, one bit per char. */
  private static final long[] WORD_CHARS = new long[1024];

  static {
    for (int c = 0; c < 0x10000; c++) {
      if (computeIsWordChar(c)) {
        WORD_CHARS[c >>> 6] |= 1L << (c & 63);
      }
    }
    for (char c = 0; c < 128; c++) {
      AFTER_ASCII[c] = isWordChar(c) ? 128 : 0;
    }
  }

  /** Receives occurrences. */
  @FunctionalInterface
  public interface Hits {
    /** Pattern {@code pattern} occurs in the text at {@code [start, end)}. */
    void found(int pattern, int start, int end);
  }

  private final String[] patterns;
  private final boolean[] hasSpace;
  /** Class of each ASCII char at a word start (or not a word char), and in the middle of a word. */
  private final int[] medialClass = new int[128];
  private final int[] initialClass = new int[128];
  /** Both: {@code asciiClasses[c]} after a non-word char, {@code asciiClasses[128 + c]} after a word char. */
  private final int[] asciiClasses = new int[256];
  /** Non-ASCII symbols of the alphabet, sorted, and their classes. */
  private final int[] otherSymbols;
  private final int[] otherClasses;
  /** The class of a white-space run; -1 when no pattern has a space. */
  private final int spaceClass;
  private final int width;
  private final int[][] outputs;
  /**
   * Dense mode: from the state whose row starts at {@code row}, a symbol of class {@code c} leads
   * to the state whose row starts at {@code delta[row + c]}, stored as {@code ~row} when that
   * state has outputs. Null in sparse mode.
   */
  private final int[] delta;
  /** Sparse mode: the trie's children (sorted symbols) and failure links. */
  private final int[][] childSymbols;
  private final int[][] childStates;
  private final int[] fail;

  private PhraseAutomaton(List<String> patterns) {
    this.patterns = patterns.toArray(new String[0]);
    hasSpace = new boolean[patterns.size()];
    TreeSet<Integer> alphabet = new TreeSet<>();
    List<TreeMap<Integer, Integer>> children = new ArrayList<>();
    List<List<Integer>> ends = new ArrayList<>();
    children.add(new TreeMap<>());
    ends.add(new ArrayList<>());
    for (int p = 0; p < patterns.size(); p++) {
      String pattern = Objects.requireNonNull(patterns.get(p), "pattern");
      if (pattern.isEmpty()) {
        throw new IllegalArgumentException("an automaton pattern must not be empty");
      }
      hasSpace[p] = pattern.indexOf(' ') >= 0;
      int state = 0;
      boolean previousWord = false;
      for (int i = 0; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        boolean word = isWordChar(c);
        int symbol = word && !previousWord ? c | INITIAL : c;
        previousWord = word;
        alphabet.add(symbol);
        Integer next = children.get(state).get(symbol);
        if (next == null) {
          next = children.size();
          children.get(state).put(symbol, next);
          children.add(new TreeMap<>());
          ends.add(new ArrayList<>());
        }
        state = next;
      }
      ends.get(state).add(p);
    }
    // the alphabet: class 0 is "a symbol no pattern has"
    List<Integer> others = new ArrayList<>();
    int cls = 1;
    for (int symbol : alphabet) {
      char c = (char) (symbol & 0xFFFF);
      if (c < 128) {
        if ((symbol & INITIAL) != 0) {
          initialClass[c] = cls++;
        } else {
          medialClass[c] = cls++;
        }
      } else {
        others.add(symbol);
      }
    }
    otherSymbols = new int[others.size()];
    otherClasses = new int[others.size()];
    for (int i = 0; i < others.size(); i++) {
      otherSymbols[i] = others.get(i);
      otherClasses[i] = cls++;
    }
    width = cls;
    spaceClass = medialClass[' '] == 0 ? -1 : medialClass[' '];
    for (char c = 0; c < 128; c++) {
      if (spaceClass > 0 && TextNormalizer.isSpace(c)) {
        medialClass[c] = spaceClass;
      }
      if (!isWordChar(c)) {
        initialClass[c] = medialClass[c]; // only word chars start words
      }
    }
    for (char c = 0; c < 128; c++) {
      asciiClasses[c] = initialClass[c];
      asciiClasses[128 + c] = medialClass[c];
    }

    // number the states breadth first, so that the shallow states a scan visits most share cache lines
    int states = children.size();
    int[] renumbered = new int[states];
    int[] queue = new int[states];
    int head = 0;
    int tail = 0;
    queue[tail++] = 0;
    while (head < tail) {
      int s = queue[head];
      renumbered[s] = head++;
      for (int child : children.get(s).values()) {
        queue[tail++] = child;
      }
    }
    childSymbols = new int[states][];
    childStates = new int[states][];
    List<List<Integer>> renumberedEnds = new ArrayList<>(ends);
    for (int s = 0; s < states; s++) {
      TreeMap<Integer, Integer> map = children.get(s);
      int r = renumbered[s];
      childSymbols[r] = new int[map.size()];
      childStates[r] = new int[map.size()];
      renumberedEnds.set(r, ends.get(s));
      int k = 0;
      for (Map.Entry<Integer, Integer> e : map.entrySet()) {
        childSymbols[r][k] = e.getKey();
        childStates[r][k++] = renumbered[e.getValue()];
      }
    }
    ends = renumberedEnds;
    // failure links and outputs, breadth first
    fail = new int[states];
    outputs = new int[states][];
    int[] order = breadthFirstOrder(states);
    outputs[0] = toArray(ends.get(0), null);
    for (int s : order) {
      if (s != 0) {
        outputs[s] = toArray(ends.get(s), outputs[fail[s]]);
      }
      for (int k = 0; k < childSymbols[s].length; k++) {
        int symbol = childSymbols[s][k];
        int child = childStates[s][k];
        if (s == 0) {
          fail[child] = 0;
          continue;
        }
        int f = fail[s];
        while (f != 0 && child(f, symbol) < 0) {
          f = fail[f];
        }
        int target = child(f, symbol);
        fail[child] = target >= 0 ? target : 0;
      }
    }
    // dense table when it is small enough
    if ((long) states * width <= DENSE_LIMIT) {
      int[] classSymbols = new int[width];
      for (char c = 0; c < 128; c++) {
        if (medialClass[c] != 0 && c != ' ' && medialClass[c] == spaceClass) {
          continue;
        }
        if (medialClass[c] != 0) {
          classSymbols[medialClass[c]] = c;
        }
        if (initialClass[c] != 0 && isWordChar(c)) {
          classSymbols[initialClass[c]] = c | INITIAL;
        }
      }
      for (int i = 0; i < otherSymbols.length; i++) {
        classSymbols[otherClasses[i]] = otherSymbols[i];
      }
      int[] table = new int[states * width];
      for (int s : order) {
        for (int c = 1; c < width; c++) {
          int child = child(s, classSymbols[c]);
          table[s * width + c] = child >= 0 ? child : s == 0 ? 0 : table[fail[s] * width + c];
        }
      }
      // from state numbers to row offsets, output states flagged by complement
      for (int i = 0; i < table.length; i++) {
        int target = table[i];
        table[i] = outputs[target] != null ? ~(target * width) : target * width;
      }
      delta = table;
    } else {
      delta = null;
    }
  }

  /**
   * An automaton for {@code patterns}; pattern {@code i} is reported as {@code i}.
   *
   * @throws IllegalArgumentException when a pattern is empty
   */
  public static PhraseAutomaton of(List<String> patterns) {
    return new PhraseAutomaton(List.copyOf(patterns));
  }

  /**
   * Whether {@code c} is part of a word: a letter, digit, mark or {@code _}, except in scripts
   * written without spaces between words (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar,
   * Tibetan), where every char can start or end a word.
   */
  public static boolean isWordChar(int c) {
    return c < 0x10000 ? (WORD_CHARS[c >>> 6] & 1L << (c & 63)) != 0 : computeIsWordChar(c);
  }

  private static boolean computeIsWordChar(int c) {
    if (c < 0x80) {
      return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c >= 'A' && c <= 'Z';
    }
    if (c >= 0x0E00 && c <= 0x0FFF // Thai, Lao, Tibetan
        || c >= 0x1000 && c <= 0x109F // Myanmar
        || c >= 0x1780 && c <= 0x17FF // Khmer
        || c >= 0x3040 && c <= 0x30FF // Hiragana, Katakana
        || c >= 0x3400 && c <= 0x4DBF || c >= 0x4E00 && c <= 0x9FFF || c >= 0xF900 && c <= 0xFAFF // Han
        || c >= 0x20000 && c <= 0x3FFFF) {
      return false;
    }
    if (Character.isLetterOrDigit(c)) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  /** The number of patterns. */
  public int patternCount() {
    return patterns.length;
  }

  /** The length, in chars, of pattern {@code pattern} (a match may be longer: runs of white space). */
  public int patternLength(int pattern) {
    return patterns[pattern].length();
  }

  /** Whether it compiled a dense transition table. */
  boolean dense() {
    return delta != null;
  }

  /** Reports every occurrence of every pattern in {@code text}, in order of their ends. */
  public void scan(String text, Hits hits) {
    char[] chars = text.toCharArray(); // array reads are cheaper than charAt, above all for UTF-16 strings
    int n = chars.length;
    boolean previousSpace = false;
    boolean previousWord = false;
    if (delta != null) {
      int[] table = delta;
      int[] classes = asciiClasses;
      int[] after = AFTER_ASCII;
      int space = spaceClass;
      int row = 0;
      int offset = 0; // 128 after a word char
      for (int i = 0; i < n; i++) {
        char c = chars[i];
        int cls;
        if (c < 128) {
          cls = classes[offset + c];
          offset = after[c];
        } else {
          boolean word = isWordChar(c);
          cls = otherClass(c, word && offset == 0);
          offset = word ? 128 : 0;
        }
        boolean isSpace = cls == space;
        if (isSpace & previousSpace) {
          continue; // a run of white space is one space
        }
        previousSpace = isSpace;
        int next = table[row + cls];
        if (next < 0) {
          next = ~next;
          for (int p : outputs[next / width]) {
            hits.found(p, start(chars, p, i + 1), i + 1);
          }
        }
        row = next;
      }
      return;
    }
    int state = 0;
    for (int i = 0; i < n; i++) {
      char c = chars[i];
      boolean word = isWordChar(c);
      int symbol = word && !previousWord ? c | INITIAL : c;
      previousWord = word;
      if (spaceClass >= 0 && TextNormalizer.isSpace(c)) {
        if (previousSpace) {
          continue;
        }
        previousSpace = true;
        symbol = ' ';
      } else {
        previousSpace = false;
      }
      int next;
      while ((next = child(state, symbol)) < 0 && state != 0) {
        state = fail[state];
      }
      state = next < 0 ? 0 : next;
      int[] out = outputs[state];
      if (out != null) {
        for (int p : out) {
          hits.found(p, start(chars, p, i + 1), i + 1);
        }
      }
    }
  }


  /** Where an occurrence of {@code pattern} ending at {@code end} starts, its spaces having matched runs. */
  private int start(char[] text, int pattern, int end) {
    String p = patterns[pattern];
    if (!hasSpace[pattern]) {
      return end - p.length();
    }
    int i = end;
    for (int k = p.length() - 1; k >= 0; k--) {
      i--;
      if (p.charAt(k) == ' ') {
        while (i > 0 && TextNormalizer.isSpace(text[i - 1])) {
          i--;
        }
      }
    }
    return i;
  }

  private int otherClass(char c, boolean initial) {
    if (spaceClass > 0 && TextNormalizer.isSpace(c)) {
      return spaceClass;
    }
    if (otherSymbols.length == 0) {
      return 0;
    }
    int k = Arrays.binarySearch(otherSymbols, initial ? c | INITIAL : c);
    return k < 0 ? 0 : otherClasses[k];
  }

  private int child(int state, int symbol) {
    int k = Arrays.binarySearch(childSymbols[state], symbol);
    return k < 0 ? -1 : childStates[state][k];
  }

  private int[] breadthFirstOrder(int states) {
    int[] order = new int[states];
    int head = 0;
    int tail = 0;
    order[tail++] = 0;
    while (head < tail) {
      int s = order[head++];
      for (int child : childStates[s]) {
        order[tail++] = child;
      }
    }
    return order;
  }

  private static int[] toArray(List<Integer> own, int[] inherited) {
    if (own.isEmpty()) {
      return inherited;
    }
    int extra = inherited == null ? 0 : inherited.length;
    int[] out = new int[own.size() + extra];
    for (int i = 0; i < own.size(); i++) {
      out[i] = own.get(i);
    }
    if (inherited != null) {
      System.arraycopy(inherited, 0, out, own.size(), extra);
    }
    return out;
  }
}
