package dev.aigw.providers.pool.internal;

import dev.aigw.providers.pool.PickRequest;
import dev.aigw.providers.pool.Picker;
import dev.aigw.providers.pool.Replica;
import dev.aigw.providers.pool.ReplicaLoad;
import java.util.List;

/**
 * The candidate with the shortest queue ({@link Loads#queue}: reported waiting requests plus this
 * client's in flight, so the in-flight count alone when the load is unknown), then the lowest
 * KV-cache use (unknown counts as the mean of the candidates that report one); exact ties are
 * broken uniformly at random. Two passes, no allocation.
 */
public final class MetricsAwarePicker implements Picker {
  private final Rng rng;

  /** A picker breaking ties with {@code rng}. */
  public MetricsAwarePicker(Rng rng) {
    this.rng = rng;
  }

  @Override
  public Replica pick(PickRequest request, List<Replica> candidates) {
    int n = candidates.size();
    Replica best = candidates.get(0);
    if (n == 1) {
      return best;
    }
    double assumedKv = Loads.assumedKv(candidates);
    ReplicaLoad first = best.load();
    double bestQueue = Loads.queue(first.waiting(), best.inFlight());
    double bestKv = Loads.kvUsage(first.kvCacheUsage(), assumedKv);
    int ties = 1;
    for (int i = 1; i < n; i++) {
      Replica r = candidates.get(i);
      ReplicaLoad load = r.load();
      double queue = Loads.queue(load.waiting(), r.inFlight());
      double kv = Loads.kvUsage(load.kvCacheUsage(), assumedKv);
      int cmp = queue != bestQueue ? Double.compare(queue, bestQueue) : Double.compare(kv, bestKv);
      if (cmp < 0) {
        best = r;
        bestQueue = queue;
        bestKv = kv;
        ties = 1;
      } else if (cmp == 0 && rng.nextInt(++ties) == 0) { // reservoir sampling over the ties
        best = r;
      }
    }
    return best;
  }

  @Override
  public String toString() {
    return "metricsAware";
  }
}
