package dev.aigw.core.cache.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Parses JSON text with Jackson into a canonical tree: objects as {@link TreeMap}s (keys sorted;
 * a repeated key keeps its last value, as most parsers do), arrays as lists, numbers as {@link
 * BigDecimal} with trailing zeros stripped, strings, booleans and {@link #NULL}. Two texts that
 * differ only in whitespace, key order, string escapes or the spelling of numbers give equal
 * trees. Thread-safe.
 */
public final class CanonicalJson {
  /** JSON {@code null} in a canonical tree. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private CanonicalJson() {}

  /**
   * The canonical tree of {@code text}, or empty when it is not one complete, valid JSON value
   * (or exceeds Jackson's default limits on nesting, number and string length).
   */
  public static Optional<Object> parse(String text) {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return Optional.empty();
      }
      Object value = read(parser, first);
      if (parser.nextToken() != null) {
        return Optional.empty();
      }
      return Optional.of(value);
    } catch (IOException | RuntimeException e) {
      // Not JSON (a model may write invalid arguments) or beyond Jackson's limits: the caller
      // hashes the text as it is.
      return Optional.empty();
    }
  }

  private static Object read(JsonParser parser, @Nullable JsonToken token) throws IOException {
    if (token == null) {
      throw new IOException("unexpected end of input");
    }
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> object = new TreeMap<>();
        JsonToken t;
        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          object.put(name, read(parser, parser.nextToken()));
        }
        if (t != JsonToken.END_OBJECT) {
          throw new IOException("unexpected " + t);
        }
        return object;
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            throw new IOException("unterminated array");
          }
          array.add(read(parser, t));
        }
        return array;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        BigDecimal d = parser.getDecimalValue();
        return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return NULL;
      }
      default -> throw new IOException("unexpected " + token);
    }
  }
}
