package dev.aigw.core.guardrail.internal;

import static dev.aigw.core.guardrail.internal.PhraseAutomaton.isWordChar;

import dev.aigw.core.guardrail.internal.InjectionScorer.Family;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rule model of the injection scorer: a rule, how a match is weighed, and the text it is read in. */
final class InjectionRule {
  private InjectionRule() {}

  /** A rule: a pattern over folded text, a weight, and optionally a way to weigh a match. */
  record Rule(String id, List<String> starts, List<String> requires, int within, Pattern pattern, double weight,
      Weigher weigher, boolean technicalDamping) {}

  /** Weighs one match of a rule, given its base weight; 0 drops the match. */
  @FunctionalInterface
  interface Weigher {
    double weigh(Context cx, Matcher m, double weight);
  }

  /** The folded text being scored, with the helpers weighers and dampers share. */
  static final class Context {
    private static final Pattern META_BEFORE = InjectionRules.ws(InjectionRules.META_BEFORE);
    private static final Pattern QUESTION_BEFORE = InjectionRules.ws(InjectionRules.QUESTION_BEFORE);
    private static final Pattern META_AFTER = InjectionRules.ws(InjectionRules.META_AFTER);
    private static final Pattern TECHNICAL = InjectionRules.ws(InjectionRules.TECHNICAL);
    private static final Pattern NEGATED = InjectionRules.ws(InjectionRules.NEGATED);
    private static final Pattern OWN_AFTER = InjectionRules.ws(InjectionRules.OWN_AFTER);
    private static final Pattern NOT_IMPERATIVE_BEFORE = InjectionRules.ws(InjectionRules.NOT_IMPERATIVE_BEFORE);

    final String text;
    private int[] fences;

    Context(String text) {
      this.text = text;
    }

    /** The product of the dampers that apply to a match of {@code [start, end)}. */
    double damping(int start, int end, Family family, boolean technical) {
      int sentenceStart = sentenceStart(start);
      int sentenceEnd = sentenceEnd(end);
      double d = 1;
      if (quoted(sentenceStart, start, end) || inCodeFence(start)) {
        d *= 0.5;
      }
      if (find(META_BEFORE, sentenceStart, start) || find(META_AFTER, end, Math.min(sentenceEnd, end + 40))
          || family != Family.PROMPT_EXFILTRATION && find(QUESTION_BEFORE, sentenceStart, start)) {
        d *= 0.4;
      }
      if (technical && (find(TECHNICAL, sentenceStart, sentenceEnd) || inCodeFence(start))) {
        d *= 0.4;
      }
      return d;
    }

    /** 0.25 when the words just before {@code start} negate it. */
    double negation(int start) {
      return find(NEGATED, Math.max(0, start - 24), start) ? 0.25 : 1;
    }

    /** 0.25 when the instructions are the writer's own: "my …", "… I gave you". */
    double ownText(Matcher m) {
      String matched = text.substring(m.start(), m.end());
      if (matched.matches("(?s).*\\b(?:my|our|mine)\\b.*")) {
        return 0.25;
      }
      return find(OWN_AFTER, m.end(), Math.min(text.length(), m.end() + 40)) ? 0.25 : 1;
    }

    /** 0.5 when the verb at {@code start} is inflected or has a subject ("it ignores"). */
    double imperative(int start) {
      int wordEnd = start;
      while (wordEnd < text.length() && isWordChar(text.charAt(wordEnd))) {
        wordEnd++;
      }
      String verb = text.substring(start, wordEnd);
      if (verb.matches(".*(?:ing|ed)|.*[^s]s")) {
        return 0.5;
      }
      return find(NOT_IMPERATIVE_BEFORE, Math.max(0, start - 24), start) ? 0.5 : 1;
    }

    /** Whether {@code pattern} occurs in the sentence around {@code [start, end)}. */
    boolean sentenceHas(Pattern pattern, int start, int end) {
      return find(pattern, sentenceStart(start), sentenceEnd(end));
    }

    /** Whether {@code pattern} occurs within {@code before} chars before and {@code after} after. */
    boolean near(Pattern pattern, int start, int end, int before, int after) {
      return find(pattern, Math.max(0, start - before), Math.min(text.length(), end + after));
    }

    boolean find(Pattern pattern, int from, int to) {
      if (from >= to) {
        return false;
      }
      return pattern.matcher(text).region(from, to).useTransparentBounds(true).useAnchoringBounds(true).find();
    }

    private int sentenceStart(int at) {
      int limit = Math.max(0, at - 200);
      for (int i = at - 1; i >= limit; i--) {
        char c = text.charAt(i);
        boolean sentenceEnd = (c == '.' || c == '!' || c == '?')
            && i + 1 < text.length() && TextNormalizer.isSpace(text.charAt(i + 1));
        if (c == '\n' || sentenceEnd) {
          return i + 1;
        }
      }
      return limit;
    }

    private int sentenceEnd(int at) {
      int limit = Math.min(text.length(), at + 200);
      for (int i = at; i < limit; i++) {
        char c = text.charAt(i);
        if (c == '\n' || c == '.' || c == '!' || c == '?') {
          return i + 1;
        }
      }
      return limit;
    }

    /**
     * Whether {@code [start, end)} sits in a short quotation: a quote opens at most 40 chars
     * before it (in its sentence) and the same kind of quote closes at most 40 chars after it.
     * Long quoted strings (JSON values, whole paragraphs) do not count.
     */
    private boolean quoted(int sentenceStart, int start, int end) {
      int open = -1;
      char closing = 0;
      for (int i = sentenceStart; i < start; i++) {
        char c = text.charAt(i);
        if (!isQuote(i)) {
          continue;
        }
        if (open < 0) {
          open = i;
          closing = c == '\u00AB' ? '\u00BB' : c;
        } else if (c == closing) {
          open = -1;
        }
      }
      if (open < 0 || start - open > 40) {
        return false;
      }
      int limit = Math.min(text.length(), end + 40);
      for (int i = end; i < limit; i++) {
        if (text.charAt(i) == closing && isQuote(i)) {
          return true;
        }
      }
      return false;
    }

    private boolean isQuote(int i) {
      char c = text.charAt(i);
      if (c == '"' || c == '`' || c == '\u00AB' || c == '\u00BB') {
        return true;
      }
      if (c != '\'') {
        return false;
      }
      boolean wordBefore = i > 0 && isWordChar(text.charAt(i - 1));
      boolean wordAfter = i + 1 < text.length() && isWordChar(text.charAt(i + 1));
      return !(wordBefore && wordAfter);
    }

    private boolean inCodeFence(int at) {
      if (fences == null) {
        List<Integer> found = new ArrayList<>();
        int i = -1;
        while ((i = text.indexOf("```", i + 1)) >= 0) {
          found.add(i);
          i += 2;
        }
        fences = found.stream().mapToInt(Integer::intValue).toArray();
      }
      int k = Arrays.binarySearch(fences, at);
      int before = k >= 0 ? k : -k - 1; // fences that open or close before at
      return before % 2 == 1;
    }
  }
}
