package dev.aigw.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatStream;
import dev.aigw.api.ProviderException;
import dev.aigw.api.RecordingSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChunkPublisherTest {

  private ExecutorService executor;

  @AfterEach
  void shutDown() throws InterruptedException {
    if (executor != null) {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static ChatChunk[] chunks(int n) {
    ChatChunk[] out = new ChatChunk[n];
    for (int i = 0; i < n; i++) {
      out[i] = ChatChunk.text("c" + i);
    }
    return out;
  }

  /** Records every signal; requests only when told to. Thread-safe. */
  static class Recorder implements Flow.Subscriber<ChatChunk> {
    final List<String> items = Collections.synchronizedList(new ArrayList<>());
    final List<String> signals = Collections.synchronizedList(new ArrayList<>());
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final AtomicInteger completions = new AtomicInteger();
    final CountDownLatch terminated = new CountDownLatch(1);
    volatile Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      signals.add("subscribe");
    }

    @Override
    public void onNext(ChatChunk item) {
      items.add(item.text());
      signals.add("next");
    }

    @Override
    public void onError(Throwable throwable) {
      error.compareAndSet(null, throwable);
      signals.add("error");
      terminated.countDown();
    }

    @Override
    public void onComplete() {
      completions.incrementAndGet();
      signals.add("complete");
      terminated.countDown();
    }

    boolean awaitTerminated() throws InterruptedException {
      return terminated.await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void subscriberReceivesExactlyWhatItRequests() {
    RecordingSource source = RecordingSource.of((Object[]) chunks(3));
    Recorder r = new Recorder();
    ChatStream.of(source).toPublisher().subscribe(r);

    assertThat(r.signals).containsExactly("subscribe");
    assertThat(source.nextCalls()).as("nothing pulled before a request").isZero();

    r.subscription.request(1);
    assertThat(r.items).containsExactly("c0");
    assertThat(source.nextCalls()).as("pulled only what was requested").isEqualTo(1);

    r.subscription.request(1);
    assertThat(r.items).containsExactly("c0", "c1");

    r.subscription.request(1);
    assertThat(r.items).containsExactly("c0", "c1", "c2");

    r.subscription.request(1);
    assertThat(r.items).hasSize(3);
    assertThat(r.completions).hasValue(1);
    assertThat(r.error.get()).isNull();
    assertThat(r.signals).endsWith("next", "complete");
    assertThat(source.isClosed()).isTrue();
  }

  @Test
  void requestMaxValueDeliversEverythingThenCompletes() {
    Recorder r = new Recorder();
    ChatStream.of(chunks(50)).toPublisher().subscribe(r);

    r.subscription.request(Long.MAX_VALUE);

    assertThat(r.items).hasSize(50).startsWith("c0").endsWith("c49");
    assertThat(r.completions).hasValue(1);
  }

  @Test
  void demandAccumulatesAcrossRequestsWithoutOverflow() {
    Recorder r = new Recorder();
    ChatStream.of(chunks(5)).toPublisher().subscribe(r);

    r.subscription.request(2);
    r.subscription.request(Long.MAX_VALUE);
    r.subscription.request(Long.MAX_VALUE);

    assertThat(r.items).containsExactly("c0", "c1", "c2", "c3", "c4");
    assertThat(r.completions).hasValue(1);
  }

  @Test
  void requestOfZeroSignalsIllegalArgumentAndClosesTheSource() {
    RecordingSource source = RecordingSource.of((Object[]) chunks(3));
    Recorder r = new Recorder();
    ChatStream.of(source).toPublisher().subscribe(r);

    r.subscription.request(0);

    assertThat(r.error.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
    assertThat(source.isClosed()).isTrue();
    r.subscription.request(5);
    assertThat(r.items).isEmpty();
    assertThat(r.signals).containsExactly("subscribe", "error");
  }

  @Test
  void negativeRequestSignalsIllegalArgumentAndClosesTheSource() {
    RecordingSource source = RecordingSource.of((Object[]) chunks(3));
    Recorder r = new Recorder();
    ChatStream.of(source).toPublisher().subscribe(r);
    r.subscription.request(1);

    r.subscription.request(-1);

    assertThat(r.error.get()).isInstanceOf(IllegalArgumentException.class);
    assertThat(source.isClosed()).isTrue();
    assertThat(r.items).containsExactly("c0");
  }

  @Test
  void invalidRequestAfterCompletionSignalsNothing() {
    // Rule 1.6/1.7: after onComplete the subscription is cancelled and no further signal may follow.
    Recorder r = new Recorder();
    ChatStream.of(chunks(1)).toPublisher().subscribe(r);
    r.subscription.request(Long.MAX_VALUE);
    assertThat(r.completions).hasValue(1);

    r.subscription.request(0);

    assertThat(r.signals).containsExactly("subscribe", "next", "complete");
  }

  @Test
  void cancelClosesTheSourceAndStopsDelivery() {
    RecordingSource source = RecordingSource.of((Object[]) chunks(5));
    Recorder r = new Recorder();
    ChatStream.of(source).toPublisher().subscribe(r);
    r.subscription.request(2);

    r.subscription.cancel();
    r.subscription.request(10);

    assertThat(source.isClosed()).isTrue();
    assertThat(r.items).containsExactly("c0", "c1");
    assertThat(r.signals).containsExactly("subscribe", "next", "next");
  }

  @Test
  void cancelFromInsideOnNextStopsDeliveryAtOnce() {
    RecordingSource source = RecordingSource.of((Object[]) chunks(5));
    List<String> items = new ArrayList<>();
    AtomicBoolean terminal = new AtomicBoolean();
    ChatStream.of(source).toPublisher().subscribe(new Flow.Subscriber<>() {
      Flow.Subscription s;

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        s = subscription;
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ChatChunk item) {
        items.add(item.text());
        if (items.size() == 2) {
          s.cancel();
        }
      }

      @Override
      public void onError(Throwable throwable) {
        terminal.set(true);
      }

      @Override
      public void onComplete() {
        terminal.set(true);
      }
    });

    assertThat(items).containsExactly("c0", "c1");
    assertThat(terminal).isFalse();
    assertThat(source.isClosed()).isTrue();
  }

  @Test
  void secondSubscriberGetsIllegalStateException() {
    Flow.Publisher<ChatChunk> publisher = ChatStream.of(chunks(2)).toPublisher();
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    publisher.subscribe(first);

    publisher.subscribe(second);

    assertThat(second.signals).containsExactly("subscribe", "error");
    assertThat(second.error.get()).isInstanceOf(IllegalStateException.class);
    first.subscription.request(Long.MAX_VALUE);
    assertThat(first.items).containsExactly("c0", "c1");
    assertThat(first.completions).hasValue(1);
  }

  @Test
  void sourceErrorBecomesOnError() {
    ProviderException failure = new ProviderException("openai", 502, true, "bad gateway");
    RecordingSource source = RecordingSource.of(ChatChunk.text("c0"), failure);
    Recorder r = new Recorder();
    ChatStream.of(source).toPublisher().subscribe(r);

    r.subscription.request(Long.MAX_VALUE);

    assertThat(r.items).containsExactly("c0");
    assertThat(r.error.get()).isSameAs(failure);
    assertThat(r.signals).containsExactly("subscribe", "next", "error");
    assertThat(source.isClosed()).isTrue();
  }

  @Test
  void reentrantRequestFromOnNextDoesNotRecurse() {
    int n = 10_000;
    AtomicInteger received = new AtomicInteger();
    AtomicInteger minDepth = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger maxDepth = new AtomicInteger();
    AtomicInteger completions = new AtomicInteger();
    ChatStream.of(chunks(n)).toPublisher().subscribe(new Flow.Subscriber<>() {
      Flow.Subscription s;

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        s = subscription;
        s.request(1);
      }

      @Override
      public void onNext(ChatChunk item) {
        int depth = Thread.currentThread().getStackTrace().length;
        minDepth.accumulateAndGet(depth, Math::min);
        maxDepth.accumulateAndGet(depth, Math::max);
        received.incrementAndGet();
        s.request(1);
      }

      @Override
      public void onError(Throwable throwable) {
        throw new AssertionError("unexpected error", throwable);
      }

      @Override
      public void onComplete() {
        completions.incrementAndGet();
      }
    });

    assertThat(received).hasValue(n);
    assertThat(completions).hasValue(1);
    assertThat(maxDepth.get() - minDepth.get()).as("stack growth across %d re-entrant requests", n)
        .isLessThanOrEqualTo(5);
  }

  @Test
  void withAnExecutorChunksAreDeliveredOnTheExecutorThread() throws Exception {
    executor = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "publisher-test-executor"));
    Thread executorThread = executor.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
    List<Thread> deliveredOn = Collections.synchronizedList(new ArrayList<>());
    Recorder r = new Recorder() {
      @Override
      public void onNext(ChatChunk item) {
        deliveredOn.add(Thread.currentThread());
        super.onNext(item);
      }

      @Override
      public void onComplete() {
        deliveredOn.add(Thread.currentThread());
        super.onComplete();
      }
    };
    ChatStream.of(chunks(20)).toPublisher(executor).subscribe(r);

    r.subscription.request(Long.MAX_VALUE);

    assertThat(r.awaitTerminated()).isTrue();
    assertThat(r.items).hasSize(20);
    assertThat(r.completions).hasValue(1);
    assertThat(deliveredOn).hasSize(21).containsOnly(executorThread);
  }

  @Test
  void withAnExecutorDemandIsStillHonoured() throws Exception {
    executor = Executors.newSingleThreadExecutor();
    RecordingSource source = RecordingSource.of((Object[]) chunks(10));
    Recorder r = new Recorder();
    ChatStream.of(source).toPublisher(executor).subscribe(r);

    r.subscription.request(3);
    // A task queued behind the drain runs after it, so by then the drain has finished.
    executor.submit(() -> {}).get(10, TimeUnit.SECONDS);

    assertThat(r.items).containsExactly("c0", "c1", "c2");
    assertThat(source.nextCalls()).isEqualTo(3);

    r.subscription.request(Long.MAX_VALUE);
    assertThat(r.awaitTerminated()).isTrue();
    assertThat(r.items).hasSize(10);
    assertThat(r.completions).hasValue(1);
  }

  @Test
  void streamWithAPublisherExecutorUsesIt() throws Exception {
    executor = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "gateway-executor"));
    AtomicReference<String> threadName = new AtomicReference<>();
    Recorder r = new Recorder() {
      @Override
      public void onNext(ChatChunk item) {
        threadName.set(Thread.currentThread().getName());
        super.onNext(item);
      }
    };
    ChatStream.of(chunks(1)).withPublisherExecutor(executor).map(c -> c).toPublisher().subscribe(r);

    r.subscription.request(1);
    r.subscription.request(1);

    assertThat(r.awaitTerminated()).isTrue();
    assertThat(threadName.get()).isEqualTo("gateway-executor");
  }

  @Test
  void cancelWhileTheDrainWaitsForUpstreamSignalsNoCompletion() throws Exception {
    executor = Executors.newSingleThreadExecutor();
    RecordingSource source = RecordingSource.blockingAfter(ChatChunk.text("c0"));
    Recorder r = new Recorder();
    ChatStream.of(source).toPublisher(executor).subscribe(r);
    r.subscription.request(2);
    assertThat(source.awaitBlocked()).isTrue();

    r.subscription.cancel();
    // Wait for the drain (unblocked by the close) to finish on the executor.
    executor.submit(() -> {}).get(10, TimeUnit.SECONDS);

    assertThat(source.isClosed()).isTrue();
    assertThat(r.items).containsExactly("c0");
    assertThat(r.signals).as("a cancelled subscriber must not be told the stream completed")
        .containsExactly("subscribe", "next");
  }

  @Test
  void invalidRequestDuringOnNextOnTheExecutorIsNotSignalledConcurrently() throws Exception {
    // Rule 1.3: onNext and onError must be signalled serially, never at the same time.
    executor = Executors.newSingleThreadExecutor();
    CountDownLatch inOnNext = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean insideOnNext = new AtomicBoolean();
    AtomicBoolean overlapped = new AtomicBoolean();
    Recorder r = new Recorder() {
      @Override
      public void onNext(ChatChunk item) {
        insideOnNext.set(true);
        inOnNext.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        insideOnNext.set(false);
        super.onNext(item);
      }

      @Override
      public void onError(Throwable throwable) {
        if (insideOnNext.get()) {
          overlapped.set(true);
        }
        super.onError(throwable);
      }
    };
    ChatStream.of(chunks(3)).toPublisher(executor).subscribe(r);
    r.subscription.request(1);
    assertThat(inOnNext.await(10, TimeUnit.SECONDS)).isTrue();

    Thread requester = new Thread(() -> r.subscription.request(-1));
    requester.start();
    // Let onNext finish only after the invalid request has returned (or, bounded, still waits).
    requester.join(TimeUnit.SECONDS.toMillis(10));
    release.countDown();

    assertThat(r.awaitTerminated()).isTrue();
    assertThat(r.error.get()).isInstanceOf(IllegalArgumentException.class);
    assertThat(overlapped).as("onError delivered while onNext was running").isFalse();
  }
}
