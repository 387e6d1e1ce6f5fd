package dev.aigw.core.routing;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How the gateway protects one target and itself from it: retries with exponential backoff and
 * jitter that honour the provider's retry delay, a retry budget, a circuit breaker, a bulkhead,
 * and per-attempt time limits. Immutable; built like Resilience4j's configs, which it uses.
 *
 * <p>Per attempt, in order: the bulkhead must have a free slot and the breaker must permit the
 * call, else the attempt fails at once with a {@link dev.aigw.api.TargetUnavailableException}
 * and the router moves on. A failed attempt is retried on the same target when its error is
 * {@linkplain dev.aigw.api.ProviderException#retryable() retryable}, attempts remain, the retry
 * budget allows it, the delay (the provider's {@code retryAfter}, else the backoff) is within
 * {@link #maxRetryDelay()}, and the wait ends before the call's deadline; otherwise the router
 * moves on to the next candidate.
 *
 * <p>Defaults: 3 attempts per target; backoff 500 ms × 2 up to 8 s with ±25 % jitter; provider
 * retry delays honoured up to 10 s; retry budget of 10 tokens with a 0.1 refill per success;
 * circuit breaker opening at 50 % failures over the last 20 calls (at least 10), open for 30 s,
 * then 3 probe calls; 256 concurrent calls; no per-attempt time limits (the call's deadline
 * still applies).
 */
public final class Resilience {
  private static final Resilience DEFAULTS = new Builder().build();

  /** The circuit breaker used unless another is set. */
  public static final CircuitBreakerConfig DEFAULT_CIRCUIT_BREAKER = CircuitBreakerConfig.custom()
      .failureRateThreshold(50)
      .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
      .slidingWindowSize(20)
      .minimumNumberOfCalls(10)
      .waitDurationInOpenState(Duration.ofSeconds(30))
      .permittedNumberOfCallsInHalfOpenState(3)
      .build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final double backoffMultiplier;
  private final Duration maxBackoff;
  private final double jitter;
  private final Duration maxRetryDelay;
  private final int retryBudgetTokens;
  private final double retryBudgetRefill;
  private final @Nullable CircuitBreakerConfig circuitBreaker;
  private final int maxConcurrentCalls;
  private final @Nullable Duration attemptTimeout;
  private final @Nullable Duration firstChunkTimeout;
  private final int minStreamCharacters;
  private final @Nullable Duration minStreamWindow;

  private Resilience(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.backoffMultiplier = b.backoffMultiplier;
    this.maxBackoff = b.maxBackoff;
    this.jitter = b.jitter;
    this.maxRetryDelay = b.maxRetryDelay;
    this.retryBudgetTokens = b.retryBudgetTokens;
    this.retryBudgetRefill = b.retryBudgetRefill;
    this.circuitBreaker = b.circuitBreaker;
    this.maxConcurrentCalls = b.maxConcurrentCalls;
    this.attemptTimeout = b.attemptTimeout;
    this.firstChunkTimeout = b.firstChunkTimeout;
    this.minStreamCharacters = b.minStreamCharacters;
    this.minStreamWindow = b.minStreamWindow;
  }

  /** {@return the defaults described above} */
  public static Resilience defaults() {
    return DEFAULTS;
  }

  /** {@return a builder starting from the defaults} */
  public static Builder custom() {
    return new Builder();
  }

  /**
   * {@return a builder starting from {@code base}}
   *
   * @param base the settings to start from
   */
  public static Builder from(Resilience base) {
    return new Builder(Objects.requireNonNull(base, "base"));
  }

  /** {@return attempts per target, the first included; 1 means no retry} */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** {@return the first backoff delay} */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** {@return the factor by which each backoff grows} */
  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  /** {@return the longest backoff delay} */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** {@return the jitter: each backoff is randomised by up to ± this fraction} */
  public double jitter() {
    return jitter;
  }

  /**
   * {@return the longest provider-requested retry delay the router waits for before retrying the
   * same target}
   */
  public Duration maxRetryDelay() {
    return maxRetryDelay;
  }

  /** {@return retry budget size in tokens; 0 when there is no budget} */
  public int retryBudgetTokens() {
    return retryBudgetTokens;
  }

  /** {@return tokens a success puts back into the retry budget} */
  public double retryBudgetRefill() {
    return retryBudgetRefill;
  }

  /** {@return the circuit breaker's configuration, when the target has one} */
  public Optional<CircuitBreakerConfig> circuitBreaker() {
    return Optional.ofNullable(circuitBreaker);
  }

  /**
   * {@return the most calls in flight to the target at once (a stream counts until it is closed)}
   */
  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /**
   * {@return the longest one attempt may take, to its answer or (for streams) to its last chunk}
   */
  public Optional<Duration> attemptTimeout() {
    return Optional.ofNullable(attemptTimeout);
  }

  /** {@return the longest a stream attempt may wait for its first chunk} */
  public Optional<Duration> firstChunkTimeout() {
    return Optional.ofNullable(firstChunkTimeout);
  }

  /**
   * {@return the least output (characters of text, reasoning and tool arguments) a stream must
   * deliver per {@link #minStreamWindow()}; 0 when unchecked}
   */
  public int minStreamCharacters() {
    return minStreamCharacters;
  }

  /** {@return the window over which {@link #minStreamCharacters()} is checked, when set} */
  public Optional<Duration> minStreamWindow() {
    return Optional.ofNullable(minStreamWindow);
  }

  @Override
  public String toString() {
    return "Resilience[attempts=" + maxAttempts + ", backoff=" + initialBackoff.toMillis() + "ms x" + backoffMultiplier
        + " max " + maxBackoff.toMillis() + "ms, maxRetryDelay=" + maxRetryDelay.toMillis() + "ms, retryBudget="
        + retryBudgetTokens + ", breaker=" + (circuitBreaker != null) + ", maxConcurrentCalls=" + maxConcurrentCalls
        + ", attemptTimeout=" + attemptTimeout + ", firstChunkTimeout=" + firstChunkTimeout
        + (minStreamWindow == null ? "" : ", minThroughput=" + minStreamCharacters + "/" + minStreamWindow.toMillis() + "ms")
        + "]";
  }

  /**
   * Builds {@link Resilience}. Each setter checks its argument at once and throws an {@link
   * IllegalArgumentException} naming it.
   */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private double backoffMultiplier = 2;
    private Duration maxBackoff = Duration.ofSeconds(8);
    private double jitter = 0.25;
    private Duration maxRetryDelay = Duration.ofSeconds(10);
    private int retryBudgetTokens = 10;
    private double retryBudgetRefill = 0.1;
    private @Nullable CircuitBreakerConfig circuitBreaker = DEFAULT_CIRCUIT_BREAKER;
    private int maxConcurrentCalls = 256;
    private @Nullable Duration attemptTimeout;
    private @Nullable Duration firstChunkTimeout;
    private int minStreamCharacters;
    private @Nullable Duration minStreamWindow;

    private Builder() {}

    private Builder(Resilience r) {
      maxAttempts = r.maxAttempts;
      initialBackoff = r.initialBackoff;
      backoffMultiplier = r.backoffMultiplier;
      maxBackoff = r.maxBackoff;
      jitter = r.jitter;
      maxRetryDelay = r.maxRetryDelay;
      retryBudgetTokens = r.retryBudgetTokens;
      retryBudgetRefill = r.retryBudgetRefill;
      circuitBreaker = r.circuitBreaker;
      maxConcurrentCalls = r.maxConcurrentCalls;
      attemptTimeout = r.attemptTimeout;
      firstChunkTimeout = r.firstChunkTimeout;
      minStreamCharacters = r.minStreamCharacters;
      minStreamWindow = r.minStreamWindow;
    }

    /**
     * Attempts per target, the first included (1 = no retry); 3 by default.
     *
     * @param maxAttempts attempts per target, the first included (1 = no retry); 3 by default
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new IllegalArgumentException("maxAttempts must be in [1, 10], was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Exponential backoff between retries: {@code initial}, growing by {@code multiplier} up to
     * {@code max}; 500 ms × 2 up to 8 s by default.
     *
     * @param initial the first delay
     * @param multiplier the factor by which each delay grows
     * @param max the longest delay
     * @return this builder
     */
    public Builder backoff(Duration initial, double multiplier, Duration max) {
      requirePositive(initial, "initial");
      requirePositive(max, "max");
      if (!(multiplier >= 1 && multiplier <= 10)) {
        throw new IllegalArgumentException("multiplier must be in [1, 10], was " + multiplier);
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max (" + max + ") must not be less than initial (" + initial + ")");
      }
      this.initialBackoff = initial;
      this.backoffMultiplier = multiplier;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Randomises each backoff by up to ± {@code fraction}, in [0, 1); 0.25 by default.
     *
     * @param fraction the jitter, in [0, 1)
     * @return this builder
     */
    public Builder jitter(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("jitter must be in [0, 1), was " + fraction);
      }
      this.jitter = fraction;
      return this;
    }

    /**
     * The longest provider-requested retry delay to wait for; a longer one makes the router move
     * on instead. 10 s by default.
     *
     * @param max the longest delay to wait for
     * @return this builder
     */
    public Builder maxRetryDelay(Duration max) {
      this.maxRetryDelay = requirePositive(max, "maxRetryDelay");
      return this;
    }

    /**
     * A retry budget, as in gRPC's retry throttling: the target holds {@code tokens} tokens; each
     * failed attempt takes one, each success puts back {@code refillPerSuccess}; retries are
     * allowed only while more than half remain. During an outage retries stop after a few
     * failures, so they cannot multiply the load. 10 and 0.1 by default.
     *
     * @param tokens the budget's size, in tokens
     * @param refillPerSuccess the tokens a success puts back
     * @return this builder
     */
    public Builder retryBudget(int tokens, double refillPerSuccess) {
      if (tokens < 1 || tokens > 10_000) {
        throw new IllegalArgumentException("tokens must be in [1, 10000], was " + tokens);
      }
      if (!(refillPerSuccess > 0 && refillPerSuccess <= tokens)) {
        throw new IllegalArgumentException("refillPerSuccess must be in (0, tokens], was " + refillPerSuccess);
      }
      this.retryBudgetTokens = tokens;
      this.retryBudgetRefill = refillPerSuccess;
      return this;
    }

    /**
     * No retry budget: retries are limited by {@link #maxAttempts} only.
     *
     * @return this builder
     */
    public Builder noRetryBudget() {
      this.retryBudgetTokens = 0;
      this.retryBudgetRefill = 0;
      return this;
    }

    /**
     * The circuit breaker's configuration ({@link #DEFAULT_CIRCUIT_BREAKER} by default). Its
     * clock is replaced by the gateway's. Failures it counts: retryable provider errors and
     * attempt timeouts; client errors, cancellations and the call's own deadline are not the
     * target's fault and are not counted.
     *
     * @param config the breaker's configuration
     * @return this builder
     */
    public Builder circuitBreaker(CircuitBreakerConfig config) {
      this.circuitBreaker = Objects.requireNonNull(config, "circuitBreaker");
      return this;
    }

    /**
     * No circuit breaker.
     *
     * @return this builder
     */
    public Builder noCircuitBreaker() {
      this.circuitBreaker = null;
      return this;
    }

    /**
     * The most calls in flight to the target at once; 256 by default.
     *
     * @param max the most calls in flight
     * @return this builder
     */
    public Builder maxConcurrentCalls(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConcurrentCalls must be positive, was " + max);
      }
      this.maxConcurrentCalls = max;
      return this;
    }

    /**
     * The longest one attempt may take (for streams: to the last chunk). When it passes, the
     * attempt is cancelled and fails with a retryable {@link
     * dev.aigw.api.ProviderTimeoutException}.
     *
     * @param timeout the longest one attempt may take
     * @return this builder
     */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = requirePositive(timeout, "attemptTimeout");
      return this;
    }

    /**
     * The longest a stream attempt may wait for its first chunk; passing it fails the attempt
     * with a retryable {@link dev.aigw.api.ProviderTimeoutException}, so the router can move on.
     *
     * @param timeout the longest wait for the first chunk
     * @return this builder
     */
    public Builder firstChunkTimeout(Duration timeout) {
      this.firstChunkTimeout = requirePositive(timeout, "firstChunkTimeout");
      return this;
    }

    /**
     * The least a stream must deliver once it started: at least {@code characters} characters of
     * output (text, reasoning, tool-call arguments) in every {@code window}. A stream that falls
     * below it is cancelled and fails with a {@link dev.aigw.api.ProviderTimeoutException} (after
     * its first chunk reached the caller, the error surfaces in the stream).
     *
     * @param characters the least characters per window
     * @param window the window
     * @return this builder
     */
    public Builder minStreamThroughput(int characters, Duration window) {
      if (characters < 1) {
        throw new IllegalArgumentException("characters must be positive, was " + characters);
      }
      this.minStreamCharacters = characters;
      this.minStreamWindow = requirePositive(window, "window");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the new {@code Resilience}
     */
    public Resilience build() {
      return new Resilience(this);
    }

    private static Duration requirePositive(Duration d, String name) {
      if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
