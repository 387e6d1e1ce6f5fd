package dev.aigw.it.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.Attempt;
import dev.aigw.api.BudgetUsage;
import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallInfo;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.ModelResponse;
import dev.aigw.api.Target;
import dev.aigw.core.Driver;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** A listener that records the events the suite checks, by call, and checks each call's sequence. */
final class CallEvents implements GatewayListener {
  /** One listener event. */
  record Event(long call, String type, @Nullable Target target, int attempt, @Nullable Target to, @Nullable Duration delay,
      @Nullable AiGatewayException error) {
    boolean terminal() {
      return type.equals("callEnd") || type.equals("callFailed");
    }

    @Override
    public String toString() {
      return type + (target == null ? "" : " " + target + (attempt > 0 ? " #" + attempt : ""))
          + (to == null ? "" : " -> " + to) + (delay == null ? "" : " after " + delay.toMillis() + "ms")
          + (error == null ? "" : " " + error.getClass().getSimpleName() + ": " + error.getMessage());
    }
  }

  private final List<Event> events = new CopyOnWriteArrayList<>();
  final AtomicLong lastCall = new AtomicLong();

  List<Event> of(long call) {
    return events.stream().filter(e -> e.call == call).toList();
  }

  private void add(CallInfo call, String type, @Nullable Target target, int attempt, @Nullable Target to,
      @Nullable Duration delay, @Nullable AiGatewayException error) {
    events.add(new Event(call.id(), type, target, attempt, to, delay, error));
  }

  private void add(CallInfo call, String type) {
    add(call, type, null, 0, null, null, null);
  }

  @Override
  public void callStart(CallInfo call) {
    lastCall.set(call.id());
    add(call, "callStart");
  }

  @Override
  public void cacheHit(CallInfo call, CacheStatus status, Duration age) {
    add(call, "cacheHit");
  }

  @Override
  public void cacheMiss(CallInfo call) {
    add(call, "cacheMiss");
  }

  @Override
  public void cacheStore(CallInfo call, long bytes) {
    add(call, "cacheStore");
  }

  @Override
  public void attemptStart(CallInfo call, Target target, int attempt) {
    add(call, "attemptStart", target, attempt, null, null, null);
  }

  @Override
  public void attemptEnd(CallInfo call, Target target, int attempt, Duration latency) {
    add(call, "attemptEnd", target, attempt, null, null, null);
  }

  @Override
  public void attemptFailed(CallInfo call, Target target, int attempt, Duration latency, AiGatewayException error) {
    add(call, "attemptFailed", target, attempt, null, null, error);
  }

  @Override
  public void retry(CallInfo call, Target target, int attempt, Duration delay, AiGatewayException cause) {
    add(call, "retry", target, attempt, null, delay, cause);
  }

  @Override
  public void fallback(CallInfo call, Target from, Target to, AiGatewayException cause) {
    add(call, "fallback", from, 0, to, null, cause);
  }

  @Override
  public void firstChunk(CallInfo call, Duration timeToFirstChunk) {
    add(call, "firstChunk");
  }

  @Override
  public void budgetReserved(CallInfo call, BudgetUsage usage, BigDecimal reserved) {
    add(call, "budgetReserved");
  }

  @Override
  public void budgetReconciled(CallInfo call, BudgetUsage usage, BigDecimal reserved, BigDecimal actual) {
    add(call, "budgetReconciled");
  }

  @Override
  public void callEnd(CallInfo call, ModelResponse response) {
    add(call, "callEnd");
  }

  @Override
  public void callFailed(CallInfo call, AiGatewayException error) {
    add(call, "callFailed", null, 0, null, null, error);
  }

