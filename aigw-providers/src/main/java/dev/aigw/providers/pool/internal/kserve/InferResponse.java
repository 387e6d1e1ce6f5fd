package dev.aigw.providers.pool.internal.kserve;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A v2 inference response (or one of the responses of a streamed request). Immutable.
 *
 * @param modelName the model that answered
 * @param modelVersion its version, or null when the server did not say
 * @param id the request's id, or null
 * @param outputs the output tensors
 * @param parameters response parameters (Triton marks the last response of a streamed request
 *     with {@code triton_final_response = true})
 */
public record InferResponse(
    String modelName, @Nullable String modelVersion, @Nullable String id, List<InferTensor> outputs,
    Map<String, Object> parameters) {

  /** Triton's response parameter marking the last response of a request on a stream. */
  public static final String FINAL_RESPONSE = "triton_final_response";

  /** @throws IllegalArgumentException when a parameter value is not a boolean, integer, number or string */
  public InferResponse {
    Objects.requireNonNull(modelName, "modelName");
    outputs = List.copyOf(outputs);
    parameters = Values.parameters(parameters);
  }

  /** The output named {@code name}. */
  public Optional<InferTensor> output(String name) {
    for (InferTensor output : outputs) {
      if (output.name().equals(name)) {
        return Optional.of(output);
      }
    }
    return Optional.empty();
  }

  /** Whether Triton marked this as the last response of its request ({@value #FINAL_RESPONSE}). */
  public boolean isFinal() {
    return Boolean.TRUE.equals(parameters.get(FINAL_RESPONSE));
  }
}
