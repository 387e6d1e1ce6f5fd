package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.Optional;

/**
 * A fragment of a tool call in a stream. The first fragment of a call carries its id and name;
 * later fragments with the same {@code index} append to its arguments.
 *
 * @param index which tool call of the turn this fragment belongs to (0-based)
 * @param id the call's id, on its first fragment
 * @param name the tool's name, on its first fragment
 * @param arguments the next piece of the arguments' JSON text (may be empty)
 */
public record ToolCallDelta(int index, Optional<String> id, Optional<String> name, String arguments) {
  /**
   * @param index which tool call of the turn this fragment belongs to (0-based)
   * @param id the call's id, on its first fragment
   * @param name the tool's name, on its first fragment
   * @param arguments the next piece of the arguments' JSON text (may be empty)
   * @throws InvalidRequestException when the index is negative or a field is null
   */
  public ToolCallDelta {
    Require.nonNegative(index, "toolCallDelta.index");
    Require.nonNull(id, "toolCallDelta.id");
    Require.nonNull(name, "toolCallDelta.name");
    Require.nonNull(arguments, "toolCallDelta.arguments");
  }

  /**
   * {@return the first fragment of a tool call}
   *
   * @param index the position of the tool call in the answer, from 0
   * @param id the tool call's id
   * @param name the tool's name
   * @param arguments the first piece of the arguments' JSON text
   */
  public static ToolCallDelta start(int index, String id, String name, String arguments) {
    return new ToolCallDelta(index, Optional.of(Require.nonBlank(id, "toolCallDelta.id")),
        Optional.of(Require.nonBlank(name, "toolCallDelta.name")), arguments);
  }

  /**
   * {@return a later fragment that appends to the arguments of call {@code index}}
   *
   * @param index the position of the tool call in the answer, from 0
   * @param arguments the next piece of the arguments' JSON text
   */
  public static ToolCallDelta arguments(int index, String arguments) {
    return new ToolCallDelta(index, Optional.empty(), Optional.empty(), arguments);
  }

  /** Index, id and name; the arguments' size only. */
  @Override
  public String toString() {
    return "ToolCallDelta[" + index + id.map(i -> ", id=" + i).orElse("") + name.map(n -> ", name=" + n).orElse("")
        + ", arguments=" + arguments.length() + " chars]";
  }
}
