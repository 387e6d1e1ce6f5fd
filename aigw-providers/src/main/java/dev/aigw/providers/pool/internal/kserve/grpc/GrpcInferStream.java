package dev.aigw.providers.pool.internal.kserve.grpc;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.pool.internal.kserve.CallDeadline;
import dev.aigw.providers.pool.internal.kserve.InferResponse;
import dev.aigw.providers.pool.internal.kserve.InferStream;
import dev.aigw.providers.pool.internal.kserve.KServeErrors;
import dev.aigw.providers.pool.internal.kserve.proto.GRPCInferenceServiceGrpc;
import dev.aigw.providers.pool.internal.kserve.proto.ModelInferRequest;
import dev.aigw.providers.pool.internal.kserve.proto.ModelStreamInferResponse;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * One request on a Triton {@code ModelStreamInfer} stream, read as an {@link InferStream}. The
 * request is sent and the client half of the stream closed at once; responses are then pulled one
 * at a time (gRPC flow control asks the server for the next message only once the consumer took
 * the last, so a slow consumer holds the server back instead of filling memory). Every message is
 * checked for {@code error_message}. The stream ends at Triton's final-response flag or when the
 * server completes the call.
 */
final class GrpcInferStream implements InferStream {
  private static final Object COMPLETED = new Object();

  private final String provider;
  private final String model;
  private final CallDeadline deadline;
  private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
  private final CancellationToken.@Nullable Registration registration;
  private volatile @Nullable ClientCallStreamObserver<ModelInferRequest> call;
  private volatile boolean closed;
  private boolean ended;

  GrpcInferStream(String provider, Channel channel, String model, ModelInferRequest request, CallContext context) {
    this.provider = provider;
    this.model = model;
    this.deadline = CallDeadline.start(context);
    AiGatewayException early = deadline.reason();
    if (early != null) {
      deadline.close();
      throw early;
    }
    StreamObserver<ModelInferRequest> requests;
    try {
      requests = KServeGrpcClient.withDeadline(GRPCInferenceServiceGrpc.newStub(channel), deadline)
          .modelStreamInfer(new Observer());
      requests.onNext(request);
      requests.onCompleted();
    } catch (RuntimeException e) {
      deadline.close();
      throw e;
    }
    this.registration = deadline.token().map(token -> token.onCancel(() -> cancel("cancelled by the caller"))).orElse(null);
  }

  @Override
  public @Nullable InferResponse next() {
    if (ended) {
      return null;
    }
    Object item;
    try {
      item = arrived.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("the consuming thread was interrupted");
      throw new CallCancelledException("the thread reading the stream from provider '" + provider + "' was interrupted");
    }
    if (item == COMPLETED) {
      finish();
      return null;
    }
    if (item instanceof Throwable failure) {
      finish();
      if (closed) {
        AiGatewayException reason = deadline.reason();
        throw reason != null ? reason : new CallCancelledException("the stream from provider '" + provider + "' was closed");
      }
      throw GrpcErrors.map(provider, failure, deadline);
    }
    ModelStreamInferResponse message = (ModelStreamInferResponse) item;
    if (!message.getErrorMessage().isEmpty()) {
      fail("the server reported an error");
      throw KServeErrors.fromStreamMessage(provider, "error in the stream: " + message.getErrorMessage(), null);
    }
    InferResponse response;
    try {
      response = ProtoCodec.response(message.getInferResponse(), model);
    } catch (IllegalArgumentException e) {
      fail("malformed response");
      throw ErrorMapping.malformed(provider, 0, "streamed inference response: " + e.getMessage(), e);
    }
    if (response.isFinal()) {
      finish();
    } else {
      ClientCallStreamObserver<ModelInferRequest> current = call;
      if (current != null) {
        current.request(1);
      }
    }
    return response;
  }

  /** Cancels the call if it has not ended; a blocked {@link #next()} then throws {@link CallCancelledException}. */
  @Override
  public void close() {
    closed = true;
    if (!ended) {
      cancel("closed by the caller");
    }
    release();
  }

  private void cancel(String why) {
    ClientCallStreamObserver<ModelInferRequest> current = call;
    if (current != null) {
      current.cancel(why, null);
    }
  }

  /** Ends the stream early: cancels the call and releases it. */
  private void fail(String why) {
    cancel(why);
    finish();
  }

  private void finish() {
    ended = true;
    release();
  }

  private void release() {
    if (registration != null) {
      registration.close();
    }
    deadline.close();
  }

  /** Hands gRPC's callbacks to the consuming thread, and asks for one message at a time. */
  private final class Observer implements ClientResponseObserver<ModelInferRequest, ModelStreamInferResponse> {
    @Override
    public void beforeStart(ClientCallStreamObserver<ModelInferRequest> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(ModelStreamInferResponse value) {
      arrived.add(value);
    }

    @Override
    public void onError(Throwable t) {
      arrived.add(t);
    }

    @Override
    public void onCompleted() {
      arrived.add(COMPLETED);
    }
  }
}
