package dev.aigw.core.internal;

import dev.aigw.api.TimeSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A {@link Clock} over the gateway's {@link TimeSource}, for Resilience4j's circuit breakers. */
final class TimeSourceClock extends Clock {
  private final TimeSource time;

  TimeSourceClock(TimeSource time) {
    this.time = time;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the gateway clock is UTC only");
  }

  @Override
  public Instant instant() {
    return time.now();
  }
}
