package dev.aigw.core.guardrail.internal;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Folds text so that look-alike spellings compare equal, and keeps the way back to the original
 * offsets. Guardrails match on the folded text and report positions in the original.
 *
 * <p>What it does, per code point, in this order:
 *
 * <ol>
 *   <li><b>Drops invisible characters</b>: every format character (general category Cf: zero-width
 *       space, non-joiner and joiner U+200B–U+200D, word joiner U+2060, invisible operators
 *       U+2061–U+2064, BOM U+FEFF, soft hyphen U+00AD, the bidirectional controls U+200E, U+200F,
 *       U+202A–U+202E, U+2066–U+2069, the tag characters U+E0000–U+E007F, …), the variation
 *       selectors U+FE00–U+FE0F and U+E0100–U+E01EF, the combining grapheme joiner U+034F and the
 *       Mongolian vowel separator U+180E.
 *   <li><b>NFKC</b>, applied to each base character together with the combining marks that follow
 *       it (fullwidth {@code ｉ} → {@code i}, ligature {@code ﬁ} → {@code fi}, mathematical bold
 *       {@code 𝐢} → {@code i}, {@code e}+U+0301 → {@code é}, no-break and other Unicode spaces →
 *       U+0020). With {@linkplain #of(boolean, boolean) diacritic stripping} it is NFKD without the
 *       non-spacing marks, recomposed with NFC ({@code ï} → {@code i}).
 *   <li><b>Homoglyphs</b>: Cyrillic, Greek, Armenian and IPA letters that look like Latin letters
 *       become that Latin letter ({@link Homoglyphs}).
 *   <li><b>Case folding</b>, independent of the locale: {@code toLowerCase(toUpperCase(c))} per code
 *       point (so {@code ſ} → {@code s}, {@code ς} → {@code σ}, {@code ı} → {@code i}), plus
 *       {@code ß}/{@code ẞ} → {@code ss} and {@code İ} → {@code i}.
 *   <li><b>Punctuation</b>: curly single quotes and primes ({@code ‘ ’ ‚ ‛ ′ ‵}) → {@code '},
 *       curly double quotes ({@code “ ” „ ‟ ″ ‶}) → {@code "}, hyphens and dashes (U+2010–U+2015,
 *       minus sign U+2212) → {@code -}.
 *   <li><b>Leetspeak</b>, only when {@linkplain #of(boolean, boolean) asked for}: {@code 0→o,
 *       3→e, 4→a, 5→s, 7→t}, {@code @→a}, {@code $→s}, and {@code 1}, {@code l} and {@code i} all
 *       become {@code i} (so that {@code k1ll}, {@code kiil} and {@code kill} meet; the folded text
 *       is for matching, not for reading).
 * </ol>
 *
 * <p><b>White space is kept</b>, char for char (tabs and line breaks included; NFKC has already
 * turned the exotic spaces into U+0020). Matchers treat a run of white space as one space
 * ({@link PhraseAutomaton} does, and the injection rules' gaps do), so that {@code "acme  corp"}
 * and {@code "acme\ncorp"} find the phrase {@code "acme corp"} while offsets stay simple and line
 * structure stays visible.
 *
 * <p>Each char of the folded text maps back to the span of the original that produced it: one
 * char ({@code A} → {@code a}), a surrogate pair ({@code 𝐢} → {@code i}), or a base with its marks;
 * a char that expands ({@code ß} → {@code ss}, {@code ﬁ} → {@code fi}) maps every output char to
 * the whole source. Dropped characters belong to no output char, so a span of the folded text
 * maps to the original from the start of its first char's source to the end of its last char's
 * source: it includes dropped characters inside the span, never ones just before or after it.
 *
 * <p>Plain ASCII takes a fast path: one check pass, then the text itself when it has no upper
 * case, or one lower-case copy; the offset map is identity. Other text builds its map on first
 * use, by folding again with bookkeeping, so scanning text without findings never pays for it.
 *
 * <p>Also counts, for the prompt-injection detector, the suspicious invisible characters it
 * dropped ({@link Normalized#tagCharacters()}, {@link Normalized#zeroWidthInWords()}, {@link
 * Normalized#bidiControls()}) and the look-alike letters it folded inside Latin words ({@link
 * Normalized#confusablesInLatinWords()}).
 *
 * <p>Immutable and thread-safe.
 */
public final class TextNormalizer {
  private static final TextNormalizer STANDARD = new TextNormalizer(false, false);

  /** NFKC stability of each code point, computed lazily per block of 256; one table per mode. */
  private static final AtomicReferenceArray<long[]> STABLE_NFKC = new AtomicReferenceArray<>(0x110000 >> 8);
  private static final AtomicReferenceArray<long[]> STABLE_STRIPPED = new AtomicReferenceArray<>(0x110000 >> 8);
  /**
   * {@link #charInfo} tables, per block of 256 BMP chars, one per mode. Filled lazily without
   * locks: a block is published through the final field of {@link InfoBlock}, so a thread that
   * sees it sees its contents; two threads may compute the same block, with the same result.
   */
  private static final InfoBlock[] INFO_NFKC = new InfoBlock[256];
  private static final InfoBlock[] INFO_STRIPPED = new InfoBlock[256];
  private static final int ALONE = 1 << 16;
  private static final int CONFUSABLE = 1 << 17;
  private static final int LETTER = 1 << 18;
  private static final int DROPPED = 1 << 19;
  private static final int MARK = 1 << 20;

  private final boolean foldLeetspeak;
  private final boolean stripDiacritics;
  /** What each ASCII char folds to. */
  private final char[] asciiFold = new char[128];

  private TextNormalizer(boolean foldLeetspeak, boolean stripDiacritics) {
    this.foldLeetspeak = foldLeetspeak;
    this.stripDiacritics = stripDiacritics;
    for (char c = 0; c < 128; c++) {
      char folded = c >= 'A' && c <= 'Z' ? (char) (c + 'a' - 'A') : c;
      asciiFold[c] = foldLeetspeak ? leet(folded) : folded;
    }
  }

  /** The standard folding: no leetspeak, diacritics kept (NFKC composes them). */
  public static TextNormalizer standard() {
    return STANDARD;
  }

  /**
   * A folding with the given options (see the class description).
   *
   * @param foldLeetspeak whether to fold leetspeak digits and symbols
   * @param stripDiacritics whether to remove diacritics
   */
  public static TextNormalizer of(boolean foldLeetspeak, boolean stripDiacritics) {
    return !foldLeetspeak && !stripDiacritics ? STANDARD : new TextNormalizer(foldLeetspeak, stripDiacritics);
  }

  /** Whether digits and symbols are folded as leetspeak. */
  public boolean foldsLeetspeak() {
    return foldLeetspeak;
  }

  /** Whether diacritics are stripped. */
  public boolean stripsDiacritics() {
    return stripDiacritics;
  }

  /** Folds {@code text}. */
  public Normalized normalize(String text) {
    Objects.requireNonNull(text, "text");
    int n = text.length();
    boolean fold = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return general(text, false);
      }
      fold |= asciiFold[c] != c;
    }
    if (!fold) {
      return new Normalized(this, text, text, true);
    }
    if (!foldLeetspeak) {
      return new Normalized(this, text, text.toLowerCase(Locale.ROOT), true);
    }
    char[] out = new char[n];
    for (int i = 0; i < n; i++) {
      out[i] = asciiFold[text.charAt(i)];
    }
    return new Normalized(this, text, new String(out), true);
  }

  /** The general path for any text; package-private so that tests can compare it with the fast path. */
  Normalized general(String text, boolean withMap) {
    Folding f = new Folding(text.length(), withMap);
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c >= 0x80 && !Character.isSurrogate(c)) {
        // most non-ASCII chars fold alone, by table
        int info = charInfo(c);
        if ((info & DROPPED) != 0) {
          f.dropped(c);
          i++;
          continue;
        }
        if ((info & ALONE) != 0 && (i + 1 == n || !followedByMark(text, i + 1))) {
          f.emitFolded((char) info, i, i + 1, (info & CONFUSABLE) != 0, (info & LETTER) != 0);
          i++;
          continue;
        }
      }
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (isDropped(cp)) {
        f.dropped(cp);
        i = next;
        continue;
      }
      if (cp < 0x80 && (next == n || !clustersWithPrevious(text.codePointAt(next)))) {
        f.emit(cp, i, next, true);
        // the rest of an ASCII run in bulk (its last char stays out if a combining mark follows it)
        int runEnd = next;
        while (runEnd < n && text.charAt(runEnd) < 0x80) {
          runEnd++;
        }
        if (runEnd < n && runEnd > next && clustersWithPrevious(text.codePointAt(runEnd))) {
          runEnd--;
        }
        if (runEnd > next) {
          f.asciiRun(text, next, runEnd);
        }
        i = runEnd;
        continue;
      }
      int clusterEnd = next;
      while (clusterEnd < n) {
        int mark = text.codePointAt(clusterEnd);
        if (!clustersWithPrevious(mark)) {
          break;
        }
        clusterEnd += Character.charCount(mark);
      }
      if (clusterEnd == next && cp >= 0x80 && isStable(cp)) {
        f.emit(cp, i, next, false);
      } else {
        String folded = decompose(text.substring(i, clusterEnd));
        for (int k = 0; k < folded.length(); ) {
          int out = folded.codePointAt(k);
          k += Character.charCount(out);
          if (isDropped(out)) {
            f.dropped(out);
          } else {
            f.emit(out, i, clusterEnd, false);
          }
        }
      }
      i = clusterEnd;
    }
    return f.result(this, text);
  }

  private String decompose(String s) {
    if (!stripDiacritics) {
      return Normalizer.normalize(s, Normalizer.Form.NFKC);
    }
    String d = Normalizer.normalize(s, Normalizer.Form.NFKD);
    StringBuilder sb = new StringBuilder(d.length());
    for (int k = 0; k < d.length(); ) {
      int cp = d.codePointAt(k);
      k += Character.charCount(cp);
      if (Character.getType(cp) != Character.NON_SPACING_MARK) {
        sb.appendCodePoint(cp);
      }
    }
    return Normalizer.normalize(sb, Normalizer.Form.NFC);
  }

  /** Whether the char at {@code at} is a combining mark (or another char that clusters with the one before). */
  private boolean followedByMark(String text, int at) {
    char c = text.charAt(at);
    if (c < 0x300) {
      return false;
    }
    return Character.isSurrogate(c) ? clustersWithPrevious(text.codePointAt(at)) : (charInfo(c) & MARK) != 0;
  }

  /**
   * What folding does to a BMP char on its own: the folded char in the low 16 bits with {@link
   * #ALONE} when it folds alone to one char, or {@link #DROPPED}, or {@link #MARK} for a char that
   * clusters with the one before, or 0 for the general way (NFKC expansions, ß). Computed per
   * block of 256 chars on first use, one table per mode.
   */
  private int charInfo(char c) {
    InfoBlock[] table = stripDiacritics ? INFO_STRIPPED : INFO_NFKC;
    InfoBlock block = table[c >>> 8];
    if (block == null) {
      int[] infos = new int[256];
      for (int k = 0; k < 256; k++) {
        infos[k] = computeInfo((char) ((c & 0xFF00) | k));
      }
      block = table[c >>> 8] = new InfoBlock(infos);
    }
    return block.infos[c & 0xFF];
  }

  /** One block of {@link #charInfo}, immutable once built. */
  private static final class InfoBlock {
    final int[] infos;

    InfoBlock(int[] infos) {
      this.infos = infos;
    }
  }

  private int computeInfo(char c) {
    if (Character.isSurrogate(c)) {
      return 0;
    }
    if (isDropped(c)) {
      return DROPPED;
    }
    if (clustersWithPrevious(c)) {
      return MARK;
    }
    if (c < 0x80 || c == 0xDF || c == 0x1E9E) {
      return 0;
    }
    if (!isStable(c)) {
      // a char whose NFKC (or stripped form) is one other char, like fullwidth letters: fold that one
      String alone = decompose(String.valueOf(c));
      if (alone.length() != 1 || alone.charAt(0) < 0x80 || isDropped(alone.charAt(0))
          || clustersWithPrevious(alone.charAt(0)) || !isStable(alone.charAt(0))) {
        return alone.length() == 1 && alone.charAt(0) < 0x80 && !isDropped(alone.charAt(0))
            ? ALONE | (Character.isLetter(alone.charAt(0)) ? LETTER : 0) | asciiCaseFold(alone.charAt(0)) : 0;
      }
      c = alone.charAt(0);
    }
    int confusable = 0;
    int folded = Homoglyphs.toLatin(c);
    if (folded >= 0) {
      confusable = CONFUSABLE;
    } else if (c == 0x130) {
      folded = 'i';
    } else {
      folded = Character.toLowerCase(Character.toUpperCase((int) c));
      int latin = Homoglyphs.toLatin(folded);
      if (latin >= 0) {
        folded = latin;
        confusable = CONFUSABLE;
      }
      folded = foldPunctuation(folded);
    }
    if (folded > 0xFFFF || Character.isSurrogate((char) folded)) {
      return 0;
    }
    return ALONE | confusable | (Character.isLetter(folded) ? LETTER : 0) | folded;
  }

  private boolean isStable(int cp) {
    AtomicReferenceArray<long[]> table = stripDiacritics ? STABLE_STRIPPED : STABLE_NFKC;
    int block = cp >>> 8;
    long[] bits = table.get(block);
    if (bits == null) {
      bits = new long[4];
      for (int k = 0; k < 256; k++) {
        int c = block << 8 | k;
        if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
          continue;
        }
        String s = new String(Character.toChars(c));
        if (!clustersWithPrevious(c) && decompose(s).equals(s)) {
          bits[k >>> 6] |= 1L << (k & 63);
        }
      }
      table.compareAndSet(block, null, bits);
    }
    return (bits[(cp & 0xFF) >>> 6] & 1L << (cp & 63)) != 0;
  }

  /** Whether {@code cp} is removed before matching (see the class description). */
  static boolean isDropped(int cp) {
    if (cp < 0xAD) {
      return false;
    }
    return Character.getType(cp) == Character.FORMAT
        || cp == 0x034F
        || cp == 0x180E
        || cp >= 0xFE00 && cp <= 0xFE0F
        || cp >= 0xE0100 && cp <= 0xE01EF;
  }

  /** Whether {@code cp} is white space, as matchers see it. */
  public static boolean isSpace(int cp) {
    if (cp <= ' ') {
      return cp == ' ' || cp >= '\t' && cp <= '\r' || cp >= 0x1C && cp <= 0x1F;
    }
    // the Unicode space separators, line and paragraph separators (Character.isWhitespace or isSpaceChar)
    return cp >= 0xA0 && (cp == 0xA0 || cp == 0x1680 || cp >= 0x2000 && cp <= 0x200A || cp == 0x2028
        || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000);
  }

  private static boolean clustersWithPrevious(int cp) {
    if (cp < 0x300) {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || cp >= 0x1160 && cp <= 0x11FF // Hangul medial and final jamo compose with the initial
        || cp >= 0xD7B0 && cp <= 0xD7FF;
  }

  private static char asciiCaseFold(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 'a' - 'A') : c;
  }

  private static char leet(char c) {
    switch (c) {
      case '0': return 'o';
      case '1': case 'l': return 'i';
      case '3': return 'e';
      case '4': case '@': return 'a';
      case '5': case '$': return 's';
      case '7': return 't';
      default: return c;
    }
  }

  private static int foldPunctuation(int cp) {
    switch (cp) {
      case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035:
        return '\'';
      case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x2036:
        return '"';
      case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
        return '-';
      default:
        return cp;
    }
  }

  /** The general path's output under construction. */
  private final class Folding {
    private char[] out;
    private int length;
    private int[] starts;
    private int[] ends;
    // statistics
    private int tagCharacters;
    private int zeroWidthInWords;
    private int bidiControls;
    private int confusablesInLatinWords;
    private int pendingZeroWidth;
    /** 0 other, 1 a Latin letter written as such, 2 a folded look-alike not counted yet, 3 counted. */
    private int lastLetterKind;

    Folding(int capacity, boolean withMap) {
      out = new char[capacity + 8];
      if (withMap) {
        starts = new int[capacity + 8];
        ends = new int[capacity + 8];
      }
    }

    /** ASCII chars {@code [from, to)} after an ASCII char: folded by table, same bookkeeping as {@link #append}. */
    void asciiRun(String text, int from, int to) {
      ensureCapacity(length + to - from);
      char[] fold = asciiFold;
      char last = 0;
      for (int i = from; i < to; i++) {
        last = fold[text.charAt(i)];
        if (starts != null) {
          starts[length] = i;
          ends[length] = i + 1;
        }
        out[length++] = last;
      }
      lastLetterKind = last >= 'a' && last <= 'z' ? 1 : 0;
      pendingZeroWidth = 0;
    }

    private void ensureCapacity(int capacity) {
      if (capacity > out.length) {
        int size = Math.max(capacity, out.length * 2);
        out = Arrays.copyOf(out, size);
        if (starts != null) {
          starts = Arrays.copyOf(starts, size);
          ends = Arrays.copyOf(ends, size);
        }
      }
    }

    void dropped(int cp) {
      if (cp >= 0xE0000 && cp <= 0xE007F) {
        tagCharacters++;
      } else if (cp >= 0x202A && cp <= 0x202E || cp >= 0x2066 && cp <= 0x2069) {
        bidiControls++;
      } else if ((cp >= 0x200B && cp <= 0x200D || cp >= 0x2060 && cp <= 0x2064 || cp == 0xFEFF || cp == 0x180E)
          && lastLetterKind != 0) {
        pendingZeroWidth++;
      }
    }

    /** A non-ASCII char already folded by table ({@link #charInfo}). */
    void emitFolded(char c, int start, int end, boolean confusable, boolean letter) {
      if (c < 0x80) {
        c = asciiFold[c];
      }
      append(c, start, end, false, confusable, letter || c >= 'a' && c <= 'z');
    }

    void emit(int cp, int start, int end, boolean asciiSource) {
      boolean confusable = false;
      if (cp < 0x80) {
        cp = asciiFold[cp];
      } else {
        int latin = Homoglyphs.toLatin(cp);
        if (latin >= 0) {
          cp = latin;
          confusable = true;
        } else if (cp == 0xDF || cp == 0x1E9E) {
          append('s', start, end, false, false);
          append('s', start, end, false, false);
          return;
        } else if (cp == 0x130) {
          cp = 'i';
        } else {
          cp = Character.toLowerCase(Character.toUpperCase(cp));
          latin = Homoglyphs.toLatin(cp);
          if (latin >= 0) {
            cp = latin;
            confusable = true;
          }
          cp = foldPunctuation(cp);
        }
        if (cp < 0x80) {
          cp = asciiFold[cp];
        }
      }
      if (cp < 0x10000) {
        append((char) cp, start, end, asciiSource && cp >= 'a' && cp <= 'z', confusable);
      } else {
        append(Character.highSurrogate(cp), start, end, false, false);
        append(Character.lowSurrogate(cp), start, end, false, false);
      }
    }

    private void append(char c, int start, int end, boolean latinLetter, boolean confusable) {
      append(c, start, end, latinLetter, confusable, c >= 'a' && c <= 'z' || c >= 0x80 && Character.isLetter(c));
    }

    private void append(char c, int start, int end, boolean latinLetter, boolean confusable, boolean letter) {
      boolean asciiLetter = c >= 'a' && c <= 'z';
      if (pendingZeroWidth > 0 && asciiLetter) {
        zeroWidthInWords += pendingZeroWidth;
      }
      pendingZeroWidth = 0;
      if (confusable) {
        if (lastLetterKind == 1) {
          confusablesInLatinWords++;
          lastLetterKind = 3;
        } else {
          lastLetterKind = lastLetterKind == 3 ? 3 : 2;
        }
      } else if (latinLetter) {
        if (lastLetterKind == 2) {
          confusablesInLatinWords++;
        }
        lastLetterKind = 1;
      } else if (!letter) {
        lastLetterKind = 0;
      }
      ensureCapacity(length + 1);
      if (starts != null) {
        starts[length] = start;
        ends[length] = end;
      }
      out[length++] = c;
    }

    Normalized result(TextNormalizer normalizer, String original) {
      String folded = new String(out, 0, length);
      Normalized r = new Normalized(normalizer, original, folded, false);
      r.starts = starts;
      r.ends = ends;
      r.tagCharacters = tagCharacters;
      r.zeroWidthInWords = zeroWidthInWords;
      r.bidiControls = bidiControls;
      r.confusablesInLatinWords = confusablesInLatinWords;
      return r;
    }
  }

  /**
   * Folded text with the way back to the original offsets. Not thread-safe (the offset map is
   * built lazily); use it on the thread that made it.
   */
  public static final class Normalized {
    private final TextNormalizer normalizer;
    private final String original;
    private final String text;
    private final boolean identity;
    private int[] starts;
    private int[] ends;
    private int tagCharacters;
    private int zeroWidthInWords;
    private int bidiControls;
    private int confusablesInLatinWords;

    Normalized(TextNormalizer normalizer, String original, String text, boolean identity) {
      this.normalizer = normalizer;
      this.original = original;
      this.text = text;
      this.identity = identity;
    }

    /** The folded text. */
    public String text() {
      return text;
    }

    /** The text as given. */
    public String original() {
      return original;
    }

    /** Whether folded offsets are original offsets (ASCII text). */
    public boolean identityMap() {
      return identity;
    }

    /**
     * Where the source of folded char {@code index} starts in the original; for {@code index ==
     * text().length()}, the original's length.
     *
     * @throws IndexOutOfBoundsException when {@code index} is not in [0, text().length()]
     */
    public int originalStart(int index) {
      Objects.checkIndex(index, text.length() + 1);
      if (identity) {
        return index;
      }
      if (index == text.length()) {
        return original.length();
      }
      ensureMap();
      return starts[index];
    }

    /**
     * Where a folded span ending (exclusive) at {@code end} ends in the original: the end of the
     * source of char {@code end - 1}; 0 for 0.
     *
     * @throws IndexOutOfBoundsException when {@code end} is not in [0, text().length()]
     */
    public int originalEnd(int end) {
      Objects.checkIndex(end, text.length() + 1);
      if (identity || end == 0) {
        return end;
      }
      ensureMap();
      return ends[end - 1];
    }

    /** How many tag characters (U+E0000–U+E007F) were dropped. */
    public int tagCharacters() {
      return tagCharacters;
    }

    /** How many zero-width characters were dropped from between two Latin letters. */
    public int zeroWidthInWords() {
      return zeroWidthInWords;
    }

    /** How many bidirectional embedding, override and isolate controls were dropped. */
    public int bidiControls() {
      return bidiControls;
    }

    /** How many look-alike letters were folded next to a Latin letter written as such. */
    public int confusablesInLatinWords() {
      return confusablesInLatinWords;
    }

    private void ensureMap() {
      if (starts == null) {
        Normalized mapped = normalizer.general(original, true);
        if (!mapped.text.equals(text)) {
          throw new IllegalStateException("the two folding paths disagree");
        }
        starts = mapped.starts;
        ends = mapped.ends;
      }
    }

    @Override
    public String toString() {
      return "Normalized[" + text.length() + " chars from " + original.length() + "]";
    }
  }
}
