package dev.aigw.providers.pool;

import java.net.URI;

/**
 * One server of an inference pool, as a {@link Picker} sees it: where it is, how many of this
 * client's requests it is serving now, and the load it last reported. Implemented by the pool;
 * the values are live (read them once per pick).
 */
public interface Replica {
  /** {@return a stable id for the replica, {@code host:port}} */
  String id();

  /** {@return the replica's base URL ({@code http://10.0.0.7:8000})} */
  URI baseUrl();

  /**
   * Requests this client has sent to the replica that have not finished.
   *
   * @return the requests this client has sent to the replica that have not finished
   */
  int inFlight();

  /**
   * {@return the load the replica last reported (scraped metrics or ORCA response headers), or
   * {@link ReplicaLoad#UNKNOWN} when it reported none within the pool's staleness cut-off}
   */
  ReplicaLoad load();
}
