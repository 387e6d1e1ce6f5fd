package dev.aigw.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.InvalidRequestException;
import dev.aigw.api.Message;
import dev.aigw.api.PromptRef;
import dev.aigw.api.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Rendering, kinds, values as data, and turning a rendering into a request. */
class PromptTemplateTest {
  private static final PromptRef REF = new PromptRef("support-reply", "v2");

  @Test
  void rendersAUserMessageWithVariablesOfEachType() {
    PromptTemplate t = PromptTemplate.user("order", "v1", "Order {{id}} for {{customer}}: {{total}} EUR, paid: {{paid}}");

    RenderedPrompt r = t.render(Map.of("id", 42, "customer", "Ada", "total", 19.5, "paid", true));

    assertThat(r.messages()).containsExactly(Message.user("Order 42 for Ada: 19.5 EUR, paid: true"));
    assertThat(r.ref()).isEqualTo(new PromptRef("order", "v1"));
    assertThat(t.variables()).containsExactly("id", "customer", "total", "paid");
  }

  @Test
  void doesNotEscapeHtml() {
    PromptTemplate t = PromptTemplate.user("code", "v1", "Fix: {{snippet}}");

    assertThat(t.render(Map.of("snippet", "if (a < b && c > d) \"x\" & 'y'")).messages().get(0).text())
        .isEqualTo("Fix: if (a < b && c > d) \"x\" & 'y'");
  }

  @Test
  void rendersFewShotExamplesFromASection() {
    PromptTemplate t = PromptTemplate.builder("classify", "v3")
        .system("""
            Label tickets as {{labels}}.
            {{#examples}}
            Example {{-index}}: {{ticket}} => {{label}}
            {{/examples}}
            {{^examples}}
            (no examples)
            {{/examples}}
            Answer with the label only.""")
        .user("{{ticket}}")
        .build();

    RenderedPrompt r = t.render(Map.of(
        "labels", "bug, billing",
        "examples", List.of(Map.of("ticket", "App crashes", "label", "bug"), Map.of("ticket", "Charged twice", "label", "billing")),
        "ticket", "Refund please"));

    assertThat(r.messages()).hasSize(2);
    assertThat(r.messages().get(0).text()).isEqualTo("""
        Label tickets as bug, billing.
        Example 1: App crashes => bug
        Example 2: Charged twice => billing
        Answer with the label only.""");
    assertThat(r.messages().get(1)).isEqualTo(Message.user("Refund please"));
    assertThat(t.variables()).containsExactly("labels", "examples", "ticket");

    String none = t.render(Map.of("labels", "bug", "examples", List.of(), "ticket", "x")).messages().get(0).text();
    assertThat(none).isEqualTo("Label tickets as bug.\n(no examples)\nAnswer with the label only.");
  }

  @Test
  void rendersNestedSectionsAndPositionalTags() {
    PromptTemplate t = PromptTemplate.user("nested", "v1",
        "{{#groups}}{{title}}: {{#items}}{{name}}{{^-last}}, {{/-last}}{{/items}}; {{/groups}}{{footer}}");

    String text = t.render(Map.of(
        "groups", List.of(
            Map.of("title", "A", "items", List.of(Map.of("name", "a1"), Map.of("name", "a2"))),
            Map.of("title", "B", "items", List.of(Map.of("name", "b1")))),
        "footer", "end")).messages().get(0).text();

    assertThat(text).isEqualTo("A: a1, a2; B: b1; end");
    assertThat(t.toString()).contains("groups[title, items[name]]", "footer");
  }

  @Test
  void readsTheNamesOfEachLevelWithoutRendering() {
    // d is only used inverted: a list whose items the template does not read, shown as d[]
    PromptTemplate t = PromptTemplate.user("levels", "v1", "{{#a}}{{x}}{{#b}}{{y}}{{/b}}{{z}}{{/a}}"
        + "{{#c}}{{^d}}{{w}}{{/d}}{{#e}}{{v}}{{#-first}}!{{/-first}}{{/e}}{{/c}}{{! a comment }}{{t}}"
        + "{{=<% %>=}}<%u%><%#a%><%s%><%/a%>");

    assertThat(t.toString()).contains("variables=[a[x, b[y], z, s], c[d[], w, e[v]], t, u]");
    assertThat(t.variables()).containsExactly("a", "c", "t", "u");
  }

