package dev.aigw.testkit.sim.internal;

/** The engine's counters and histograms, in simulated seconds. Guarded by the engine's lock. */
final class EngineMetrics {
  long promptTokens;
  long generationTokens;
  long prefixQueries;
  long prefixHits;
  long finishedStop;
  long finishedLength;
  long aborted;
  final Histogram ttft = new Histogram(Histogram.TTFT_BUCKETS);
  final Histogram e2e = new Histogram(Histogram.LATENCY_BUCKETS);
  final Histogram queue = new Histogram(Histogram.LATENCY_BUCKETS);
  final Histogram itl = new Histogram(Histogram.ITL_BUCKETS);
}