  /**
   * Checks that one call's events are a consistent sequence and returns them: exactly one {@code
   * callStart} (first) and one {@code callEnd}/{@code callFailed} (followed by budget settlements
   * only); attempts numbered from 1, never overlapping, each closed by {@code attemptEnd} or {@code
   * attemptFailed}; a failed attempt followed by another only through a {@code retry} (same target)
   * or a {@code fallback} (from the failed target to the next one started), one fallback per change
   * of target; a success ends with a successful attempt (or a cache hit) whose attempts match the
   * answer's metadata; a failure reports the very error the caller got. Waits (without sleeping)
   * for the events a stream's end sends from another thread, and for every reservation to be settled.
   */
  List<Event> check(FaultKit.Outcome o) {
    Driver.awaitTrue("call " + o.call() + " ended and settled its budget", () -> {
      List<Event> ev = of(o.call());
      return ev.stream().anyMatch(Event::terminal)
          && count(ev, "budgetReserved") == count(ev, "budgetReconciled");
    });
    List<Event> events = of(o.call());
    String trace = events.stream().map(Event::toString).collect(Collectors.joining("\n  ", "events:\n  ", ""));
    assertThat(events.get(0).type).as(trace).isEqualTo("callStart");
    assertThat(count(events, "callStart")).as(trace).isEqualTo(1);
    assertThat(events.stream().filter(Event::terminal).count()).as("exactly one of callEnd/callFailed; " + trace).isEqualTo(1);
    int end = 0;
    while (!events.get(end).terminal()) {
      end++;
    }
    assertThat(events.subList(end + 1, events.size())).as("only budget settlements after the end; " + trace)
        .allSatisfy(e -> assertThat(e.type).isEqualTo("budgetReconciled"));
    Event open = null;
    Event closed = null;
    Target next = null;
    int attempts = 0;
    int moves = 0;
    for (Event e : events.subList(0, end)) {
      switch (e.type) {
        case "attemptStart" -> {
          assertThat(open).as("an attempt started while another was open; " + trace).isNull();
          assertThat(e.attempt).as(trace).isEqualTo(++attempts);
          if (closed != null) {
            assertThat(closed.type).as("only a failed attempt is followed by another; " + trace).isEqualTo("attemptFailed");
            assertThat(e.target).as("the next attempt goes where retry/fallback said; " + trace).isEqualTo(next);
            moves += e.target.equals(closed.target) ? 0 : 1;
          }
          next = null;
          open = e;
        }
        case "attemptEnd", "attemptFailed" -> {
          assertThat(open).as("an attempt ended that never started; " + trace).isNotNull();
          assertThat(e.attempt).as(trace).isEqualTo(open.attempt);
          assertThat(e.target).as(trace).isEqualTo(open.target);
          closed = e;
          open = null;
        }
        case "retry", "fallback" -> {
          assertThat(closed).as(trace).isNotNull();
          assertThat(closed.type).as(e.type + " follows a failed attempt; " + trace).isEqualTo("attemptFailed");
          assertThat(e.target).as(e.type + " from the failed target; " + trace).isEqualTo(closed.target);
          next = e.type.equals("retry") ? e.target : e.to;
        }
        default -> { }
      }
    }
    assertThat(open).as("every attempt started was closed; " + trace).isNull();
    assertThat(count(events, "cacheHit") + count(events, "cacheMiss")).as("the cache was consulted once; " + trace).isEqualTo(1);
    assertThat(count(events, "cacheStore")).as("only a complete, served answer is stored; " + trace)
        .isEqualTo(o.ok() && count(events, "cacheMiss") == 1 ? 1 : 0);
    assertThat(count(events, "firstChunk")).as("firstChunk once a stream started; " + trace).isEqualTo(o.opened() ? 1 : 0);
    assertThat(count(events, "fallback")).as("one fallback event per change of target; " + trace).isEqualTo(moves);
    Event last = events.get(end);
    if (last.type.equals("callEnd")) {
      assertThat(o.ok()).as(trace).isTrue();
      if (attempts == 0) {
        assertThat(events).as(trace).extracting(e -> e.type).contains("cacheHit");
      } else {
        assertThat(closed.type).as(trace).isEqualTo("attemptEnd");
        assertThat(o.metadata().attempts()).as("the answer's attempts match the events; " + trace)
            .extracting(Attempt::target).containsExactlyElementsOf(events.stream()
                .filter(e -> e.type.equals("attemptStart")).map(e -> e.target).toList());
      }
    } else {
      assertThat(o.ok()).as(trace).isFalse();
      assertThat(last.error).as("callFailed reports the caller's error; " + trace).isSameAs(o.error());
      if (o.opened()) {
        assertThat(closed.type).as("a stream that started had a successful attempt; " + trace).isEqualTo("attemptEnd");
      } else if (closed != null) {
        assertThat(closed.type).as(trace).isEqualTo("attemptFailed");
      }
    }
    return events;
  }

  private static long count(List<Event> events, String type) {
    return events.stream().filter(e -> e.type.equals(type)).count();
  }
}
