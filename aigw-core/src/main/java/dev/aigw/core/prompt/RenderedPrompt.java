package dev.aigw.core.prompt;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.Message;
import dev.aigw.api.PromptRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The messages a {@link PromptTemplate} rendered, with the template's {@link PromptRef}. Every
 * request made from it carries the ref ({@link ChatRequest#prompt()}), so responses, listeners
 * and telemetry can tell which template and version a call used.
 *
 * <pre>{@code
 * ChatRequest request = template.render(Map.of("customer", "Ada")).toRequest("chat");
 *
 * ChatRequest tuned = template.render(vars).toBuilder("chat")
 *     .user(question)              // append the caller's own messages
 *     .maxOutputTokens(300)
 *     .build();
 *
 * ChatRequest framed = systemTemplate.render(vars).prependTo(ChatRequest.of("chat", question));
 * }</pre>
 *
 * <p>Immutable. {@link #toString()} shows the ref and roles, never the text.
 */
public final class RenderedPrompt {
  private final PromptRef ref;
  private final List<Message> messages;

  RenderedPrompt(PromptRef ref, List<Message> messages) {
    this.ref = ref;
    this.messages = List.copyOf(messages);
  }

  /** {@return the template's name and version} */
  public PromptRef ref() {
    return ref;
  }

  /** {@return the rendered messages, in order} */
  public List<Message> messages() {
    return messages;
  }

  /**
   * {@return a request to {@code model} (a route alias or {@code "provider/model"}) with the
   * rendered messages and the ref}
   *
   * @param model a route alias or {@code "provider/model"}
   * @throws dev.aigw.api.InvalidRequestException when {@code model} is blank
   */
  public ChatRequest toRequest(String model) {
    return toBuilder(model).build();
  }

  /**
   * {@return a request builder for {@code model} holding the rendered messages and the ref, to add
   * messages (appended after the rendered ones) and parameters before building}
   *
   * @param model a route alias or {@code "provider/model"}
   * @throws dev.aigw.api.InvalidRequestException when {@code model} is blank
   */
  public ChatRequest.Builder toBuilder(String model) {
    return ChatRequest.builder().model(model).messages(messages).prompt(ref);
  }

  /**
   * {@return {@code request} with the rendered messages before its own, and this prompt's ref
   * (replacing any it had)} Everything else is kept. Typical for a system prompt template in front
   * of a conversation; if the request starts with its own system message, both are kept, the
   * rendered one first.
   *
   * @param request the request to put the messages in front of
   */
  public ChatRequest prependTo(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    List<Message> all = new ArrayList<>(messages.size() + request.messages().size());
    all.addAll(messages);
    all.addAll(request.messages());
    return request.toBuilder().messages(all).prompt(ref).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RenderedPrompt r && ref.equals(r.ref) && messages.equals(r.messages);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ref, messages);
  }

  @Override
  public String toString() {
    return "RenderedPrompt[" + ref + ", " + messages.stream().map(Message::role).toList() + "]";
  }
}
