package dev.aigw.it.fault;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Collects the fault cells' results by fault class and provider type (from display names of the
 * form {@code "KIND fault words MODE SHAPE"}) and prints the matrix after each test class, with
 * every class run so far in this JVM.
 */
final class FaultMatrix implements TestWatcher, AfterAllCallback {
  /** fault class -> provider type -> {passed, failed}. */
  private static final Map<String, Map<ProviderKind, int[]>> RESULTS = new ConcurrentSkipListMap<>();

  @Override
  public void testSuccessful(ExtensionContext context) {
    record(context, 0);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    record(context, 1);
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    record(context, 1);
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    // not part of the matrix
  }

  private static void record(ExtensionContext context, int column) {
    String[] words = context.getDisplayName().split(" ");
    if (words.length < 4) {
      return;
    }
    ProviderKind kind = ProviderKind.valueOf(words[0]);
    String fault = String.join(" ", java.util.Arrays.copyOfRange(words, 1, words.length - 2));
    synchronized (RESULTS) {
      RESULTS.computeIfAbsent(fault, f -> new TreeMap<>()).computeIfAbsent(kind, k -> new int[2])[column]++;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    StringBuilder table = new StringBuilder("\nfault matrix (cells passed/run, blocking+stream x sole+fallback shapes):\n");
    table.append(String.format("%-32s", "fault \\ provider"));
    for (ProviderKind kind : ProviderKind.values()) {
      table.append(String.format("%-12s", kind));
    }
    table.append('\n');
    synchronized (RESULTS) {
      RESULTS.forEach((fault, byKind) -> {
        table.append(String.format("%-32s", fault));
        for (ProviderKind kind : ProviderKind.values()) {
          int[] r = byKind.get(kind);
          table.append(String.format("%-12s", r == null ? "-" : (r[1] == 0 ? "pass " : "FAIL ") + r[0] + "/" + (r[0] + r[1])));
        }
        table.append('\n');
      });
    }
    System.out.println(table);
  }
}
