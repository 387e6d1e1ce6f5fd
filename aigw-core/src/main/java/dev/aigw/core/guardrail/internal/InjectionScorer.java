package dev.aigw.core.guardrail.internal;

import static dev.aigw.core.guardrail.internal.EncodedText.MIN_SPELLED;
import static dev.aigw.core.guardrail.internal.EncodedText.decodeBase64;
import static dev.aigw.core.guardrail.internal.EncodedText.decodeHex;
import static dev.aigw.core.guardrail.internal.EncodedText.indexOfOverride;
import static dev.aigw.core.guardrail.internal.EncodedText.isHex;
import static dev.aigw.core.guardrail.internal.EncodedText.isHexByteToken;
import static dev.aigw.core.guardrail.internal.EncodedText.isSpelledWithSeparator;
import static dev.aigw.core.guardrail.internal.EncodedText.joinSpelledOut;

import dev.aigw.core.guardrail.internal.InjectionRule.Context;
import dev.aigw.core.guardrail.internal.InjectionRule.Rule;
import dev.aigw.core.guardrail.internal.TextNormalizer.Normalized;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Scores how much a text looks like a prompt injection or jailbreak, from 0 to 1.
 *
 * <h2>Signals</h2>
 *
 * A signal is a small rule (mostly a regular expression over the {@linkplain TextNormalizer
 * folded} text: lower case, look-alikes and fullwidth folded, invisible characters removed,
 * diacritics stripped, white space as it is) with a weight in (0, 1). The rules come in
 * families; the main ones, with their weights, are below, and {@link InjectionRules} has them all:
 *
 * <ul>
 *   <li>{@link Family#INSTRUCTION_OVERRIDE}: "ignore/disregard/forget (all) (the) previous/prior/above
 *       instructions/rules" (0.75), "… the instructions you were given" (0.7), "ignore the above"
 *       (0.65), "forget everything you were told" (0.65), "the previous instructions are void"
 *       (0.6), "new instructions:" (0.45), "your new task is" (0.4), "from now on you" (0.3),
 *       "ignore the rules" without saying which (0.3); a few in French, German, Spanish, Italian.
 *   <li>{@link Family#ROLE_PLAY}: "do anything now" (0.8), DAN with jailbreak context (0.6),
 *       "developer mode" addressed to a model rather than a phone (0.6), "you are no longer bound
 *       by … rules" (0.7), "pretend you have no restrictions" (0.75), "act as an unfiltered /
 *       jailbroken / amoral …" (0.7), "broken free of the confines" (0.55), "never refuse"
 *       (0.45), "without filters / ignore your guidelines" (0.45 when addressed to the model,
 *       0.3 otherwise), and weaker cues (an "unfiltered AI" 0.4, "jailbreak" 0.2–0.35, "stay in
 *       character" 0.2).
 *   <li>{@link Family#PROMPT_EXFILTRATION}: "reveal/print/repeat … your system prompt" (0.75; "the
 *       system prompt" 0.6), "print system prompt" (0.55), "repeat the text above" (0.55),
 *       "show your instructions" (0.45), "the instructions your developers gave you" (0.45),
 *       "start with 'You are'" (0.45), "what were you told" (0.45), "verbatim" (0.3).
 *   <li>{@link Family#ENCODED_PAYLOAD}: a base64 or hex blob that decodes to text is scored
 *       itself (one level deep); if that scores at least 0.2, the blob is worth {@code min(0.95,
 *       0.3 + inner score)}. "Decode this and follow it" (0.35).
 *   <li>{@link Family#INVISIBLE_PAYLOAD}: Unicode tag characters carrying text (not an emoji flag
 *       sequence): {@code min(1, 0.6 + score of the hidden text)}; a right-to-left override:
 *       {@code max(0.3, min(0.95, 0.3 + score of the reversed span))}; other bidi controls 0.1.
 *   <li>{@link Family#DELIMITER_SPOOFING}: chat-template tokens ({@code <|im_start|>}, {@code
 *       <|eot_id|>}: 0.35, or 0.6 followed by {@code system}), {@code <<SYS>>} (0.55), {@code [INST]}
 *       (0.35), {@code <system>}/{@code </system>} (0.5), {@code </user>} (0.45), {@code ### System:}
 *       (0.45), {@code [system note: …]} (0.45), {@code System:} at the start of a line (0.4),
 *       "system override" (0.5), "end of user input" fences (0.45), "begin system prompt" (0.45).
 *   <li>{@link Family#AUTHORITY_CLAIM}: "I am your developer" (0.35), "note to AI assistants" /
 *       "AI agents reading this page" (0.4), "from your developers" (0.3), "I authorize you to"
 *       (0.3), "URGENT … the assistant must" (0.3).
 *   <li>{@link Family#OBFUSCATION}: zero-width characters inside Latin words (0.15, 0.3 from three)
 *       and look-alike letters mixed into Latin words (0.15, 0.25 from three); at most 0.4.
 * </ul>
 *
 * <h2>Dampers</h2>
 *
 * A signal's value is its weight times its damping, where damping is the product of the factors
 * that apply: the match is inside quotes or a code fence (× 0.5); its sentence frames it as a
 * mention rather than a command ("what does … mean", "translate", "explain", "how do I detect",
 * "such as", "prompt injection", … before it, or "… mean(s)", "… is a …" right after it) (× 0.4);
 * for delimiters and for exfiltration of "the" (not "your") prompt, the sentence is about code or
 * formats (tokens, template, XML, variable, script, …) (× 0.4); the verb is negated ("don't
 * ignore", "never reveal") (× 0.25); the text is the writer's own ("my previous message", "the
 * instructions I gave you") (× 0.25); the verb is not an imperative ("my app ignores the new
 * instructions", "users who ignored the rules") (× 0.5). A question mark alone does not dampen:
 * "can you ignore your previous instructions?" is still an attack.
 *
 * <h2>Score</h2>
 *
 * <pre>
 *   value(family) = best rule value + 0.3 × Σ values of the other rules that fired in the family
 *   score         = min(1, Σ over families of value(family))
 * </pre>
 *
 * where a rule's value is its best {@code weight × damping} over its matches. So one strong,
 * undamped signal (0.6–0.8) passes the default threshold of 0.5, a weak one (0.2–0.45) needs
 * company from another family, and repeating one phrase does not add up. If the text spells words
 * out letter by letter ({@code I G N O R E}, {@code i.g.n.o.r.e}), the text with those words joined
 * is scored too and the higher score counts.
 *
 * <h2>Cost</h2>
 *
 * The rules never scan the text. One pass folds it; one pass of an Aho–Corasick automaton finds
 * every rule's anchors: the words its matches start with (ignore, reveal, {@code <|}, {@code
 * [inst}, …) and, for rules that start with common words, a rarer word that must follow within a
 * few dozen chars (reveal … prompt, from … developers). A rule is tried, with {@link
 * Matcher#lookingAt()}, only at a start anchor that has its following word; one more pass looks
 * for base64/hex runs and spelled-out words. The cost grows with the text and the co-occurrences
 * of anchor words in it, not with the number of rules.
 *
 * <p>Immutable and thread-safe.
 */
public final class InjectionScorer {

  /** The rule families. */
  public enum Family {
    /** Telling the model to drop its instructions. */
    INSTRUCTION_OVERRIDE,
    /** Personas without restrictions: DAN, developer mode, "pretend you have no rules". */
    ROLE_PLAY,
    /** Asking for the system prompt or the text before the user's message. */
    PROMPT_EXFILTRATION,
    /** Instructions hidden in base64 or hex. */
    ENCODED_PAYLOAD,
    /** Instructions hidden in tag characters or reversed with bidi overrides. */
    INVISIBLE_PAYLOAD,
    /** Fake chat-template tokens, role headers and fences. */
    DELIMITER_SPOOFING,
    /** Claiming to be the developer, or addressing the model from inside content. */
    AUTHORITY_CLAIM,
    /** Zero-width characters and look-alike letters inside Latin words. */
    OBFUSCATION
  }

  /**
   * One rule that fired, with its best match.
   *
   * @param family its family
   * @param rule its name
   * @param weight its weight for that match
   * @param damping the product of the dampers that applied, in (0, 1]
   */
  public record Signal(Family family, String rule, double weight, double damping) {
    /** {@code weight × damping}. */
    public double value() {
      return weight * damping;
    }
  }

  /**
   * A text's score and the signals behind it.
   *
   * @param score in [0, 1]
   * @param signals the rules that fired, strongest first
   */
  public record Verdict(double score, List<Signal> signals) {
    /** Whether a rule of {@code family} fired. */
    public boolean has(Family family) {
      return signals.stream().anyMatch(s -> s.family() == family);
    }
  }

  /** The longest text a rule may match, from its anchor. */
  static final int MAX_RULE_MATCH = 400;
  /** What every other rule of a family adds, as a share of its value. */
  static final double OTHER_RULE_SHARE = 0.3;
  /** How deep decoded and hidden payloads are scored. */
  private static final int MAX_DEPTH = 1;
  /** Shortest base64 run that is decoded. */
  private static final int MIN_BASE64 = 24;
  /** Shortest run of hex digits that is decoded. */
  private static final int MIN_HEX = 32;
  /** Fewest space-separated hex bytes that are decoded. */
  private static final int MIN_HEX_BYTES = 12;
  /** Most right-to-left override spans that are reversed and scored. */
  private static final int MAX_OVERRIDES = 32;

  private static final InjectionScorer INSTANCE = new InjectionScorer();

  private final TextNormalizer normalizer = TextNormalizer.of(false, true);
  private final Rule[] rules;
  private final Family[] ruleFamilies;
  /** Every rule's anchors in one automaton; anchor i starts rules startRules[i], completes requireRules[i]. */
  private final PhraseAutomaton anchors;
  private final int[][] startRules;
  private final int[][] requireRules;
  private final boolean[] anchorNeedsWordEnd;

  private InjectionScorer() {
    List<Rule> all = new ArrayList<>();
    List<Family> families = new ArrayList<>();
    Map<String, List<Integer>> byStart = new LinkedHashMap<>();
    Map<String, List<Integer>> byRequire = new LinkedHashMap<>();
    for (Family family : Family.values()) {
      for (Rule rule : InjectionRules.rules(family)) {
        for (String anchor : rule.starts()) {
          byStart.computeIfAbsent(anchor, a -> new ArrayList<>()).add(all.size());
          byRequire.putIfAbsent(anchor, new ArrayList<>());
        }
        for (String anchor : rule.requires()) {
          byRequire.computeIfAbsent(anchor, a -> new ArrayList<>()).add(all.size());
          byStart.putIfAbsent(anchor, new ArrayList<>());
        }
        all.add(rule);
        families.add(family);
      }
    }
    rules = all.toArray(new Rule[0]);
    ruleFamilies = families.toArray(new Family[0]);
    int count = byStart.size();
    List<String> words = new ArrayList<>(count);
    startRules = new int[count][];
    requireRules = new int[count][];
    anchorNeedsWordEnd = new boolean[count];
    for (String anchor : byStart.keySet()) {
      int i = words.size();
      anchorNeedsWordEnd[i] = anchor.endsWith("$");
      String word = anchorNeedsWordEnd[i] ? anchor.substring(0, anchor.length() - 1) : anchor;
      startRules[i] = byStart.get(anchor).stream().mapToInt(Integer::intValue).toArray();
      requireRules[i] = byRequire.get(anchor).stream().mapToInt(Integer::intValue).toArray();
      words.add(word);
    }
    anchors = PhraseAutomaton.of(words);
  }

  /** The shared scorer. */
  public static InjectionScorer instance() {
    return INSTANCE;
  }

  /** The score of {@code text}, in [0, 1]. */
  public double score(String text) {
    return verdict(text).score();
  }

  /** The score of {@code text} and the signals behind it. */
  public Verdict verdict(String text) {
    return verdict(text, 0);
  }

  private Verdict verdict(String text, int depth) {
    Normalized folded = normalizer.normalize(text);
    Signals signals = new Signals();
    boolean spelledOut = evaluate(folded, depth, signals);
    Verdict verdict = signals.verdict();
    if (spelledOut && depth < MAX_DEPTH) {
      String joined = joinSpelledOut(folded.text());
      if (joined != null) {
        Signals more = new Signals();
        evaluate(normalizer.normalize(joined), depth + 1, more);
        Verdict alternative = more.verdict();
        if (alternative.score() > verdict.score()) {
          return alternative;
        }
      }
    }
    return verdict;
  }

  /** Scores {@code folded} into {@code signals}; returns whether some word is spelled out letter by letter. */
  private boolean evaluate(Normalized folded, int depth, Signals signals) {
    String t = folded.text();
    Context cx = new Context(t);
    // 1. rules, tried at their start anchors (once a required word follows, for rules that need one)
    Attempts attempts = new Attempts(rules.length, t);
    anchors.scan(t, (anchor, start, end) -> {
      if (anchorNeedsWordEnd[anchor] && end < t.length() && isWordChar(t.charAt(end))) {
        return; // the automaton only reports anchors that start a word; "dan$" must also end one
      }
      for (int r : requireRules[anchor]) {
        int[] ring = attempts.starts[r];
        for (int k = 0; k < ring.length; k++) {
          int p = ring[k];
          if (p >= 0 && p <= start && start - p <= rules[r].within()) {
            ring[k] = -1;
            attempts.tryAt(r, p, cx, signals);
          }
        }
      }
      for (int r : startRules[anchor]) {
        if (rules[r].requires().isEmpty()) {
          attempts.tryAt(r, start, cx, signals);
        } else {
          attempts.remember(r, start);
        }
      }
    });
    // 2. encoded and invisible payloads
    boolean spelledOut = scanShapes(folded.original(), depth, signals);
    if (depth < MAX_DEPTH) {
      invisiblePayloads(folded, depth, signals);
    }
    // 3. obfuscation
    double obfuscation = 0;
    if (folded.zeroWidthInWords() > 0) {
      obfuscation += folded.zeroWidthInWords() >= 3 ? 0.3 : 0.15;
    }
    if (folded.confusablesInLatinWords() > 0) {
      obfuscation += folded.confusablesInLatinWords() >= 3 ? 0.25 : 0.15;
    }
    if (obfuscation > 0) {
      signals.add(new Signal(Family.OBFUSCATION, "hidden-in-words", Math.min(0.4, obfuscation), 1));
    }
    return spelledOut;
  }

  /** The rules' matchers and recent start positions, for one text. */
  private final class Attempts {
    /** Per rule that needs a following word, its last few start positions (-1 when used). */
    final int[][] starts;
    private final int[] next;
    private final int[] lastTried;
    private final Matcher[] matchers;
    private final String text;

    Attempts(int count, String text) {
      this.text = text;
      starts = new int[count][];
      next = new int[count];
      lastTried = new int[count];
      matchers = new Matcher[count];
      Arrays.fill(lastTried, -1);
      for (int r = 0; r < count; r++) {
        starts[r] = rules[r].requires().isEmpty() ? new int[0] : new int[] {-1, -1, -1, -1};
      }
    }

    void remember(int r, int start) {
      int[] ring = starts[r];
      ring[next[r]] = start;
      next[r] = (next[r] + 1) % ring.length;
    }

    void tryAt(int r, int start, Context cx, Signals signals) {
      if (lastTried[r] == start) {
        return;
      }
      lastTried[r] = start;
      Rule rule = rules[r];
      Matcher m = matchers[r];
      if (m == null) {
        m = matchers[r] = rule.pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
      }
      m.region(start, Math.min(text.length(), start + MAX_RULE_MATCH));
      if (!m.lookingAt()) {
        return;
      }
      double weight = rule.weigher() == null ? rule.weight() : rule.weigher().weigh(cx, m, rule.weight());
      if (weight > 0) {
        double damping = cx.damping(m.start(), m.end(), ruleFamilies[r], rule.technicalDamping());
        signals.add(new Signal(ruleFamilies[r], rule.id(), weight, damping));
      }
    }
  }

  /**
   * Looks for encoded payloads and spelled-out words, token by token (tokens are separated by
   * spaces; finding the next space is an intrinsic, so ordinary words are skipped without looking
   * at their chars): tokens of 24 chars or more are searched for base64 and hex runs and {@code
   * \x} escapes, which are decoded and scored; tokens of one or two chars make runs of hex bytes
   * ({@code 4f 4b 20}, also {@code 0x4f}), which are decoded and scored, or of single letters
   * ({@code I G N O R E}); a token with a separator after its first char may spell a word ({@code
   * i.g.n.o.r.e}). Returns whether some word is spelled out.
   */
  private boolean scanShapes(String original, int depth, Signals signals) {
    int n = original.length();
    boolean decode = depth < MAX_DEPTH;
    boolean spelledOut = false;
    int letters = 0; // single-letter tokens in a row
    int hexBytes = 0; // hex-byte tokens in a row
    int hexFrom = -1;
    int from = 0;
    while (from <= n) {
      int space = original.indexOf(' ', from);
      int to = space < 0 ? n : space;
      int length = to - from;
      if (length > 4) {
        // an ordinary word ends any run of short tokens; only long ones are looked into
        if (hexBytes >= MIN_HEX_BYTES && decode) {
          decodeHexBytes(original.substring(hexFrom, from), depth, signals);
        }
        hexBytes = 0;
        letters = 0;
        if (length >= 7) {
          char second = original.charAt(from + 1);
          if (second == '.' || second == '-' || second == '*' || second == '_') {
            spelledOut |= isSpelledWithSeparator(original, from + 1);
          }
          if (length >= MIN_BASE64 && decode) {
            decodeRuns(original, from, to, depth, signals);
          }
        }
      } else if (length > 0) {
        if (isHexByteToken(original, from, to)) {
          if (hexBytes++ == 0) {
            hexFrom = from;
          }
        } else {
          if (hexBytes >= MIN_HEX_BYTES && decode) {
            decodeHexBytes(original.substring(hexFrom, from), depth, signals);
          }
          hexBytes = 0;
        }
        char first = original.charAt(from);
        if (length == 1 && (first | 0x20) >= 'a' && (first | 0x20) <= 'z') {
          spelledOut |= ++letters >= MIN_SPELLED;
        } else {
          letters = 0;
        }
      }
      from = to + 1;
    }
    if (hexBytes >= MIN_HEX_BYTES && decode) {
      decodeHexBytes(original.substring(hexFrom), depth, signals);
    }
    return spelledOut;
  }

  /** Decodes the base64 and hex runs (and {@code \x} escapes) of {@code original[from, to)}. */
  private void decodeRuns(String original, int from, int to, int depth, Signals signals) {
    int runStart = -1;
    boolean digitOrSymbol = false;
    for (int i = from; i <= to; i++) {
      char c = i < to ? original.charAt(i) : ' ';
      boolean letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
      boolean digit = c >= '0' && c <= '9';
      if (letter || digit || c == '+' || c == '/' || c == '-' || c == '_') {
        if (runStart < 0) {
          runStart = i;
          digitOrSymbol = false;
        }
        digitOrSymbol |= digit || c == '+' || c == '/';
      } else {
        if (runStart >= 0 && i - runStart >= MIN_BASE64 && digitOrSymbol) {
          decodeRun(original.substring(runStart, i), depth, signals);
        }
        runStart = -1;
      }
    }
    for (int escape = from; escape + 4 <= to; escape++) {
      if (original.charAt(escape) != '\\' || !isHexByteToken(original, escape, escape + 4)) {
        continue;
      }
      int end = escape;
      while (end + 4 <= to && isHexByteToken(original, end, end + 4)) {
        end += 4;
      }
      if ((end - escape) / 4 >= MIN_HEX_BYTES) {
        decodeHexBytes(original.substring(escape, end), depth, signals);
      }
      escape = end - 1;
    }
  }



  private void decodeHexBytes(String tokens, int depth, Signals signals) {
    StringBuilder hex = new StringBuilder();
    for (String token : tokens.split("[\\s,]+")) {
      hex.append(token.replaceAll("(?i)\\\\x|0x", ""));
    }
    String decoded = decodeHex(hex.toString().toLowerCase());
    if (decoded != null) {
      scorePayload(decoded, "hex-payload", depth, signals);
    }
  }

  private void decodeRun(String run, int depth, Signals signals) {
    String decoded = null;
    String rule = "base64-payload";
    if (run.length() >= MIN_HEX && run.length() % 2 == 0 && run.chars().allMatch(c -> isHex((char) c))) {
      decoded = decodeHex(run.toLowerCase());
      rule = "hex-payload";
    }
    if (decoded == null) {
      decoded = decodeBase64(run);
      rule = "base64-payload";
    }
    if (decoded != null) {
      scorePayload(decoded, rule, depth, signals);
    }
  }

  private void scorePayload(String decoded, String rule, int depth, Signals signals) {
    double inner = verdict(decoded, depth + 1).score();
    if (inner >= 0.2) {
      signals.add(new Signal(Family.ENCODED_PAYLOAD, rule, Math.min(0.95, 0.3 + inner), 1));
    }
  }

  /** Tag-character text (not an emoji flag) and text reversed by a right-to-left override. */
  private void invisiblePayloads(Normalized folded, int depth, Signals signals) {
    String original = folded.original();
    if (folded.tagCharacters() > 0) {
      StringBuilder hidden = new StringBuilder();
      int i = 0;
      while (i < original.length()) {
        int cp = original.codePointAt(i);
        if (cp >= 0xE0000 && cp <= 0xE007F) {
          int runStart = i;
          StringBuilder run = new StringBuilder();
          while (i < original.length() && (cp = original.codePointAt(i)) >= 0xE0000 && cp <= 0xE007F) {
            if (cp >= 0xE0020 && cp <= 0xE007E) {
              run.append((char) (cp - 0xE0000));
            }
            i += 2;
          }
          boolean flag = runStart >= 2 && original.codePointBefore(runStart) == 0x1F3F4
              && run.toString().matches("[a-z0-9]{2,7}");
          if (!flag) {
            hidden.append(run).append(' ');
          }
        } else {
          i += Character.charCount(cp);
        }
      }
      if (hidden.length() > 0 && !hidden.toString().isBlank()) {
        double inner = verdict(hidden.toString(), depth + 1).score();
        signals.add(new Signal(Family.INVISIBLE_PAYLOAD, "tag-characters", Math.min(1, 0.6 + inner), 1));
      }
    }
    if (folded.bidiControls() > 0) {
      double best = 0.1;
      String rule = "bidi-controls";
      int at = -1;
      int scored = 0;
      while ((at = indexOfOverride(original, at + 1)) >= 0 && scored++ < MAX_OVERRIDES) {
        // the overridden span ends at the pop, at the end of the line or at the next override
        int end = at + 1;
        while (end < original.length() && "\u202C\u2069\u202D\u202E\n".indexOf(original.charAt(end)) < 0) {
          end++;
        }
        String reversed = new StringBuilder(original.substring(at + 1, end)).reverse().toString();
        double inner = verdict(reversed, depth + 1).score();
        best = Math.max(best, Math.max(0.3, Math.min(0.95, 0.3 + inner)));
        rule = "bidi-override";
      }
      signals.add(new Signal(Family.INVISIBLE_PAYLOAD, rule, best, 1));
    }
  }





  static boolean isWordChar(char c) {
    return PhraseAutomaton.isWordChar(c);
  }

  /** The best value of each rule that fired. */
  private static final class Signals {
    private final Map<String, Signal> best = new LinkedHashMap<>();

    void add(Signal signal) {
      String key = signal.family() + "/" + signal.rule();
      Signal old = best.get(key);
      if (old == null || signal.value() > old.value()) {
        best.put(key, signal);
      }
    }

    Verdict verdict() {
      if (best.isEmpty()) {
        return new Verdict(0, List.of());
      }
      List<Signal> all = new ArrayList<>(best.values());
      all.sort(Comparator.comparingDouble(Signal::value).reversed());
      double[] top = new double[Family.values().length];
      double[] rest = new double[Family.values().length];
      for (Signal s : all) {
        int f = s.family().ordinal();
        if (top[f] == 0) {
          top[f] = s.value();
        } else {
          rest[f] += s.value();
        }
      }
      double score = 0;
      for (int f = 0; f < top.length; f++) {
        score += top[f] + OTHER_RULE_SHARE * rest[f];
      }
      return new Verdict(Math.min(1, score), List.copyOf(all));
    }
  }
}
