package dev.aigw.providers.pool.internal.kserve;

import com.google.protobuf.ByteString;
import dev.aigw.providers.pool.internal.kserve.proto.GRPCInferenceServiceGrpc;
import dev.aigw.providers.pool.internal.kserve.proto.InferParameter;
import dev.aigw.providers.pool.internal.kserve.proto.InferTensorContents;
import dev.aigw.providers.pool.internal.kserve.proto.ModelInferRequest;
import dev.aigw.providers.pool.internal.kserve.proto.ModelInferResponse;
import dev.aigw.providers.pool.internal.kserve.proto.ModelMetadataRequest;
import dev.aigw.providers.pool.internal.kserve.proto.ModelMetadataResponse;
import dev.aigw.providers.pool.internal.kserve.proto.ModelReadyRequest;
import dev.aigw.providers.pool.internal.kserve.proto.ModelReadyResponse;
import dev.aigw.providers.pool.internal.kserve.proto.ModelStreamInferResponse;
import dev.aigw.providers.pool.internal.kserve.proto.ServerLiveRequest;
import dev.aigw.providers.pool.internal.kserve.proto.ServerLiveResponse;
import dev.aigw.providers.pool.internal.kserve.proto.ServerReadyRequest;
import dev.aigw.providers.pool.internal.kserve.proto.ServerReadyResponse;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Triton-like KServe v2 gRPC server on a free loopback port, with the models of {@link
 * SimulatedKServeHttpServer} ({@code vllm_model} decoupled: {@code ModelInfer} refused, {@code
 * ModelStreamInfer} streams; {@code ensemble}; {@code simple}) and {@link SimulatedLlm}'s
 * markers. Streamed responses carry Triton's {@code triton_final_response} parameter. A request
 * parameter {@code typed = true} makes {@code simple} answer with typed contents instead of raw
 * ones. Models named {@code slow...} never answer.
 */
public final class SimulatedKServeGrpcServer implements AutoCloseable {
  private final Server server;
  /** What {@code ServerReady} answers. */
  public volatile boolean ready = true;
  /** Every inference request received, in order. */
  public final List<ModelInferRequest> received = new CopyOnWriteArrayList<>();

