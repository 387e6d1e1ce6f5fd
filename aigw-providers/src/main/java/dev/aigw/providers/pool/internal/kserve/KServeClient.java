package dev.aigw.providers.pool.internal.kserve;

import dev.aigw.api.CallContext;

/**
 * One replica's v2 endpoint, over HTTP ({@link KServeHttpClient}) or gRPC ({@link
 * KServeGrpc#connect}). Calls block; each honours its context's cancellation token and deadline
 * (see the package documentation). Thread-safe.
 *
 * <p>Failures are the api's exceptions: {@link dev.aigw.api.ProviderException} (with whether it is
 * retryable) and its subclasses, {@link dev.aigw.api.DeadlineExceededException} when the
 * caller's deadline passed, and the token's reason when the call was cancelled.
 */
public interface KServeClient extends AutoCloseable {
  /** Whether the server is live. False when it answers "not live"; an exception when it cannot be reached. */
  boolean serverLive(CallContext context);

  /**
   * Whether the server is ready for inference: true for a ready answer, false for an answer that
   * says it is not (any non-200 status over HTTP).
   *
   * @throws dev.aigw.api.ProviderException when the server cannot be reached or fails
   */
  boolean serverReady(CallContext context);

  /**
   * Whether {@code model} is loaded and ready: true for a ready answer, false for any other
   * answer, including an unknown model.
   *
   * @throws dev.aigw.api.ProviderException when the server cannot be reached or fails
   */
  boolean modelReady(String model, CallContext context);

  /**
   * The model's metadata.
   *
   * @throws dev.aigw.api.ProviderException when the server has no such model (404, not
   *     retryable), cannot be reached, or answers with malformed metadata
   */
  ModelMetadata modelMetadata(String model, CallContext context);

  /**
   * One inference ({@code POST /v2/models/{model}/infer}, gRPC {@code ModelInfer}). Triton
   * refuses this for decoupled models (streaming LLM backends): use {@link
   * KServeHttpClient#generate} or {@link KServeStreamingClient#streamInfer} for those.
   */
  InferResponse infer(String model, InferRequest request, CallContext context);

  /** Releases the client's resources (a gRPC channel); calls in flight are cancelled. */
  @Override
  void close();
}
