package dev.aigw.core.budget;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * The period a budget counts over: a calendar minute, hour, day or month, aligned to UTC (usage
 * resets at the boundary), or a rolling window of a given length, kept in {@value #SLICES}
 * slices so that usage leaves the window slice by slice.
 */
public final class Window {
  /** Slices of a rolling window. */
  public static final int SLICES = 60;

  private enum Kind { MINUTE, HOUR, DAY, MONTH, ROLLING }

  private static final Window MINUTE = new Window(Kind.MINUTE, Duration.ofMinutes(1));
  private static final Window HOUR = new Window(Kind.HOUR, Duration.ofHours(1));
  private static final Window DAY = new Window(Kind.DAY, Duration.ofDays(1));
  private static final Window MONTH = new Window(Kind.MONTH, Duration.ZERO);

  private final Kind kind;
  private final Duration length;
  private final long sliceMillis;

  private Window(Kind kind, Duration length) {
    this.kind = kind;
    this.length = length;
    this.sliceMillis = kind == Kind.ROLLING ? Math.max(1, length.toMillis() / SLICES) : 0;
  }

  /** {@return the calendar minute (UTC)} */
  public static Window minute() {
    return MINUTE;
  }

  /** {@return the calendar hour (UTC)} */
  public static Window hour() {
    return HOUR;
  }

  /** {@return the calendar day (UTC)} */
  public static Window day() {
    return DAY;
  }

  /** {@return the calendar month (UTC)} */
  public static Window month() {
    return MONTH;
  }

  /**
   * {@return the last {@code length} before now, in {@value #SLICES} slices of {@code length / 60}
   * (at least a millisecond): usage recorded in a slice leaves the window when the slice does}
   *
   * @param length the window's length; at least a second
   * @throws IllegalArgumentException when {@code length} is shorter than a second
   */
  public static Window rolling(Duration length) {
    if (Objects.requireNonNull(length, "length").compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("a rolling window must be at least a second long, was " + length);
    }
    return new Window(Kind.ROLLING, length);
  }

  /** {@return whether this is a rolling window} */
  public boolean rolling() {
    return kind == Kind.ROLLING;
  }

  /**
   * {@return the bucket {@code now} falls in: for calendar windows the period's number since the
   * epoch, for rolling windows the slice's}
   *
   * @param now the time
   */
  public long bucket(Instant now) {
    long millis = now.toEpochMilli();
    return switch (kind) {
      case MINUTE -> Math.floorDiv(millis, 60_000L);
      case HOUR -> Math.floorDiv(millis, 3_600_000L);
      case DAY -> Math.floorDiv(millis, 86_400_000L);
      case MONTH -> {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        yield t.getYear() * 12L + t.getMonthValue() - 1;
      }
      case ROLLING -> Math.floorDiv(millis, sliceMillis);
    };
  }

  /**
   * {@return when usage counted now stops counting: the start of the next period for calendar
   * windows; for rolling windows, when the current slice leaves the window}
   *
   * @param now the time
   */
  public Instant resetsAt(Instant now) {
    return expiresAt(bucket(now));
  }

  /**
   * {@return when usage counted in {@code bucket} stops counting: the end of the period for
   * calendar windows; for rolling windows, when the slice leaves the window}
   *
   * @param bucket a bucket of this window
   */
  public Instant expiresAt(long bucket) {
    return switch (kind) {
      case MINUTE, HOUR, DAY -> Instant.ofEpochMilli((bucket + 1) * length.toMillis());
      case MONTH -> YearMonth.of((int) (bucket / 12), (int) (bucket % 12) + 1).plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      case ROLLING -> Instant.ofEpochMilli((bucket + SLICES) * sliceMillis);
    };
  }

  /**
   * {@return a short stable name, part of a counter's identity in a store: {@code "day"}, {@code
   * "rolling:PT1H"}}
   */
  public String id() {
    return kind == Kind.ROLLING ? "rolling:" + length : kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Window w && kind == w.kind && length.equals(w.length);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, length);
  }

  @Override
  public String toString() {
    return id();
  }
}
