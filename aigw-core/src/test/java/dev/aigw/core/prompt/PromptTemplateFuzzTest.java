package dev.aigw.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.samskivert.mustache.Mustache;
import dev.aigw.api.Message;
import dev.aigw.core.prompt.internal.Scope;
import dev.aigw.core.prompt.internal.ScopeReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link PromptTemplate#parse} (the message-list format and the Mustache compiler behind
 * it) and {@link PromptTemplate#render} with arbitrary template text and variable values.
 * Contract: {@link PromptException} is the only documented failure (the name and version here are
 * valid), so nothing else may escape either step; and a template rendered with values of the types
 * its own variables call for must render.
 *
 * <p>An input is the template text (UTF-8), optionally followed by a NUL byte and a script that
 * perturbs the values: its first byte's bit 0 makes the template lenient and bit 1 adds a variable
 * the template does not use; then one byte per variable, depth first, picks its value: 0 the type
 * the template calls for (a String holding Mustache tags, which must be inserted as data, or for a
 * section {@code (n + 1) % 4} items, n read from the next byte), 1 another String (a length byte and UTF-8
 * bytes), 2 an Integer, 3 a Boolean, 4 null, 5 a value of an unsupported type, 6 left out, 7 a
 * list holding a null and a String. A missing byte reads as 0, so a plain template is a valid seed.
 */
class PromptTemplateFuzzTest {
  private static final Mustache.Compiler COMPILER = Mustache.compiler().escapeHTML(false);

  @FuzzTest
  @DictionaryEntries({"{{", "}}", "{{#", "{{/", "{{^", "{{!", "{{>", "{{<", "{{$", "{{{", "}}}", "{{&", "{{=<% %>=}}",
      "{{-index}}", "{{#-first}}", "{{^-last}}", "{{.}}", "a.b", "@system", "@user", "@assistant", "@@", "\u0000"})
  void parseAndRender(byte[] input) {
    int nul = indexOf(input, (byte) 0);
    String text = new String(input, 0, nul < 0 ? input.length : nul, StandardCharsets.UTF_8);
    Script script = new Script(nul < 0 ? new byte[0] : Arrays.copyOfRange(input, nul + 1, input.length));

    PromptTemplate template;
    try {
      template = PromptTemplate.parse("fuzz", "v1", text);
    } catch (PromptException documented) {
      return;
    }
    Scope scope = Scope.EMPTY;
    for (MessageTemplate message : template.messages()) {
      scope = scope.merge(ScopeReader.read(COMPILER.compile(message.text()), template.ref(), ""), template.ref());
    }
    assertThat(template.variables()).containsExactlyElementsOf(scope.names());

    int flags = script.next();
    boolean lenient = (flags & 1) != 0;
    boolean[] wellTyped = {lenient || (flags & 2) == 0};
    Map<String, Object> values = values(scope, script, wellTyped);
    if ((flags & 2) != 0) {
      values.put("zz_unused_by_the_template", "x");
    }
    PromptTemplate rendering = lenient ? template.lenient() : template;
    RenderedPrompt rendered;
    try {
      rendered = rendering.render(values);
    } catch (PromptException documented) {
      assertThat(wellTyped[0]).as("a well-typed rendering failed: %s", documented.getMessage()).isFalse();
      return;
    }
    List<Message> messages = rendered.messages();
    assertThat(messages).hasSameSizeAs(template.messages());
    for (int i = 0; i < messages.size(); i++) {
      assertThat(messages.get(i).role()).isEqualTo(template.messages().get(i).role());
    }
  }

  /** Values for the names of {@code scope}, as the script says; clears {@code wellTyped[0]} when one is off. */
  private static Map<String, Object> values(Scope scope, Script script, boolean[] wellTyped) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String name : scope.names()) {
      Scope items = scope.section(name);
      int kind = script.next() % 8;
      wellTyped[0] &= kind == 0 || kind == 1 && items == null || kind == 2 && items == null || kind == 3 && items == null;
      switch (kind) {
        case 0 -> values.put(name, items == null ? "{{" + name + "}} {{#x}}{{/x}}" : items(items, script, wellTyped));
        case 1 -> values.put(name, script.string());
        case 2 -> values.put(name, script.next() - 100);
        case 3 -> values.put(name, (script.next() & 1) == 0);
        case 4 -> values.put(name, null);
        case 5 -> values.put(name, new StringBuilder("not a supported type"));
        case 6 -> { }
        default -> values.put(name, Arrays.asList(null, "not a map"));
      }
    }
    return values;
  }

  private static List<Map<String, Object>> items(Scope items, Script script, boolean[] wellTyped) {
    int count = (script.next() + 1) % 4;
    List<Map<String, Object>> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(values(items, script, wellTyped));
    }
    return list;
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Reads the script's bytes in order; past its end every byte reads as 0. */
  private static final class Script {
    private final byte[] bytes;
    private int position;

    Script(byte[] bytes) {
      this.bytes = bytes;
    }

    int next() {
      return position < bytes.length ? bytes[position++] & 0xff : 0;
    }

    String string() {
      int length = Math.min(next(), bytes.length - position);
      String s = new String(bytes, position, length, StandardCharsets.UTF_8);
      position += length;
      return s;
    }
  }
}
