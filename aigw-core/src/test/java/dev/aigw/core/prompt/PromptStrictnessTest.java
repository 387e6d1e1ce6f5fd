package dev.aigw.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aigw.api.PromptRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Missing, unknown and mistyped variables, unsupported syntax, and messages that never hold values. */
class PromptStrictnessTest {
  private static final String SECRET = "s3cr3t-Ada-Lovelace";
  private static final PromptTemplate REPLY = PromptTemplate.builder("support-reply", "v2")
      .system("You help {{customer}}.{{#examples}}\nQ: {{q}}\nA: {{a}}{{/examples}}")
      .user("{{question}}")
      .build();

  private static Map<String, Object> valid() {
    Map<String, Object> values = new HashMap<>();
    values.put("customer", SECRET);
    values.put("question", SECRET);
    values.put("examples", List.of(Map.of("q", SECRET, "a", SECRET)));
    return values;
  }

  private static PromptException renderFails(Map<String, ?> values) {
    PromptException e = catchThrowableOfType(PromptException.class, () -> REPLY.render(values));
    assertThat(e).as("rendering should fail").isNotNull();
    assertThat(e.getMessage()).startsWith("prompt support-reply@v2: ").doesNotContain(SECRET);
    assertThat(e.prompt()).contains(new PromptRef("support-reply", "v2"));
    return e;
  }

  @Test
  void theValidValuesRender() {
    assertThat(REPLY.render(valid()).messages()).hasSize(2);
  }

  @Test
  void aMissingVariableIsNamed() {
    Map<String, Object> values = valid();
    values.remove("question");

    PromptException e = renderFails(values);

    assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessage("prompt support-reply@v2: missing variable 'question'");
    assertThat(e.variable()).contains("question");
  }

  @Test
  void aTypoIsReportedAsMissingWithTheUnusedNameAsAHint() {
    Map<String, Object> values = valid();
    values.put("custmer", values.remove("customer"));

    PromptException e = renderFails(values);

    assertThat(e).hasMessage("prompt support-reply@v2: missing variable 'customer' (given but not used by the template: [custmer])");
  }

  @Test
  void anUnknownVariableIsAnErrorUnlessLenient() {
    Map<String, Object> values = valid();
    values.put("tone", SECRET);

    PromptException e = renderFails(values);

    assertThat(e.getMessage()).contains("unknown variable 'tone'", "[customer, examples, question]", "lenient");
    assertThat(e.variable()).contains("tone");
    assertThat(REPLY.lenient().render(values).messages()).hasSize(2);
  }

  @Test
  void sectionItemsAreCheckedItemByItem() {
    Map<String, Object> values = valid();
    values.put("examples", List.of(Map.of("q", SECRET, "a", SECRET), Map.of("q", SECRET)));
    assertThat(renderFails(values)).hasMessageContaining("missing variable 'examples[1].a'")
        .extracting(PromptException::variable).isEqualTo(Optional.of("examples[1].a"));

    values.put("examples", List.of(Map.of("q", SECRET, "a", SECRET, "note", SECRET)));
    assertThat(renderFails(values)).hasMessageContaining("unknown variable 'examples[0].note'")
        .hasMessageContaining("uses only [q, a] in examples[0]");

    values.put("examples", List.of(SECRET));
    assertThat(renderFails(values)).hasMessageContaining("'examples[0]' must be a Map, was java.lang.String");

    values.put("examples", List.of(Map.of("q", List.of(SECRET), "a", SECRET)));
    assertThat(renderFails(values)).hasMessageContaining("variable 'examples[0].q' must be a String, Number or Boolean");
  }

  @Test
  void valuesOfTheWrongTypeAreNamedByTypeOnly() {
    Map<String, Object> values = valid();
    values.put("customer", new StringBuilder(SECRET));
    assertThat(renderFails(values)).hasMessage(
        "prompt support-reply@v2: variable 'customer' must be a String, Number or Boolean, was java.lang.StringBuilder");

    values = valid();
    values.put("customer", List.of(SECRET));
    assertThat(renderFails(values)).hasMessageContaining("only sections");

    values = valid();
    values.put("customer", Map.of("first", SECRET));
    assertThat(renderFails(values)).hasMessageContaining("was java.util.");

    values = valid();
    values.put("examples", SECRET);
    assertThat(renderFails(values)).hasMessageContaining("'examples' is a section and must be a List of Maps, was java.lang.String");

    values = valid();
    values.put("examples", true);
    assertThat(renderFails(values)).hasMessageContaining("was java.lang.Boolean (for a condition pass an empty or a one-item list)");

    values = valid();
    values.put("customer", null);
    assertThat(renderFails(values)).hasMessage("prompt support-reply@v2: variable 'customer' is null");
  }

