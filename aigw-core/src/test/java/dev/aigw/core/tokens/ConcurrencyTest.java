package dev.aigw.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.ChatRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void manyThreadsCountingTheSameTextGetTheSameAnswer() throws Exception {
    String text = "Concurrency 🙂 test: 中文, код, <|endoftext|> and numbers 1234567890. ".repeat(50);
    ChatRequest request = RequestCountTest.conversation();
    List<TokenCounter> counters = List.of(TokenCounter.o200k(), TokenCounter.cl100k(), TokenCounter.forModel("claude-opus-4-7"));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<int[]>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          int[] results = new int[counters.size() * 2];
          for (int round = 0; round < 40; round++) {
            for (int i = 0; i < counters.size(); i++) {
              int textCount = counters.get(i).count(text);
              int requestCount = counters.get(i).count(request);
              if (round > 0 && (results[2 * i] != textCount || results[2 * i + 1] != requestCount)) {
                throw new AssertionError("count changed between rounds");
              }
              results[2 * i] = textCount;
              results[2 * i + 1] = requestCount;
            }
          }
          return results;
        }));
      }
      start.countDown(); // all threads race, possibly on the first load of an encoding too
      int[] expected = null;
      for (Future<int[]> f : futures) {
        int[] got = f.get(60, TimeUnit.SECONDS);
        if (expected == null) {
          expected = got;
        }
        assertThat(got).containsExactly(expected);
      }
      for (int i = 0; i < counters.size(); i++) {
        assertThat(expected[2 * i]).isEqualTo(counters.get(i).count(text)).isPositive();
        assertThat(expected[2 * i + 1]).isEqualTo(counters.get(i).count(request));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
