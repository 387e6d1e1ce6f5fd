package dev.aigw.providers.pool.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Reads the samples out of a metrics page in the Prometheus text exposition format (version
 * 0.0.4) or its OpenMetrics 1.0 text variant, as inference servers write them on {@code /metrics}.
 * A hand-written scanner, one pass, no regular expressions.
 *
 * <p>What it reads: one sample per line, {@code name{label="value",...} value [timestamp]}. Names
 * may contain colons ({@code vllm:num_requests_waiting}); label sets may be empty ({@code {}}), have
 * a trailing comma and blanks around commas and {@code =}; label values may escape {@code \\},
 * {@code \"} and {@code \n} (any other backslash is kept as written). Values may be decimal,
 * exponent notation, {@code NaN}, {@code +Inf} or {@code -Inf}. The optional timestamp (integer
 * milliseconds in 0.0.4, float seconds in OpenMetrics) is checked and dropped, and so is an
 * OpenMetrics exemplar ({@code # {trace_id="abc"} 0.67 1.6e9}). Histogram and summary series
 * ({@code _bucket} with {@code le}, {@code _sum}, {@code _count}, {@code quantile}) are ordinary
 * samples under their own names; {@code # HELP}, {@code # TYPE}, {@code # UNIT} and other comments
 * and blank lines are skipped. {@code # EOF} ends the page: nothing after it is read. Lines end with
 * {@code \n} or {@code \r\n}.
 *
 * <p>Server garbage never throws: a line that is not a sample or a comment is left out and counted
 * in {@link Result#skippedLines()}. Prometheus 3's quoted UTF-8 names ({@code {"a.b"} 1}) are not
 * read (counted as skipped): servers only write them to scrapers that ask for {@code
 * escaping=allow-utf-8}.
 *
 * <p>Bounded: only the first {@link #MAX_INPUT_CHARS} characters are read (up to the last whole
 * line within them) and at most {@link #MAX_SAMPLES} samples are kept; {@link Result#truncated()}
 * says when either cut happened. Pass a name filter to {@link #parse(String, Predicate)} to build
 * only the samples you need; lines of other names are still checked but allocate nothing beyond
 * the name.
 */
public final class PrometheusText {
  /** Input beyond this many characters (4 MiB) is not read. A vLLM page is 50 to 150 KB. */
  public static final int MAX_INPUT_CHARS = 4 * 1024 * 1024;

  /** Samples beyond this many are not kept. */
  public static final int MAX_SAMPLES = 100_000;

  /**
   * One sample line.
   *
   * @param name the series name as written ({@code vllm:e2e_request_latency_seconds_bucket})
   * @param labels its labels, unescaped; empty when it has none. Immutable.
   * @param value the value, possibly NaN or infinite
   */
  public record Sample(String name, Map<String, String> labels, double value) {
    /** Copies {@code labels} unless it is already immutable. */
    public Sample {
      labels = Map.copyOf(labels);
    }

    /** The value of the label {@code label}, or null when the sample does not have it. */
    public @Nullable String label(String label) {
      return labels.get(label);
    }
  }

  /**
   * What a page held.
   *
   * @param samples the samples in page order (those the name filter kept). Immutable.
   * @param skippedLines lines that were neither samples, comments nor blank
   * @param truncated whether the page was longer than {@link #MAX_INPUT_CHARS} or held more than
   *     {@link #MAX_SAMPLES} samples, so that the rest was not read
   */
  public record Result(List<Sample> samples, int skippedLines, boolean truncated) {
    /** Copies {@code samples}. */
    public Result {
      samples = List.copyOf(samples);
    }
  }

  private enum Line {
    SAMPLE,
    IGNORED,
    MALFORMED,
    EOF
  }

  private final String text;
  private final Predicate<? super String> names;
  private final List<Sample> samples = new ArrayList<>();
  /** Whether a sample was dropped because {@link #MAX_SAMPLES} were already kept. */
  private boolean full;
  /** The last label value read, when it was asked for. */
  private String quoted = "";

  private PrometheusText(String text, Predicate<? super String> names) {
    this.text = text;
    this.names = names;
  }

  /** Every sample in {@code text}. */
  public static Result parse(String text) {
    return parse(text, name -> true);
  }

  /**
   * The samples in {@code text} whose names {@code names} accepts.
   *
   * @param text a metrics page
   * @param names which series names to keep; called once per sample line
   */
  public static Result parse(String text, Predicate<? super String> names) {
    return new PrometheusText(text, names).run();
  }

  /** Reads the page line by line, within {@link #MAX_INPUT_CHARS}, until its end or {@code # EOF}. */
  private Result run() {
    int end = text.length();
    boolean truncated = false;
    if (end > MAX_INPUT_CHARS) {
      truncated = true;
      end = text.lastIndexOf('\n', MAX_INPUT_CHARS - 1) + 1;
    }
    int skipped = 0;
    int start = 0;
    while (start < end) {
      int newline = text.indexOf('\n', start);
      int next = newline < 0 || newline >= end ? end : newline;
      int lineEnd = next > start && text.charAt(next - 1) == '\r' ? next - 1 : next;
      Line line = line(start, lineEnd);
      if (line == Line.EOF) {
        break;
      }
      if (line == Line.MALFORMED) {
        skipped++;
      }
      start = next + 1;
    }
    return new Result(samples, skipped, truncated || full);
  }

  /** Reads the line from {@code from} to {@code to} (its end of line excluded). */
  private Line line(int from, int to) {
    int i = skipBlanks(from, to);
    if (i == to) {
      return Line.IGNORED;
    }
    if (text.charAt(i) == '#') {
      return isEof(i, to) ? Line.EOF : Line.IGNORED;
    }
    int nameEnd = metricName(i, to);
    if (nameEnd == i || nameEnd == to) {
      return Line.MALFORMED;
    }
    String name = text.substring(i, nameEnd);
    boolean keep = names.test(name);
    i = nameEnd;
    Map<String, String> labels = Map.of();
    char c = text.charAt(i);
    if (c == '{') {
      HashMap<String, String> read = keep ? new HashMap<>() : null;
      i = labels(i + 1, to, read);
      if (i < 0) {
        return Line.MALFORMED;
      }
      if (read != null && !read.isEmpty()) {
        labels = read;
      }
    } else if (!isBlank(c)) {
      return Line.MALFORMED;
    }
    i = skipBlanks(i, to);
    int valueEnd = token(i, to);
    if (valueEnd == i) {
      return Line.MALFORMED;
    }
    double value = Numbers.parse(text, i, valueEnd);
    if (Double.isNaN(value) && !Numbers.isNaN(text, i, valueEnd)) {
      return Line.MALFORMED;
    }
    i = skipBlanks(valueEnd, to);
    if (i < to && text.charAt(i) != '#') {
      int timestampEnd = token(i, to);
      if (!Double.isFinite(Numbers.parse(text, i, timestampEnd))) {
        return Line.MALFORMED;
      }
      i = skipBlanks(timestampEnd, to);
    }
    // Whatever follows " # " is an OpenMetrics exemplar: not needed, not checked.
    if (i < to && text.charAt(i) != '#') {
      return Line.MALFORMED;
    }
    if (keep) {
      if (samples.size() == MAX_SAMPLES) {
        full = true;
        return Line.EOF;
      }
      samples.add(new Sample(name, labels, value));
    }
    return Line.SAMPLE;
  }

  /**
   * Reads a label set after its opening brace.
   *
   * @param into where to put the labels, or null to only check them
   * @return the index after the closing brace, or -1 when the label set is malformed
   */
  private int labels(int from, int to, @Nullable Map<String, String> into) {
    int i = skipBlanks(from, to);
    if (i < to && text.charAt(i) == '}') {
      return i + 1;
    }
    while (i < to) {
      int nameEnd = labelName(i, to);
      if (nameEnd == i) {
        return -1;
      }
      int nameStart = i;
      i = skipBlanks(nameEnd, to);
      if (i >= to || text.charAt(i) != '=') {
        return -1;
      }
      i = skipBlanks(i + 1, to);
      i = quoted(i, to, into != null);
      if (i < 0) {
        return -1;
      }
      if (into != null && into.put(text.substring(nameStart, nameEnd), quoted) != null) {
        return -1; // the same label twice
      }
      i = skipBlanks(i, to);
      if (i >= to) {
        return -1;
      }
      char c = text.charAt(i);
      if (c == '}') {
        return i + 1;
      }
      if (c != ',') {
        return -1;
      }
      i = skipBlanks(i + 1, to);
      if (i < to && text.charAt(i) == '}') {
        return i + 1; // a trailing comma
      }
    }
    return -1;
  }

  /**
   * Reads a double-quoted label value starting at {@code from}, unescaping it into {@link #quoted}
   * when {@code build}.
   *
   * @return the index after the closing quote, or -1 when there is no well-formed quoted string
   */
  private int quoted(int from, int to, boolean build) {
    if (from >= to || text.charAt(from) != '"') {
      return -1;
    }
    StringBuilder unescaped = null;
    int segment = from + 1;
    int i = segment;
    while (i < to) {
      char c = text.charAt(i);
      if (c == '"') {
        if (build) {
          quoted = unescaped == null
              ? text.substring(segment, i)
              : unescaped.append(text, segment, i).toString();
        }
        return i + 1;
      }
      if (c == '\\') {
        if (i + 1 >= to) {
          return -1;
        }
        if (build) {
          if (unescaped == null) {
            unescaped = new StringBuilder(i - segment + 16);
          }
          unescaped.append(text, segment, i);
          char escaped = text.charAt(i + 1);
          switch (escaped) {
            case 'n' -> unescaped.append('\n');
            case '\\', '"' -> unescaped.append(escaped);
            default -> unescaped.append('\\').append(escaped);
          }
        }
        i += 2;
        segment = i;
        continue;
      }
      i++;
    }
    return -1;
  }

  /** The end of a metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}) starting at {@code from}. */
  private int metricName(int from, int to) {
    int i = from;
    while (i < to) {
      char c = text.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
      if (!letter && !(i > from && c >= '0' && c <= '9')) {
        break;
      }
      i++;
    }
    return i;
  }

  /** The end of a label name ({@code [a-zA-Z_][a-zA-Z0-9_]*}) starting at {@code from}. */
  private int labelName(int from, int to) {
    int i = from;
    while (i < to) {
      char c = text.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (!letter && !(i > from && c >= '0' && c <= '9')) {
        break;
      }
      i++;
    }
    return i;
  }

  /** The end of the run of non-blank characters starting at {@code from}. */
  private int token(int from, int to) {
    int i = from;
    while (i < to && !isBlank(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private int skipBlanks(int from, int to) {
    int i = from;
    while (i < to && isBlank(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Whether the comment at {@code hash} is OpenMetrics' {@code # EOF}. */
  private boolean isEof(int hash, int to) {
    int i = skipBlanks(hash + 1, to);
    return i > hash + 1
        && text.startsWith("EOF", i)
        && skipBlanks(i + 3, to) == to;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
