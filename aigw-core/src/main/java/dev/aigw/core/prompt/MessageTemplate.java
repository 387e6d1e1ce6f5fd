package dev.aigw.core.prompt;

import dev.aigw.api.Role;
import java.util.Objects;

/**
 * The template of one message of a {@link PromptTemplate}: a role and Mustache text.
 *
 * <pre>{@code
 * PromptTemplate triage = PromptTemplate.messages("triage", "v1", List.of(
 *     MessageTemplate.system("You sort tickets for {{product}}."),
 *     MessageTemplate.user("{{ticket}}")));
 * }</pre>
 *
 * @param role {@link Role#SYSTEM}, {@link Role#USER} or {@link Role#ASSISTANT} (tool messages
 *     answer a tool call of the conversation and cannot be templated)
 * @param text the Mustache text; not blank
 */
public record MessageTemplate(Role role, String text) {
  /**
   * @param role {@link Role#SYSTEM}, {@link Role#USER} or {@link Role#ASSISTANT} (tool messages
   *     answer a tool call of the conversation and cannot be templated)
   * @param text the Mustache text; not blank
   * @throws IllegalArgumentException when the role is {@link Role#TOOL} or the text is blank
   */
  public MessageTemplate {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(text, "text");
    if (role == Role.TOOL) {
      throw new IllegalArgumentException("a message template is SYSTEM, USER or ASSISTANT, not TOOL");
    }
    if (text.isBlank()) {
      throw new IllegalArgumentException("the text of a " + role + " message template must not be blank");
    }
  }

  /**
   * {@return a system message template}
   *
   * @param text the template's text
   */
  public static MessageTemplate system(String text) {
    return new MessageTemplate(Role.SYSTEM, text);
  }

  /**
   * {@return a user message template}
   *
   * @param text the template's text
   */
  public static MessageTemplate user(String text) {
    return new MessageTemplate(Role.USER, text);
  }

  /**
   * {@return an assistant message template, for example the answer of a few-shot example}
   *
   * @param text the template's text
   */
  public static MessageTemplate assistant(String text) {
    return new MessageTemplate(Role.ASSISTANT, text);
  }

  /** The role and the text's length. */
  @Override
  public String toString() {
    return "MessageTemplate[" + role + ", " + text.length() + " chars]";
  }
}