  @Test
  void rendersNonAsciiTextAndValues() {
    PromptTemplate t = PromptTemplate.system("greeting", "v1", "Grüß {{name}} — antworte auf {{sprache}} 🙂");

    assertThat(t.render(Map.of("name", "Zoë 李", "sprache", "Deutsch")).messages().get(0).text())
        .isEqualTo("Grüß Zoë 李 — antworte auf Deutsch 🙂");
    assertThat(PromptTemplate.user("u", "v1", "{{名前}} / {{größe}}").render(Map.of("名前", "花子", "größe", 1.62))
        .messages().get(0).text()).isEqualTo("花子 / 1.62");
  }

  @Test
  void valuesAreDataNeverParsedAsTemplates() {
    PromptTemplate t = PromptTemplate.user("echo", "v1", "Q: {{question}}{{#examples}} E: {{text}}{{/examples}}");
    String hostile = "{{secret}} {{> partial}} {{#x}}loop{{/x}} {{=<% %>=}} <%y%> {{{raw}}}";

    String text = t.render(Map.of("question", hostile, "examples", List.of(Map.of("text", "{{question}}"))))
        .messages().get(0).text();

    assertThat(text).isEqualTo("Q: " + hostile + " E: {{question}}");
  }

  @Test
  void allMessagesShareOneSetOfVariables() {
    PromptTemplate t = PromptTemplate.messages("chat", "v1", List.of(
        MessageTemplate.system("You help {{customer}}."),
        MessageTemplate.user("Hi, I am {{customer}}."),
        MessageTemplate.assistant("Hello {{customer}}, how can I help?"),
        MessageTemplate.user("{{question}}")));

    RenderedPrompt r = t.render(Map.of("customer", "Ada", "question", "Where is my order?"));

    assertThat(r.messages()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER);
    assertThat(r.messages().get(2).text()).isEqualTo("Hello Ada, how can I help?");
    assertThat(t.variables()).containsExactly("customer", "question");
  }

  @Test
  void aTemplateWithoutVariablesRendersWithoutValues() {
    assertThat(PromptTemplate.system("plain", "v1", "Be brief.").render().messages()).containsExactly(Message.system("Be brief."));
  }

