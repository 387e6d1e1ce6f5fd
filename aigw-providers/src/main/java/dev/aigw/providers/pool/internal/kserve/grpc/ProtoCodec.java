package dev.aigw.providers.pool.internal.kserve.grpc;

import com.google.protobuf.ByteString;
import dev.aigw.providers.pool.internal.kserve.Datatype;
import dev.aigw.providers.pool.internal.kserve.InferRequest;
import dev.aigw.providers.pool.internal.kserve.InferResponse;
import dev.aigw.providers.pool.internal.kserve.InferTensor;
import dev.aigw.providers.pool.internal.kserve.ModelMetadata;
import dev.aigw.providers.pool.internal.kserve.RawContents;
import dev.aigw.providers.pool.internal.kserve.proto.InferParameter;
import dev.aigw.providers.pool.internal.kserve.proto.InferTensorContents;
import dev.aigw.providers.pool.internal.kserve.proto.ModelInferRequest;
import dev.aigw.providers.pool.internal.kserve.proto.ModelInferResponse;
import dev.aigw.providers.pool.internal.kserve.proto.ModelMetadataResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between this package's v2 types and the protobuf messages. Requests carry every input
 * in {@code raw_input_contents}, as Triton's own clients do (the one form that holds every
 * datatype, FP16 and BF16 included); responses are read from {@code raw_output_contents} or from
 * the typed contents, whichever the server used.
 */
public final class ProtoCodec {
  private ProtoCodec() {}

  /** The protobuf request for {@code model}. */
  public static ModelInferRequest request(String model, InferRequest request) {
    ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(model);
    if (request.id() != null) {
      b.setId(request.id());
    }
    b.putAllParameters(parameters(request.parameters()));
    for (InferTensor input : request.inputs()) {
      b.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
          .setName(input.name())
          .setDatatype(input.datatype().name())
          .addAllShape(input.shape())
          .putAllParameters(parameters(input.parameters())));
      b.addRawInputContents(ByteString.copyFrom(RawContents.encode(input)));
    }
    for (InferRequest.Output output : request.outputs()) {
      b.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
          .setName(output.name())
          .putAllParameters(parameters(output.parameters())));
    }
    return b.build();
  }

  /**
   * The response as this package's types.
   *
   * @throws IllegalArgumentException when a datatype is unknown, or contents do not match their
   *     datatype or shape
   */
  public static InferResponse response(ModelInferResponse response, String model) {
    int raw = response.getRawOutputContentsCount();
    if (raw != 0 && raw != response.getOutputsCount()) {
      throw new IllegalArgumentException(raw + " raw output contents for " + response.getOutputsCount() + " outputs");
    }
    List<InferTensor> outputs = new ArrayList<>(response.getOutputsCount());
    for (int i = 0; i < response.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor output = response.getOutputs(i);
      Datatype type = Datatype.of(output.getDatatype());
      List<Object> data = raw != 0
          ? RawContents.decode(type, response.getRawOutputContents(i).toByteArray())
          : typed(type, output.getContents(), output.getName());
      outputs.add(new InferTensor(output.getName(), type, output.getShapeList(), data, values(output.getParametersMap())));
    }
    return new InferResponse(response.getModelName().isEmpty() ? model : response.getModelName(),
        response.getModelVersion().isEmpty() ? null : response.getModelVersion(),
        response.getId().isEmpty() ? null : response.getId(), outputs, values(response.getParametersMap()));
  }

  /** The metadata as this package's type. */
  public static ModelMetadata metadata(ModelMetadataResponse response, String model) {
    return new ModelMetadata(response.getName().isEmpty() ? model : response.getName(), response.getVersionsList(),
        response.getPlatform(), tensors(response.getInputsList()), tensors(response.getOutputsList()));
  }

  private static List<ModelMetadata.TensorMetadata> tensors(List<ModelMetadataResponse.TensorMetadata> tensors) {
    return tensors.stream()
        .map(t -> new ModelMetadata.TensorMetadata(t.getName(), t.getDatatype(), t.getShapeList()))
        .toList();
  }

  private static List<Object> typed(Datatype type, InferTensorContents contents, String name) {
    List<Object> out = new ArrayList<>();
    switch (type) {
      case BOOL -> out.addAll(contents.getBoolContentsList());
      case INT8, INT16, INT32 -> contents.getIntContentsList().forEach(v -> out.add((long) v));
      case INT64 -> out.addAll(contents.getInt64ContentsList());
      case UINT8, UINT16, UINT32 -> contents.getUintContentsList().forEach(v -> out.add(Integer.toUnsignedLong(v)));
      case UINT64 -> out.addAll(contents.getUint64ContentsList());
      case FP32 -> contents.getFp32ContentsList().forEach(v -> out.add((double) v));
      case FP64 -> out.addAll(contents.getFp64ContentsList());
      case BYTES -> contents.getBytesContentsList().forEach(v -> out.add(v.toStringUtf8()));
      case FP16, BF16 -> {
        if (contents.getSerializedSize() > 0) {
          throw new IllegalArgumentException("output '" + name + "' is " + type + ", which travels only as raw contents");
        }
      }
    }
    return out;
  }

  /** Parameters as protobuf values. */
  public static Map<String, InferParameter> parameters(Map<String, Object> parameters) {
    if (parameters.isEmpty()) {
      return Map.of();
    }
    Map<String, InferParameter> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : parameters.entrySet()) {
      InferParameter.Builder p = InferParameter.newBuilder();
      Object value = e.getValue();
      if (value instanceof Boolean b) {
        p.setBoolParam(b);
      } else if (value instanceof Long l) {
        p.setInt64Param(l);
      } else if (value instanceof Double d) {
        p.setDoubleParam(d);
      } else {
        p.setStringParam(value.toString());
      }
      out.put(e.getKey(), p.build());
    }
    return out;
  }

  /** Protobuf parameters as values ({@code uint64} as {@code Long}); unset ones are left out. */
  public static Map<String, Object> values(Map<String, InferParameter> parameters) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, InferParameter> e : parameters.entrySet()) {
      InferParameter p = e.getValue();
      switch (p.getParameterChoiceCase()) {
        case BOOL_PARAM -> out.put(e.getKey(), p.getBoolParam());
        case INT64_PARAM -> out.put(e.getKey(), p.getInt64Param());
        case STRING_PARAM -> out.put(e.getKey(), p.getStringParam());
        case DOUBLE_PARAM -> out.put(e.getKey(), p.getDoubleParam());
        case UINT64_PARAM -> out.put(e.getKey(), p.getUint64Param());
        case PARAMETERCHOICE_NOT_SET -> { }
      }
    }
    return out;
  }
}
