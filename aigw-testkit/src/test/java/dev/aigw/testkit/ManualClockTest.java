package dev.aigw.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  @Test
  void startsAtTheDefaultInstantWithNanoTimeZero() {
    ManualClock clock = new ManualClock();

    assertThat(clock.now()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(clock.nanoTime()).isZero();
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void startsAtTheGivenInstant() {
    Instant start = Instant.parse("2030-06-15T12:00:00Z");

    assertThat(new ManualClock(start).now()).isEqualTo(start);
  }

  @Test
  void advanceMovesWallClockAndNanoTimeTogether() {
    ManualClock clock = new ManualClock();

    clock.advance(Duration.ofMillis(1500));
    clock.advance(Duration.ofNanos(7));

    assertThat(clock.now()).isEqualTo(ManualClock.DEFAULT_START.plusMillis(1500).plusNanos(7));
    assertThat(clock.nanoTime()).isEqualTo(1_500_000_007L);
  }

  @Test
  void negativeAdvanceIsRejectedAndTimeStays() {
    ManualClock clock = new ManualClock();

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration");
    assertThat(clock.nanoTime()).isZero();
  }

  @Test
  void runsDueTasksInDueOrderAndFifoForEqualDueTimes() {
    ManualClock clock = new ManualClock();
    List<String> ran = new ArrayList<>();
    clock.schedule(Duration.ofSeconds(30), () -> ran.add("30s"));
    clock.schedule(Duration.ofSeconds(10), () -> ran.add("10s-a"));
    clock.schedule(Duration.ofSeconds(20), () -> ran.add("20s"));
    clock.schedule(Duration.ofSeconds(10), () -> ran.add("10s-b"));

    clock.advance(Duration.ofSeconds(30));

    assertThat(ran).containsExactly("10s-a", "10s-b", "20s", "30s");
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void leavesTasksThatAreNotYetDuePending() {
    ManualClock clock = new ManualClock();
    AtomicInteger runs = new AtomicInteger();
    clock.schedule(Duration.ofSeconds(5), runs::incrementAndGet);

    clock.advance(Duration.ofMillis(4999));
    assertThat(runs).hasValue(0);
    assertThat(clock.pendingTimers()).isOne();

    clock.advance(Duration.ofMillis(1));
    assertThat(runs).hasValue(1);
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void aTaskSeesItsOwnDueTimeAndTheAdvanceEndsAtTheTarget() {
    ManualClock clock = new ManualClock();
    List<Long> seen = new ArrayList<>();
    clock.schedule(Duration.ofSeconds(2), () -> seen.add(clock.nanoTime()));

    clock.advance(Duration.ofSeconds(10));

    assertThat(seen).containsExactly(Duration.ofSeconds(2).toNanos());
    assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(10).toNanos());
  }

  @Test
  void cancelledTimerNeverRunsAndCancelIsIdempotent() {
    ManualClock clock = new ManualClock();
    AtomicInteger runs = new AtomicInteger();
    TimeSource.Timer timer = clock.schedule(Duration.ofSeconds(1), runs::incrementAndGet);
    clock.schedule(Duration.ofSeconds(1), () -> {});

    timer.cancel();
    timer.cancel();

    assertThat(clock.pendingTimers()).isOne();
    clock.advance(Duration.ofSeconds(2));
    assertThat(runs).hasValue(0);
  }

  @Test
  void cancellingAfterTheTaskRanHasNoEffect() {
    ManualClock clock = new ManualClock();
    AtomicInteger runs = new AtomicInteger();
    TimeSource.Timer timer = clock.schedule(Duration.ofSeconds(1), runs::incrementAndGet);
    clock.advance(Duration.ofSeconds(1));

    timer.cancel();

    assertThat(runs).hasValue(1);
  }

  @Test
  void aTaskCanCancelAnotherDueTask() {
    ManualClock clock = new ManualClock();
    AtomicInteger runs = new AtomicInteger();
    TimeSource.Timer[] later = new TimeSource.Timer[1];
    clock.schedule(Duration.ofSeconds(1), () -> later[0].cancel());
    later[0] = clock.schedule(Duration.ofSeconds(2), runs::incrementAndGet);

    clock.advance(Duration.ofSeconds(5));

    assertThat(runs).hasValue(0);
  }

  @Test
  void tasksScheduledByRunningTasksRunWhenTheyFallDueWithinTheSameAdvance() {
    ManualClock clock = new ManualClock();
    List<String> ran = new ArrayList<>();
    clock.schedule(Duration.ofSeconds(1), () -> {
      ran.add("first@" + clock.nanoTime());
      clock.schedule(Duration.ofSeconds(1), () -> ran.add("second@" + clock.nanoTime()));
      clock.schedule(Duration.ofSeconds(10), () -> ran.add("third@" + clock.nanoTime()));
    });

    clock.advance(Duration.ofSeconds(3));

    assertThat(ran).containsExactly("first@1000000000", "second@2000000000");
    assertThat(clock.pendingTimers()).isOne();

    clock.advance(Duration.ofSeconds(8));
    assertThat(ran).last().isEqualTo("third@11000000000");
  }

  @Test
  void zeroAndNegativeDelaysRunOnTheNextAdvanceNotWhenScheduled() {
    ManualClock clock = new ManualClock();
    AtomicInteger runs = new AtomicInteger();

    clock.schedule(Duration.ZERO, runs::incrementAndGet);
    clock.schedule(Duration.ofSeconds(-5), runs::incrementAndGet);
    assertThat(runs).hasValue(0);

    clock.advance(Duration.ZERO);
    assertThat(runs).hasValue(2);
    assertThat(clock.nanoTime()).isZero();
  }

  @Test
  void aFailingTaskDoesNotStopTheOthersAndItsExceptionSurfacesAfterwards() {
    ManualClock clock = new ManualClock();
    List<String> ran = new ArrayList<>();
    clock.schedule(Duration.ofSeconds(1), () -> {
      throw new IllegalStateException("first");
    });
    clock.schedule(Duration.ofSeconds(2), () -> ran.add("after"));
    clock.schedule(Duration.ofSeconds(3), () -> {
      throw new IllegalStateException("second");
    });

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("first")
        .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("second"));
    assertThat(ran).containsExactly("after");
    assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(5).toNanos());
  }

  @Test
  void timersScheduledFromManyThreadsAllRunOnTheAdvancingThread() throws Exception {
    ManualClock clock = new ManualClock();
    List<Thread> runners = Collections.synchronizedList(new ArrayList<>());
    ExecutorService executor = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<Void>> scheduling = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        scheduling.add(CompletableFuture.runAsync(() -> {
          for (int i = 1; i <= 250; i++) {
            clock.schedule(Duration.ofMillis(i), () -> runners.add(Thread.currentThread()));
          }
        }, executor));
      }
      CompletableFuture.allOf(scheduling.toArray(CompletableFuture[]::new)).get();
    } finally {
      executor.shutdown();
    }
    assertThat(clock.pendingTimers()).isEqualTo(1000);

    clock.advance(Duration.ofSeconds(1));

    assertThat(runners).hasSize(1000).containsOnly(Thread.currentThread());
    assertThat(clock.pendingTimers()).isZero();
  }
}