  @Test
  void turnsIntoARequestInOneLine() {
    PromptTemplate t = PromptTemplate.user("support-reply", "v2", "Hello {{customer}}");

    ChatRequest r = t.render(Map.of("customer", "Ada")).toRequest("chat");

    assertThat(r.model()).isEqualTo("chat");
    assertThat(r.messages()).containsExactly(Message.user("Hello Ada"));
    assertThat(r.prompt()).contains(REF);

    ChatRequest tuned = t.render(Map.of("customer", "Ada")).toBuilder("chat").temperature(0.2).maxOutputTokens(50).build();
    assertThat(tuned.prompt()).contains(REF);
    assertThat(tuned.temperature()).hasValue(0.2);
    assertThatThrownBy(() -> t.render(Map.of("customer", "Ada")).toRequest(" ")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aSystemTemplateGoesBeforeTheCallersOwnMessages() {
    PromptTemplate persona = PromptTemplate.system("persona", "v1", "You are {{agent}}.");
    RenderedPrompt rendered = persona.render(Map.of("agent", "Ada"));

    ChatRequest built = rendered.toBuilder("chat").user("Where is my order?").build();
    assertThat(built.messages()).containsExactly(Message.system("You are Ada."), Message.user("Where is my order?"));
    assertThat(built.prompt()).contains(new PromptRef("persona", "v1"));

    ChatRequest own = ChatRequest.builder().model("chat").user("Hi").message(Message.assistant("Hello!")).user("Order?")
        .maxOutputTokens(99).build();
    ChatRequest framed = rendered.prependTo(own);
    assertThat(framed.messages()).containsExactly(
        Message.system("You are Ada."), Message.user("Hi"), Message.assistant("Hello!"), Message.user("Order?"));
    assertThat(framed.maxOutputTokens()).hasValue(99);
    assertThat(framed.model()).isEqualTo("chat");
    assertThat(framed.prompt()).contains(new PromptRef("persona", "v1"));
  }

  @Test
  void lenientTemplatesIgnoreUnusedVariables() {
    PromptTemplate strict = PromptTemplate.user("hello", "v1", "Hello {{name}}{{#items}} {{x}}{{/items}}");
    PromptTemplate lenient = strict.lenient();
    Map<String, Object> values = Map.of("name", "Ada", "extra", "unused", "items", List.of(Map.of("x", 1, "y", 2)));

    assertThat(lenient.isLenient()).isTrue();
    assertThat(strict.isLenient()).isFalse();
    assertThat(lenient.render(values).messages().get(0).text()).isEqualTo("Hello Ada 1");
    assertThat(PromptTemplate.builder("hello", "v1").user("Hello {{name}}").lenient().build().isLenient()).isTrue();
    assertThatThrownBy(() -> lenient.render(Map.of("extra", "x"))).isInstanceOf(PromptException.class)
        .hasMessageContaining("missing variable 'name'");
  }

  @Test
  void renderingSeesACopyOfTheValues() {
    PromptTemplate t = PromptTemplate.user("copy", "v1", "{{#items}}{{x}}{{/items}}");
    Map<String, Object> item = new HashMap<>(Map.of("x", "a"));

    RenderedPrompt r = t.render(Map.of("items", List.of(item)));
    item.put("x", "changed");

    assertThat(r.messages().get(0).text()).isEqualTo("a");
  }

  @Test
  void rendersConcurrently() throws Exception {
    PromptTemplate t = PromptTemplate.user("many", "v1", "{{#items}}{{n}},{{/items}}{{who}}");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> futures = IntStream.range(0, 200).mapToObj(i -> pool.submit(() -> t.render(Map.of(
          "who", "w" + i, "items", List.of(Map.of("n", i), Map.of("n", i + 1)))).messages().get(0).text())).toList();
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get()).isEqualTo(i + "," + (i + 1) + ",w" + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void equalityAndToString() {
    PromptTemplate a = PromptTemplate.system("p", "v1", "Hi {{x}}");

    assertThat(a).isEqualTo(PromptTemplate.system("p", "v1", "Hi {{x}}")).hasSameHashCodeAs(PromptTemplate.system("p", "v1", "Hi {{x}}"));
    assertThat(a).isNotEqualTo(PromptTemplate.system("p", "v2", "Hi {{x}}")).isNotEqualTo(a.lenient());
    assertThat(a.toString()).isEqualTo("PromptTemplate[p@v1, [SYSTEM], variables=[x]]");
    assertThat(a.render(Map.of("x", "secret")).toString()).isEqualTo("RenderedPrompt[p@v1, [SYSTEM]]").doesNotContain("secret");
    assertThat(a.messages()).containsExactly(MessageTemplate.system("Hi {{x}}"));
  }

  @Test
  void checksNamesVersionsAndTexts() {
    assertThatThrownBy(() -> PromptTemplate.system("bad name", "v1", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prompt name").hasMessageContaining("'bad name'");
    assertThatThrownBy(() -> PromptTemplate.system("p", "v1@x", "x")).hasMessageContaining("prompt version");
    assertThatThrownBy(() -> PromptTemplate.system("p", "v1", " \n")).hasMessageContaining("must not be blank");
    assertThatThrownBy(() -> PromptTemplate.messages("p", "v1", List.of())).hasMessageContaining("at least one message");
    assertThatThrownBy(() -> PromptTemplate.builder("p", "v1").build()).hasMessageContaining("at least one message");
    assertThatThrownBy(() -> new MessageTemplate(Role.TOOL, "x")).hasMessageContaining("not TOOL");
  }
}
