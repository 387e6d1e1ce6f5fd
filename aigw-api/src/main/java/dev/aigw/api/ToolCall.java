package dev.aigw.api;

import dev.aigw.api.internal.Require;

/**
 * A call of a tool the model asked for.
 *
 * @param id the provider's id for the call, echoed back in the {@link Role#TOOL} message that answers it
 * @param name the tool's name
 * @param arguments the arguments as JSON text, exactly as the model wrote them (it may be invalid JSON)
 */
public record ToolCall(String id, String name, String arguments) {
  /**
   * @param id the provider's id for the call, echoed back in the {@link Role#TOOL} message that answers it
   * @param name the tool's name
   * @param arguments the arguments as JSON text, exactly as the model wrote them (it may be invalid JSON)
   * @throws InvalidRequestException when a field is null or the id or name is blank
   */
  public ToolCall {
    Require.nonBlank(id, "toolCall.id");
    Require.nonBlank(name, "toolCall.name");
    Require.nonNull(arguments, "toolCall.arguments");
  }

  /** Shows id and name only: arguments may carry sensitive values. */
  @Override
  public String toString() {
    return "ToolCall[id=" + id + ", name=" + name + ", arguments=" + arguments.length() + " chars]";
  }
}
