package dev.aigw.testkit;

import dev.aigw.api.AuthenticationException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentFilteredException;
import dev.aigw.api.ContextWindowExceededException;
import dev.aigw.api.FinishReason;
import dev.aigw.api.Message;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ProviderTimeoutException;
import dev.aigw.api.RateLimitedException;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.Usage;
import dev.aigw.testkit.internal.TokenEstimate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One scripted answer of a {@link FakeChatProvider}: content (text, tool calls, reasoning), a
 * typed provider error, or a call that {@linkplain #hang() hangs} until it is cancelled.
 * Immutable; the {@code with...} methods return changed copies.
 *
 * <pre>{@code
 * FakeReply.text("Paris.")
 * FakeReply.text("Let me look that up.").withReasoning("The user wants the weather.")
 * FakeReply.toolCalls(new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}"))
 * FakeReply.text("Paris.").withUsage(Usage.of(12, 2)).withFinishReason(FinishReason.LENGTH)
 * FakeReply.rateLimited(Duration.ofSeconds(2))
 * FakeReply.serverError(503)
 * FakeReply.text("a long answer that breaks off").failMidStream(2, new ProviderException("fake", 502, true, "reset"))
 * }</pre>
 *
 * <p>Errors are thrown with the id of the fake provider that answers, as {@link
 * ProviderException#provider()}. The factories that make an error create a new exception for
 * every call that uses the reply; {@link #error(ProviderException)} throws the instance it was
 * given each time.
 */
public final class FakeReply {

  /** What a reply does. */
  enum Kind {
    CONTENT,
    ERROR,
    HANG
  }

  private final Kind kind;
  private final String text;
  private final String reasoning;
  private final List<ToolCall> toolCalls;
  private final @Nullable Usage usage;
  private final @Nullable FinishReason finishReason;
  private final @Nullable Function<String, ProviderException> error;
  private final int failAfterChunks;
  private final @Nullable ProviderException midStreamError;
  private final String description;

  private FakeReply(
      Kind kind,
      String text,
      String reasoning,
      List<ToolCall> toolCalls,
      @Nullable Usage usage,
      @Nullable FinishReason finishReason,
      @Nullable Function<String, ProviderException> error,
      int failAfterChunks,
      @Nullable ProviderException midStreamError,
      String description) {
    this.kind = kind;
    this.text = text;
    this.reasoning = reasoning;
    this.toolCalls = toolCalls;
    this.usage = usage;
    this.finishReason = finishReason;
    this.error = error;
    this.failAfterChunks = failAfterChunks;
    this.midStreamError = midStreamError;
    this.description = description;
  }

  private static FakeReply content(String text, List<ToolCall> toolCalls) {
    return new FakeReply(Kind.CONTENT, text, "", toolCalls, null, null, null, -1, null, "content");
  }

  private static FakeReply failure(String description, Function<String, ProviderException> error) {
    return new FakeReply(Kind.ERROR, "", "", List.of(), null, null, error, -1, null, description);
  }

  // ---- content ----

  /**
   * {@return an answer with {@code text}} Its finish reason is {@link FinishReason#STOP} and its
   * usage is estimated (see {@link FakeChatProvider}) unless set with {@link #withFinishReason} and
   * {@link #withUsage}.
   *
   * @param text the answer's text; may be empty
   * @throws NullPointerException when {@code text} is null
   */
  public static FakeReply text(String text) {
    return content(Objects.requireNonNull(text, "text"), List.of());
  }

  /**
   * {@return an answer that calls {@code toolCalls}, in order, with no text} Its finish reason is
   * {@link FinishReason#TOOL_CALLS} unless set with {@link #withFinishReason}. In a stream each
   * call arrives as two fragments: the first with its id, name and the first half of its arguments,
   * the second with the rest of the arguments.
   *
   * @param toolCalls an answer that calls {@code toolCalls}, in order, with no text
   * @throws NullPointerException when {@code toolCalls} or one of its elements is null
   * @throws IllegalArgumentException when {@code toolCalls} is empty
   */
  public static FakeReply toolCalls(ToolCall... toolCalls) {
    Objects.requireNonNull(toolCalls, "toolCalls");
    if (toolCalls.length == 0) {
      throw new IllegalArgumentException("toolCalls must hold at least one tool call");
    }
    for (int i = 0; i < toolCalls.length; i++) {
      Objects.requireNonNull(toolCalls[i], "toolCalls[" + i + "]");
    }
    return content("", List.of(toolCalls));
  }

  /**
   * {@return a copy of this content reply with {@code text} as its text (for example to add a
   * sentence before tool calls)}
   *
   * @param text the answer's text
   * @throws NullPointerException when {@code text} is null
   * @throws IllegalStateException when this reply is an error or {@link #hang()}
   */
  public FakeReply withText(String text) {
    Objects.requireNonNull(text, "text");
    requireContent("withText");
    return new FakeReply(kind, text, reasoning, toolCalls, usage, finishReason, error, failAfterChunks,
        midStreamError, description);
  }

  /**
   * {@return a copy of this content reply with reasoning ("thinking") text} Streams send the
   * reasoning before the text; the estimated usage reports it as reasoning tokens.
   *
   * @param reasoning the reasoning text
   * @throws NullPointerException when {@code reasoning} is null
   * @throws IllegalStateException when this reply is an error or {@link #hang()}
   */
  public FakeReply withReasoning(String reasoning) {
    Objects.requireNonNull(reasoning, "reasoning");
    requireContent("withReasoning");
    return new FakeReply(kind, text, reasoning, toolCalls, usage, finishReason, error, failAfterChunks,
        midStreamError, description);
  }

  /**
   * {@return a copy of this content reply that reports {@code usage} instead of the estimate}
   *
   * @param usage the usage to report
   * @throws NullPointerException when {@code usage} is null
   * @throws IllegalStateException when this reply is an error or {@link #hang()}
   */
  public FakeReply withUsage(Usage usage) {
    Objects.requireNonNull(usage, "usage");
    requireContent("withUsage");
    return new FakeReply(kind, text, reasoning, toolCalls, usage, finishReason, error, failAfterChunks,
        midStreamError, description);
  }

  /**
   * {@return a copy of this content reply that reports {@code finishReason} instead of the default
   * ({@link FinishReason#TOOL_CALLS} when it calls tools, else {@link FinishReason#STOP})}
   *
   * @param finishReason the finish reason to report
   * @throws NullPointerException when {@code finishReason} is null
   * @throws IllegalStateException when this reply is an error or {@link #hang()}
   */
  public FakeReply withFinishReason(FinishReason finishReason) {
    Objects.requireNonNull(finishReason, "finishReason");
    requireContent("withFinishReason");
    return new FakeReply(kind, text, reasoning, toolCalls, usage, finishReason, error, failAfterChunks,
        midStreamError, description);
  }

  /**
   * {@return a copy of this content reply whose stream breaks off: the stream starts normally,
   * delivers its first {@code afterChunks} chunks, and then its iteration throws {@code error}} The
   * chunk that carries the finish reason and usage is never delivered, so with {@code afterChunks}
   * at or beyond the number of content chunks the error replaces that last chunk. A blocking {@link
   * FakeChatProvider#chat chat} call with this reply throws {@code error}, as a real call whose
   * connection broke would.
   *
   * @param afterChunks how many chunks arrive before the error; 0 makes the first read throw
   * @param error what the stream's iteration throws; thrown as given
   * @throws NullPointerException when {@code error} is null
   * @throws IllegalArgumentException when {@code afterChunks} is negative
   * @throws IllegalStateException when this reply is an error or {@link #hang()}
   */
  public FakeReply failMidStream(int afterChunks, ProviderException error) {
    if (afterChunks < 0) {
      throw new IllegalArgumentException("afterChunks must not be negative, was " + afterChunks);
    }
    Objects.requireNonNull(error, "error");
    requireContent("failMidStream");
    return new FakeReply(kind, text, reasoning, toolCalls, usage, finishReason, this.error, afterChunks,
        error, description);
  }

  // ---- errors ----

  /**
   * {@return a {@link RateLimitedException} (status 429, retryable) that asks the caller to wait
   * {@code retryAfter}}
   *
   * @param retryAfter how long the caller is asked to wait
   * @throws NullPointerException when {@code retryAfter} is null
   * @throws IllegalArgumentException when {@code retryAfter} is negative
   */
  public static FakeReply rateLimited(Duration retryAfter) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
    }
    return failure("rateLimited(" + retryAfter + ")",
        provider -> new RateLimitedException(provider, retryAfter,
            "fake rate limit; retry after " + retryAfter.toMillis() + " ms"));
  }

  /**
   * {@return a {@link RateLimitedException} (status 429, retryable) without a retry-after delay}
   */
  public static FakeReply rateLimited() {
    return failure("rateLimited()", provider -> new RateLimitedException(provider, null, "fake rate limit"));
  }

  /**
   * {@return a retryable {@link ProviderException} with HTTP status {@code status}, such as 500,
   * 502, 503, 504 or Anthropic's 529 (overloaded)}
   *
   * @param status the HTTP status, from 500 to 599
   * @throws IllegalArgumentException when {@code status} is not between 500 and 599
   */
  public static FakeReply serverError(int status) {
    if (status < 500 || status > 599) {
      throw new IllegalArgumentException("status must be a 5xx status (500 to 599), was " + status
          + "; use error(ProviderException) for other failures");
    }
    return failure("serverError(" + status + ")",
        provider -> new ProviderException(provider, status, true, "fake server error " + status));
  }

  /**
   * {@return a {@link ProviderTimeoutException}: the provider did not answer in time (no status,
   * retryable)}
   */
  public static FakeReply timeout() {
    return failure("timeout()", provider -> new ProviderTimeoutException(provider, "fake provider timed out", null));
  }

  /** {@return a {@link ContextWindowExceededException} with status 400 (not retryable)} */
  public static FakeReply contextWindowExceeded() {
    return failure("contextWindowExceeded()",
        provider -> new ContextWindowExceededException(provider, 400, "fake context window exceeded"));
  }

  /** {@return an {@link AuthenticationException} with status 401 (not retryable)} */
  public static FakeReply authenticationFailed() {
    return failure("authenticationFailed()",
        provider -> new AuthenticationException(provider, 401, "fake authentication failure"));
  }

  /** {@return a {@link ContentFilteredException} with status 400 (not retryable)} */
  public static FakeReply contentFiltered() {
    return failure("contentFiltered()",
        provider -> new ContentFilteredException(provider, 400, "fake content filter refused the request"));
  }

  /**
   * Throws {@code error}, the same instance on every call that uses this reply.
   *
   * @param error the exception to throw
   * @return a reply that throws {@code error}
   * @throws NullPointerException when {@code error} is null
   */
  public static FakeReply error(ProviderException error) {
    Objects.requireNonNull(error, "error");
    return failure("error(" + error.getClass().getSimpleName() + ")", provider -> error);
  }

  /**
   * {@return a call that never answers: it blocks until the call's {@link
   * CallContext#cancellation() cancellation token} fires and then throws the token's {@linkplain
   * CancellationToken#reason() reason} (a {@link CallCancelledException} unless the token was fired
   * with another exception, such as the gateway's deadline)} A {@link FakeChatProvider#stream
   * stream} call hangs before the stream starts. The token may fire before the call begins to wait:
   * the call then ends at once. A call without a token cannot be ended, so it throws {@link
   * IllegalStateException} instead of blocking forever.
   */
  public static FakeReply hang() {
    return new FakeReply(Kind.HANG, "", "", List.of(), null, null, null, -1, null, "hang()");
  }

  // ---- package-private accessors for FakeChatProvider ----

  Kind kind() {
    return kind;
  }

  String contentText() {
    return text;
  }

  String contentReasoning() {
    return reasoning;
  }

  List<ToolCall> contentToolCalls() {
    return toolCalls;
  }

  @Nullable Usage scriptedUsage() {
    return usage;
  }

  @Nullable FinishReason scriptedFinishReason() {
    return finishReason;
  }

  int failAfterChunks() {
    return failAfterChunks;
  }

  @Nullable ProviderException midStreamError() {
    return midStreamError;
  }

  /** The exception an error reply throws for provider {@code providerId}. */
  ProviderException errorFor(String providerId) {
    if (error == null) {
      throw new IllegalStateException(this + " is not an error reply");
    }
    return error.apply(providerId);
  }

  private void requireContent(String method) {
    if (kind != Kind.CONTENT) {
      throw new IllegalStateException(method + " applies to text and tool-call replies, not to " + description);
    }
  }

  // ---- rendering a content reply as the fake provider answers it ----

  /** This content reply as a blocking answer to {@code request}. */
  ChatResponse toResponse(ChatRequest request, String responseId) {
    FakeReply reply = this;
    List<ToolCall> calls = reply.contentToolCalls();
    Message message = calls.isEmpty() ? Message.assistant(reply.contentText()) : Message.assistant(reply.contentText(), calls);
    return ChatResponse.builder()
        .id(responseId)
        .model(request.model())
        .message(message)
        .reasoning(reply.contentReasoning())
        .finishReason(finishReason(reply))
        .usage(usage(request, reply))
        .build();
  }

  /** This content reply as stream chunks of {@code chunkSize} characters. */
  List<ChatChunk> toChunks(ChatRequest request, String responseId, int chunkSize) {
    FakeReply reply = this;
    List<ChatChunk.Builder> pieces = new ArrayList<>();
    for (String part : split(reply.contentReasoning(), chunkSize)) {
      pieces.add(ChatChunk.builder().reasoning(part));
    }
    for (String part : split(reply.contentText(), chunkSize)) {
      pieces.add(ChatChunk.builder().text(part));
    }
    List<ToolCall> calls = reply.contentToolCalls();
    for (int i = 0; i < calls.size(); i++) {
      ToolCall call = calls.get(i);
      String arguments = call.arguments();
      int half = safeCut(arguments, arguments.length() / 2);
      pieces.add(ChatChunk.builder()
          .toolCalls(List.of(ToolCallDelta.start(i, call.id(), call.name(), arguments.substring(0, half)))));
      pieces.add(ChatChunk.builder().toolCalls(List.of(ToolCallDelta.arguments(i, arguments.substring(half)))));
    }
    pieces.add(ChatChunk.builder().finishReason(finishReason(reply)).usage(usage(request, reply)));
    pieces.get(0).id(responseId).model(request.model());
    List<ChatChunk> chunks = new ArrayList<>(pieces.size());
    for (ChatChunk.Builder piece : pieces) {
      chunks.add(piece.build());
    }
    return chunks;
  }

  /** {@code text} in pieces of {@code size} characters, never splitting a surrogate pair. */
  private static List<String> split(String text, int size) {
    List<String> parts = new ArrayList<>(text.length() / size + 1);
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(text.length(), start + size);
      int cut = safeCut(text, end);
      end = cut > start ? cut : Math.min(text.length(), end + 1);
      parts.add(text.substring(start, end));
      start = end;
    }
    return parts;
  }

  /** {@code at}, moved back by one if it would split a surrogate pair. */
  private static int safeCut(String text, int at) {
    if (at > 0 && at < text.length() && Character.isHighSurrogate(text.charAt(at - 1))
        && Character.isLowSurrogate(text.charAt(at))) {
      return at - 1;
    }
    return at;
  }

  private static FinishReason finishReason(FakeReply reply) {
    FinishReason scripted = reply.scriptedFinishReason();
    if (scripted != null) {
      return scripted;
    }
    return reply.contentToolCalls().isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
  }

  private static Usage usage(ChatRequest request, FakeReply reply) {
    Usage scripted = reply.scriptedUsage();
    if (scripted != null) {
      return scripted;
    }
    long inputChars = 0;
    for (Message message : request.messages()) {
      inputChars += message.text().length();
    }
    long answerChars = reply.contentText().length();
    for (ToolCall call : reply.contentToolCalls()) {
      answerChars += call.name().length() + call.arguments().length();
    }
    long reasoningTokens = TokenEstimate.ofChars(reply.contentReasoning().length());
    return new Usage(
        TokenEstimate.ofChars(inputChars), TokenEstimate.ofChars(answerChars) + reasoningTokens, 0, 0, reasoningTokens);
  }

  /** The kind and sizes of the reply; never its content. */
  @Override
  public String toString() {
    if (kind != Kind.CONTENT) {
      return "FakeReply[" + description + "]";
    }
    StringBuilder sb = new StringBuilder("FakeReply[text=").append(text.length()).append(" chars");
    if (!reasoning.isEmpty()) {
      sb.append(", reasoning=").append(reasoning.length()).append(" chars");
    }
    if (!toolCalls.isEmpty()) {
      sb.append(", toolCalls=").append(toolCalls);
    }
    if (usage != null) {
      sb.append(", usage=").append(usage);
    }
    if (finishReason != null) {
      sb.append(", finishReason=").append(finishReason);
    }
    if (midStreamError != null) {
      sb.append(", failMidStream after ").append(failAfterChunks).append(" chunks");
    }
    return sb.append(']').toString();
  }
}
