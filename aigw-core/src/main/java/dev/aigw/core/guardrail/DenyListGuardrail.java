package dev.aigw.core.guardrail;

import dev.aigw.api.GuardrailAction;
import dev.aigw.api.Role;
import dev.aigw.core.guardrail.internal.PhraseAutomaton;
import dev.aigw.core.guardrail.internal.TextNormalizer;
import dev.aigw.core.guardrail.internal.TextNormalizer.Normalized;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Finds phrases and patterns that must not pass: competitors' names, banned words, internal code
 * names. Each occurrence is one {@link Guardrail.Match} of type {@value #DEFAULT_TYPE} (or the
 * {@linkplain Builder#type(String) configured type}), score 1, with the configured action: block
 * the call (the default), mask the occurrence, or flag it.
 *
 * <pre>{@code
 * Guardrail competitors = DenyListGuardrail.builder()
 *     .name("competitors").type("COMPETITOR")
 *     .outputPhrases("Acme Corp", "Globex")   // in answers only
 *     .action(GuardrailAction.MASK)
 *     .build();
 * }</pre>
 *
 * <p><b>Directions.</b> {@link Builder#phrase} and {@link Builder#regex} apply to requests and
 * answers, {@link Builder#inputPhrases}/{@link Builder#inputRegex} to requests only and {@link
 * Builder#outputPhrases}/{@link Builder#outputRegex} to answers only; the guardrail scans the
 * directions that have something to find. On input it scans the messages of the {@linkplain
 * Builder#roles roles} configured, by default all but the system prompt.
 *
 * <p><b>Matching.</b> Text and phrases are folded the same way before comparing ({@link
 * TextNormalizer}): NFKC, case folding independent of the locale, look-alike letters from other
 * scripts to the Latin letter they imitate ({@code Асmе} with Cyrillic {@code А} and {@code с}
 * finds {@code acme}), invisible characters (zero-width, soft hyphen, bidirectional controls, tag
 * characters) removed, curly quotes and dashes to ASCII; optionally {@linkplain
 * Builder#foldLeetspeak(boolean) leetspeak} and {@linkplain Builder#foldDiacritics(boolean)
 * diacritics}. A run of white space (spaces, tabs, line breaks, Unicode spaces) matches one space
 * of a phrase, so {@code "acme corp"} also finds {@code "ACME \n corp"}. A phrase matches on word
 * boundaries: the chars just outside it must not be letters, digits or {@code _} where the phrase
 * itself starts or ends with one (so {@code "acme"} finds {@code "Acme's"} and {@code "(ACME)"} but
 * not {@code "acmeist"}), except next to scripts written without spaces (Han, Hiragana, Katakana,
 * Thai, Lao, Khmer, Myanmar, Tibetan), where any position counts. Many phrases cost about as much
 * as one: they are compiled into one Aho–Corasick automaton, one pass per text.
 *
 * <p>Regular expressions ({@link java.util.regex.Pattern}) run on the folded text too, compiled
 * case-insensitively, so they need not worry about case or look-alikes; the folded text keeps its
 * white space as it is, so write {@code \s+} where words may be separated by more than one space
 * or by a line break. With leetspeak folding on, they run on the text folded without it
 * (leetspeak folding turns {@code l} into {@code i}, which no one would write a pattern for).
 * Matches that are empty are ignored.
 *
 * <p><b>Positions</b> are offsets in the original text: a match covers the original chars whose
 * folding it matched (including invisible characters inside it, never ones just outside it).
 * Overlapping occurrences are resolved leftmost-longest; the result is sorted by start.
 *
 * <p><b>Streams.</b> {@link #maxMatchLength()} is {@code 4 ×} the longest folded output phrase,
 * which covers phrases written with surrogate pairs ({@code 𝐚𝐜𝐦𝐞}), with combining marks, or
 * with one invisible character between letters; padding beyond that (several invisible
 * characters between each letter, long whitespace runs) can split a phrase across a stream's
 * window, though a non-streamed scan still finds it. With output regexes it is at least {@link
 * Builder#maxRegexMatchLength(int)} (256 by default), the longest match a regex is trusted to make.
 *
 * <p>Immutable and thread-safe. Neither findings nor {@link #toString()} carry the text found.
 */
public final class DenyListGuardrail implements Guardrail {
  /** The default name: {@value}. */
  public static final String DEFAULT_NAME = "deny_list";
  /** The default match type: {@value}. */
  public static final String DEFAULT_TYPE = "DENIED";
  /** The default bound on a regex match in a stream, in chars: {@value}. */
  public static final int DEFAULT_MAX_REGEX_MATCH_LENGTH = 256;

  private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]*");

  private final String name;
  private final String type;
  private final GuardrailAction action;
  private final Set<Role> roles;
  /** What to find in requests and in answers; null for a direction with nothing to find. */
  private final @Nullable Finder input;
  private final @Nullable Finder output;
  private final int maxMatchLength;

  private DenyListGuardrail(Builder b) {
    this.name = b.name;
    this.type = b.type;
    this.action = b.action;
    this.roles = EnumSet.copyOf(b.roles);
    this.input = Finder.of(b, b.inputPhrases, b.inputRegexes);
    boolean sameLists = b.inputPhrases.equals(b.outputPhrases) && b.inputRegexes.equals(b.outputRegexes);
    this.output = sameLists ? input : Finder.of(b, b.outputPhrases, b.outputRegexes);
    if (output == null) {
      this.maxMatchLength = 0;
    } else {
      long bound = 4L * output.longestPhrase;
      if (!output.regexes.isEmpty()) {
        bound = Math.max(bound, b.maxRegexMatchLength);
      }
      this.maxMatchLength = (int) Math.min(Integer.MAX_VALUE, bound);
    }
  }

  /** {@return a builder with the defaults: see each method} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} {@value #DEFAULT_NAME} unless configured. */
  @Override
  public String name() {
    return name;
  }

  /** {@return the type of its matches} */
  public String type() {
    return type;
  }

  /** {@return what its matches ask the gateway to do} */
  public GuardrailAction action() {
    return action;
  }

  /** Whether it has phrases or regexes for requests. */
  @Override
  public boolean scansInput() {
    return input != null;
  }

  /** Whether it has phrases or regexes for answers. */
  @Override
  public boolean scansOutput() {
    return output != null;
  }

  /** {@return the roles of the input messages it scans} */
  public Set<Role> roles() {
    return EnumSet.copyOf(roles);
  }

  /** {@return the number of distinct phrases (after folding) it finds in requests} */
  public int inputPhraseCount() {
    return input == null ? 0 : input.phraseCount;
  }

  /** {@return the number of distinct phrases (after folding) it finds in answers} */
  public int outputPhraseCount() {
    return output == null ? 0 : output.phraseCount;
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code 4 ×} the longest folded output phrase, or at least the regex bound when there are
   * output regexes (see the class description); 0 when it does not scan answers.
   */
  @Override
  public int maxMatchLength() {
    return maxMatchLength;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Nothing for input messages whose role it does not scan, or for a direction without
   * phrases or regexes.
   *
   * @throws NullPointerException when {@code text} or {@code site} is null
   */
  @Override
  public List<Match> scan(String text, Site site) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(site, "site");
    Finder finder = site.input() ? (site.role() != null && roles.contains(site.role()) ? input : null) : output;
    if (finder == null) {
      return List.of();
    }
    List<int[]> spans = finder.find(text);
    if (spans.isEmpty()) {
      return List.of();
    }
    spans.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(b[1], a[1]));
    List<Match> matches = new ArrayList<>();
    int covered = 0;
    for (int[] span : spans) {
      if (span[0] >= covered && span[1] > span[0]) {
        matches.add(Match.of(type, span[0], span[1], action));
        covered = span[1];
      }
    }
    return List.copyOf(matches);
  }

  @Override
  public String toString() {
    return "DenyListGuardrail[" + name + ", " + type + ", " + action
        + ", input " + (input == null ? "none" : input.phraseCount + " phrases, " + input.regexes.size() + " regexes, " + roles)
        + ", output " + (output == null ? "none" : output.phraseCount + " phrases, " + output.regexes.size() + " regexes")
        + "]";
  }

  /** A phrase folded like text, with its white space runs made single spaces and trimmed. */
  private static String foldPhrase(String phrase, TextNormalizer normalizer) {
    String folded = normalizer.normalize(phrase).text();
    StringBuilder sb = new StringBuilder(folded.length());
    boolean space = false;
    for (int i = 0; i < folded.length(); i++) {
      char c = folded.charAt(i);
      if (TextNormalizer.isSpace(c)) {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The phrases (one automaton) and regexes of one direction. */
  private static final class Finder {
    private final TextNormalizer phraseNormalizer;
    private final TextNormalizer regexNormalizer;
    private final @Nullable PhraseAutomaton automaton;
    /** Per phrase: whether its last char is a word char, which needs a word boundary after it. */
    private final boolean[] boundaryAtEnd;
    private final List<Pattern> regexes;
    private final int phraseCount;
    private final int longestPhrase;

    private Finder(Builder b, List<String> rawPhrases, List<String> rawRegexes) {
      phraseNormalizer = TextNormalizer.of(b.foldLeetspeak, b.foldDiacritics);
      regexNormalizer = b.foldLeetspeak ? TextNormalizer.of(false, b.foldDiacritics) : phraseNormalizer;
      LinkedHashSet<String> folded = new LinkedHashSet<>();
      for (String phrase : rawPhrases) {
        folded.add(foldPhrase(phrase, phraseNormalizer));
      }
      List<String> phrases = List.copyOf(folded);
      phraseCount = phrases.size();
      automaton = phrases.isEmpty() ? null : PhraseAutomaton.of(phrases);
      boundaryAtEnd = new boolean[phrases.size()];
      int longest = 0;
      for (int i = 0; i < phrases.size(); i++) {
        String p = phrases.get(i);
        boundaryAtEnd[i] = PhraseAutomaton.isWordChar(p.codePointBefore(p.length()));
        longest = Math.max(longest, p.length());
      }
      longestPhrase = longest;
      List<Pattern> compiled = new ArrayList<>();
      for (String regex : new LinkedHashSet<>(rawRegexes)) {
        compiled.add(compile(regex));
      }
      regexes = List.copyOf(compiled);
    }

    static @Nullable Finder of(Builder b, List<String> phrases, List<String> regexes) {
      return phrases.isEmpty() && regexes.isEmpty() ? null : new Finder(b, phrases, regexes);
    }

    /** The spans found in {@code text}, as original offsets {@code [start, end)}, in no order. */
    List<int[]> find(String text) {
      List<int[]> spans = new ArrayList<>(0);
      Normalized folded = phraseNormalizer.normalize(text);
      PhraseAutomaton phrases = automaton;
      if (phrases != null) {
        String t = folded.text();
        phrases.scan(t, (phrase, start, end) -> {
          // the automaton only reports phrases that start a word; check that they end one
          if (!boundaryAtEnd[phrase] || isBoundary(t, end)) {
            spans.add(new int[] {folded.originalStart(start), folded.originalEnd(end)});
          }
        });
      }
      if (!regexes.isEmpty()) {
        Normalized forRegex = regexNormalizer == phraseNormalizer ? folded : regexNormalizer.normalize(text);
        for (Pattern regex : regexes) {
          Matcher m = regex.matcher(forRegex.text());
          while (m.find()) {
            if (m.end() > m.start()) {
              spans.add(new int[] {forRegex.originalStart(m.start()), forRegex.originalEnd(m.end())});
            }
          }
        }
      }
      return spans;
    }

    /** Whether position {@code at} of folded text {@code t} is not between two word chars. */
    private static boolean isBoundary(String t, int at) {
      if (at == 0 || at == t.length()) {
        return true;
      }
      return !PhraseAutomaton.isWordChar(t.codePointBefore(at)) || !PhraseAutomaton.isWordChar(t.codePointAt(at));
    }
  }

  private static Pattern compile(String regex) {
    try {
      return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("bad deny-list regex '" + regex + "': " + e.getDescription()
          + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""), e);
    }
  }

  /**
   * Configures a {@link DenyListGuardrail}; it needs at least one phrase or regex. Each setter
   * checks its argument at once. Not thread-safe; {@link #build()} may be called more than once.
   */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private String type = DEFAULT_TYPE;
    private GuardrailAction action = GuardrailAction.BLOCK;
    private Set<Role> roles = EnumSet.of(Role.USER, Role.ASSISTANT, Role.TOOL);
    private boolean foldLeetspeak;
    private boolean foldDiacritics;
    private int maxRegexMatchLength = DEFAULT_MAX_REGEX_MATCH_LENGTH;
    private final List<String> inputPhrases = new ArrayList<>();
    private final List<String> outputPhrases = new ArrayList<>();
    private final List<String> inputRegexes = new ArrayList<>();
    private final List<String> outputRegexes = new ArrayList<>();

    private Builder() {}

    /**
     * The guardrail's name, in findings and events; {@value DenyListGuardrail#DEFAULT_NAME} by
     * default. Give each deny list its own name when a gateway has several.
     *
     * @param name the guardrail's name
     * @return this builder
     * @throws NullPointerException when {@code name} is null
     * @throws IllegalArgumentException when it is not lower-case letters, digits, '.', '_' and '-'
     */
    public Builder name(String name) {
      this.name = Names.check(name);
      return this;
    }

    /**
     * The type of its matches, which also names mask placeholders ({@code <COMPETITOR_1>}); {@value
     * DenyListGuardrail#DEFAULT_TYPE} by default.
     *
     * @param type the type of its matches, which also names mask placeholders ({@code
     *     <COMPETITOR_1>}); {@value DenyListGuardrail#DEFAULT_TYPE} by default
     * @return this builder
     * @throws NullPointerException when {@code type} is null
     * @throws IllegalArgumentException when not upper-case letters, digits and '_' starting with a
     *     letter
     */
    public Builder type(String type) {
      Objects.requireNonNull(type, "type");
      if (!TYPE.matcher(type).matches()) {
        throw new IllegalArgumentException("type must be upper-case letters, digits and '_', starting with a letter, was '" + type + "'");
      }
      this.type = type;
      return this;
    }

    /**
     * What to do about a match: {@link GuardrailAction#BLOCK} (the default), {@link
     * GuardrailAction#MASK} (replace the occurrence with a placeholder) or {@link
     * GuardrailAction#FLAG}.
     *
     * @param action what to do about a match: {@link GuardrailAction#BLOCK} (the default), {@link
     *     GuardrailAction#MASK} (replace the occurrence with a placeholder) or {@link
     *     GuardrailAction#FLAG}
     * @return this builder
     * @throws NullPointerException when {@code action} is null
     */
    public Builder action(GuardrailAction action) {
      this.action = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * Adds phrases to find in requests and answers, matched on word boundaries after folding (see
     * the class description).
     *
     * @param phrases the phrases
     * @return this builder
     * @throws NullPointerException when a phrase is null
     * @throws IllegalArgumentException when a phrase is blank once folded (only spaces or invisible
     *     characters)
     */
    public Builder phrase(String... phrases) {
      return phrases(Arrays.asList(Objects.requireNonNull(phrases, "phrases")));
    }

    /**
     * Adds phrases to find in requests and answers, as {@link #phrase(String...)}; for lists
     * loaded from a file.
     *
     * @param phrases phrases to find in requests and answers, as {@link #phrase(String...)}; for
     *     lists loaded from a file
     * @return this builder
     * @throws NullPointerException when a phrase is null
     * @throws IllegalArgumentException when a phrase is blank once folded
     */
    public Builder phrases(Collection<String> phrases) {
      List<String> checked = checkPhrases(phrases);
      inputPhrases.addAll(checked);
      outputPhrases.addAll(checked);
      return this;
    }

    /**
     * Adds phrases to find in requests only.
     *
     * @param phrases the phrases
     * @return this builder
     * @throws NullPointerException when a phrase is null
     * @throws IllegalArgumentException when a phrase is blank once folded
     */
    public Builder inputPhrases(String... phrases) {
      inputPhrases.addAll(checkPhrases(Arrays.asList(Objects.requireNonNull(phrases, "phrases"))));
      return this;
    }

    /**
     * Adds phrases to find in answers only.
     *
     * @param phrases the phrases
     * @return this builder
     * @throws NullPointerException when a phrase is null
     * @throws IllegalArgumentException when a phrase is blank once folded
     */
    public Builder outputPhrases(String... phrases) {
      outputPhrases.addAll(checkPhrases(Arrays.asList(Objects.requireNonNull(phrases, "phrases"))));
      return this;
    }

    /**
     * Adds regular expressions ({@link java.util.regex.Pattern} syntax) to find in requests and
     * answers; compiled with {@link Pattern#CASE_INSENSITIVE} and {@link Pattern#UNICODE_CASE}
     * and run on the folded text.
     *
     * @param regexes the regular expressions
     * @return this builder
     * @throws NullPointerException when a regex is null
     * @throws IllegalArgumentException when a regex does not compile; the message names it
     */
    public Builder regex(String... regexes) {
      List<String> checked = checkRegexes(regexes);
      inputRegexes.addAll(checked);
      outputRegexes.addAll(checked);
      return this;
    }

    /**
     * Adds regular expressions to find in requests only, as {@link #regex(String...)}.
     *
     * @param regexes the regular expressions
     * @return this builder
     * @throws NullPointerException when a regex is null
     * @throws IllegalArgumentException when a regex does not compile; the message names it
     */
    public Builder inputRegex(String... regexes) {
      inputRegexes.addAll(checkRegexes(regexes));
      return this;
    }

    /**
     * Adds regular expressions to find in answers only, as {@link #regex(String...)}.
     *
     * @param regexes the regular expressions
     * @return this builder
     * @throws NullPointerException when a regex is null
     * @throws IllegalArgumentException when a regex does not compile; the message names it
     */
    public Builder outputRegex(String... regexes) {
      outputRegexes.addAll(checkRegexes(regexes));
      return this;
    }

    /**
     * The roles of the input messages it scans; {@link Role#USER}, {@link Role#ASSISTANT} and
     * {@link Role#TOOL} by default. System messages are left out by default because they are the
     * application's own and often name what they forbid ("never mention Acme").
     *
     * @param roles the roles of the input messages it scans; {@link Role#USER}, {@link
     *     Role#ASSISTANT} and {@link Role#TOOL} by default
     * @return this builder
     * @throws NullPointerException when a role is null
     * @throws IllegalArgumentException when no role is given
     */
    public Builder roles(Role... roles) {
      Objects.requireNonNull(roles, "roles");
      if (roles.length == 0) {
        throw new IllegalArgumentException("roles must name at least one role");
      }
      EnumSet<Role> set = EnumSet.noneOf(Role.class);
      for (int i = 0; i < roles.length; i++) {
        set.add(Objects.requireNonNull(roles[i], "roles[" + i + "]"));
      }
      this.roles = set;
      return this;
    }

    /**
     * Whether phrases also match leetspeak spellings: {@code 0→o, 1→i/l, 3→e, 4→a, 5→s, 7→t},
     * {@code @→a}, {@code $→s} (so {@code "4cm3"} finds {@code "acme"}); false by default. With
     * it, {@code l}, {@code i} and {@code 1} are one letter, which can join words that differ only
     * there ({@code "kill"} also finds {@code "kiil"}), and {@code @}/{@code $} count as letters
     * for word boundaries. Regexes never see leetspeak folding.
     *
     * @param foldLeetspeak whether phrases also match leetspeak spellings: {@code 0→o, 1→i/l, 3→e,
     *     4→a, 5→s, 7→t}, {@code @→a}, {@code $→s} (so {@code "4cm3"} finds {@code "acme"}); false
     *     by default
     * @return this builder
     */
    public Builder foldLeetspeak(boolean foldLeetspeak) {
      this.foldLeetspeak = foldLeetspeak;
      return this;
    }

    /**
     * Whether diacritics are ignored, so that {@code "cafe"} and {@code "café"} find each other;
     * false by default, because some languages tell words apart by them ({@code año} and {@code
     * ano}).
     *
     * @param foldDiacritics whether diacritics are ignored, so that {@code "cafe"} and {@code
     *     "café"} find each other; false by default, because some languages tell words apart by
     *     them ({@code año} and {@code ano})
     * @return this builder
     */
    public Builder foldDiacritics(boolean foldDiacritics) {
      this.foldDiacritics = foldDiacritics;
      return this;
    }

    /**
     * The longest text a regex match is expected to span, which a stream holds back; {@value
     * DenyListGuardrail#DEFAULT_MAX_REGEX_MATCH_LENGTH} by default. Longer matches are still found
     * in non-streamed text, but a stream may release their start before seeing their end.
     *
     * @param maxRegexMatchLength the longest text a regex match is expected to span, which a stream
     *     holds back; {@value DenyListGuardrail#DEFAULT_MAX_REGEX_MATCH_LENGTH} by default
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder maxRegexMatchLength(int maxRegexMatchLength) {
      if (maxRegexMatchLength <= 0) {
        throw new IllegalArgumentException("maxRegexMatchLength must be positive, was " + maxRegexMatchLength);
      }
      this.maxRegexMatchLength = maxRegexMatchLength;
      return this;
    }

    /**
     * Builds the guardrail.
     *
     * @return the new {@code DenyListGuardrail}
     * @throws IllegalStateException when there is no phrase and no regex
     */
    public DenyListGuardrail build() {
      if (inputPhrases.isEmpty() && outputPhrases.isEmpty() && inputRegexes.isEmpty() && outputRegexes.isEmpty()) {
        throw new IllegalStateException("a deny list needs at least one phrase or regex");
      }
      return new DenyListGuardrail(this);
    }

    private static List<String> checkPhrases(Collection<String> phrases) {
      Objects.requireNonNull(phrases, "phrases");
      List<String> checked = new ArrayList<>(phrases.size());
      for (String phrase : phrases) {
        Objects.requireNonNull(phrase, "phrase");
        if (foldPhrase(phrase, TextNormalizer.of(false, true)).isEmpty()
            || foldPhrase(phrase, TextNormalizer.standard()).isEmpty()) {
          throw new IllegalArgumentException("a deny-list phrase must have visible characters, was '" + phrase + "'");
        }
        checked.add(phrase);
      }
      return checked;
    }

    private static List<String> checkRegexes(String[] regexes) {
      Objects.requireNonNull(regexes, "regexes");
      List<String> checked = new ArrayList<>(regexes.length);
      for (String regex : regexes) {
        compile(Objects.requireNonNull(regex, "regex"));
        checked.add(regex);
      }
      return checked;
    }
  }
}
