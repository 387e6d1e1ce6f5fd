package dev.aigw.providers.pool.internal.kserve.grpc;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ProviderException;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.pool.internal.kserve.CallDeadline;
import dev.aigw.providers.pool.internal.kserve.InferRequest;
import dev.aigw.providers.pool.internal.kserve.InferResponse;
import dev.aigw.providers.pool.internal.kserve.InferStream;
import dev.aigw.providers.pool.internal.kserve.KServeGrpc;
import dev.aigw.providers.pool.internal.kserve.KServeStreamingClient;
import dev.aigw.providers.pool.internal.kserve.ModelMetadata;
import dev.aigw.providers.pool.internal.kserve.proto.GRPCInferenceServiceGrpc;
import dev.aigw.providers.pool.internal.kserve.proto.ModelMetadataRequest;
import dev.aigw.providers.pool.internal.kserve.proto.ModelReadyRequest;
import dev.aigw.providers.pool.internal.kserve.proto.ServerLiveRequest;
import dev.aigw.providers.pool.internal.kserve.proto.ServerReadyRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ManagedChannelRegistry;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.TrustManager;

/**
 * The v2 gRPC binding for one replica: one {@link ManagedChannel} (plaintext by default, TLS as
 * configured), blocking stubs for the unary calls and Triton's {@code ModelStreamInfer} for
 * streams. Each call sends the caller's deadline as its gRPC deadline and is cancelled when the
 * caller's token fires. Thread-safe; close it to shut the channel down.
 */
public final class KServeGrpcClient implements KServeStreamingClient {
  private final String provider;
  private final ManagedChannel channel;
  private final String target;

  /**
   * Opens a channel to {@code host:port} over whichever gRPC transport is on the classpath.
   *
   * @throws IllegalStateException when no transport is on the classpath
   */
  public KServeGrpcClient(String provider, String host, int port, KServeGrpc.Options options) {
    this(provider, open(provider, host, port, options));
  }

  /**
   * A client over {@code channel}, which it then owns and shuts down on {@link #close()}: for a
   * channel built with a transport's own builder (a custom executor, proxy or TLS setup).
   */
  public KServeGrpcClient(String provider, ManagedChannel channel) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.target = channel.authority();
  }

  private static ManagedChannel open(String provider, String host, int port, KServeGrpc.Options options) {
    ChannelCredentials credentials = InsecureChannelCredentials.create();
    if (options.tls()) {
      TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
      if (!options.trustManagers().isEmpty()) {
        tls.trustManager(options.trustManagers().toArray(TrustManager[]::new));
      }
      credentials = tls.build();
    }
    ManagedChannelBuilder<?> builder;
    try {
      builder = Grpc.newChannelBuilderForAddress(host, port, credentials);
    } catch (ManagedChannelRegistry.ProviderNotFoundException e) {
      throw new IllegalStateException("'" + provider + "' is configured to speak gRPC but no gRPC transport is on "
          + "the classpath. Add io.grpc:grpc-netty-shaded (recommended) or io.grpc:grpc-okhttp.", e);
    }
    if (options.authority() != null) {
      builder.overrideAuthority(options.authority());
    }
    return builder.maxInboundMessageSize(options.maxInboundMessageBytes()).build();
  }

  @Override
  public boolean serverLive(CallContext context) {
    return call(context, stub -> stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
  }

  @Override
  public boolean serverReady(CallContext context) {
    return call(context, stub -> stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
  }

  /** True for a ready answer; false for "not ready" and for an unknown model (the server's error). */
  @Override
  public boolean modelReady(String model, CallContext context) {
    try {
      return call(context, stub -> stub.modelReady(ModelReadyRequest.newBuilder().setName(model).build()).getReady());
    } catch (ProviderException e) {
      int status = e.statusCode().orElse(0);
      if (status == 400 || status == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public ModelMetadata modelMetadata(String model, CallContext context) {
    return call(context, stub -> {
      var response = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(model).build());
      try {
        return ProtoCodec.metadata(response, model);
      } catch (IllegalArgumentException e) {
        throw ErrorMapping.malformed(provider, 0, "model metadata: " + e.getMessage(), e);
      }
    });
  }

  @Override
  public InferResponse infer(String model, InferRequest request, CallContext context) {
    var message = ProtoCodec.request(model, request);
    return call(context, stub -> {
      var response = stub.modelInfer(message);
      try {
        return ProtoCodec.response(response, model);
      } catch (IllegalArgumentException e) {
        throw ErrorMapping.malformed(provider, 0, "inference response: " + e.getMessage(), e);
      }
    });
  }

  @Override
  public InferStream streamInfer(String model, InferRequest request, CallContext context) {
    return new GrpcInferStream(provider, channel, model, ProtoCodec.request(model, request), context);
  }

  /** Shuts the channel down at once, cancelling calls in flight. */
  @Override
  public void close() {
    channel.shutdownNow();
  }

  @Override
  public String toString() {
    return "KServeGrpcClient[" + provider + " " + target + "]";
  }

  /** The stub with the call's deadline, when it has one. */
  static <S extends AbstractStub<S>> S withDeadline(S stub, CallDeadline deadline) {
    if (deadline.deadline().isEmpty()) {
      return stub;
    }
    long nanos = Duration.between(Instant.now(), deadline.deadline().get()).toNanos();
    return stub.withDeadlineAfter(Math.max(nanos, 1), TimeUnit.NANOSECONDS);
  }

  /** Runs one blocking call under the caller's deadline and cancellation. */
  private <T> T call(CallContext context, Function<GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub, T> body) {
    try (CallDeadline deadline = CallDeadline.start(context)) {
      AiGatewayException early = deadline.reason();
      if (early != null) {
        throw early;
      }
      Context.CancellableContext scope = Context.current().withCancellation();
      CancellationToken.Registration registration =
          deadline.token().map(token -> token.onCancel(() -> scope.cancel(null))).orElse(null);
      Context previous = scope.attach();
      try {
        return body.apply(withDeadline(GRPCInferenceServiceGrpc.newBlockingStub(channel), deadline));
      } catch (StatusRuntimeException e) {
        throw GrpcErrors.map(provider, e, deadline);
      } finally {
        scope.detach(previous);
        scope.cancel(null);
        if (registration != null) {
          registration.close();
        }
      }
    }
  }
}
