package dev.aigw.api;

import dev.aigw.api.internal.Require;

/**
 * The key of a typed attribute in a {@link CallContext} or {@link ResponseMetadata}. Keys are
 * compared by identity, so two libraries that both pick the name {@code "region"} never collide:
 * keep a key in a {@code static final} field and share the field.
 *
 * @param <T> the type of the value
 */
public final class AttributeKey<T> {
  private final String name;
  private final Class<T> type;

  private AttributeKey(String name, Class<T> type) {
    this.name = name;
    this.type = type;
  }

  /**
   * {@return a new key} {@code name} is for diagnostics only.
   *
   * @param <T> the type of the key's values
   * @param name a name for diagnostics
   * @param type the class of the key's values
   */
  public static <T> AttributeKey<T> of(String name, Class<T> type) {
    if (Require.nonNull(type, "attributeKey.type").isPrimitive()) {
      throw new InvalidRequestException("attributeKey.type", "must be a reference type (use Integer, not int), was " + type);
    }
    return new AttributeKey<>(Require.nonBlank(name, "attributeKey.name"), type);
  }

  /** {@return the name given at creation} */
  public String name() {
    return name;
  }

  /** {@return the type of the values} */
  public Class<T> type() {
    return type;
  }

  @Override
  public String toString() {
    return name;
  }
}
