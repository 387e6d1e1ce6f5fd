package dev.aigw.api;

import dev.aigw.api.internal.JsonSyntax;
import dev.aigw.api.internal.Require;
import java.util.regex.Pattern;

/**
 * A tool (function) the model may call.
 *
 * @param name the function name: 1 to 64 characters of {@code a-z A-Z 0-9 _ -}
 * @param description what the tool does, for the model; may be empty
 * @param parametersSchema the JSON Schema of the arguments, as JSON text (a JSON object)
 */
public record ToolSpec(String name, String description, String parametersSchema) {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

  /**
   * {@return a tool that takes no arguments}
   *
   * @param name the tool's name
   * @param description what the tool does, for the model
   */
  public static ToolSpec of(String name, String description) {
    return new ToolSpec(name, description, "{\"type\":\"object\",\"properties\":{}}");
  }

  /**
   * {@return a tool whose arguments follow {@code parametersSchema}}
   *
   * @param name the tool's name
   * @param description what the tool does, for the model
   * @param parametersSchema the JSON Schema of the arguments, as JSON text
   */
  public static ToolSpec of(String name, String description, String parametersSchema) {
    return new ToolSpec(name, description, parametersSchema);
  }

  /**
   * @param name the function name: 1 to 64 characters of {@code a-z A-Z 0-9 _ -}
   * @param description what the tool does, for the model; may be empty
   * @param parametersSchema the JSON Schema of the arguments, as JSON text (a JSON object)
   * @throws InvalidRequestException when the name is not a valid function name or the schema is not a JSON object
   */
  public ToolSpec {
    Require.nonNull(name, "tool.name");
    if (!NAME.matcher(name).matches()) {
      throw new InvalidRequestException("tool.name", "must be 1-64 characters of a-z, A-Z, 0-9, _ or -, was '" + name + "'");
    }
    Require.nonNull(description, "tool.description");
    JsonSyntax.requireObject(Require.nonNull(parametersSchema, "tool.parametersSchema"), "tool.parametersSchema");
  }
}
