package dev.aigw.it.fault;

import static dev.aigw.it.fault.FaultKit.json;

import dev.aigw.api.ProviderException;
import dev.aigw.api.RateLimitedException;
import dev.aigw.it.fault.FaultKit.Expect;
import dev.aigw.it.fault.FaultKit.Mode;
import dev.aigw.it.fault.FaultKit.Setup;
import dev.aigw.it.fault.FaultKit.Shape;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP error answers, per provider type, blocking and streamed: 429 with every retry-delay hint
 * the providers honour, and 500/502/503/529. Retryable, so the SOLE route ends with the typed
 * error after its retries, the FALLBACK route is served by the backup, and BOTH_FAIL ends with
 * {@link dev.aigw.api.NoRouteAvailableException}. Each cell also checks the deadline bound,
 * connections, threads, budget ledger, cache and listener sequence (see {@link FaultKit}).
 */
@Isolated
@Execution(ExecutionMode.SAME_THREAD)
@ExtendWith(FaultMatrix.class)
class HttpStatusFaultIT {
  /** The router waits for a provider's retry delay up to this (the suite's {@code maxRetryDelay}), else moves on. */
  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);

  /** How a 429 says when to come back. */
  enum Hint {
    /** {@code Retry-After: 120} (seconds): longer than the router waits, so no retry of the same target. */
    RETRY_AFTER_SECONDS,
    /** {@code Retry-After} as an HTTP date two minutes ahead. */
    RETRY_AFTER_DATE,
    /** {@code retry-after-ms: 40} (OpenAI, Azure): the router retries after exactly 40 ms. */
    RETRY_AFTER_MS,
    /**
     * The provider's own: OpenAI's {@code x-ratelimit-reset-requests: 40ms}, Anthropic's {@code
     * anthropic-ratelimit-requests-reset} instant two minutes ahead, Gemini's {@code RetryInfo}
     * of {@code 0.040s} in the body.
     */
    PROVIDER_HEADER,
    /** No hint: the router backs off by its own schedule. */
    NONE;

    boolean appliesTo(ProviderKind kind) {
      return this != PROVIDER_HEADER || kind == ProviderKind.OPENAI || kind == ProviderKind.ANTHROPIC || kind == ProviderKind.GEMINI;
    }

    /** The delay the 429 asks for, or empty for none. */
    Optional<Duration> asked(ProviderKind kind) {
      return switch (this) {
        case RETRY_AFTER_SECONDS, RETRY_AFTER_DATE -> Optional.of(Duration.ofSeconds(120));
        case RETRY_AFTER_MS -> Optional.of(Duration.ofMillis(40));
        case PROVIDER_HEADER -> Optional.of(kind == ProviderKind.ANTHROPIC ? Duration.ofSeconds(120) : Duration.ofMillis(40));
        case NONE -> Optional.empty();
      };
    }

    MockResponse response(ProviderKind kind) {
      Instant later = Instant.now().plusSeconds(120);
      MockResponse.Builder b = new MockResponse.Builder().code(429).addHeader("Content-Type", "application/json")
          .body(kind.errorJson(429));
      return switch (this) {
        case RETRY_AFTER_SECONDS -> b.addHeader("Retry-After", "120").build();
        case RETRY_AFTER_DATE -> b.addHeader("Retry-After",
            DateTimeFormatter.RFC_1123_DATE_TIME.format(later.atOffset(ZoneOffset.UTC))).build();
        case RETRY_AFTER_MS -> b.addHeader("retry-after-ms", "40").build();
        case PROVIDER_HEADER -> switch (kind) {
          case OPENAI -> b.addHeader("x-ratelimit-limit-requests", "500").addHeader("x-ratelimit-remaining-requests", "0")
              .addHeader("x-ratelimit-reset-requests", "40ms").build();
          case ANTHROPIC -> b.addHeader("anthropic-ratelimit-requests-limit", "50")
              .addHeader("anthropic-ratelimit-requests-remaining", "0")
              .addHeader("anthropic-ratelimit-requests-reset", later.toString()).build();
          case GEMINI -> json(429, ProviderKind.geminiRetryInfo("0.040s"));
          default -> throw new IllegalArgumentException(kind + " has no header of its own");
        };
        case NONE -> b.build();
      };
    }
  }

  static Stream<Arguments> rateLimits() {
    List<Arguments> cells = new ArrayList<>();
    for (ProviderKind kind : ProviderKind.values()) {
      for (Hint hint : Hint.values()) {
        if (hint.appliesTo(kind)) {
          for (Mode mode : Mode.values()) {
            for (Shape shape : List.of(Shape.SOLE, Shape.FALLBACK)) {
              cells.add(Arguments.of(kind, hint, mode, shape));
            }
          }
        }
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} 429 {1} {2} {3}")
  @MethodSource("rateLimits")
  void rateLimited(ProviderKind kind, Hint hint, Mode mode, Shape shape) throws Exception {
    Optional<Duration> asked = hint.asked(kind);
    boolean waits = asked.map(d -> d.compareTo(MAX_RETRY_DELAY) <= 0).orElse(true);
    int attempts = waits ? 2 : 1;
    Duration retryDelay = asked.orElse(FaultKit.BACKOFF);
    Expect expect = shape == Shape.FALLBACK
        ? Expect.servedByBackup(attempts)
        : Expect.fails(RateLimitedException.class, attempts, e -> e.retryable() && e.statusCode().getAsInt() == 429
            && asked.map(d -> e.retryAfter().filter(got -> got.compareTo(d) <= 0
                && got.compareTo(d.minusSeconds(d.toSeconds() > 10 ? 5 : 0)) >= 0).isPresent())
            .orElse(e.retryAfter().isEmpty()));
    FaultKit.run(kind, mode, shape, Setup.defaults(), (k, stream) -> hint.response(k), expect.retryDelay(retryDelay));
  }

  static Stream<Arguments> serverErrors() {
    List<Arguments> cells = new ArrayList<>();
    for (ProviderKind kind : ProviderKind.values()) {
      for (int status : new int[] {500, 502, 503, 529}) {
        for (Mode mode : Mode.values()) {
          for (Shape shape : Shape.values()) {
            if (shape != Shape.BOTH_FAIL || status == 503) {
              cells.add(Arguments.of(kind, status, mode, shape));
            }
          }
        }
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @MethodSource("serverErrors")
  void serverError(ProviderKind kind, int status, Mode mode, Shape shape) throws Exception {
    Expect expect = shape == Shape.FALLBACK
        ? Expect.servedByBackup(2)
        : Expect.fails(ProviderException.class, 2, e -> e.retryable() && e.statusCode().getAsInt() == status
            && !(e instanceof RateLimitedException));
    FaultKit.run(kind, mode, shape, Setup.defaults(), (k, stream) -> json(status, k.errorJson(status)), expect);
  }
}
