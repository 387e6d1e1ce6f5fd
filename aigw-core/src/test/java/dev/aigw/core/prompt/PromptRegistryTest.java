package dev.aigw.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.Message;
import dev.aigw.api.PromptRef;
import dev.aigw.api.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Templates from code and from the classpath, defaults, lookups and build-time errors. */
class PromptRegistryTest {
  private static final PromptTemplate A1 = PromptTemplate.user("a", "v1", "one {{x}}");
  private static final PromptTemplate A2 = PromptTemplate.user("a", "v2", "two {{x}}");

  @Test
  void holdsTemplatesFromCode() {
    PromptRegistry r = PromptRegistry.builder().add(A1).add(A2).defaultVersion("a", "v2")
        .add(PromptTemplate.system("b", "1.0", "sys")).build();

    assertThat(r.names()).containsExactly("a", "b");
    assertThat(r.versions("a")).containsExactly("v1", "v2");
    assertThat(r.defaultVersion("a")).contains("v2");
    assertThat(r.defaultVersion("b")).as("the only version").contains("1.0");
    assertThat(r.weights("a")).isEmpty();
    assertThat(r.template("a")).isSameAs(A2);
    assertThat(r.template("a", "v1")).isSameAs(A1);
    assertThat(r.stickyTemplate("a", "anyone")).as("without weights: the default").isSameAs(A2);
    assertThat(r.toString()).isEqualTo("PromptRegistry[a[v1, v2] default v2, b[1.0] default 1.0]");
  }

  @Test
  void makesARequestInOneLine() {
    PromptRegistry r = PromptRegistry.builder().add(A1).build();

    ChatRequest request = r.request("a", Map.of("x", "Ada"), "chat");

    assertThat(request.model()).isEqualTo("chat");
    assertThat(request.messages()).containsExactly(Message.user("one Ada"));
    assertThat(request.prompt()).contains(new PromptRef("a", "v1"));
  }

  @Test
  void loadsAnIndexFromTheClasspath() {
    PromptRegistry r = PromptRegistry.builder().index("prompts/index.properties").build();

    assertThat(r.names()).containsExactly("support-reply", "greeting", "persona");
    assertThat(r.versions("support-reply")).containsExactly("v1", "v2");
    assertThat(r.defaultVersion("support-reply")).contains("v1");
    assertThat(r.weights("support-reply")).containsExactly(Map.entry("v1", 90), Map.entry("v2", 10));

    PromptTemplate v2 = r.template("support-reply", "v2");
    assertThat(v2.messages()).extracting(MessageTemplate::role).containsExactly(Role.SYSTEM, Role.USER);
    RenderedPrompt rendered = v2.render(Map.of("product", "Acme", "question", "Refund?",
        "examples", List.of(Map.of("q", "Hours?", "a", "9 to 5."))));
    assertThat(rendered.messages().get(0).text()).isEqualTo("You answer customers of Acme. Be brief and kind.\nQ: Hours?\nA: 9 to 5.\n");
    assertThat(rendered.messages().get(1)).isEqualTo(Message.user("Refund?"));

    assertThat(r.template("greeting").render(Map.of("name", "Zoë")).messages()).containsExactly(Message.user("Grüß dich, Zoë! 👋"));
    assertThat(r.template("persona").messages()).containsExactly(MessageTemplate.system("You are {{agent}}, a support agent."));
  }

  @Test
  void loadsSingleResourcesAndMixesThemWithCode() {
    PromptRegistry r = PromptRegistry.builder()
        .resource("reply", "v1", "/prompts/support-reply-v1.mustache")
        .resource("reply", "v2", "prompts/support-reply-v2.mustache")
        .add(PromptTemplate.user("reply", "v3", "{{question}}"))
        .defaultVersion("reply", "v3")
        .classLoader(PromptRegistryTest.class.getClassLoader())
        .build();

    assertThat(r.versions("reply")).containsExactly("v1", "v2", "v3");
    assertThat(r.template("reply").version()).isEqualTo("v3");
    assertThat(r.template("reply", "v1").variables()).containsExactly("product", "question");
  }

