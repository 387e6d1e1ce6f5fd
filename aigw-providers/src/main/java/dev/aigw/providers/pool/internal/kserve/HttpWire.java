package dev.aigw.providers.pool.internal.kserve;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The JSON bodies of the v2 REST binding. */
final class HttpWire {
  private HttpWire() {}

  /** A tensor, in requests ({@code inputs}) and responses ({@code outputs}). */
  record Tensor(
      String name, List<Long> shape, String datatype, @Nullable Map<String, Object> parameters,
      @Nullable List<Object> data) {}

  /** A requested output. */
  record Output(String name, @Nullable Map<String, Object> parameters) {}

  /** {@code POST /v2/models/{model}/infer}. */
  record InferRequest(
      @Nullable String id, @Nullable Map<String, Object> parameters, List<Tensor> inputs, @Nullable List<Output> outputs) {}

  /** Its answer. */
  record InferResponse(
      @JsonProperty("model_name") @Nullable String modelName,
      @JsonProperty("model_version") @Nullable String modelVersion,
      @Nullable String id,
      @Nullable Map<String, Object> parameters,
      @Nullable List<Tensor> outputs) {}

  /** A tensor of {@code GET /v2/models/{model}}. */
  record TensorMetadata(@Nullable String name, @Nullable String datatype, @Nullable List<Long> shape) {}

  /** {@code GET /v2/models/{model}}. */
  record ModelMetadata(
      @Nullable String name, @Nullable List<String> versions, @Nullable String platform,
      @Nullable List<TensorMetadata> inputs, @Nullable List<TensorMetadata> outputs) {}

  static @Nullable Map<String, Object> orNull(Map<String, Object> map) {
    return map.isEmpty() ? null : map;
  }

  static InferRequest request(dev.aigw.providers.pool.internal.kserve.InferRequest request) {
    List<Tensor> inputs = new ArrayList<>(request.inputs().size());
    for (InferTensor t : request.inputs()) {
      inputs.add(new Tensor(t.name(), t.shape(), t.datatype().name(), orNull(t.parameters()), t.data()));
    }
    List<Output> outputs = request.outputs().isEmpty() ? null
        : request.outputs().stream().map(o -> new Output(o.name(), orNull(o.parameters()))).toList();
    return new InferRequest(request.id(), orNull(request.parameters()), inputs, outputs);
  }

  /**
   * The response as this package's types.
   *
   * @throws IllegalArgumentException when a tensor's datatype, shape or elements are not valid
   */
  static dev.aigw.providers.pool.internal.kserve.InferResponse response(InferResponse wire, String model) {
    List<InferTensor> outputs = new ArrayList<>();
    if (wire.outputs() != null) {
      for (Tensor t : wire.outputs()) {
        if (t == null || t.name() == null || t.datatype() == null || t.shape() == null) {
          throw new IllegalArgumentException("an output without name, datatype or shape");
        }
        outputs.add(new InferTensor(t.name(), Datatype.of(t.datatype()), t.shape(),
            t.data() == null ? List.of() : t.data(), t.parameters() == null ? Map.of() : t.parameters()));
      }
    }
    return new dev.aigw.providers.pool.internal.kserve.InferResponse(
        wire.modelName() == null ? model : wire.modelName(), wire.modelVersion(), wire.id(), outputs,
        wire.parameters() == null ? Map.of() : wire.parameters());
  }

  static dev.aigw.providers.pool.internal.kserve.ModelMetadata metadata(ModelMetadata wire, String model) {
    return new dev.aigw.providers.pool.internal.kserve.ModelMetadata(
        wire.name() == null ? model : wire.name(),
        wire.versions() == null ? List.of() : wire.versions(),
        wire.platform() == null ? "" : wire.platform(),
        tensors(wire.inputs()), tensors(wire.outputs()));
  }

  private static List<dev.aigw.providers.pool.internal.kserve.ModelMetadata.TensorMetadata> tensors(
      @Nullable List<TensorMetadata> wire) {
    if (wire == null) {
      return List.of();
    }
    List<dev.aigw.providers.pool.internal.kserve.ModelMetadata.TensorMetadata> out = new ArrayList<>();
    for (TensorMetadata t : wire) {
      if (t == null || t.name() == null || t.datatype() == null) {
        throw new IllegalArgumentException("a tensor without name or datatype");
      }
      out.add(new dev.aigw.providers.pool.internal.kserve.ModelMetadata.TensorMetadata(
          t.name(), t.datatype(), t.shape() == null ? List.of() : t.shape()));
    }
    return out;
  }
}
