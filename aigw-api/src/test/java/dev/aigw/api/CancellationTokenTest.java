package dev.aigw.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CancellationTokenTest {

  @Test
  void newTokenIsActiveWithoutReason() {
    CancellationToken token = CancellationToken.create();

    assertThat(token.isCancelled()).isFalse();
    assertThat(token.reason()).isEmpty();
    assertThat(token.toString()).contains("active");
  }

  @Test
  void cancelRunsEachCallbackOnceOnTheCancellingThread() {
    CancellationToken token = CancellationToken.create();
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    token.onCancel(first::incrementAndGet);
    token.onCancel(() -> {
      second.incrementAndGet();
      ranOn.set(Thread.currentThread());
    });

    token.cancel();
    token.cancel();

    assertThat(first).hasValue(1);
    assertThat(second).hasValue(1);
    assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    assertThat(token.isCancelled()).isTrue();
  }

  @Test
  void plainCancelGivesACallCancelledReason() {
    CancellationToken token = CancellationToken.create();
    token.cancel();

    assertThat(token.reason()).containsInstanceOf(CallCancelledException.class);
    assertThat(token.toString()).contains("cancelled");
  }

  @Test
  void onlyTheFirstReasonCounts() {
    CancellationToken token = CancellationToken.create();
    DeadlineExceededException deadline = new DeadlineExceededException(Duration.ofSeconds(3));

    token.cancel(deadline);
    token.cancel();

    assertThat(token.reason()).containsSame(deadline);
  }

  @Test
  void callbacksRunInRegistrationOrder() {
    CancellationToken token = CancellationToken.create();
    List<String> order = new ArrayList<>();
    token.onCancel(() -> order.add("a"));
    token.onCancel(() -> order.add("b"));
    token.onCancel(() -> order.add("c"));

    token.cancel();

    assertThat(order).containsExactly("a", "b", "c");
  }

  @Test
  void closedRegistrationDoesNotRun() {
    CancellationToken token = CancellationToken.create();
    AtomicInteger removed = new AtomicInteger();
    AtomicInteger kept = new AtomicInteger();
    CancellationToken.Registration registration = token.onCancel(removed::incrementAndGet);
    token.onCancel(kept::incrementAndGet);

    registration.close();
    registration.close();
    token.cancel();

    assertThat(removed).hasValue(0);
    assertThat(kept).hasValue(1);
  }

  @Test
  void closingARegistrationAfterCancelIsHarmless() {
    CancellationToken token = CancellationToken.create();
    AtomicInteger runs = new AtomicInteger();
    CancellationToken.Registration registration = token.onCancel(runs::incrementAndGet);
    token.cancel();

    registration.close();

    assertThat(runs).hasValue(1);
  }

  @Test
  void onCancelAfterCancelRunsImmediatelyOnTheCallingThread() {
    CancellationToken token = CancellationToken.create();
    token.cancel();
    AtomicReference<Thread> ranOn = new AtomicReference<>();

    CancellationToken.Registration registration = token.onCancel(() -> ranOn.set(Thread.currentThread()));

    assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    registration.close();
  }

  @Test
  void failingCallbackDoesNotStopTheOthers() {
    CancellationToken token = CancellationToken.create();
    AtomicInteger after = new AtomicInteger();
    token.onCancel(() -> {
      throw new IllegalStateException("callback failure");
    });
    token.onCancel(after::incrementAndGet);

    token.cancel();

    assertThat(after).hasValue(1);
    assertThat(token.isCancelled()).isTrue();
  }

  @Test
  void cancelWithNullReasonIsRejectedAndLeavesTheTokenUsable() {
    CancellationToken token = CancellationToken.create();
    AtomicInteger runs = new AtomicInteger();
    token.onCancel(runs::incrementAndGet);

    assertThatThrownBy(() -> token.cancel(null))
        .isInstanceOfAny(InvalidRequestException.class, NullPointerException.class);
    assertThat(runs).as("callbacks must not run for a rejected cancel").hasValue(0);

    token.cancel();

    assertThat(token.isCancelled()).isTrue();
    assertThat(runs).hasValue(1);
  }

  @Test
  void concurrentCancelsRunEachCallbackExactlyOnce() throws Exception {
    int callbacks = 200;
    int threads = 16;
    for (int round = 0; round < 50; round++) {
      CancellationToken token = CancellationToken.create();
      AtomicInteger[] counts = new AtomicInteger[callbacks];
      for (int i = 0; i < callbacks; i++) {
        AtomicInteger count = new AtomicInteger();
        counts[i] = count;
        token.onCancel(count::incrementAndGet);
      }
      List<AiGatewayException> reasons = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        reasons.add(new CallCancelledException("reason " + t));
      }

      runConcurrently(threads, t -> token.cancel(reasons.get(t)));

      for (AtomicInteger count : counts) {
        assertThat(count).hasValue(1);
      }
      assertThat(reasons).contains(token.reason().orElseThrow());
    }
  }

  @Test
  void callbacksRegisteredConcurrentlyWithCancelRunExactlyOnce() throws Exception {
    int registrars = 8;
    int perRegistrar = 100;
    for (int round = 0; round < 50; round++) {
      CancellationToken token = CancellationToken.create();
      AtomicInteger[] counts = new AtomicInteger[registrars * perRegistrar];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new AtomicInteger();
      }

      runConcurrently(registrars + 2, t -> {
        if (t >= registrars) {
          token.cancel();
          return;
        }
        for (int i = 0; i < perRegistrar; i++) {
          token.onCancel(counts[t * perRegistrar + i]::incrementAndGet);
        }
      });

      for (AtomicInteger count : counts) {
        assertThat(count).hasValue(1);
      }
    }
  }

  interface IndexedTask {
    void run(int index) throws Exception;
  }

  /** Runs {@code task} on {@code n} threads released together, and rethrows the first failure. */
  static void runConcurrently(int n, IndexedTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch ready = new CountDownLatch(n);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          task.run(index);
          return null;
        }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
