package dev.aigw.core.internal;

import dev.aigw.api.ChatRequest;
import dev.aigw.core.tokens.TokenCounter;
import org.jspecify.annotations.Nullable;

/**
 * The size of one call's request in tokens, counted lazily and at most once per tokenizer:
 * routing first tries a cheap upper bound and tokenizes only when the bound does not settle
 * whether a request fits.
 */
final class RequestSize {
  private final ChatRequest request;
  private @Nullable TokenCounter boundCounter;
  private int bound = -1;
  private @Nullable TokenCounter countedWith;
  private int count = -1;
  private @Nullable TokenCounter countedWith2;
  private int count2 = -1;

  RequestSize(ChatRequest request) {
    this.request = request;
  }

  /**
   * Whether these counts hold for {@code other}: the same request, or one that differs only in
   * its model (a downgrade), which tokenizes the same.
   */
  boolean isOf(ChatRequest other) {
    return other == request
        || other.messages() == request.messages() && other.tools() == request.tools()
            && other.toolChoice().equals(request.toolChoice()) && other.responseFormat().equals(request.responseFormat())
            && other.maxOutputTokens().equals(request.maxOutputTokens());
  }

  /** The request's max output tokens, or -1 when it sets none. */
  int maxOutputTokens() {
    return request.maxOutputTokens().orElse(-1);
  }

  /** Whether the request plus {@code outputTokens} fits {@code window} tokens by {@code counter}. */
  boolean fits(TokenCounter counter, int window, int outputTokens) {
    if ((long) upperBound(counter) + outputTokens <= window) {
      return true;
    }
    return (long) inputTokens(counter) + outputTokens <= window;
  }

  /** The cheap bound on the request's input tokens by {@code counter} ({@link TokenCounter#upperBound}); remembers the last one. */
  int upperBound(TokenCounter counter) {
    if (boundCounter != counter) {
      boundCounter = counter;
      bound = counter.upperBound(request);
    }
    return bound;
  }

  /** The request's input tokens by {@code counter}; remembers the last two tokenizers used. */
  int inputTokens(TokenCounter counter) {
    if (countedWith == counter) {
      return count;
    }
    if (countedWith2 == counter) {
      return count2;
    }
    int counted = counter.count(request);
    countedWith2 = countedWith;
    count2 = count;
    countedWith = counter;
    count = counted;
    return counted;
  }
}
