package dev.aigw.providers.pool.internal.kserve;

import dev.aigw.api.CallContext;

/**
 * A {@link KServeClient} with Triton's streaming inference (gRPC {@code ModelStreamInfer}): the
 * gRPC client, opened through {@link KServeGrpc#connect}.
 */
public interface KServeStreamingClient extends KServeClient {
  /**
   * Sends {@code request} on a new {@code ModelStreamInfer} stream and returns its responses as
   * they arrive: one for a plain model, any number for a decoupled one (a streaming LLM). Works for
   * non-decoupled models too, so it is also how to call a decoupled model without streaming.
   * Every message is checked for an error: one ends the stream with a {@link
   * dev.aigw.api.ProviderException} naming it, also after responses were returned. The caller must
   * close the stream.
   */
  InferStream streamInfer(String model, InferRequest request, CallContext context);
}
