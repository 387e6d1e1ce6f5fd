package dev.aigw.core.internal;

import dev.aigw.api.CallInfo;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.GuardrailFinding;
import dev.aigw.api.GuardrailViolationException;
import dev.aigw.core.guardrail.Guardrail;
import dev.aigw.core.guardrail.Guardrail.Match;
import dev.aigw.core.guardrail.Guardrail.Site;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs guardrails over texts and turns their matches into findings, one place for input and
 * output: overlapping matches of different guardrails are resolved (the stronger action wins,
 * then the earlier start), a whole-text {@code MASK} is treated as {@code BLOCK} (there is no span
 * to mask), and {@link #report} sends each guardrail's findings to the listener and throws when
 * one blocks.
 */
final class GuardrailScan {
  /** A match kept after resolving overlaps, with the guardrail that made it. */
  record Hit(Guardrail guardrail, Match match) {
    boolean positioned() {
      return match.start() >= 0;
    }
  }

  private GuardrailScan() {}

  /** The matches of {@code guardrails} in {@code text}: positioned ones sorted and non-overlapping, whole-text ones after. */
  static List<Hit> scan(List<Guardrail> guardrails, String text, Site site) {
    List<Hit> hits = null;
    for (Guardrail guardrail : guardrails) {
      List<Match> matches = guardrail.scan(text, site);
      if (matches == null || matches.isEmpty()) {
        continue;
      }
      if (hits == null) {
        hits = new ArrayList<>();
      }
      for (Match m : matches) {
        if (m.end() > text.length()) {
          throw new IllegalStateException("guardrail '" + guardrail.name() + "' matched past the end of the text: " + m.start() + ".." + m.end());
        }
        hits.add(new Hit(guardrail, m));
      }
    }
    return hits == null ? List.of() : resolve(hits);
  }

  private static List<Hit> resolve(List<Hit> hits) {
    List<Hit> whole = new ArrayList<>();
    List<Hit> spans = new ArrayList<>();
    for (Hit h : hits) {
      (h.positioned() ? spans : whole).add(h);
    }
    spans.sort(Comparator.comparingInt((Hit h) -> h.match().start()).thenComparingInt(h -> -h.match().end()));
    List<Hit> kept = new ArrayList<>(spans.size() + whole.size());
    for (Hit h : spans) {
      Hit last = kept.isEmpty() ? null : kept.get(kept.size() - 1);
      if (last != null && h.match().start() < last.match().end()) {
        if (h.match().action().compareTo(last.match().action()) > 0) {
          kept.set(kept.size() - 1, h);
        }
        continue;
      }
      kept.add(h);
    }
    kept.addAll(whole);
    return kept;
  }

  /** The strongest action of {@code hits}, a whole-text MASK counting as BLOCK; FLAG when empty. */
  static GuardrailAction effective(Hit hit) {
    GuardrailAction a = hit.match().action();
    return a == GuardrailAction.MASK && !hit.positioned() ? GuardrailAction.BLOCK : a;
  }

  /** A finding for {@code hit}, shifted by {@code offset} chars (for stream windows). */
  static GuardrailFinding finding(Hit hit, Site site, int offset) {
    Match m = hit.match();
    return new GuardrailFinding(hit.guardrail().name(), m.type(), site.input(), site.message(),
        m.start() < 0 ? -1 : m.start() + offset, m.end() < 0 ? -1 : m.end() + offset, effective(hit), m.score());
  }

  /**
   * Sends {@code findings} to the listener, one event per guardrail in the configured {@code
   * order}, and throws a {@link GuardrailViolationException} naming the first guardrail that
   * blocked.
   */
  static void report(List<GuardrailFinding> findings, List<Guardrail> order, boolean input, CallInfo call, GatewayListener listener) {
    if (findings.isEmpty()) {
      return;
    }
    Map<String, List<GuardrailFinding>> byGuardrail = new LinkedHashMap<>();
    for (Guardrail g : order) {
      for (GuardrailFinding f : findings) {
        if (f.guardrail().equals(g.name())) {
          byGuardrail.computeIfAbsent(f.guardrail(), k -> new ArrayList<>()).add(f);
        }
      }
    }
    String blocker = null;
    for (Map.Entry<String, List<GuardrailFinding>> e : byGuardrail.entrySet()) {
      GuardrailAction strongest = GuardrailAction.FLAG;
      for (GuardrailFinding f : e.getValue()) {
        if (f.action().compareTo(strongest) > 0) {
          strongest = f.action();
        }
      }
      listener.guardrail(call, e.getKey(), input, strongest, List.copyOf(e.getValue()));
      if (strongest == GuardrailAction.BLOCK && blocker == null) {
        blocker = e.getKey();
      }
    }
    if (blocker != null) {
      List<GuardrailFinding> blocking = byGuardrail.get(blocker).stream().filter(f -> f.action() == GuardrailAction.BLOCK).toList();
      throw new GuardrailViolationException(blocker, "guardrail '" + blocker + "' blocked the " + (input ? "request" : "answer")
          + ": " + describe(blocking), blocking);
    }
  }

  private static String describe(List<GuardrailFinding> findings) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (GuardrailFinding f : findings) {
      counts.merge(f.type() + (f.input() && f.message() >= 0 ? " in message " + f.message() : ""), 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((what, n) -> parts.add(n == 1 ? what : what + " (" + n + "x)"));
    return String.join(", ", parts);
  }

  /**
   * {@code text} with every positioned MASK hit replaced by {@code placeholder.apply(hit)} (the
   * hits must come from {@link #scan} of this text).
   */
  static String mask(String text, List<Hit> hits, Function<Hit, String> placeholder) {
    StringBuilder out = null;
    int copied = 0;
    for (Hit h : hits) {
      if (!h.positioned() || h.match().action() != GuardrailAction.MASK) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16);
      }
      out.append(text, copied, h.match().start()).append(placeholder.apply(h));
      copied = h.match().end();
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }
}
