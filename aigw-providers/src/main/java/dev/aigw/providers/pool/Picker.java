package dev.aigw.providers.pool;

import java.util.List;

/**
 * Chooses the replica for one request among the pool's healthy replicas that serve its model.
 * {@link Pickers} holds the built-in ones. Implementations must be thread-safe and fast: they run
 * on every request.
 */
@FunctionalInterface
public interface Picker {
  /**
   * The replica for {@code request}.
   *
   * @param request what is being routed
   * @param candidates the healthy replicas that serve the request's model; never empty
   * @return one of {@code candidates}
   */
  Replica pick(PickRequest request, List<Replica> candidates);

  /**
   * The pool sent {@code request} to {@code replica} (after {@link #pick}, also when the pool
   * retried on another replica); pickers that learn from routing (prefix affinity) record it.
   *
   * @param request the request
   * @param replica the replica it went to
   */
  default void routed(PickRequest request, Replica replica) {}

  /**
   * {@code replica} left the pool (it was removed by DNS or configuration); forget it.
   *
   * @param replica the replica that left
   */
  default void removed(Replica replica) {}
}
