package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Whether and which tool the model must call. */
public final class ToolChoice {
  /** The kinds of choice. */
  public enum Mode {
    /** The model decides (the providers' default when tools are given). */
    AUTO,
    /** The model must not call a tool. */
    NONE,
    /** The model must call at least one tool. */
    REQUIRED,
    /** The model must call the tool named by {@link #toolName()}. */
    TOOL
  }

  private static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
  private static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
  private static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

  private final Mode mode;
  private final @Nullable String toolName;

  private ToolChoice(Mode mode, @Nullable String toolName) {
    this.mode = mode;
    this.toolName = toolName;
  }

  /**
   * The model decides whether to call tools.
   *
   * @return the choice that lets the model decide
   */
  public static ToolChoice auto() {
    return AUTO;
  }

  /**
   * The model must not call tools.
   *
   * @return the choice that forbids tool calls
   */
  public static ToolChoice none() {
    return NONE;
  }

  /**
   * The model must call at least one tool.
   *
   * @return the choice that requires a tool call
   */
  public static ToolChoice required() {
    return REQUIRED;
  }

  /**
   * The model must call the named tool, which must be among the request's tools.
   *
   * @param name the tool's name
   * @return the choice of the named tool
   */
  public static ToolChoice tool(String name) {
    return new ToolChoice(Mode.TOOL, Require.nonBlank(name, "toolChoice.name"));
  }

  /** {@return the kind of choice} */
  public Mode mode() {
    return mode;
  }

  /** {@return the tool the model must call, for {@link Mode#TOOL}} */
  public Optional<String> toolName() {
    return Optional.ofNullable(toolName);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ToolChoice other && mode == other.mode && Objects.equals(toolName, other.toolName);
  }

  @Override
  public int hashCode() {
    return mode.hashCode() * 31 + Objects.hashCode(toolName);
  }

  @Override
  public String toString() {
    return toolName == null ? mode.name().toLowerCase(java.util.Locale.ROOT) : "tool(" + toolName + ")";
  }
}
