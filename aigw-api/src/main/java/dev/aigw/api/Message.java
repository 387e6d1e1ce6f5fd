package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation. Create messages with the factories ({@link #system(String)},
 * {@link #user(String)}, {@link #assistant(String)}, {@link #assistantToolCalls(List)},
 * {@link #tool(String, String)}); each checks the rules of its role.
 */
public final class Message {
  private final Role role;
  private final List<ContentPart> content;
  private final List<ToolCall> toolCalls;
  private final @Nullable String toolCallId;

  private Message(Role role, List<ContentPart> content, List<ToolCall> toolCalls, @Nullable String toolCallId) {
    this.role = role;
    this.content = content;
    this.toolCalls = toolCalls;
    this.toolCallId = toolCallId;
  }

  /**
   * {@return a system message}
   *
   * @param text the message's text
   */
  public static Message system(String text) {
    return new Message(Role.SYSTEM, List.of(ContentPart.text(Require.nonNull(text, "message.content"))), List.of(), null);
  }

  /**
   * {@return a user message with text only}
   *
   * @param text the message's text
   */
  public static Message user(String text) {
    return new Message(Role.USER, List.of(ContentPart.text(Require.nonNull(text, "message.content"))), List.of(), null);
  }

  /**
   * {@return a user message with several parts, for example text and images}
   *
   * @param parts the content parts, in order
   * @throws InvalidRequestException when {@code parts} is empty or holds a null
   */
  public static Message user(List<? extends ContentPart> parts) {
    List<ContentPart> copy = Require.elements(parts, "message.content");
    if (copy.isEmpty()) {
      throw new InvalidRequestException("message.content", "a user message needs at least one part");
    }
    return new Message(Role.USER, copy, List.of(), null);
  }

  /**
   * Same as {@link #user(List)}.
   *
   * @param parts the content parts, in order
   * @return a user message with several parts
   */
  public static Message user(ContentPart... parts) {
    return user(java.util.Arrays.asList(Require.nonNull(parts, "message.content")));
  }

  /**
   * {@return an assistant message with text, as a model answered earlier in the conversation}
   *
   * @param text the message's text
   */
  public static Message assistant(String text) {
    return new Message(Role.ASSISTANT, List.of(ContentPart.text(Require.nonNull(text, "message.content"))), List.of(), null);
  }

  /**
   * {@return an assistant message that called tools (and optionally also said something)}
   *
   * @param text what the assistant said besides calling tools; may be empty
   * @param toolCalls the calls, in order
   * @throws InvalidRequestException when {@code toolCalls} is empty or holds a null
   */
  public static Message assistant(String text, List<ToolCall> toolCalls) {
    List<ToolCall> calls = Require.elements(toolCalls, "message.toolCalls");
    if (calls.isEmpty()) {
      throw new InvalidRequestException("message.toolCalls", "must not be empty; use assistant(text) for a message without tool calls");
    }
    List<ContentPart> parts =
        Require.nonNull(text, "message.content").isEmpty() ? List.of() : List.of(ContentPart.text(text));
    return new Message(Role.ASSISTANT, parts, calls, null);
  }

  /**
   * {@return an assistant message that only called tools}
   *
   * @param toolCalls the calls, in order
   */
  public static Message assistantToolCalls(List<ToolCall> toolCalls) {
    return assistant("", toolCalls);
  }

  /**
   * {@return the result of a tool call}
   *
   * @param toolCallId the {@link ToolCall#id()} this answers
   * @param result the tool's output, usually JSON text
   */
  public static Message tool(String toolCallId, String result) {
    return new Message(
        Role.TOOL,
        List.of(ContentPart.text(Require.nonNull(result, "message.content"))),
        List.of(),
        Require.nonBlank(toolCallId, "message.toolCallId"));
  }

  /** {@return who wrote the message} */
  public Role role() {
    return role;
  }

  /**
   * {@return the content parts, in order; empty only for an assistant message that just called
   * tools}
   */
  public List<ContentPart> content() {
    return content;
  }

  /** {@return the text parts joined, without separators; images are skipped} */
  public String text() {
    if (content.size() == 1 && content.get(0) instanceof ContentPart.Text t) {
      return t.text();
    }
    StringBuilder sb = new StringBuilder();
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Text t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  /** {@return the tools an assistant message called, in order; empty for other roles} */
  public List<ToolCall> toolCalls() {
    return toolCalls;
  }

  /** {@return for a {@link Role#TOOL} message, the id of the tool call it answers} */
  public Optional<String> toolCallId() {
    return Optional.ofNullable(toolCallId);
  }

  /**
   * {@return a copy with the same role and tool data and new content parts (used by policies that
   * rewrite text)}
   *
   * @param parts the new content parts
   */
  public Message withContent(List<? extends ContentPart> parts) {
    List<ContentPart> copy = Require.elements(parts, "message.content");
    if (copy.isEmpty() && toolCalls.isEmpty()) {
      throw new InvalidRequestException("message.content", "must not be empty");
    }
    if (role != Role.USER && copy.stream().anyMatch(p -> p instanceof ContentPart.Image)) {
      throw new InvalidRequestException("message.content", "only USER messages may hold images, this is " + role);
    }
    return new Message(role, copy, toolCalls, toolCallId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message other
        && role == other.role
        && content.equals(other.content)
        && toolCalls.equals(other.toolCalls)
        && Objects.equals(toolCallId, other.toolCallId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(role, content, toolCalls, toolCallId);
  }

  /** Shows the role and sizes only: content may be sensitive. */
  @Override
  public String toString() {
    return "Message[" + role + ", " + content + (toolCalls.isEmpty() ? "" : ", toolCalls=" + toolCalls) + "]";
  }
}
