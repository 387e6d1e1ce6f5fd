package dev.aigw.providers.gemini;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The thought signatures Gemini attaches to function calls, remembered so they can be sent back
 * with the calls in the next turn (Gemini 3 models reject a function-calling turn whose calls lost
 * their signature). {@link dev.aigw.api.ToolCall} has no field for them, so they are kept here,
 * keyed by the call's id, name and arguments, in a bounded least-recently-used map. Thread-safe.
 *
 * <p>A call whose signature is not known (the provider was restarted, or the call came from
 * another provider) is sent with Google's documented placeholder for Gemini 3 and later models.
 */
final class ThoughtSignatures {
  /** Google's documented placeholder for a function call that has no signature of its own. */
  static final String SKIP_VALIDATOR = "skip_thought_signature_validator";

  private static final Pattern VERSION = Pattern.compile("^gemini-(\\d+)");

  private final Map<String, String> signatures;

  ThoughtSignatures(int capacity) {
    this.signatures = new LinkedHashMap<>(64, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Remembers the signature of one call; does nothing when there is none. */
  void remember(String id, String name, String arguments, @Nullable String signature) {
    if (signature == null || signature.isEmpty()) {
      return;
    }
    String key = key(id, name, arguments);
    synchronized (signatures) {
      signatures.put(key, signature);
    }
  }

  /** The signature remembered for this call, or null. */
  @Nullable String recall(String id, String name, String arguments) {
    String key = key(id, name, arguments);
    synchronized (signatures) {
      return signatures.get(key);
    }
  }

  /** Whether {@code model} validates the signatures of the function calls sent back to it (Gemini 3 and later). */
  static boolean required(String model) {
    Matcher m = VERSION.matcher(model);
    if (!m.find()) {
      return false;
    }
    try {
      return Integer.parseInt(m.group(1)) >= 3;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String key(String id, String name, String arguments) {
    return id + '\u0000' + name + '\u0000' + arguments;
  }
}
