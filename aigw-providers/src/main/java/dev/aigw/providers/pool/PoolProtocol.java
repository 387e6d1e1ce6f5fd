package dev.aigw.providers.pool;

import java.util.Objects;

/**
 * How an {@link InferencePool} talks to its replicas:
 *
 * <ul>
 *   <li>{@link #openAi()} (the default): the OpenAI-compatible API of vLLM, SGLang or TGI, with
 *       chat, streams and embeddings, {@code /health}, {@code /v1/models} and {@code /metrics};
 *   <li>{@link #tritonHttp} and {@link #tritonGrpc}: NVIDIA Triton with an LLM backend, through its
 *       generate extension over HTTP ({@code /v2/models/{m}/generate}, {@code generate_stream}) or
 *       {@code ModelStreamInfer} over gRPC; health from {@code /v2/health/ready} or {@code
 *       ServerReady}, models from {@code ModelReady};
 *   <li>{@link #kserveHttp} and {@link #kserveGrpc}: a plain KServe Open Inference Protocol v2
 *       server ({@code ModelInfer}; a stream is the whole answer in one chunk).
 * </ul>
 *
 * <p>KServe and Triton pools need {@link InferencePool.Builder#models} (they have no model list
 * to discover), render chat messages as {@code role: text} lines (no model chat template), and
 * serve chat only. gRPC needs grpc-java on the classpath ({@code io.grpc:grpc-protobuf}, {@code
 * io.grpc:grpc-stub} and a transport such as {@code io.grpc:grpc-netty-shaded}); a replica URL's
 * port is then the gRPC port (Triton: 8001), and {@code https} means TLS.
 */
public final class PoolProtocol {
  /** The tensor convention of the LLM behind a Triton or KServe server. */
  public enum Backend {
    /** Triton's vLLM backend: {@code text_input}, {@code stream}, {@code sampling_parameters} as JSON, {@code text_output}. */
    VLLM,
    /** The TensorRT-LLM ensemble: {@code text_input}, {@code max_tokens}, {@code stream}, {@code temperature}, {@code text_output}. */
    TENSORRT_LLM
  }

  enum Kind { OPENAI, TRITON_HTTP, TRITON_GRPC, KSERVE_HTTP, KSERVE_GRPC }

  private static final PoolProtocol OPENAI = new PoolProtocol(Kind.OPENAI, Backend.VLLM);

  final Kind kind;
  final Backend backend;

  private PoolProtocol(Kind kind, Backend backend) {
    this.kind = kind;
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  /** {@return the OpenAI-compatible API (the default)} */
  public static PoolProtocol openAi() {
    return OPENAI;
  }

  /**
   * {@return Triton's generate extension over HTTP}
   *
   * @param backend the model backend behind Triton
   */
  public static PoolProtocol tritonHttp(Backend backend) {
    return new PoolProtocol(Kind.TRITON_HTTP, backend);
  }

  /**
   * {@return Triton's streaming {@code ModelStreamInfer} over gRPC}
   *
   * @param backend the model backend behind Triton
   */
  public static PoolProtocol tritonGrpc(Backend backend) {
    return new PoolProtocol(Kind.TRITON_GRPC, backend);
  }

  /**
   * {@return KServe v2 {@code infer} over HTTP}
   *
   * @param backend the model backend behind KServe
   */
  public static PoolProtocol kserveHttp(Backend backend) {
    return new PoolProtocol(Kind.KSERVE_HTTP, backend);
  }

  /**
   * {@return KServe v2 {@code ModelInfer} over gRPC}
   *
   * @param backend the model backend behind KServe
   */
  public static PoolProtocol kserveGrpc(Backend backend) {
    return new PoolProtocol(Kind.KSERVE_GRPC, backend);
  }

  boolean isOpenAi() {
    return kind == Kind.OPENAI;
  }

  boolean isGrpc() {
    return kind == Kind.TRITON_GRPC || kind == Kind.KSERVE_GRPC;
  }

  @Override
  public String toString() {
    return kind == Kind.OPENAI ? "openai" : kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + backend + ")";
  }
}
