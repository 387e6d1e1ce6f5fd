package dev.aigw.api;

import dev.aigw.api.internal.JsonSyntax;
import dev.aigw.api.internal.Require;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The shape the model's answer must take: free text, any JSON object, or JSON matching a schema. */
public final class ResponseFormat {
  /** The kinds of format. */
  public enum Type {
    /** Free text (the default). */
    TEXT,
    /** Any JSON object. */
    JSON_OBJECT,
    /** JSON matching {@link #schema()}. */
    JSON_SCHEMA
  }

  private static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, false);
  private static final ResponseFormat JSON_OBJECT = new ResponseFormat(Type.JSON_OBJECT, null, null, false);

  private final Type type;
  private final @Nullable String name;
  private final @Nullable String schema;
  private final boolean strict;

  private ResponseFormat(Type type, @Nullable String name, @Nullable String schema, boolean strict) {
    this.type = type;
    this.name = name;
    this.schema = schema;
    this.strict = strict;
  }

  /** {@return free text} */
  public static ResponseFormat text() {
    return TEXT;
  }

  /** {@return any JSON object} */
  public static ResponseFormat jsonObject() {
    return JSON_OBJECT;
  }

  /**
   * {@return JSON matching a schema}
   *
   * @param name a name for the schema (1-64 of {@code a-z A-Z 0-9 _ -}), which some providers require
   * @param schema the JSON Schema as JSON text
   * @param strict whether the provider must follow the schema exactly (OpenAI's {@code strict})
   * @throws InvalidRequestException when the name is invalid or the schema is not a JSON object
   */
  public static ResponseFormat jsonSchema(String name, String schema, boolean strict) {
    Require.nonNull(name, "responseFormat.name");
    if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw new InvalidRequestException("responseFormat.name", "must be 1-64 characters of a-z, A-Z, 0-9, _ or -, was '" + name + "'");
    }
    JsonSyntax.requireObject(Require.nonNull(schema, "responseFormat.schema"), "responseFormat.schema");
    return new ResponseFormat(Type.JSON_SCHEMA, name, schema, strict);
  }

  /** {@return the kind of format} */
  public Type type() {
    return type;
  }

  /** {@return the schema's name, for {@link Type#JSON_SCHEMA}} */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** {@return the JSON Schema as JSON text, for {@link Type#JSON_SCHEMA}} */
  public Optional<String> schema() {
    return Optional.ofNullable(schema);
  }

  /** {@return whether the schema must be followed exactly} */
  public boolean strict() {
    return strict;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResponseFormat other
        && type == other.type
        && strict == other.strict
        && Objects.equals(name, other.name)
        && Objects.equals(schema, other.schema);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, schema, strict);
  }

  @Override
  public String toString() {
    return name == null ? type.name().toLowerCase(java.util.Locale.ROOT) : "json_schema(" + name + ")";
  }
}
