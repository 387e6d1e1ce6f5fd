package dev.aigw.otel.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A concurrent map of values derived from configuration (routes, targets, providers, model
 * names), which is small; emptied when it reaches its bound, so that a stream of distinct keys
 * (every caller-chosen model name, say) cannot grow it without limit.
 */
final class BoundedCache<K, V> {
  private static final int MAX = 4096;
  private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();

  V get(K key, Function<K, V> derive) {
    V value = map.get(key);
    if (value == null) {
      if (map.size() >= MAX) {
        map.clear();
      }
      value = derive.apply(key);
      map.put(key, value);
    }
    return value;
  }
}
