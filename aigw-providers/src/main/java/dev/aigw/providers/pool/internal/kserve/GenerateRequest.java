package dev.aigw.providers.pool.internal.kserve;

import java.util.Map;
import java.util.Objects;

/**
 * A request to Triton's generate extension: {@code {"text_input": ..., <fields>, "parameters":
 * {...}}}. Triton passes each extra top-level field to the model as the input tensor of that name
 * when the model has one, else as a request parameter; {@code parameters} are request parameters
 * (model-specific). Values are strings, numbers, booleans, or lists of them for tensors. Immutable.
 *
 * @param textInput the prompt
 * @param fields extra top-level fields
 * @param parameters the {@code parameters} object; omitted when empty
 */
public record GenerateRequest(String textInput, Map<String, Object> fields, Map<String, Object> parameters) {
  /** The field that carries the prompt. */
  public static final String TEXT_INPUT = "text_input";

  public GenerateRequest {
    Objects.requireNonNull(textInput, "textInput");
    fields = Map.copyOf(fields);
    parameters = Map.copyOf(parameters);
    if (fields.containsKey(TEXT_INPUT) || fields.containsKey("parameters")) {
      throw new IllegalArgumentException("fields must not hold 'text_input' or 'parameters'");
    }
  }

  /** A request with {@code parameters} only. */
  public static GenerateRequest of(String textInput, Map<String, Object> parameters) {
    return new GenerateRequest(textInput, Map.of(), parameters);
  }
}