  @Test
  void nonStringKeysAreRejected() {
    Map<Object, Object> item = new HashMap<>(Map.of("q", SECRET, "a", SECRET));
    item.put(7, SECRET);
    Map<String, Object> values = valid();
    values.put("examples", List.of(item));

    assertThat(renderFails(values)).hasMessageContaining("examples[0] has a java.lang.Integer key");
  }

  @Test
  void partialsAreRejectedWhenTheTemplateIsCreated() {
    assertThatThrownBy(() -> PromptTemplate.user("p", "v1", "Hi {{> footer}}"))
        .isInstanceOf(PromptException.class)
        .hasMessage("prompt p@v1: partials ({{> footer}}) are not supported: a template is one self-contained text, "
            + "and values are never parsed as templates");
    assertThatThrownBy(() -> PromptTemplate.builder("p", "v1").system("ok").user("{{#xs}}{{> inner}}{{/xs}}").build())
        .hasMessageContaining("partials ({{> inner}}) are not supported in message 2 (USER)");
    assertThatThrownBy(() -> PromptTemplate.user("p", "v1", "{{< base}}{{$title}}x{{/title}}{{/base}}"))
        .isInstanceOf(PromptException.class).hasMessageContaining("template inheritance");
  }

  @Test
  void unsupportedNamesAreRejectedWhenTheTemplateIsCreated() {
    assertThatThrownBy(() -> PromptTemplate.user("p", "v1", "{{customer.name}}"))
        .isInstanceOf(PromptException.class).hasMessageContaining("dotted names are not supported");
    assertThatThrownBy(() -> PromptTemplate.user("p", "v1", "{{#xs}}{{.}}{{/xs}}")).hasMessageContaining("'{{.}}' is not supported");
    assertThatThrownBy(() -> PromptTemplate.user("p", "v1", "{{this}}")).hasMessageContaining("'{{this}}' is not supported");
    assertThatThrownBy(() -> PromptTemplate.user("p", "v1", "{{-index}}")).hasMessageContaining("{{-index}} is only allowed inside a section");
    assertThatThrownBy(() -> PromptTemplate.user("p", "v1", "{{^-last}},{{/-last}}")).hasMessageContaining("only allowed inside a section");
  }

  @Test
  void aNameIsEitherAVariableOrASection() {
    assertThatThrownBy(() -> PromptTemplate.user("p", "v1", "{{items}} {{#items}}{{x}}{{/items}}"))
        .isInstanceOf(PromptException.class).hasMessageContaining("'items' is used both as a variable and as a section");
    assertThatThrownBy(() -> PromptTemplate.builder("p", "v1").system("{{#items}}{{x}}{{/items}}").user("{{items}}").build())
        .isInstanceOf(PromptException.class).hasMessageContaining("'items' is used both as a variable and as a section");
    assertThatThrownBy(() -> PromptTemplate.user("p", "v1", "{{#xs}}{{a}}{{/xs}}{{#xs}}{{#a}}{{b}}{{/a}}{{/xs}}"))
        .hasMessageContaining("'a' is used both as a variable and as a section");
  }

  @Test
  void sectionsUsedTwiceMergeTheirNames() {
    PromptTemplate t = PromptTemplate.builder("p", "v1").system("{{#xs}}{{a}}{{/xs}}").user("{{#xs}}{{b}}{{/xs}}{{^xs}}none{{/xs}}").build();

    assertThat(t.toString()).contains("variables=[xs[a, b]]");
    assertThat(t.render(Map.of("xs", List.of(Map.of("a", 1, "b", 2)))).messages()).extracting(m -> m.text()).containsExactly("1", "2");
    assertThatThrownBy(() -> t.render(Map.of("xs", List.of(Map.of("a", 1))))).hasMessageContaining("missing variable 'xs[0].b'");
  }

  @Test
  void variablesInsideInvertedSectionsAreAlwaysRequired() {
    PromptTemplate t = PromptTemplate.user("p", "v1", "{{#xs}}{{a}}{{/xs}}{{^xs}}No {{thing}}.{{/xs}}");

    assertThat(t.variables()).containsExactly("xs", "thing");
    assertThat(t.render(Map.of("xs", List.of(), "thing", "items")).messages().get(0).text()).isEqualTo("No items.");
    assertThatThrownBy(() -> t.render(Map.of("xs", List.of(Map.of("a", 1))))).hasMessageContaining("missing variable 'thing'");
  }

  @Test
  void syntaxErrorsNameTheTemplateAndMessage() {
    assertThatThrownBy(() -> PromptTemplate.builder("p", "v1").system("ok").user("{{#open}} never closed").build())
        .isInstanceOf(PromptException.class)
        .hasMessageStartingWith("prompt p@v1: the template in message 2 (USER) does not compile: ")
        .hasMessageContaining("open");
    assertThatThrownBy(() -> PromptTemplate.user("p", "v1", "{{/close}}")).isInstanceOf(PromptException.class)
        .hasMessageContaining("does not compile");
  }
}
