package dev.aigw.providers.pool.internal;

import dev.aigw.api.TimeSource;
import dev.aigw.providers.pool.Replica;
import dev.aigw.providers.pool.ReplicaLoad;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One replica of a pool: its client, in-flight count, health, outlier-ejection state, the models
 * it serves and the load it last reported. Health and ejection decisions use the pool's clock.
 */
public final class PoolReplica implements Replica {
  private final String id;
  private final URI baseUrl;
  private final TimeSource clock;
  private final Duration staleAfter;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** The client for this replica; set once by the pool right after construction. */
  private @Nullable ReplicaClient client;

  private volatile boolean healthy = true;
  private volatile @Nullable Set<String> models;
  private volatile ReplicaLoad scraped = ReplicaLoad.UNKNOWN;
  private volatile long scrapedAtNanos;
  private volatile ReplicaLoad inBand = ReplicaLoad.UNKNOWN;
  private volatile long inBandAtNanos;

  private int consecutiveFailures;
  private int ejections;
  private long ejectedUntilNanos;
  private boolean ejected;

  /**
   * @param baseUrl the replica's base URL, without {@code /v1}
   * @param clock the pool's clock
   * @param staleAfter how long a load report stays usable
   */
  public PoolReplica(URI baseUrl, TimeSource clock, Duration staleAfter) {
    this.baseUrl = baseUrl;
    this.id = baseUrl.getHost() + ":" + (baseUrl.getPort() >= 0 ? baseUrl.getPort() : "https".equals(baseUrl.getScheme()) ? 443 : 80);
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public URI baseUrl() {
    return baseUrl;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public ReplicaLoad load() {
    long now = clock.nanoTime();
    long fresh = staleAfter.toNanos();
    ReplicaLoad band = inBand;
    ReplicaLoad scrape = scraped;
    boolean bandFresh = band.isKnown() && now - inBandAtNanos <= fresh;
    boolean scrapeFresh = scrape.isKnown() && now - scrapedAtNanos <= fresh;
    if (bandFresh && (!scrapeFresh || inBandAtNanos >= scrapedAtNanos)) {
      return band;
    }
    return scrapeFresh ? scrape : ReplicaLoad.UNKNOWN;
  }

  /** The replica's client. */
  public ReplicaClient client() {
    ReplicaClient c = client;
    if (c == null) {
      throw new IllegalStateException("replica " + id + " has no client");
    }
    return c;
  }

  /** Sets the replica's client (once). */
  public void client(ReplicaClient client) {
    this.client = client;
  }

  /** A request was sent; returns the new count. */
  public int started() {
    return inFlight.incrementAndGet();
  }

  /** A request finished. */
  public void finished() {
    inFlight.decrementAndGet();
  }

  /** Stores a scraped load report. */
  public void scraped(ReplicaLoad load) {
    scrapedAtNanos = clock.nanoTime();
    scraped = load;
  }

  /** Stores a load report that came with a response (ORCA). */
  public void reported(ReplicaLoad load) {
    inBandAtNanos = clock.nanoTime();
    inBand = load;
  }

  /** The result of an active health check. */
  public void health(boolean healthy) {
    this.healthy = healthy;
  }

  /** Whether the last active health check passed (true until the first check). */
  public boolean healthy() {
    return healthy;
  }

  /** The models the replica reported serving; null until it reported. */
  public @Nullable Set<String> models() {
    return models;
  }

  /** What the replica reported serving. */
  public void models(Set<String> models) {
    this.models = Set.copyOf(models);
  }

  /** Whether the replica serves {@code model} (unknown lists serve everything). */
  public boolean serves(String model) {
    Set<String> m = models;
    return m == null || m.contains(model);
  }

  /** Whether the replica is ejected now; an ejection that has run out ends here. */
  public synchronized boolean ejected() {
    if (ejected && clock.nanoTime() - ejectedUntilNanos >= 0) {
      ejected = false;
      consecutiveFailures = 0;
    }
    return ejected;
  }

  /** A request to the replica succeeded: its run of failures ends, and so does its ejection history. */
  public synchronized void succeeded() {
    consecutiveFailures = 0;
    if (!ejected) {
      ejections = 0;
    }
  }

  /**
   * A request failed in a way that is the replica's fault (connection refused, 5xx, timeout).
   *
   * @param threshold consecutive failures that eject
   * @param base the first ejection's length
   * @param max the longest ejection
   * @param mayEject whether the pool may eject one more replica now
   * @return whether this failure ejected the replica
   */
  public synchronized boolean failed(int threshold, Duration base, Duration max, boolean mayEject) {
    consecutiveFailures++;
    if (ejected || consecutiveFailures < threshold || !mayEject) {
      return false;
    }
    ejections++;
    long length = base.toNanos() << Math.min(ejections - 1, 20);
    if (length <= 0 || length > max.toNanos()) {
      length = max.toNanos();
    }
    ejected = true;
    ejectedUntilNanos = clock.nanoTime() + length;
    return true;
  }

  @Override
  public String toString() {
    return "Replica[" + id + ", inFlight=" + inFlight.get() + (healthy ? "" : ", unhealthy") + (ejected ? ", ejected" : "") + "]";
  }
}
