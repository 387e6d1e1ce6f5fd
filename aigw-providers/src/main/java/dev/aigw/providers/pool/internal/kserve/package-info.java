/**
 * The wire layer of inference pools whose replicas speak the KServe Open Inference Protocol (v2),
 * as Triton Inference Server, KServe model servers, Seldon MLServer and others do. Not API: the
 * pool calls it per replica, and its types may change with the pool.
 *
 * <h2>What is here</h2>
 *
 * <ul>
 *   <li>The protocol's data, independent of the transport: {@link
 *       dev.aigw.providers.pool.internal.kserve.InferRequest}, {@link
 *       dev.aigw.providers.pool.internal.kserve.InferResponse}, {@link
 *       dev.aigw.providers.pool.internal.kserve.InferTensor} and {@link
 *       dev.aigw.providers.pool.internal.kserve.ModelMetadata}.
 *   <li>{@link dev.aigw.providers.pool.internal.kserve.KServeHttpClient}: the REST binding over
 *       aigw's shared OkHttp client, plus Triton's generate extension ({@code /generate} and the
 *       {@code /generate_stream} event stream).
 *   <li>{@link dev.aigw.providers.pool.internal.kserve.KServeGrpc}: opens the gRPC binding
 *       (including Triton's {@code ModelStreamInfer}) when grpc-java is on the classpath, and
 *       otherwise fails with a message naming the jars to add. The gRPC code itself is in the
 *       {@code grpc} subpackage and the generated messages in {@code proto}; nothing in this
 *       package refers to either, so without a gRPC pool no gRPC class is ever loaded.
 *   <li>{@link dev.aigw.providers.pool.internal.kserve.KServeLlm}: how a chat request becomes a
 *       request to an LLM served by Triton or KServe, and back.
 * </ul>
 *
 * <h2>Deadlines and cancellation</h2>
 *
 * Every call takes the caller's {@link dev.aigw.api.CallContext}: its cancellation token aborts the
 * call (HTTP call cancelled, gRPC call cancelled) and the call ends with the token's reason; its
 * deadline (or timeout, measured from the call's start) bounds the call even when no token
 * enforces it, ending it with a {@link dev.aigw.api.DeadlineExceededException}. gRPC calls also
 * send the deadline to the server. A server-side timeout is a {@link
 * dev.aigw.api.ProviderTimeoutException}.
 */
@NullMarked
package dev.aigw.providers.pool.internal.kserve;

import org.jspecify.annotations.NullMarked;
