package dev.aigw.providers.pool.internal.kserve.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.AuthenticationException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.DeadlineExceededException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.api.RateLimitedException;
import dev.aigw.providers.pool.internal.kserve.CallDeadline;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** gRPC statuses as the api's exceptions. */
class KServeGrpcErrorsTest {

  private static ProviderException map(Status status) {
    return GrpcErrors.fromStatus("pool", status);
  }

  @Test
  void transientFailuresAreRetryable() {
    assertThat(map(Status.UNAVAILABLE.withDescription("io exception"))).satisfies(e -> {
      assertThat(e).isExactlyInstanceOf(ProviderException.class);
      assertThat(e.retryable()).isTrue();
      assertThat(e.statusCode()).hasValue(503);
      assertThat(e).hasMessageContaining("UNAVAILABLE").hasMessageContaining("io exception");
    });
    assertThat(map(Status.INTERNAL).retryable()).isTrue();
    assertThat(map(Status.UNKNOWN).retryable()).isTrue();
    assertThat(map(Status.ABORTED).retryable()).isTrue();
    assertThat(map(Status.CANCELLED).retryable()).as("cancelled by the server, not by us").isTrue();
  }

  @Test
  void aFullQueueIsARateLimitButAnOversizedMessageIsNot() {
    assertThat(map(Status.RESOURCE_EXHAUSTED.withDescription("Exceeds maximum queue size")))
        .isInstanceOf(RateLimitedException.class).satisfies(e -> assertThat(e.retryable()).isTrue());
    assertThat(map(Status.RESOURCE_EXHAUSTED.withDescription("gRPC message exceeds maximum size 4194304: 5000000 (message larger than max)")))
        .isNotInstanceOf(RateLimitedException.class)
        .satisfies(e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.statusCode()).hasValue(413);
        });
  }

  @Test
  void clientErrorsAreNotRetryable() {
    assertThat(map(Status.INVALID_ARGUMENT.withDescription("unexpected inference input 'x'"))).satisfies(e -> {
      assertThat(e).isExactlyInstanceOf(ProviderException.class);
      assertThat(e.retryable()).isFalse();
      assertThat(e.statusCode()).hasValue(400);
    });
    assertThat(map(Status.INVALID_ARGUMENT.withDescription("This model's maximum context length is 4096 tokens")))
        .isInstanceOf(ContextWindowExceededException.class);
    assertThat(map(Status.NOT_FOUND).statusCode()).hasValue(404);
    assertThat(map(Status.NOT_FOUND).retryable()).isFalse();
    assertThat(map(Status.FAILED_PRECONDITION).retryable()).isFalse();
    assertThat(map(Status.OUT_OF_RANGE).retryable()).isFalse();
    assertThat(map(Status.UNIMPLEMENTED)).satisfies(e -> {
      assertThat(e.retryable()).isFalse();
      assertThat(e.statusCode()).hasValue(501);
    });
    assertThat(map(Status.UNAUTHENTICATED)).isInstanceOf(AuthenticationException.class);
    assertThat(map(Status.PERMISSION_DENIED)).isInstanceOf(AuthenticationException.class);
  }

  @Test
  void aServerSideDeadlineIsAProviderTimeout() {
    assertThat(map(Status.DEADLINE_EXCEEDED)).isInstanceOf(ProviderTimeoutException.class)
        .satisfies(e -> assertThat(e.retryable()).isTrue());
  }

  @Test
  void theCallersOwnDeadlineAndCancellationComeFirst() {
    try (CallDeadline passed = CallDeadline.start(CallContext.builder().deadline(Instant.now().minusMillis(1)).build())) {
      AiGatewayException e = GrpcErrors.map("pool", Status.DEADLINE_EXCEEDED.asRuntimeException(), passed);
      assertThat(e).isInstanceOf(DeadlineExceededException.class);
    }
    CancellationToken token = CancellationToken.create();
    try (CallDeadline cancelled = CallDeadline.start(CallContext.builder().cancellation(token).timeout(Duration.ofMinutes(1)).build())) {
      token.cancel();
      assertThat(GrpcErrors.map("pool", Status.CANCELLED.asRuntimeException(), cancelled)).isSameAs(token.reason().orElseThrow());
    }
    try (CallDeadline none = CallDeadline.start(CallContext.empty())) {
      assertThat(GrpcErrors.map("pool", Status.CANCELLED.withCause(new InterruptedException()).asRuntimeException(), none))
          .isInstanceOf(CallCancelledException.class);
      assertThat(Thread.interrupted()).as("the interrupt is restored").isTrue();
    }
  }
}
