package dev.aigw.providers;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Sees the status and headers of every HTTP response a provider receives, errors included, as
 * soon as they arrive (for streams: before the first event). For load reports such as ORCA's
 * {@code endpoint-load-metrics} header, or rate-limit headers. Runs on the calling thread; it must
 * be fast, and an exception it throws is ignored.
 */
@FunctionalInterface
public interface ResponseObserver {
  /**
   * @param status the HTTP status
   * @param header looks up a response header by name (case-insensitive); null when absent
   */
  void observe(int status, Function<String, @Nullable String> header);
}
