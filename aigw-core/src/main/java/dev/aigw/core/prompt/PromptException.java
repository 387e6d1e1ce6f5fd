package dev.aigw.core.prompt;

import dev.aigw.api.PromptRef;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A prompt template or registry cannot do what was asked: a template does not compile or uses
 * something unsupported (partials, dotted names), rendering lacks a variable or got one the
 * template does not use or of the wrong type, or a registry entry is missing, duplicated or
 * inconsistent.
 *
 * <p>The message names the template ({@code name@version}) and the variable or entry at fault,
 * never a variable's value: values may be user data.
 */
public final class PromptException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The name of the template concerned, when known. */
  private final @Nullable String promptName;
  /** The version of the template concerned, when known. */
  private final @Nullable String promptVersion;
  /** The variable concerned, when there is one. */
  private final @Nullable String variable;

  /**
   * An exception with a message only.
   *
   * @param message what went wrong
   */
  public PromptException(String message) {
    this(message, null, null, null);
  }

  /**
   * An exception about a template or one of its variables.
   *
   * @param message the whole message; it must not contain variable values
   * @param prompt the template concerned, when known
   * @param variable the variable concerned (a path such as {@code examples[1].answer} inside
   *     sections), when there is one
   * @param cause the underlying failure, when there is one
   */
  public PromptException(String message, @Nullable PromptRef prompt, @Nullable String variable, @Nullable Throwable cause) {
    super(message, cause);
    this.promptName = prompt == null ? null : prompt.name();
    this.promptVersion = prompt == null ? null : prompt.version();
    this.variable = variable;
  }

  /** {@return the template concerned, when known} */
  public Optional<PromptRef> prompt() {
    return promptName == null || promptVersion == null ? Optional.empty() : Optional.of(new PromptRef(promptName, promptVersion));
  }

  /**
   * {@return the variable concerned, as a path such as {@code customer} or {@code
   * examples[1].answer}, when there is one}
   */
  public Optional<String> variable() {
    return Optional.ofNullable(variable);
  }
}
