package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An immutable map of typed attributes, keyed by {@link AttributeKey}. */
public final class Attributes {
  private static final Attributes EMPTY = new Attributes(Map.of());

  private final Map<AttributeKey<?>, Object> values;

  private Attributes(Map<AttributeKey<?>, Object> values) {
    this.values = values;
  }

  /**
   * No attributes.
   *
   * @return the empty attributes
   */
  public static Attributes empty() {
    return EMPTY;
  }

  /**
   * {@return the value for {@code key}, if present}
   *
   * @param <T> the type of the key's values
   * @param key the key
   */
  public <T> Optional<T> get(AttributeKey<T> key) {
    return Optional.ofNullable(key.type().cast(values.get(key)));
  }

  /**
   * {@return a copy with {@code key} set to {@code value}}
   *
   * @param <T> the type of the key's values
   * @param key the key
   * @param value its value
   */
  public <T> Attributes with(AttributeKey<T> key, T value) {
    Require.nonNull(key, "attribute.key");
    if (!key.type().isInstance(Require.nonNull(value, "attribute." + key.name()))) {
      throw new InvalidRequestException("attribute." + key.name(), "must be a " + key.type().getName());
    }
    Map<AttributeKey<?>, Object> copy = new LinkedHashMap<>(values);
    copy.put(key, value);
    return new Attributes(Collections.unmodifiableMap(copy));
  }

  /** {@return the keys present} */
  public Set<AttributeKey<?>> keys() {
    return values.keySet();
  }

  /** {@return whether there are no attributes} */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The key names only: values may be sensitive. */
  @Override
  public String toString() {
    return values.keySet().toString();
  }
}
