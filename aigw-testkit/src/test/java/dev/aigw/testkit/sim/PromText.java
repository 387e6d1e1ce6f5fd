package dev.aigw.testkit.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of the Prometheus text format, for the tests. */
final class PromText {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern COMMENT = Pattern.compile("^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$");

  record Sample(String name, Map<String, String> labels, double value) {}

  final List<Sample> samples = new ArrayList<>();
  final Map<String, String> types = new LinkedHashMap<>();
  final Map<String, String> helps = new LinkedHashMap<>();

  PromText(String text) {
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        Matcher m = COMMENT.matcher(line);
        if (!m.matches()) {
          throw new AssertionError("bad comment line: " + line);
        }
        (m.group(1).equals("TYPE") ? types : helps).put(m.group(2), m.group(3));
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("bad sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null && !m.group(3).isEmpty()) {
        Matcher l = LABEL.matcher(m.group(3));
        int end = 0;
        while (l.find()) {
          if (l.start() != end && l.start() != end + 1) {
            throw new AssertionError("bad labels: " + line);
          }
          labels.put(l.group(1), l.group(2));
          end = l.end();
        }
        if (end != m.group(3).length()) {
          throw new AssertionError("bad labels: " + line);
        }
      }
      String v = m.group(4);
      double value = v.equals("+Inf") ? Double.POSITIVE_INFINITY : v.equals("-Inf") ? Double.NEGATIVE_INFINITY
          : Double.parseDouble(v);
      samples.add(new Sample(m.group(1), labels, value));
    }
  }

  /** The value of the one sample named {@code name} (labels ignored). */
  double value(String name) {
    List<Sample> found = samples.stream().filter(s -> s.name().equals(name)).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one sample " + name + ", found " + found.size());
    }
    return found.get(0).value();
  }

  List<Sample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }
}
