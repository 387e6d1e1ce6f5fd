package dev.aigw.core.prompt;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.aigw.api.Message;
import dev.aigw.api.PromptRef;
import dev.aigw.api.Role;
import dev.aigw.core.prompt.internal.MessageListFormat;
import dev.aigw.core.prompt.internal.Names;
import dev.aigw.core.prompt.internal.Scope;
import dev.aigw.core.prompt.internal.ScopeReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A named, versioned prompt: the Mustache templates of one or more messages (a system prompt, a
 * user message, or a whole message list) rendered with named variables into a {@link
 * RenderedPrompt}, which becomes a request in one line. Immutable and thread-safe; the templates
 * are compiled, and their variables collected, when the template is created.
 *
 * <pre>{@code
 * PromptTemplate reply = PromptTemplate.messages("support-reply", "v2", List.of(
 *     MessageTemplate.system("You answer customers of {{product}}. Be brief."),
 *     MessageTemplate.user("{{question}}")));
 *
 * ChatRequest request = reply.render(Map.of("product", "Acme", "question", question)).toRequest("chat");
 * }</pre>
 *
 * <p>A system prompt is often rendered on its own and put before the caller's messages:
 *
 * <pre>{@code
 * PromptTemplate persona = PromptTemplate.system("persona", "v1", "You are {{name}}, a helpful agent.");
 * ChatRequest request = persona.render(Map.of("name", "Ada"))
 *     .toBuilder("chat")          // the system message and the PromptRef, nothing else yet
 *     .user(question)             // the caller's own messages follow
 *     .temperature(0.2)
 *     .build();
 * // or, for a request built elsewhere: persona.render(vars).prependTo(request)
 * }</pre>
 *
 * <h2>Syntax</h2>
 *
 * <p>Logic-less <a href="https://mustache.github.io/mustache.5.html">Mustache</a> (with <a
 * href="https://github.com/samskivert/jmustache">jmustache</a>), without HTML escaping: {@code
 * {{name}}} inserts a value; {@code {{#examples}}…{{/examples}}} repeats its content for each
 * item of a list of maps, inside which names are the item's keys and {@code {{-index}}} numbers
 * the items from 1 ({@code {{#-first}}}, {@code {{^-last}}} work too); {@code
 * {{^examples}}…{{/examples}}} renders when the list is empty; {@code {{! comment }}} is dropped.
 * A section tag alone on its line takes the line with it. Partials ({@code {{> name}}}), template
 * inheritance, {@code {{.}}} and dotted names are rejected when the template is created.
 *
 * <h2>Values</h2>
 *
 * <p>A variable's value is a {@code String}, {@code Number} or {@code Boolean} (inserted as
 * {@link String#valueOf}); a section's value is a {@code List} of {@code Map<String, ?>}, each
 * map holding the section's names. Values are data: a value holding {@code {{x}}} is inserted as
 * those characters, never parsed as a template.
 *
 * <h2>Strictness</h2>
 *
 * <p>Rendering throws a {@link PromptException} for a missing or null variable, a value of
 * another type, and — unless the template is {@linkplain #lenient() lenient} — a variable the
 * template does not use, which is likely a typo (in section items too). Every variable the
 * template uses is required, including those inside an inverted section. The message names the
 * template and the variable, never a value.
 */
public final class PromptTemplate {
  private static final Mustache.Compiler COMPILER = Mustache.compiler().escapeHTML(false);

  private final PromptRef ref;
  private final List<MessageTemplate> messages;
  private final List<Template> compiled;
  private final Scope scope;
  private final boolean lenient;

  private PromptTemplate(PromptRef ref, List<MessageTemplate> messages, List<Template> compiled, Scope scope, boolean lenient) {
    this.ref = ref;
    this.messages = messages;
    this.compiled = compiled;
    this.scope = scope;
    this.lenient = lenient;
  }

  private static PromptTemplate compile(String name, String version, List<MessageTemplate> messages) {
    PromptRef ref = new PromptRef(Names.check(name, "prompt name"), Names.check(version, "prompt version"));
    List<MessageTemplate> copy = List.copyOf(Objects.requireNonNull(messages, "messages"));
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("prompt " + ref + " needs at least one message");
    }
    List<Template> compiled = new ArrayList<>(copy.size());
    Scope scope = Scope.EMPTY;
    for (int i = 0; i < copy.size(); i++) {
      String where = copy.size() == 1 ? "" : " in message " + (i + 1) + " (" + copy.get(i).role() + ")";
      Template template;
      try {
        template = COMPILER.compile(copy.get(i).text());
      } catch (MustacheException | IndexOutOfBoundsException e) {
        // jmustache (1.16) also fails with a StringIndexOutOfBoundsException on some malformed
        // tags, such as {{}} or a delimiter change without delimiters ({{=}})
        throw new PromptException("prompt " + ref + ": the template" + where + " does not compile: "
            + (e instanceof MustacheException ? e.getMessage() : "a malformed tag"), ref, null, e);
      }
      compiled.add(template);
      scope = scope.merge(ScopeReader.read(template, ref, where), ref);
    }
    return new PromptTemplate(ref, copy, List.copyOf(compiled), scope, false);
  }

  /**
   * {@return a system prompt template}
   *
   * @param name the template's name
   * @param version its version
   * @param text the template's text
   * @throws IllegalArgumentException when the name or version is not letters, digits, {@code '.'},
   *     {@code '_'} or {@code '-'} (starting with a letter or digit), or the text is blank
   * @throws PromptException when the text does not compile or uses something unsupported
   */
  public static PromptTemplate system(String name, String version, String text) {
    return compile(name, version, List.of(MessageTemplate.system(text)));
  }

  /**
   * {@return a user message template}
   *
   * @param name the template's name
   * @param version its version
   * @param text the template's text
   * @throws IllegalArgumentException as for {@link #system}
   * @throws PromptException as for {@link #system}
   */
  public static PromptTemplate user(String name, String version, String text) {
    return compile(name, version, List.of(MessageTemplate.user(text)));
  }

  /**
   * {@return a template of a message list, rendered in order} The variables of all messages form
   * one set: a name means the same value in every message.
   *
   * @param name the template's name
   * @param version its version
   * @param messages the message templates, in order
   * @throws IllegalArgumentException as for {@link #system}, or when {@code messages} is empty
   * @throws PromptException as for {@link #system}, or when a name is a variable in one message
   *     and a section in another
   */
  public static PromptTemplate messages(String name, String version, List<MessageTemplate> messages) {
    return compile(name, version, messages);
  }

  /**
   * {@return a template of a message list in its text form, as kept in resource files:}
   *
   * <pre>
   * &#64;system
   * You answer customers of {{product}}.
   * &#64;user
   * {{question}}
   * </pre>
   *
   * <ul>
   *   <li>A line holding only {@code @system}, {@code @user} or {@code @assistant} (surrounding
   *       spaces allowed) starts a message with that role; the message is the text up to the next
   *       marker, without its leading and trailing blank lines. Line ends become {@code \n}.
   *   <li>Text without any marker is a single user message.
   *   <li>Only blank lines may come before the first marker, and no message may be empty.
   *   <li>Any other line of the form {@code @word} is an error (a misspelt marker); for a line of
   *       text {@code @word}, write {@code @@word}.
   * </ul>
   *
   * @param name the template's name
   * @param version its version
   * @param text the template in its text form
   * @throws IllegalArgumentException as for {@link #system}
   * @throws PromptException when the text breaks these rules, a message does not compile, or a
   *     message uses something unsupported
   */
  public static PromptTemplate parse(String name, String version, String text) {
    Objects.requireNonNull(text, "text");
    PromptRef ref = new PromptRef(Names.check(name, "prompt name"), Names.check(version, "prompt version"));
    return compile(name, version, MessageListFormat.parse(text, ref));
  }

  /**
   * {@return a builder of a message-list template}
   *
   * @param name the template's name
   * @param version its version
   */
  public static Builder builder(String name, String version) {
    return new Builder(name, version);
  }

  /**
   * This template allowing variables it does not use (missing variables are still an error).
   *
   * @return a lenient copy of this template
   */
  public PromptTemplate lenient() {
    return lenient ? this : new PromptTemplate(ref, messages, compiled, scope, true);
  }

  /** {@return whether variables the template does not use are allowed} */
  public boolean isLenient() {
    return lenient;
  }

  /** {@return the template's name} */
  public String name() {
    return ref.name();
  }

  /** {@return the template's version} */
  public String version() {
    return ref.version();
  }

  /** {@return the name and version, as carried by rendered requests} */
  public PromptRef ref() {
    return ref;
  }

  /** {@return the message templates, in order} */
  public List<MessageTemplate> messages() {
    return messages;
  }

  /**
   * {@return the names of the variables and sections the template uses (outside sections), in the
   * order of first use: the keys {@link #render} needs}
   */
  public Set<String> variables() {
    return scope.names();
  }

  /**
   * Renders the messages with {@code variables}.
   *
   * @param variables the values, by variable name
   * @return the rendered messages
   * @throws PromptException when a variable is missing, null or of the wrong type, or (unless
   *     lenient) a given variable is not used by the template; the message never holds a value
   */
  public RenderedPrompt render(Map<String, ?> variables) {
    Map<String, Object> bound = scope.bind(Objects.requireNonNull(variables, "variables"), lenient, ref);
    List<Message> rendered = new ArrayList<>(compiled.size());
    for (int i = 0; i < compiled.size(); i++) {
      String text;
      try {
        text = compiled.get(i).execute(bound);
      } catch (MustacheException e) {
        // not expected: the values were checked against the template's names
        throw new PromptException("prompt " + ref + ": rendering failed: " + e.getMessage(), ref, null, e);
      }
      Role role = messages.get(i).role();
      rendered.add(switch (role) {
        case SYSTEM -> Message.system(text);
        case USER -> Message.user(text);
        case ASSISTANT -> Message.assistant(text);
        case TOOL -> throw new IllegalStateException("no TOOL message templates");
      });
    }
    return new RenderedPrompt(ref, rendered);
  }

  /**
   * Renders a template that uses no variables.
   *
   * @return the rendered messages
   * @throws PromptException when the template uses variables
   */
  public RenderedPrompt render() {
    return render(Map.of());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptTemplate t && ref.equals(t.ref) && messages.equals(t.messages) && lenient == t.lenient;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ref, messages, lenient);
  }

  /** The name, version, roles and variables. */
  @Override
  public String toString() {
    return "PromptTemplate[" + ref + ", " + messages.stream().map(MessageTemplate::role).toList() + ", variables=" + scope
        + (lenient ? ", lenient" : "") + "]";
  }

  /**
   * Builds a message-list template; each setter checks its argument at once, {@link #build()}
   * compiles.
   *
   * <pre>{@code
   * PromptTemplate classify = PromptTemplate.builder("classify", "v3")
   *     .system("Label each ticket as one of {{labels}}.")
   *     .user("{{#examples}}Ticket: {{ticket}}\nLabel: {{label}}\n\n{{/examples}}Ticket: {{ticket}}")
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final String name;
    private final String version;
    private final List<MessageTemplate> messages = new ArrayList<>();
    private boolean lenient;

    private Builder(String name, String version) {
      this.name = Names.check(name, "prompt name");
      this.version = Names.check(version, "prompt version");
    }

    /**
     * Appends a message template.
     *
     * @param message appends a message template
     * @return this builder
     */
    public Builder message(MessageTemplate message) {
      messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    /**
     * Appends a system message template.
     *
     * @param text the template's text
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder system(String text) {
      return message(MessageTemplate.system(text));
    }

    /**
     * Appends a user message template.
     *
     * @param text the template's text
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder user(String text) {
      return message(MessageTemplate.user(text));
    }

    /**
     * Appends an assistant message template.
     *
     * @param text the template's text
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder assistant(String text) {
      return message(MessageTemplate.assistant(text));
    }

    /**
     * Allows variables the template does not use; see {@link PromptTemplate#lenient()}.
     *
     * @return this builder
     */
    public Builder lenient() {
      this.lenient = true;
      return this;
    }

    /**
     * Compiles the template.
     *
     * @return the new {@code PromptTemplate}
     * @throws IllegalArgumentException when there is no message
     * @throws PromptException when a message does not compile or uses something unsupported
     */
    public PromptTemplate build() {
      PromptTemplate template = compile(name, version, messages);
      return lenient ? template.lenient() : template;
    }
  }
}
