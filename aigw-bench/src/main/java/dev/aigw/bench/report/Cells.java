package dev.aigw.bench.report;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How {@link ReportWriter} formats the figures in its markdown tables. */
final class Cells {
  private Cells() {}

  /** A number with a precision fit for its size. */
  static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "–";
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** A number with its sign, {@code +} included. */
  static String signed(double v) {
    return (v >= 0 ? "+" : "") + num(v);
  }

  /** A ratio such as {@code 1.07×}; "–" when undefined. */
  static String ratio(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "–";
    }
    return String.format(Locale.ROOT, v >= 100 ? "%,.0f×" : v >= 10 ? "%.1f×" : "%.2f×", v);
  }

  /** A rate (calls or tokens per second), whole. */
  static String rate(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
  }

  /** Bytes per operation, whole; "–" when not measured. */
  static String bytes(@Nullable Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%,.0f", v);
  }

  /** A duration such as {@code 1 min 05 s}. */
  static String duration(long seconds) {
    return seconds >= 60 ? String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60) : seconds + " s";
  }

  /** Text made safe for a markdown table cell. */
  static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