  @Test
  void unknownNamesAndVersionsAreNamed() {
    PromptRegistry r = PromptRegistry.builder().add(A1).add(A2).defaultVersion("a", "v1").build();

    assertThatThrownBy(() -> r.template("nope")).isInstanceOf(PromptException.class)
        .hasMessage("no prompt named 'nope'; the registry has [a]");
    assertThatThrownBy(() -> r.template("a", "v9")).isInstanceOf(PromptException.class)
        .hasMessage("prompt 'a' has no version 'v9'; its versions are [v1, v2]");
    assertThatThrownBy(() -> r.stickyTemplate("a", " ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.request("a", Map.of("y", 1), "chat")).isInstanceOf(PromptException.class)
        .hasMessageContaining("prompt a@v1: missing variable 'x'");
  }

  @Test
  void severalVersionsNeedADefaultOrWeights() {
    assertThatThrownBy(() -> PromptRegistry.builder().add(A1).add(A2).build())
        .isInstanceOf(PromptException.class)
        .hasMessage("prompt 'a' has versions [v1, v2] and no default: set a.default = <version> in the index, "
            + "or call defaultVersion(\"a\", <version>)");
    assertThatThrownBy(() -> PromptRegistry.builder().index("prompts/bad/no-default.properties").build())
        .hasMessageContaining("prompt 'support-reply' has versions [v1, v2] and no default");

    PromptRegistry weighted = PromptRegistry.builder().add(A1).add(A2).weights("a", Map.of("v1", 1, "v2", 1)).build();
    assertThat(weighted.defaultVersion("a")).isEmpty();
  }

  @Test
  void duplicatesAreErrorsNamingBothSources() {
    assertThatThrownBy(() -> PromptRegistry.builder().add(A1).add(PromptTemplate.user("a", "v1", "other")).build())
        .isInstanceOf(PromptException.class)
        .hasMessage("prompt a@v1 is defined twice: by add(a@v1) and by add(a@v1)");
    assertThatThrownBy(() -> PromptRegistry.builder().index("prompts/index.properties")
        .resource("greeting", "v1", "prompts/greeting.mustache").build())
        .hasMessage("prompt greeting@v1 is defined twice: by index prompts/index.properties and by resource prompts/greeting.mustache");
    assertThatThrownBy(() -> PromptRegistry.builder().index("prompts/bad/duplicate-key.properties").build())
        .hasMessage("prompt index prompts/bad/duplicate-key.properties: 'twice/v1' is given twice");
    assertThatThrownBy(() -> PromptRegistry.builder().index("prompts/index.properties").defaultVersion("support-reply", "v2").build())
        .hasMessage("the default version of prompt 'support-reply' is set twice: by index prompts/index.properties "
            + "and by defaultVersion(support-reply, v2)");
    assertThatThrownBy(() -> PromptRegistry.builder().add(A1).weights("a", Map.of("v1", 1)).weights("a", Map.of("v1", 2)).build())
        .hasMessageContaining("the weights of prompt 'a' are set twice");
  }

  @Test
  void missingResourcesAreNamed() {
    assertThatThrownBy(() -> PromptRegistry.builder().index("prompts/nope.properties").build())
        .isInstanceOf(PromptException.class)
        .hasMessage("prompt index: resource 'prompts/nope.properties' not found on the classpath");
    assertThatThrownBy(() -> PromptRegistry.builder().index("prompts/bad/missing-file.properties").build())
        .hasMessage("prompt ghost@v1: resource 'prompts/bad/ghost.mustache' not found on the classpath");
    assertThatThrownBy(() -> PromptRegistry.builder().resource("x", "v1", "/prompts/none.mustache").build())
        .hasMessage("prompt x@v1: resource 'prompts/none.mustache' not found on the classpath");
  }

  @Test
  void defaultsAndWeightsMustNameKnownVersions() {
    assertThatThrownBy(() -> PromptRegistry.builder().index("prompts/bad/unknown-default.properties").build())
        .isInstanceOf(PromptException.class)
        .hasMessage("prompt 'support-reply': the default version 'v3' (set by index prompts/bad/unknown-default.properties) "
            + "is not among its versions [v1, v2]");
    assertThatThrownBy(() -> PromptRegistry.builder().index("prompts/bad/unknown-weight.properties").build())
        .hasMessage("prompt 'support-reply': the weights (set by index prompts/bad/unknown-weight.properties) name version 'v9', "
            + "which is not among its versions [v1, v2]");
    assertThatThrownBy(() -> PromptRegistry.builder().index("prompts/bad/zero-weight.properties").build())
        .hasMessage("prompt index prompts/bad/zero-weight.properties, entry 'support-reply.weights': "
            + "the weight of v1 must be a positive whole number, was 0");
    assertThatThrownBy(() -> PromptRegistry.builder().add(A1).weights("a", Map.of("v1", -1)))
        .isInstanceOf(PromptException.class).hasMessageContaining("the weight of v1 must be a positive whole number, was -1");
    assertThatThrownBy(() -> PromptRegistry.builder().add(A1).defaultVersion("zzz", "v1").build())
        .hasMessage("prompt 'zzz' has no versions, but a default version is set for it by defaultVersion(zzz, v1)");
    assertThatThrownBy(() -> PromptRegistry.builder().weights("zzz", Map.of("v1", 1)).build())
        .hasMessageContaining("prompt 'zzz' has no versions, but weights are set for it");
  }

  @Test
  void malformedIndexesAreNamedByEntry() {
    assertThatThrownBy(() -> PromptRegistry.builder().index("prompts/bad/unknown-key.properties").build())
        .isInstanceOf(PromptException.class)
        .hasMessageStartingWith("prompt index prompts/bad/unknown-key.properties, entry 'support-reply.fallback': unknown key");
    assertThatThrownBy(() -> PromptRegistry.builder().index("prompts/bad/broken-template.properties").build())
        .hasMessageStartingWith("prompt broken@v1: the template does not compile: ")
        .hasMessageEndingWith("(resource prompts/bad/broken.mustache)");
  }

  @Test
  void builderArgumentsAreCheckedAtOnce() {
    PromptRegistry.Builder b = PromptRegistry.builder();
    assertThatThrownBy(() -> b.resource("a b", "v1", "x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt name");
    assertThatThrownBy(() -> b.resource("a", "v/1", "x")).hasMessageContaining("prompt version");
    assertThatThrownBy(() -> b.resource("a", "v1", " ")).hasMessageContaining("path must not be blank");
    assertThatThrownBy(() -> b.defaultVersion("a", "")).hasMessageContaining("prompt version");
    assertThatThrownBy(() -> b.weights("a", Map.of())).hasMessageContaining("needs at least one version:weight");
    assertThatThrownBy(() -> b.add(null)).isInstanceOf(NullPointerException.class);
  }
}
