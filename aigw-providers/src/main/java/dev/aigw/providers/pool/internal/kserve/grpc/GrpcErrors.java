package dev.aigw.providers.pool.internal.kserve.grpc;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.ProviderException;
import dev.aigw.providers.internal.ErrorBody;
import dev.aigw.providers.internal.ErrorMapping;
import dev.aigw.providers.pool.internal.kserve.CallDeadline;
import io.grpc.Status;
import java.util.Locale;

/**
 * Maps a failed gRPC call to the api's exceptions. The call's own cancellation comes first (the
 * caller's reason, or a {@link dev.aigw.api.DeadlineExceededException} once the caller's deadline
 * passed); then the status, as its HTTP equivalent would be mapped:
 *
 * <ul>
 *   <li>{@code UNAVAILABLE} (cannot connect, connection lost, server shutting down): retryable,
 *       503; {@code INTERNAL}, {@code UNKNOWN}, {@code ABORTED}, {@code DATA_LOSS} and a {@code
 *       CANCELLED} the caller did not ask for: retryable, 500;
 *   <li>{@code RESOURCE_EXHAUSTED} (Triton's full queue): a {@link
 *       dev.aigw.api.RateLimitedException}, retryable; but a message over the size limit is not
 *       retryable (413);
 *   <li>{@code DEADLINE_EXCEEDED} before the caller's deadline (a server-side timeout): a {@link
 *       dev.aigw.api.ProviderTimeoutException}, retryable;
 *   <li>{@code INVALID_ARGUMENT}, {@code FAILED_PRECONDITION}, {@code OUT_OF_RANGE}: not
 *       retryable, 400 (a {@link dev.aigw.api.ContextWindowExceededException} when the message
 *       says the prompt is too long); {@code NOT_FOUND}: 404; {@code UNAUTHENTICATED} and {@code
 *       PERMISSION_DENIED}: an {@link dev.aigw.api.AuthenticationException}; {@code UNIMPLEMENTED}
 *       (the server lacks the method, as KServe servers lack {@code ModelStreamInfer}): 501; none
 *       retryable.
 * </ul>
 */
public final class GrpcErrors {
  private GrpcErrors() {}

  /** The exception for {@code failure}, a call guarded by {@code deadline}. */
  public static AiGatewayException map(String provider, Throwable failure, CallDeadline deadline) {
    AiGatewayException reason = deadline.reason();
    if (reason != null) {
      return reason;
    }
    Status status = Status.fromThrowable(failure);
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && deadline.passed()) {
      return deadline.exceeded();
    }
    if (status.getCode() == Status.Code.CANCELLED && status.getCause() instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new CallCancelledException("the thread waiting on provider '" + provider + "' was interrupted");
    }
    return fromStatus(provider, status);
  }

  /** The exception for a status the server (or the transport) ended a call with. */
  public static ProviderException fromStatus(String provider, Status status) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    String message = "gRPC " + status.getCode() + (description.isEmpty() ? "" : ": " + description);
    String text = description.toLowerCase(Locale.ROOT);
    return switch (status.getCode()) {
      case UNIMPLEMENTED -> new ProviderException(provider, 501, false,
          "provider '" + provider + "' answered 501: " + ErrorMapping.redact(message, null), status.asException());
      case RESOURCE_EXHAUSTED -> text.contains("larger than max") || text.contains("message too large")
          ? new ProviderException(provider, 413, false,
              "provider '" + provider + "' answered 413: " + ErrorMapping.redact(message, null), status.asException())
          : byKind(provider, "rate_limit", message);
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> byKind(provider, "invalid_argument", message);
      case NOT_FOUND -> byKind(provider, "not_found", message);
      case UNAUTHENTICATED -> byKind(provider, "unauthenticated", message);
      case PERMISSION_DENIED -> byKind(provider, "permission_denied", message);
      case UNAVAILABLE -> byKind(provider, "unavailable", message);
      case DEADLINE_EXCEEDED -> byKind(provider, "deadline_exceeded", message);
      default -> byKind(provider, "internal", message);
    };
  }

  private static ProviderException byKind(String provider, String kind, String message) {
    return ErrorMapping.fromStreamError(provider, new ErrorBody(new ErrorBody.Detail(message, kind, null, null, null), null), null);
  }
}
