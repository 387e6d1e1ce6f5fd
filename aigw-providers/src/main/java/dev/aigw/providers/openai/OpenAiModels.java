package dev.aigw.providers.openai;

import dev.aigw.api.ModelCapabilities;
import java.util.Locale;

/** What OpenAI's model families support, by name prefix. */
final class OpenAiModels {
  private OpenAiModels() {}

  static ModelCapabilities capabilities(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    if (m.startsWith("o1-mini") || m.startsWith("o1-preview")) {
      return new ModelCapabilities(false, false, false, true);
    }
    if (m.startsWith("gpt-3.5")) {
      return new ModelCapabilities(true, false, false, true);
    }
    if (m.startsWith("gpt-4") && !m.startsWith("gpt-4o") && !m.startsWith("gpt-4.") && !m.contains("turbo")) {
      return new ModelCapabilities(true, false, false, true);
    }
    if (m.startsWith("text-embedding")) {
      return new ModelCapabilities(false, false, false, false);
    }
    return ModelCapabilities.ALL;
  }
}
