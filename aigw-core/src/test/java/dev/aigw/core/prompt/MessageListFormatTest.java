package dev.aigw.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.Message;
import dev.aigw.api.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text form of message lists: markers, trimming, escapes and errors. */
class MessageListFormatTest {

  @Test
  void markersStartMessages() {
    PromptTemplate t = PromptTemplate.parse("chat", "v1", """

        @system
        You help {{customer}}.

        Be brief.

        @user
        Hi!
          @assistant
        Hello {{customer}}.
        @user
        {{question}}
        """);

    assertThat(t.messages()).containsExactly(
        MessageTemplate.system("You help {{customer}}.\n\nBe brief."),
        MessageTemplate.user("Hi!"),
        MessageTemplate.assistant("Hello {{customer}}."),
        MessageTemplate.user("{{question}}"));
    assertThat(t.render(Map.of("customer", "Ada", "question", "Order?")).messages())
        .extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER);
  }

  @Test
  void textWithoutMarkersIsOneUserMessage() {
    PromptTemplate t = PromptTemplate.parse("ask", "v1", "\n\nWhat is {{thing}}?\n  Explain @home and email@x.\n\n");

    assertThat(t.messages()).containsExactly(MessageTemplate.user("What is {{thing}}?\n  Explain @home and email@x."));
  }

  @Test
  void lineEndsBecomeNewlinesAndIndentationIsKept() {
    PromptTemplate t = PromptTemplate.parse("crlf", "v1", "@system\r\n  indented\r\n\r\nnext\r@user\rq\r\n");

    assertThat(t.messages()).containsExactly(MessageTemplate.system("  indented\n\nnext"), MessageTemplate.user("q"));
  }

  @Test
  void aDoubledAtSignEscapesALineThatLooksLikeAMarker() {
    PromptTemplate t = PromptTemplate.parse("esc", "v1", "@system\nSay:\n@@user\n  @@everyone\n@user\nok");

    assertThat(t.messages()).containsExactly(MessageTemplate.system("Say:\n@user\n  @everyone"), MessageTemplate.user("ok"));
  }

  @Test
  void sectionsMayContainMarkerFreeLines() {
    PromptTemplate t = PromptTemplate.parse("shots", "v1", """
        @system
        Examples:
        {{#examples}}
        Q: {{q}}
        A: {{a}}
        {{/examples}}
        @user
        {{q}}
        """);

    String system = t.render(Map.of("q", "now?", "examples", List.of(Map.of("q", "1+1", "a", "2")))).messages().get(0).text();
    assertThat(system).isEqualTo("Examples:\nQ: 1+1\nA: 2\n");
  }

  @Test
  void textBeforeTheFirstMarkerIsAnError() {
    assertThatThrownBy(() -> PromptTemplate.parse("p", "v1", "\nintro\n@system\nx"))
        .isInstanceOf(PromptException.class)
        .hasMessageStartingWith("prompt p@v1: line 2: text before the first marker");
  }

  @Test
  void anUnknownMarkerIsAnError() {
    assertThatThrownBy(() -> PromptTemplate.parse("p", "v1", "@system\nx\n@sytem\ny"))
        .isInstanceOf(PromptException.class)
        .hasMessage("prompt p@v1: line 3: unknown marker '@sytem'; the markers are @system, @user and @assistant "
            + "(write @@sytem for a line of text that starts with @)");
    assertThatThrownBy(() -> PromptTemplate.parse("p", "v1", "@System\nx")).hasMessageContaining("unknown marker '@System'");
    assertThatThrownBy(() -> PromptTemplate.parse("p", "v1", "hello\n@tool\nx")).hasMessageContaining("unknown marker '@tool'");
  }

  @Test
  void emptyMessagesAndEmptyTextsAreErrors() {
    assertThatThrownBy(() -> PromptTemplate.parse("p", "v1", "@system\n\n  \n@user\nq"))
        .isInstanceOf(PromptException.class).hasMessage("prompt p@v1: line 1: the @system message is empty");
    assertThatThrownBy(() -> PromptTemplate.parse("p", "v1", "@system\nx\n@user\n"))
        .hasMessage("prompt p@v1: line 3: the @user message is empty");
    assertThatThrownBy(() -> PromptTemplate.parse("p", "v1", " \n\n")).hasMessage("prompt p@v1: the template is empty");
  }

  @Test
  void syntaxErrorsNameTheMessage() {
    assertThatThrownBy(() -> PromptTemplate.parse("p", "v1", "@system\nok\n@user\n{{#a}}open"))
        .isInstanceOf(PromptException.class).hasMessageContaining("message 2 (USER) does not compile");
  }
}
