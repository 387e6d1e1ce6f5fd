package dev.aigw.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.aigw.api.AuthenticationException;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.api.RateLimitedException;
import dev.aigw.api.Usage;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FakeReplyErrorTest {
  private static final ChatRequest REQUEST = ChatRequest.of("m", "hello");

  private static FakeChatProvider answering(FakeReply reply) {
    return FakeChatProvider.builder().id("acme-ai").reply(reply).build();
  }

  private static ProviderException chatFailure(FakeReply reply) {
    FakeChatProvider fake = answering(reply);
    Throwable thrown = catchThrowable(() -> fake.chat(REQUEST, CallContext.empty()));
    assertThat(thrown).isInstanceOf(ProviderException.class);
    return (ProviderException) thrown;
  }

  @Test
  void rateLimitedThrowsARetryable429WithItsRetryAfter() {
    ProviderException e = chatFailure(FakeReply.rateLimited(Duration.ofSeconds(2)));

    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(((RateLimitedException) e).retryAfter()).contains(Duration.ofSeconds(2));
    assertThat(e.statusCode()).isEqualTo(OptionalInt.of(429));
    assertThat(e.retryable()).isTrue();
    assertThat(e.provider()).isEqualTo("acme-ai");
  }

  @Test
  void rateLimitedWithoutADelayHasNoRetryAfter() {
    ProviderException e = chatFailure(FakeReply.rateLimited());

    assertThat(((RateLimitedException) e).retryAfter()).isEmpty();
    assertThat(e.retryable()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 529})
  void serverErrorThrowsARetryableProviderExceptionWithItsStatus(int status) {
    ProviderException e = chatFailure(FakeReply.serverError(status));

    assertThat(e.getClass()).isEqualTo(ProviderException.class);
    assertThat(e.statusCode()).isEqualTo(OptionalInt.of(status));
    assertThat(e.retryable()).isTrue();
    assertThat(e.provider()).isEqualTo("acme-ai");
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 400, 429, 499, 600})
  void serverErrorRejectsStatusesOutsideFiveHundreds(int status) {
    assertThatThrownBy(() -> FakeReply.serverError(status))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status");
  }

  @Test
  void timeoutThrowsARetryableProviderTimeoutWithoutStatus() {
    ProviderException e = chatFailure(FakeReply.timeout());

    assertThat(e).isInstanceOf(ProviderTimeoutException.class);
    assertThat(e.statusCode()).isEmpty();
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void contextWindowExceededIsNotRetryable() {
    ProviderException e = chatFailure(FakeReply.contextWindowExceeded());

    assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    assertThat(e.statusCode()).isEqualTo(OptionalInt.of(400));
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void authenticationFailedIsANonRetryable401() {
    ProviderException e = chatFailure(FakeReply.authenticationFailed());

    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.statusCode()).isEqualTo(OptionalInt.of(401));
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void contentFilteredIsNotRetryable() {
    ProviderException e = chatFailure(FakeReply.contentFiltered());

    assertThat(e).isInstanceOf(ContentFilteredException.class);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void errorThrowsTheGivenInstanceEveryTime() {
    ProviderException given = new ProviderException("elsewhere", 418, false, "teapot");
    FakeChatProvider fake = answering(FakeReply.error(given));

    assertThatThrownBy(() -> fake.chat(REQUEST, CallContext.empty())).isSameAs(given);
    assertThatThrownBy(() -> fake.chat(REQUEST, CallContext.empty())).isSameAs(given);
  }

  @Test
  void factoryErrorsAreFreshForEveryCall() {
    FakeChatProvider fake = answering(FakeReply.serverError(503));

    Throwable first = catchThrowable(() -> fake.chat(REQUEST, CallContext.empty()));
    Throwable second = catchThrowable(() -> fake.chat(REQUEST, CallContext.empty()));

    assertThat(first).isNotSameAs(second);
  }

  @Test
  void errorsFromStreamAreThrownBeforeTheStreamStarts() {
    FakeChatProvider fake = answering(FakeReply.rateLimited(Duration.ofMillis(250)));

    assertThatThrownBy(() -> fake.stream(REQUEST, CallContext.empty()))
        .isInstanceOf(RateLimitedException.class);
    assertThat(fake.requests()).singleElement().satisfies(r -> assertThat(r.streaming()).isTrue());
  }

  @Test
  void anErrorInTheMiddleOfAScriptIsFollowedByTheNextReply() {
    FakeChatProvider fake = FakeChatProvider.builder()
        .reply(FakeReply.serverError(503), FakeReply.text("recovered"))
        .build();

    assertThatThrownBy(() -> fake.chat(REQUEST, CallContext.empty())).isInstanceOf(ProviderException.class);
    assertThat(fake.chat(REQUEST, CallContext.empty()).text()).isEqualTo("recovered");
  }

  @Test
  void hangWithoutACancellationTokenFailsInsteadOfBlockingForever() {
    FakeChatProvider fake = answering(FakeReply.hang());

    assertThatThrownBy(() -> fake.chat(REQUEST, CallContext.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CancellationToken");
  }

  @Test
  void modifiersApplyOnlyToContentReplies() {
    assertThatThrownBy(() -> FakeReply.timeout().withUsage(Usage.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("withUsage");
    assertThatThrownBy(() -> FakeReply.hang().withReasoning("x")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> FakeReply.serverError(500).failMidStream(1, new ProviderException("p", 0, true, "x")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void factoriesValidateTheirArguments() {
    assertThatThrownBy(() -> FakeReply.rateLimited(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retryAfter");
    assertThatThrownBy(FakeReply::toolCalls)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("toolCalls");
    assertThatThrownBy(() -> FakeReply.text("x").failMidStream(-1, new ProviderException("p", 0, true, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("afterChunks");
    assertThatThrownBy(() -> FakeReply.text(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("text");
  }

  @Test
  void toStringShowsTheShapeNotTheContent() {
    assertThat(FakeReply.text("secret answer")).hasToString("FakeReply[text=13 chars]");
    assertThat(FakeReply.serverError(503)).hasToString("FakeReply[serverError(503)]");
  }
}
