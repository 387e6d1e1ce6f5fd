package dev.aigw.core.prompt.internal;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.aigw.api.PromptRef;
import dev.aigw.core.prompt.PromptException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@link Scope} of a compiled jmustache template through its public {@link
 * Template#visit visitor}, without rendering.
 *
 * <p>The visitor reports tags in order and asks whether to enter each section, but does not say
 * where a section ends. So the scope is read level by level: a visit that enters exactly one
 * chain of sections (the path) reports the outer levels, which are already known, with the
 * innermost level inserted whole right after the section that opens it; the innermost level is
 * the slice of that length. One visit per section: cheap, and done once per template.
 *
 * <p>Inverted sections ({@code {{^items}}…{{/items}}}) and the positional sections {@code
 * -first} and {@code -last} are rendered in the context around them, so their content is read as
 * part of the level around them (they are always entered). The variable {@code -index} and the
 * sections {@code -first} and {@code -last} are only allowed inside a section. Partials, template
 * inheritance, {@code .}/{@code this} and dotted names are rejected.
 */
public final class ScopeReader {
  private static final Pattern NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_-]*");

  private enum Kind { VARIABLE, SECTION, INVERTED, PARTIAL, INHERITANCE }

  private record Tag(Kind kind, String name) {}

  private final Template template;
  private final PromptRef ref;
  private final String where;

  private ScopeReader(Template template, PromptRef ref, String where) {
    this.template = template;
    this.ref = ref;
    this.where = where;
  }

  /**
   * The names {@code template} uses.
   *
   * @param where where the template is, for messages, such as {@code " in message 2 (USER)"}
   * @throws PromptException when the template uses something unsupported
   */
  public static Scope read(Template template, PromptRef ref, String where) {
    return new ScopeReader(template, ref, where).level(new int[0], 0);
  }

  private static boolean positional(String name) {
    return name.equals("-first") || name.equals("-last");
  }

  /** The level reached by entering the sections at {@code path}; {@code outer} tags belong to the levels around it. */
  private Scope level(int[] path, int outer) {
    Recorder recorder = new Recorder(path);
    template.visit(recorder);
    List<Tag> tags = recorder.tags.subList(recorder.start, recorder.tags.size() - (outer - recorder.start));
    boolean inSection = path.length > 0;
    Scope.Builder scope = new Scope.Builder(ref, where);
    for (int i = 0; i < tags.size(); i++) {
      Tag tag = tags.get(i);
      switch (tag.kind()) {
        case VARIABLE -> {
          if (tag.name().equals("-index")) {
            requireSection(inSection, "{{-index}}");
          } else {
            scope.variable(checkName(tag.name()));
          }
        }
        case SECTION -> {
          if (positional(tag.name())) {
            requireSection(inSection, "{{#" + tag.name() + "}}");
          } else {
            int[] inner = Arrays.copyOf(path, path.length + 1);
            inner[path.length] = i;
            scope.section(checkName(tag.name()), level(inner, outer + tags.size()));
          }
        }
        case INVERTED -> {
          if (positional(tag.name())) {
            requireSection(inSection, "{{^" + tag.name() + "}}");
          } else {
            scope.section(checkName(tag.name()), Scope.EMPTY);
          }
        }
        case PARTIAL -> throw fail(tag.name(), "partials ({{> " + tag.name() + "}}) are not supported" + where
            + ": a template is one self-contained text, and values are never parsed as templates");
        case INHERITANCE -> throw fail(tag.name(), "template inheritance ({{< " + tag.name() + "}}, {{$"
            + tag.name() + "}}) is not supported" + where);
      }
    }
    return scope.build();
  }

  private void requireSection(boolean inSection, String tag) {
    if (!inSection) {
      throw fail(null, tag + " is only allowed inside a section" + where);
    }
  }

  private String checkName(String name) {
    if (name.equals(".") || name.equals("this")) {
      throw fail(name, "'{{" + name + "}}' is not supported" + where + ": sections iterate over maps, name their keys");
    }
    if (!NAME.matcher(name).matches()) {
      throw fail(name, "'" + name + "' is not a supported variable name" + where
          + ": use letters, digits, '_' and '-', starting with a letter or '_'"
          + (name.contains(".") ? " (dotted names are not supported: pass flat values)" : ""));
    }
    return name;
  }

  private PromptException fail(@Nullable String variable, String detail) {
    return new PromptException("prompt " + ref + ": " + detail, ref, variable, null);
  }

  /** Records tags, entering the sections of {@code path} (and every inverted and positional section) only. */
  private static final class Recorder implements Mustache.Visitor {
    private final int[] path;
    private final List<Tag> tags = new ArrayList<>();
    private int depth;
    private int index;
    /** Where the innermost level starts, once entered. */
    private int start;
    private boolean entered;

    Recorder(int[] path) {
      this.path = path;
      this.entered = path.length == 0;
    }

    /** Records a tag and returns whether it is the next section of the path. */
    private boolean add(Kind kind, String name) {
      tags.add(new Tag(kind, name));
      if (entered) {
        return false;
      }
      boolean next = kind == Kind.SECTION && !positional(name) && index == path[depth];
      index++;
      if (next) {
        depth++;
        index = 0;
        if (depth == path.length) {
          entered = true;
          start = tags.size();
        }
      }
      return next;
    }

    @Override
    public void visitText(String text) {}

    @Override
    public void visitVariable(String name) {
      add(Kind.VARIABLE, name);
    }

    @Override
    public boolean visitSection(String name) {
      return add(Kind.SECTION, name) || positional(name);
    }

    @Override
    public boolean visitInvertedSection(String name) {
      add(Kind.INVERTED, name);
      return true;
    }

    @Override
    public boolean visitInclude(String name) {
      add(Kind.PARTIAL, name);
      return false;
    }

    @Override
    public boolean visitParent(String name) {
      add(Kind.INHERITANCE, name);
      return false;
    }

    @Override
    public boolean visitBlock(String name) {
      add(Kind.INHERITANCE, name);
      return false;
    }
  }
}
