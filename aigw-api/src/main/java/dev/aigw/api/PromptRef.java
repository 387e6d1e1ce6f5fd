package dev.aigw.api;

import dev.aigw.api.internal.Require;

/**
 * Which versioned prompt template a request was rendered from: carried by the {@link
 * ChatRequest}, reported in {@link ResponseMetadata#prompt()}, visible to listeners through
 * {@link CallInfo#request()}, and recorded in telemetry as {@code gen_ai.prompt.name} and {@code
 * aigw.prompt.version}.
 *
 * @param name the template's name, such as {@code "support-reply"}
 * @param version the template's version, such as {@code "v2"}
 */
public record PromptRef(String name, String version) {
  /**
   * @param name the template's name, such as {@code "support-reply"}
   * @param version the template's version, such as {@code "v2"}
   * @throws InvalidRequestException when a field is blank
   */
  public PromptRef {
    Require.nonBlank(name, "prompt.name");
    Require.nonBlank(version, "prompt.version");
  }

  /** {@code name@version}. */
  @Override
  public String toString() {
    return name + "@" + version;
  }
}
