package dev.aigw.core.prompt.internal;

import dev.aigw.api.PromptRef;
import dev.aigw.core.prompt.PromptException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The names a template uses at one level: plain variables, and sections with the scope of their
 * items (a section iterates over a list of maps, and inside it names refer to the item's keys).
 * Immutable; built by {@link ScopeReader}, merged over the messages of a template, and used to
 * check and bind the values of a rendering before anything is rendered.
 */
public final class Scope {
  /** A scope that uses no names. */
  public static final Scope EMPTY = new Scope(Map.of());

  /** Name to item scope, in the order of first use; {@code null} marks a plain variable. */
  private final Map<String, @Nullable Scope> names;

  private Scope(Map<String, @Nullable Scope> names) {
    this.names = Collections.unmodifiableMap(new LinkedHashMap<>(names));
  }

  /** The names used at this level (variables and sections), in the order of first use. */
  public Set<String> names() {
    return names.keySet();
  }

  /** The scope of the items of section {@code name}, or {@code null} when {@code name} is not a section here. */
  public @Nullable Scope section(String name) {
    return names.get(name);
  }

  /**
   * This scope and {@code other} together.
   *
   * @throws PromptException when a name is a variable in one and a section in the other
   */
  public Scope merge(Scope other, PromptRef ref) {
    Builder b = new Builder(ref, "");
    b.addAll(this);
    b.addAll(other);
    return b.build();
  }

  /**
   * Checks {@code values} against this scope and returns the values the template uses, copied
   * (lists and item maps included) so the rendering does not see later changes.
   *
   * @param lenient whether names the template does not use are allowed
   * @throws PromptException naming the first missing, null, mistyped or (unless lenient) unused
   *     variable; never its value
   */
  public Map<String, Object> bind(Map<?, ?> values, boolean lenient, PromptRef ref) {
    return bind(values, lenient, ref, "");
  }

  private Map<String, Object> bind(Map<?, ?> values, boolean lenient, PromptRef ref, String prefix) {
    @Nullable String at = prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1);
    Set<String> unused = new TreeSet<>();
    for (Object key : values.keySet()) {
      if (!(key instanceof String s)) {
        throw fail(ref, at, "variable names must be Strings, " + (at == null ? "got a " : at + " has a ")
            + (key == null ? "null" : key.getClass().getName()) + " key");
      }
      if (!names.containsKey(s)) {
        unused.add(s);
      }
    }
    Map<String, Object> bound = new HashMap<>();
    for (Map.Entry<String, @Nullable Scope> e : names.entrySet()) {
      String name = e.getKey();
      String path = prefix + name;
      Object value = values.get(name);
      if (value == null) {
        if (values.containsKey(name)) {
          throw fail(ref, path, "variable '" + path + "' is null");
        }
        throw fail(ref, path, "missing variable '" + path + "'"
            + (unused.isEmpty() ? "" : " (given but not used by the template: " + unused + ")"));
      }
      Scope items = e.getValue();
      bound.put(name, items == null ? plain(value, path, ref) : list(value, items, lenient, ref, path));
    }
    if (!lenient && !unused.isEmpty()) {
      String path = prefix + unused.iterator().next();
      throw fail(ref, path, "unknown variable '" + path + "': the template uses only " + names.keySet()
          + (at == null ? "" : " in " + at)
          + " (a lenient template ignores unused variables)");
    }
    return bound;
  }

  private static Object plain(Object value, String path, PromptRef ref) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    throw fail(ref, path, "variable '" + path + "' must be a String, Number or Boolean, was " + value.getClass().getName()
        + (value instanceof List<?> ? " (only sections, {{#" + path + "}}…{{/" + path + "}}, take lists)" : ""));
  }

  private static List<Map<String, Object>> list(Object value, Scope items, boolean lenient, PromptRef ref, String path) {
    if (!(value instanceof List<?> list)) {
      throw fail(ref, path, "variable '" + path + "' is a section and must be a List of Maps, was "
          + value.getClass().getName() + " (for a condition pass an empty or a one-item list)");
    }
    List<Map<String, Object>> bound = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      String itemPath = path + "[" + i + "]";
      if (!(item instanceof Map<?, ?> map)) {
        throw fail(ref, itemPath, "'" + itemPath + "' must be a Map, was " + (item == null ? "null" : item.getClass().getName()));
      }
      bound.add(items.bind(map, lenient, ref, itemPath + "."));
    }
    return Collections.unmodifiableList(bound);
  }

  private static PromptException fail(PromptRef ref, @Nullable String variable, String detail) {
    return new PromptException("prompt " + ref + ": " + detail, ref, variable, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scope s && names.equals(s.names);
  }

  @Override
  public int hashCode() {
    return names.hashCode();
  }

  /** Names and sections, as {@code [a, examples[question, answer]]}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    names.forEach((name, items) -> parts.add(items == null ? name : name + items));
    return parts.toString();
  }

  /** Collects the names of one level, rejecting a name used both as a variable and as a section. */
  public static final class Builder {
    private final PromptRef ref;
    private final String where;
    private final Map<String, @Nullable Scope> names = new LinkedHashMap<>();
    private final Set<String> sections = new LinkedHashSet<>();

    /**
     * @param ref the template, for messages
     * @param where where the names are, for messages: {@code ""} or {@code " in message 2 (USER)"}
     */
    public Builder(PromptRef ref, String where) {
      this.ref = ref;
      this.where = where;
    }

    /** Adds a plain variable. */
    public Builder variable(String name) {
      if (sections.contains(name)) {
        throw conflict(name);
      }
      names.putIfAbsent(name, null);
      return this;
    }

    /** Adds a section whose items use {@code items}, merging with earlier uses of the section. */
    public Builder section(String name, Scope items) {
      if (names.containsKey(name) && !sections.contains(name)) {
        throw conflict(name);
      }
      Scope before = names.get(name);
      names.put(name, before == null ? items : before.merge(items, ref));
      sections.add(name);
      return this;
    }

    private void addAll(Scope scope) {
      scope.names.forEach((name, items) -> {
        if (items == null) {
          variable(name);
        } else {
          section(name, items);
        }
      });
    }

    private PromptException conflict(String name) {
      return fail(ref, name, "'" + name + "' is used both as a variable and as a section" + where);
    }

    /** The scope. */
    public Scope build() {
      return names.isEmpty() ? EMPTY : new Scope(names);
    }
  }
}
