package dev.aigw.providers.pool.internal.kserve;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a server says about one model ({@code GET /v2/models/{model}}, gRPC {@code
 * ModelMetadata}). Immutable.
 *
 * @param name the model's name
 * @param versions the versions the server has
 * @param platform the framework or backend ({@code "onnxruntime_onnx"}, {@code "ensemble"}, ...);
 *     empty when the server did not say
 * @param inputs the model's inputs
 * @param outputs the model's outputs
 */
public record ModelMetadata(
    String name, List<String> versions, String platform, List<TensorMetadata> inputs, List<TensorMetadata> outputs) {

  /**
   * One input or output of a model.
   *
   * @param name the tensor's name
   * @param datatype its datatype as the server spells it ({@code "FP32"}, {@code "BYTES"})
   * @param shape its dimensions; -1 marks a variable one
   */
  public record TensorMetadata(String name, String datatype, List<Long> shape) {
    public TensorMetadata {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(datatype, "datatype");
      shape = List.copyOf(shape);
    }
  }

  public ModelMetadata {
    Objects.requireNonNull(name, "name");
    versions = List.copyOf(versions);
    Objects.requireNonNull(platform, "platform");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** The input named {@code name}. */
  public Optional<TensorMetadata> input(String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** The output named {@code name}. */
  public Optional<TensorMetadata> output(String name) {
    return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
