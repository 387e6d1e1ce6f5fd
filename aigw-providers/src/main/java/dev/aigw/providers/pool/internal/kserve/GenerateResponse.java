package dev.aigw.providers.pool.internal.kserve;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The answer of Triton's generate extension (one {@code /generate} body, or one {@code
 * /generate_stream} event): the model, and each output tensor as a top-level field ({@code
 * text_output}, and what else the model returns, such as vLLM's {@code finish_reason}). Immutable.
 *
 * @param modelName the model that answered
 * @param modelVersion its version, or null
 * @param outputs the other fields, as JSON values (strings, numbers, booleans, lists)
 */
public record GenerateResponse(String modelName, @Nullable String modelVersion, Map<String, Object> outputs) {
  /** The output that carries generated text. */
  public static final String TEXT_OUTPUT = "text_output";

  public GenerateResponse {
    Objects.requireNonNull(modelName, "modelName");
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /** The text of output {@code name}: a string as is, a list of strings joined; empty when absent. */
  public String text(String name) {
    Object value = outputs.get(name);
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).collect(Collectors.joining());
    }
    return value == null ? "" : value.toString();
  }

  /** The generated text ({@value #TEXT_OUTPUT}). */
  public String textOutput() {
    return text(TEXT_OUTPUT);
  }

  /** A whole-number output (a token count) or null; a one-element list counts as its element. */
  public @Nullable Long number(String name) {
    Object value = outputs.get(name);
    if (value instanceof List<?> list && list.size() == 1) {
      value = list.get(0);
    }
    return value instanceof Number n ? n.longValue() : null;
  }

  /** Model and output names; never the generated text. */
  @Override
  public String toString() {
    return "GenerateResponse[" + modelName + (modelVersion == null ? "" : "/" + modelVersion) + " " + outputs.keySet() + "]";
  }
}
