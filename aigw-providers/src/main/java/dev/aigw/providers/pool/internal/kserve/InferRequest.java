package dev.aigw.providers.pool.internal.kserve;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A v2 inference request: the input tensors, the outputs wanted and the request parameters. The
 * model is named by the call, not here. Immutable.
 *
 * @param id an id the server echoes in its response, or null
 * @param inputs the input tensors
 * @param outputs the outputs to return; empty asks for all of them
 * @param parameters request parameters ({@code Boolean}, {@code Long}, {@code Double} or {@code
 *     String} values)
 */
public record InferRequest(
    @Nullable String id, List<InferTensor> inputs, List<Output> outputs, Map<String, Object> parameters) {

  /**
   * One requested output.
   *
   * @param name the output tensor's name
   * @param parameters output parameters (for example Triton's {@code binary_data})
   */
  public record Output(String name, Map<String, Object> parameters) {
    /** @throws IllegalArgumentException when a parameter value is not a boolean, integer, number or string */
    public Output {
      Objects.requireNonNull(name, "name");
      parameters = Values.parameters(parameters);
    }

    /** The output named {@code name}, without parameters. */
    public static Output of(String name) {
      return new Output(name, Map.of());
    }
  }

  /** @throws IllegalArgumentException when a parameter value is not a boolean, integer, number or string */
  public InferRequest {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    parameters = Values.parameters(parameters);
  }

  /** A request with {@code inputs}, asking for every output, without id or parameters. */
  public static InferRequest of(List<InferTensor> inputs) {
    return new InferRequest(null, inputs, List.of(), Map.of());
  }

  /** Same as {@link #of(List)}. */
  public static InferRequest of(InferTensor... inputs) {
    return of(Arrays.asList(inputs));
  }

  /** This request asking for the outputs named {@code names} only. */
  public InferRequest withOutputs(String... names) {
    return new InferRequest(id, inputs, Arrays.stream(names).map(Output::of).toList(), parameters);
  }

  /** This request with {@code parameters}. */
  public InferRequest withParameters(Map<String, ?> parameters) {
    return new InferRequest(id, inputs, outputs, Values.parameters(parameters));
  }

  /** This request with {@code id}. */
  public InferRequest withId(String id) {
    return new InferRequest(Objects.requireNonNull(id, "id"), inputs, outputs, parameters);
  }
}