  public SimulatedKServeGrpcServer() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            InsecureServerCredentials.create())
        .addService(new Service())
        .build()
        .start();
  }

  /** The loopback port. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Service extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
      out.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
      out.onCompleted();
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
      out.onNext(ServerReadyResponse.newBuilder().setReady(ready).build());
      out.onCompleted();
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
      if (!SimulatedKServeHttpServer.MODELS.contains(request.getName())) {
        out.onError(Status.NOT_FOUND.withDescription("Request for unknown model: '" + request.getName() + "' is not found")
            .asRuntimeException());
        return;
      }
      out.onNext(ModelReadyResponse.newBuilder().setReady(true).build());
      out.onCompleted();
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
      String name = request.getName();
      ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(name).addVersions("1");
      switch (name) {
        case "vllm_model" -> b.setPlatform("vllm")
            .addInputs(meta("text_input", "BYTES", 1)).addInputs(meta("stream", "BOOL", 1))
            .addInputs(meta("sampling_parameters", "BYTES", 1)).addInputs(meta("exclude_input_in_output", "BOOL", 1))
            .addOutputs(meta("text_output", "BYTES", -1));
        case "simple" -> b.setPlatform("tensorflow_graphdef")
            .addInputs(meta("INPUT0", "INT32", -1, 16)).addInputs(meta("INPUT1", "INT32", -1, 16))
            .addOutputs(meta("OUTPUT0", "INT32", -1, 16)).addOutputs(meta("OUTPUT1", "INT32", -1, 16));
        case "ensemble" -> b.setPlatform("ensemble")
            .addInputs(meta("text_input", "BYTES", -1, 1)).addInputs(meta("max_tokens", "INT32", -1, 1))
            .addOutputs(meta("text_output", "BYTES", -1, -1));
        default -> {
          out.onError(Status.NOT_FOUND.withDescription("Request for unknown model: '" + name + "' is not found")
              .asRuntimeException());
          return;
        }
      }
      out.onNext(b.build());
      out.onCompleted();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
      received.add(request);
      String model = request.getModelName();
      if (model.startsWith("slow")) {
        return; // never answers; the client's deadline or cancellation ends the call
      }
      if (model.equals("vllm_model")) {
        out.onError(Status.INVALID_ARGUMENT
            .withDescription("ModelInfer RPC doesn't support models with decoupled transaction policy").asRuntimeException());
        return;
      }
      Map<String, List<Object>> inputs = inputs(request);
      ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(model).setModelVersion("1").setId(request.getId());
      if (model.equals("simple")) {
        List<Object> a = inputs.get("INPUT0");
        List<Object> c = inputs.get("INPUT1");
        if (a == null || c == null || a.size() != 16 || c.size() != 16) {
          out.onError(Status.INVALID_ARGUMENT.withDescription("expected INPUT0 and INPUT1 of INT32 [1,16]").asRuntimeException());
          return;
        }
        List<Object> sum = new java.util.ArrayList<>();
        List<Object> difference = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
          sum.add((Long) a.get(i) + (Long) c.get(i));
          difference.add((Long) a.get(i) - (Long) c.get(i));
        }
        boolean typed = request.getParametersMap().containsKey("typed");
        for (Map.Entry<String, List<Object>> output : Map.of("OUTPUT0", sum, "OUTPUT1", difference).entrySet().stream()
            .sorted(Map.Entry.comparingByKey()).toList()) {
          ModelInferResponse.InferOutputTensor.Builder t = ModelInferResponse.InferOutputTensor.newBuilder()
              .setName(output.getKey()).setDatatype("INT32").addShape(1).addShape(16);
          if (typed) {
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            output.getValue().forEach(v -> contents.addIntContents((int) (long) (Long) v));
            b.addOutputs(t.setContents(contents));
          } else {
            b.addOutputs(t);
            b.addRawOutputContents(ByteString.copyFrom(RawContents.encode(
                InferTensor.of(output.getKey(), Datatype.INT32, List.of(1L, 16L), output.getValue()))));
          }
        }
        out.onNext(b.build());
        out.onCompleted();
        return;
      }
      String prompt = (String) inputs.get("text_input").get(0);
      Status refusal = refusal(prompt);
      if (refusal != null) {
        out.onError(refusal.asRuntimeException());
        return;
      }
      Long max = inputs.containsKey("max_tokens") ? (Long) inputs.get("max_tokens").get(0) : null;
      text(b, List.of(1L, 1L), SimulatedLlm.generate(prompt, max).text());
      out.onNext(b.build());
      out.onCompleted();
    }

    @Override
    public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
      return new StreamObserver<>() {
        private volatile boolean hanging;
        private volatile boolean failed;

        @Override
        public void onNext(ModelInferRequest request) {
          received.add(request);
          String model = request.getModelName();
          Set<String> allowed = model.equals("vllm_model") ? SimulatedLlm.VLLM_INPUTS : SimulatedLlm.TRTLLM_INPUTS;
          for (ModelInferRequest.InferInputTensor input : request.getInputsList()) {
            if (!allowed.contains(input.getName())) {
              out.onNext(ModelStreamInferResponse.newBuilder().setErrorMessage(
                  "[request id: <id_unknown>] unexpected inference input '" + input.getName() + "' for model '" + model + "'").build());
              return;
            }
          }
          Map<String, List<Object>> inputs = inputs(request);
          String prompt = (String) inputs.get("text_input").get(0);
          if (prompt.contains(SimulatedLlm.OVERLOADED)) {
            failed = true;
            out.onError(Status.RESOURCE_EXHAUSTED.withDescription(SimulatedLlm.QUEUE_FULL).asRuntimeException());
            return;
          }
          if (prompt.contains(SimulatedLlm.FAIL_AT_START) || prompt.contains(SimulatedLlm.TOO_LONG)) {
            out.onNext(ModelStreamInferResponse.newBuilder().setErrorMessage(prompt.contains(SimulatedLlm.TOO_LONG)
                ? SimulatedLlm.CONTEXT_ERROR : "invalid argument: simulated refusal").build());
            return;
          }
          boolean stream = inputs.containsKey("stream") && (Boolean) inputs.get("stream").get(0);
          Long max = model.equals("vllm_model")
              ? (inputs.containsKey("sampling_parameters") ? SimulatedLlm.maxTokens((String) inputs.get("sampling_parameters").get(0)) : 16L)
              : (inputs.containsKey("max_tokens") ? (Long) inputs.get("max_tokens").get(0) : null);
          boolean usage = inputs.containsKey("return_num_output_tokens");
          SimulatedLlm.Generation generation = SimulatedLlm.generate(prompt, max);
          List<String> pieces = stream ? generation.pieces() : List.of(generation.text());
          List<Long> shape = model.equals("vllm_model") ? List.of(1L) : List.of(1L, 1L);
          for (int i = 0; i < pieces.size(); i++) {
            if (prompt.contains(SimulatedLlm.FAIL_MID_STREAM) && i == SimulatedLlm.PIECES_BEFORE_ERROR) {
              out.onNext(ModelStreamInferResponse.newBuilder().setErrorMessage(SimulatedLlm.ENGINE_FAILURE).build());
              return;
            }
            boolean last = i == pieces.size() - 1;
            ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(model).setModelVersion("1")
                .setId(request.getId())
                .putParameters(InferResponse.FINAL_RESPONSE, InferParameter.newBuilder().setBoolParam(last).build());
            text(b, shape, pieces.get(i));
            if (usage) {
              tensor(b, InferTensor.of("finish_reason", Datatype.BYTES, List.of(1L), List.of(last ? generation.finishReason() : "None")));
              tensor(b, InferTensor.of("num_input_tokens", Datatype.UINT32, List.of(1L), List.of(generation.inputTokens())));
              tensor(b, InferTensor.of("num_output_tokens", Datatype.UINT32, List.of(1L),
                  List.of(stream ? 1L : (long) generation.pieces().size())));
            }
            out.onNext(ModelStreamInferResponse.newBuilder().setInferResponse(b).build());
            if (prompt.contains(SimulatedLlm.HANG)) {
              hanging = true;
              return; // the rest never comes; the client's deadline or cancellation ends the call
            }
          }
        }

        @Override
        public void onError(Throwable t) {
          // the client cancelled
        }

        @Override
        public void onCompleted() {
          if (!hanging && !failed) {
            out.onCompleted();
          }
        }
      };
    }
  }

  private static Status refusal(String prompt) {
    if (prompt.contains(SimulatedLlm.FAIL_AT_START)) {
      return Status.INVALID_ARGUMENT.withDescription("invalid argument: simulated refusal");
    }
    if (prompt.contains(SimulatedLlm.TOO_LONG)) {
      return Status.INVALID_ARGUMENT.withDescription(SimulatedLlm.CONTEXT_ERROR);
    }
    if (prompt.contains(SimulatedLlm.OVERLOADED)) {
      return Status.RESOURCE_EXHAUSTED.withDescription(SimulatedLlm.QUEUE_FULL);
    }
    return null;
  }

  /** The request's inputs by name, decoded from raw contents (what this client sends). */
  private static Map<String, List<Object>> inputs(ModelInferRequest request) {
    if (request.getRawInputContentsCount() != request.getInputsCount()) {
      throw Status.INVALID_ARGUMENT.withDescription("expected raw contents for every input").asRuntimeException();
    }
    Map<String, List<Object>> inputs = new LinkedHashMap<>();
    for (int i = 0; i < request.getInputsCount(); i++) {
      ModelInferRequest.InferInputTensor input = request.getInputs(i);
      inputs.put(input.getName(), RawContents.decode(Datatype.of(input.getDatatype()), request.getRawInputContents(i).toByteArray()));
    }
    return inputs;
  }

  private static void text(ModelInferResponse.Builder b, List<Long> shape, String text) {
    tensor(b, InferTensor.of("text_output", Datatype.BYTES, shape, List.of(text)));
  }

  private static void tensor(ModelInferResponse.Builder b, InferTensor tensor) {
    b.addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName(tensor.name())
        .setDatatype(tensor.datatype().name()).addAllShape(tensor.shape()));
    b.addRawOutputContents(ByteString.copyFrom(RawContents.encode(tensor)));
  }

  private static ModelMetadataResponse.TensorMetadata meta(String name, String datatype, long... shape) {
    ModelMetadataResponse.TensorMetadata.Builder t = ModelMetadataResponse.TensorMetadata.newBuilder()
        .setName(name).setDatatype(datatype);
    for (long dim : shape) {
      t.addShape(dim);
    }
    return t.build();
  }
}
