package dev.aigw.providers.pool.internal;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The pickers' source of randomness: {@link ThreadLocalRandom} (uncontended) unless seeded, when
 * one shared {@link Random} gives a reproducible sequence (for tests and simulations; it is
 * thread-safe but contended).
 */
public final class Rng {
  private static final Rng THREAD_LOCAL = new Rng(null);

  private final @Nullable Random seeded;

  private Rng(@Nullable Random seeded) {
    this.seeded = seeded;
  }

  /** Unseeded: per-thread, uncontended. */
  public static Rng threadLocal() {
    return THREAD_LOCAL;
  }

  /** A reproducible sequence from {@code seed}. */
  public static Rng seeded(long seed) {
    return new Rng(new Random(seed));
  }

  /** A uniform int in {@code [0, bound)}; {@code bound} must be positive. */
  public int nextInt(int bound) {
    Random r = seeded;
    return r == null ? ThreadLocalRandom.current().nextInt(bound) : r.nextInt(bound);
  }
}
