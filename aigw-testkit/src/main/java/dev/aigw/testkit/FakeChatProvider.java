package dev.aigw.testkit;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallCancelledException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatProvider;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Embedding;
import dev.aigw.api.EmbeddingProvider;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.EmbeddingResponse;
import dev.aigw.api.FinishReason;
import dev.aigw.api.ProviderException;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.TimeSource;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.Usage;
import dev.aigw.testkit.internal.CallControl;
import dev.aigw.testkit.internal.HashedEmbedding;
import dev.aigw.testkit.internal.Nanos;
import dev.aigw.testkit.internal.ReplySequence;
import dev.aigw.testkit.internal.ScriptedStreamSource;
import dev.aigw.testkit.internal.TokenEstimate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A chat and embedding provider for unit tests: it answers from scripts, simulates latency,
 * streaming cadence and failure rates (after Retrofit's {@code NetworkBehavior}), honours
 * cancellation, and records every request it receives. Thread-safe.
 *
 * <pre>{@code
 * FakeChatProvider fake = FakeChatProvider.builder()
 *     .reply(FakeReply.serverError(503), FakeReply.text("Paris."))   // first call fails, then "Paris." forever
 *     .reply("small-model", FakeReply.contextWindowExceeded())
 *     .replyWhen(r -> r.lastUserText().contains("weather"),
 *         FakeReply.toolCalls(new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}")))
 *     .build();
 *
 * ChatResponse answer = fake.chat(ChatRequest.of("big-model", "Capital of France?"), CallContext.empty());
 * assertThat(fake.requests()).hasSize(1);
 * }</pre>
 *
 * <h2>Which reply answers a chat call</h2>
 *
 * <ol>
 *   <li>With a {@linkplain Builder#failureRate failure rate}, a seeded random draw first decides
 *       whether the call gets the failure reply instead; a failed call does not use up a scripted
 *       reply.
 *   <li>Otherwise the first {@linkplain Builder#replyWhen predicate script} (in registration order)
 *       whose predicate accepts the request, then the {@linkplain Builder#reply(String, FakeReply...)
 *       script for the request's model}, then the {@linkplain Builder#reply(FakeReply...) default
 *       script}. A script's replies are used in order, one per call it answers, and its last reply
 *       repeats.
 *   <li>With no matching script the fake echoes: its answer is {@code "fake answer to: "} followed
 *       by the first 40 characters of the request's {@linkplain ChatRequest#lastUserText() last
 *       user message}.
 * </ol>
 *
 * <h2>What an answer holds</h2>
 *
 * <p>A {@link #chat chat} answer has id {@code "fake-<n>"} (n counting responses from 1), the
 * request's model, the reply's text, tool calls and reasoning, its finish reason ({@link
 * FinishReason#TOOL_CALLS} when it calls tools and {@link FinishReason#STOP} otherwise, unless the
 * reply sets one) and its usage. Unless the reply sets a usage, it is estimated at one token per
 * four characters, rounded up (so any non-empty text costs at least one token): input tokens from
 * the text of all the request's messages; output tokens from the answer's text plus its tool
 * calls' names and arguments, plus its reasoning, which is also reported as reasoning tokens.
 *
 * <p>A {@link #stream stream} carries the same answer as chunks: the reasoning, then the text,
 * each split into pieces of {@linkplain Builder#chunkSize chunk size} characters; then each tool
 * call as two {@link ToolCallDelta} fragments (id, name and the first half of the arguments; then
 * the rest of the arguments); then a last chunk with only the finish reason and usage. The first
 * chunk also carries the response id and model. {@link ChatStream#collect()} on it gives the
 * {@code chat} answer (with its own id).
 *
 * <h2>Timing and cancellation</h2>
 *
 * <p>A call waits its {@linkplain Builder#latency latency} (with {@linkplain
 * Builder#latencyVariance variance}) before it answers or fails; a stream waits it before {@code
 * stream} returns, then the {@linkplain Builder#timeToFirstChunk time to first chunk} before its
 * first chunk and the {@linkplain Builder#chunkInterval chunk interval} before each later one.
 * Waits use real time, or the timers of a {@linkplain Builder#timeSource time source} such as a
 * {@link ManualClock}. By default nothing waits and the fake never blocks or starts a thread
 * (except for {@link FakeReply#hang()}).
 *
 * <p>Every wait ends at once when the context's {@linkplain CallContext#cancellation()
 * cancellation token} fires (even if it fired before the call began), and the call then throws the
 * token's {@linkplain CancellationToken#reason() reason}. Closing a stream before its end, from any
 * thread, ends a pending read with a {@link CallCancelledException}. A call made without a token
 * (as when a test calls the fake directly) can still be waited on, but not cancelled. Each call or
 * stream ended by cancellation, interruption or an early close is counted in {@link
 * #cancellations()}.
 *
 * <h2>Embeddings</h2>
 *
 * <p>{@link #embed embed} returns, for each input, a unit-length vector derived from a hash of the
 * input's text, so equal texts get equal vectors on every run; its dimensions are those the
 * request asks for, else {@linkplain Builder#embeddingDimensions the configured number}. Usage
 * counts input tokens with the same estimate. Latency, cancellation and failure rates apply (a
 * failure reply that is not an error or {@link FakeReply#hang()} is ignored); scripts do not.
 */
public final class FakeChatProvider implements ChatProvider, EmbeddingProvider {
  private static final Pattern ID = Pattern.compile("[a-z0-9._-]+");
  private static final String ECHO_PREFIX = "fake answer to: ";
  private static final int ECHO_CHARS = 40;

  private final String id;
  private final @Nullable String providerName;
  private final List<PredicateScript> predicateScripts;
  private final Map<String, ReplySequence<FakeReply>> modelScripts;
  private final @Nullable ReplySequence<FakeReply> defaultScript;
  private final Duration latency;
  private final double latencyVariance;
  private final Duration timeToFirstChunk;
  private final Duration chunkInterval;
  private final int chunkSize;
  private final double failureRate;
  private final @Nullable FakeReply failure;
  private final Random random;
  private final int embeddingDimensions;
  private final @Nullable TimeSource timeSource;

  private final AtomicLong responseIds = new AtomicLong();
  private final AtomicInteger cancellations = new AtomicInteger();
  private final List<RecordedRequest> recorded = new ArrayList<>();
  private volatile boolean closed;

  private record PredicateScript(Predicate<ChatRequest> condition, ReplySequence<FakeReply> replies) {}

  private FakeChatProvider(Builder b) {
    this.id = b.id;
    this.providerName = b.providerName;
    List<PredicateScript> predicates = new ArrayList<>(b.predicateScripts.size());
    for (Map.Entry<Predicate<ChatRequest>, List<FakeReply>> e : b.predicateScripts) {
      predicates.add(new PredicateScript(e.getKey(), new ReplySequence<>(e.getValue())));
    }
    this.predicateScripts = List.copyOf(predicates);
    Map<String, ReplySequence<FakeReply>> byModel = new HashMap<>();
    b.modelScripts.forEach((model, replies) -> byModel.put(model, new ReplySequence<>(replies)));
    this.modelScripts = Map.copyOf(byModel);
    this.defaultScript = b.defaultReplies == null ? null : new ReplySequence<>(b.defaultReplies);
    this.latency = b.latency;
    this.latencyVariance = b.latencyVariance;
    this.timeToFirstChunk = b.timeToFirstChunk;
    this.chunkInterval = b.chunkInterval;
    this.chunkSize = b.chunkSize;
    this.failureRate = b.failureRate;
    this.failure = b.failure;
    this.random = new Random(b.seed);
    this.embeddingDimensions = b.embeddingDimensions;
    this.timeSource = b.timeSource;
  }

  /**
   * {@return a new builder: id {@code "fake"}, no scripts (so the fake echoes), no latency, no
   * failures}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The provider id, {@code "fake"} unless the builder set another. */
  @Override
  public String id() {
    return id;
  }

  /** The provider's name (its kind), the id unless the builder set another. */
  @Override
  public String providerName() {
    return providerName != null ? providerName : id;
  }

  /**
   * Answers {@code request} with the reply chosen as the {@linkplain FakeChatProvider class
   * documentation} describes, after the configured latency.
   *
   * @throws ProviderException the reply's error, or the error of a {@link
   *     FakeReply#failMidStream} reply
   * @throws AiGatewayException the cancellation token's reason when the token fires before the
   *     answer; a {@link CallCancelledException} when the waiting thread is interrupted
   * @throws IllegalStateException when the reply is {@link FakeReply#hang()} and the context has
   *     no cancellation token
   * @throws NullPointerException when an argument is null
   */
  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    record(new RecordedRequest(request, context, false));
    CallControl control = CallControl.start(context.cancellation(), timeSource);
    try {
      FakeReply reply = begin(request, control);
      ProviderException brokenOff = reply.midStreamError();
      if (brokenOff != null) {
        throw brokenOff;
      }
      return reply.toResponse(request, nextResponseId());
    } catch (RuntimeException e) {
      countIfCancelled(control, e);
      throw e;
    } finally {
      control.close();
    }
  }

  /**
   * Streams the answer to {@code request}: waits the configured latency, then returns a stream
   * whose chunks arrive with the configured cadence (see the {@linkplain FakeChatProvider class
   * documentation}). Error replies and {@link FakeReply#hang()} act here, before the stream
   * starts; a {@link FakeReply#failMidStream} reply fails during iteration. Closing the returned
   * stream before its end cancels it.
   *
   * @throws ProviderException the reply's error
   * @throws AiGatewayException the cancellation token's reason when the token fires before the
   *     stream starts; a {@link CallCancelledException} when the waiting thread is interrupted
   * @throws IllegalStateException when the reply is {@link FakeReply#hang()} and the context has
   *     no cancellation token
   * @throws NullPointerException when an argument is null
   */
  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    record(new RecordedRequest(request, context, true));
    CallControl control = CallControl.start(context.cancellation(), timeSource);
    try {
      FakeReply reply = begin(request, control);
      List<ChatChunk> chunks = reply.toChunks(request, nextResponseId(), chunkSize);
      ProviderException brokenOff = reply.midStreamError();
      int failAt = brokenOff == null ? -1 : Math.min(reply.failAfterChunks(), chunks.size() - 1);
      return ChatStream.of(new ScriptedStreamSource(
          chunks, failAt, brokenOff, timeToFirstChunk, chunkInterval, control, cancellations::incrementAndGet));
    } catch (RuntimeException e) {
      countIfCancelled(control, e);
      control.close();
      throw e;
    }
  }

  /**
   * Embeds each input as a deterministic unit vector (see the {@linkplain FakeChatProvider class
   * documentation}), after the configured latency.
   *
   * @throws ProviderException the failure reply's error, when the failure rate hits
   * @throws AiGatewayException the cancellation token's reason when the token fires before the
   *     answer; a {@link CallCancelledException} when the waiting thread is interrupted
   * @throws NullPointerException when an argument is null
   */
  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    record(new RecordedRequest(request, context, false));
    CallControl control = CallControl.start(context.cancellation(), timeSource);
    try {
      control.throwIfStopped();
      FakeReply failed = drawFailure();
      control.pause(drawLatency());
      if (failed != null && failed.kind() != FakeReply.Kind.CONTENT) {
        act(failed, control);
      }
      int dimensions = request.dimensions().orElse(embeddingDimensions);
      List<String> inputs = request.inputs();
      List<Embedding> embeddings = new ArrayList<>(inputs.size());
      long chars = 0;
      for (int i = 0; i < inputs.size(); i++) {
        embeddings.add(new Embedding(i, HashedEmbedding.of(inputs.get(i), dimensions)));
        chars += inputs.get(i).length();
      }
      return new EmbeddingResponse(
          request.model(), embeddings, Usage.of(TokenEstimate.ofChars(chars), 0), ResponseMetadata.empty());
    } catch (RuntimeException e) {
      countIfCancelled(control, e);
      throw e;
    } finally {
      control.close();
    }
  }

  /**
   * {@return every call received so far (chat, stream and embed), oldest first: an immutable
   * snapshot}
   */
  public List<RecordedRequest> requests() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  /** {@return the number of calls received so far} */
  public int requestCount() {
    synchronized (recorded) {
      return recorded.size();
    }
  }

  /**
   * {@return the number of calls and streams that ended because they were cancelled: the token
   * fired, the waiting thread was interrupted, or a stream was closed before its end was read}
   */
  public int cancellations() {
    return cancellations.get();
  }

  /**
   * Forgets the recorded requests and the cancellation count. Scripts keep their positions and the
   * random sequence continues.
   */
  public void reset() {
    synchronized (recorded) {
      recorded.clear();
      cancellations.set(0);
    }
  }

  /** {@return whether {@link #close()} was called, so a test can check that its owner closed it} */
  public boolean isClosed() {
    return closed;
  }

  /** Marks the fake closed. It keeps answering: closing only sets {@link #isClosed()}. */
  @Override
  public void close() {
    closed = true;
  }

  /** The id and the number of requests received. */
  @Override
  public String toString() {
    return "FakeChatProvider[id=" + id + ", requests=" + requestCount() + "]";
  }

  // ---- the call ----

  private void record(RecordedRequest request) {
    synchronized (recorded) {
      recorded.add(request);
    }
  }

  private String nextResponseId() {
    return "fake-" + responseIds.incrementAndGet();
  }

  private void countIfCancelled(CallControl control, RuntimeException e) {
    if (control.isStopReason(e)) {
      cancellations.incrementAndGet();
    }
  }

  /** Picks the reply, waits the latency and acts out errors and hangs; returns a content reply. */
  private FakeReply begin(ChatRequest request, CallControl control) {
    control.throwIfStopped();
    FakeReply reply = chooseReply(request);
    control.pause(drawLatency());
    return act(reply, control);
  }

  private FakeReply act(FakeReply reply, CallControl control) {
    switch (reply.kind()) {
      case ERROR:
        throw reply.errorFor(id);
      case HANG:
        if (!control.hasToken()) {
          throw new IllegalStateException("FakeReply.hang() needs a CancellationToken in the CallContext:"
              + " without one the call could never end");
        }
        throw control.awaitStop();
      default:
        return reply;
    }
  }

  private FakeReply chooseReply(ChatRequest request) {
    FakeReply failed = drawFailure();
    if (failed != null) {
      return failed;
    }
    for (PredicateScript script : predicateScripts) {
      if (script.condition().test(request)) {
        return script.replies().next();
      }
    }
    ReplySequence<FakeReply> byModel = modelScripts.get(request.model());
    if (byModel != null) {
      return byModel.next();
    }
    if (defaultScript != null) {
      return defaultScript.next();
    }
    return FakeReply.text(echo(request));
  }

  private @Nullable FakeReply drawFailure() {
    FakeReply reply = failure;
    if (reply == null || failureRate == 0 || random.nextDouble() >= failureRate) {
      return null;
    }
    return reply;
  }

  private Duration drawLatency() {
    if (latency.isZero() || latencyVariance == 0) {
      return latency;
    }
    double factor = 1 - latencyVariance + 2 * latencyVariance * random.nextDouble();
    return Duration.ofNanos((long) (Nanos.of(latency) * factor));
  }

  private static String echo(ChatRequest request) {
    String last = request.lastUserText();
    int end = Math.min(last.length(), ECHO_CHARS);
    if (end < last.length() && Character.isHighSurrogate(last.charAt(end - 1))) {
      end--;
    }
    return ECHO_PREFIX + last.substring(0, end);
  }

  /**
   * Builds a {@link FakeChatProvider}. Each setter checks its argument at once: a null argument
   * throws {@link NullPointerException} and an invalid value {@link IllegalArgumentException},
   * each naming the argument. A builder can build several independent fakes; each gets its own
   * script positions and random sequence.
   */
  public static final class Builder {
    private String id = "fake";
    private @Nullable String providerName;
    private final List<Map.Entry<Predicate<ChatRequest>, List<FakeReply>>> predicateScripts = new ArrayList<>();
    private final Map<String, List<FakeReply>> modelScripts = new LinkedHashMap<>();
    private @Nullable List<FakeReply> defaultReplies;
    private Duration latency = Duration.ZERO;
    private double latencyVariance;
    private Duration timeToFirstChunk = Duration.ZERO;
    private Duration chunkInterval = Duration.ZERO;
    private int chunkSize = 8;
    private double failureRate;
    private @Nullable FakeReply failure;
    private long seed;
    private int embeddingDimensions = 8;
    private @Nullable TimeSource timeSource;

    private Builder() {}

    /**
     * The provider id, which errors carry as {@link ProviderException#provider()}; {@code "fake"}
     * by default.
     *
     * @param id the provider id
     * @return this builder
     * @throws IllegalArgumentException when {@code id} is not made of lower-case letters, digits,
     *     {@code -}, {@code _} and {@code .}
     */
    public Builder id(String id) {
      Objects.requireNonNull(id, "id");
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "id must be lower-case letters, digits, '-', '_' and '.', was '" + id + "'");
      }
      this.id = id;
      return this;
    }

    /**
     * The provider name the fake reports, as a real client reports its kind (for example {@code
     * "openai"} for any OpenAI client, whatever its id); the gateway finds models in its catalog
     * by it. The id by default.
     *
     * @param providerName the provider name the fake reports, as a real client reports its kind
     *     (for example {@code "openai"} for any OpenAI client, whatever its id); the gateway finds
     *     models in its catalog by it
     * @return this builder
     */
    public Builder providerName(String providerName) {
      this.providerName = Objects.requireNonNull(providerName, "providerName");
      return this;
    }

    /**
     * The default script: the replies for requests no predicate or model script answers, used in
     * order, the last one repeating. Without it such requests get the echo answer.
     *
     * @param replies the replies, in order
     * @return this builder
     * @throws IllegalArgumentException when {@code replies} is empty
     * @throws IllegalStateException when the default script was already set
     */
    public Builder reply(FakeReply... replies) {
      List<FakeReply> script = script(replies);
      if (defaultReplies != null) {
        throw new IllegalStateException("the default replies were already set");
      }
      defaultReplies = script;
      return this;
    }

    /**
     * The script for requests whose {@link ChatRequest#model()} equals {@code model} (the
     * provider's own model name, as the gateway passes it), used in order, the last one repeating.
     *
     * @param model the provider's own model name
     * @param replies the replies, in order
     * @return this builder
     * @throws IllegalArgumentException when {@code model} is blank or {@code replies} is empty
     * @throws IllegalStateException when a script for {@code model} was already set
     */
    public Builder reply(String model, FakeReply... replies) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      List<FakeReply> script = script(replies);
      if (modelScripts.containsKey(model)) {
        throw new IllegalStateException("the replies for model '" + model + "' were already set");
      }
      modelScripts.put(model, script);
      return this;
    }

    /**
     * A script for requests {@code condition} accepts, used in order, the last one repeating.
     * Predicate scripts are tried in the order they were added, before the model and default
     * scripts; {@code condition} runs on the calling thread of every chat and stream call until
     * one accepts.
     *
     * @param condition which requests the script answers
     * @param replies the replies, in order
     * @return this builder
     * @throws IllegalArgumentException when {@code replies} is empty
     */
    public Builder replyWhen(Predicate<ChatRequest> condition, FakeReply... replies) {
      Objects.requireNonNull(condition, "condition");
      predicateScripts.add(Map.entry(condition, script(replies)));
      return this;
    }

    /**
     * How long each call waits before it answers or fails (for streams: before {@code stream}
     * returns); zero by default, which never waits.
     *
     * @param latency how long the attempt took
     * @return this builder
     * @throws IllegalArgumentException when {@code latency} is negative
     */
    public Builder latency(Duration latency) {
      this.latency = nonNegative(latency, "latency");
      return this;
    }

    /**
     * How much the latency varies, as a fraction of it: each call waits a latency drawn uniformly
     * from {@code latency * (1 - variance)} to {@code latency * (1 + variance)} with the seeded
     * random. 0 (no variance) by default.
     *
     * @param variance the variance, from 0 to 1
     * @return this builder
     * @throws IllegalArgumentException when {@code variance} is not between 0 and 1
     */
    public Builder latencyVariance(double variance) {
      this.latencyVariance = fraction(variance, "variance");
      return this;
    }

    /**
     * How long a stream waits before its first chunk, after {@code stream} returned; zero by
     * default.
     *
     * @param timeToFirstChunk how long a stream waits before its first chunk, after {@code stream}
     *     returned; zero by default
     * @return this builder
     * @throws IllegalArgumentException when {@code timeToFirstChunk} is negative
     */
    public Builder timeToFirstChunk(Duration timeToFirstChunk) {
      this.timeToFirstChunk = nonNegative(timeToFirstChunk, "timeToFirstChunk");
      return this;
    }

    /**
     * How long a stream waits before each chunk after the first; zero by default.
     *
     * @param chunkInterval how long a stream waits before each chunk after the first; zero by
     *     default
     * @return this builder
     * @throws IllegalArgumentException when {@code chunkInterval} is negative
     */
    public Builder chunkInterval(Duration chunkInterval) {
      this.chunkInterval = nonNegative(chunkInterval, "chunkInterval");
      return this;
    }

    /**
     * How many characters of text (and of reasoning) each stream chunk carries; 8 by default. A
     * chunk ends one character early rather than split a surrogate pair.
     *
     * @param chars characters per chunk
     * @return this builder
     * @throws IllegalArgumentException when {@code chars} is not positive
     */
    public Builder chunkSize(int chars) {
      if (chars <= 0) {
        throw new IllegalArgumentException("chars must be positive, was " + chars);
      }
      this.chunkSize = chars;
      return this;
    }

    /**
     * Makes a fraction of the calls fail with {@code failure} instead of their scripted reply,
     * decided per call by the seeded random (see {@link #seed}). Typically {@code failure} is an
     * error or {@link FakeReply#hang()}; any reply is allowed. 0 (no failures) by default.
     *
     * @param rate the fraction of calls that fail, 0 to 1 (1 fails every call)
     * @param failure the reply failed calls get
     * @return this builder
     * @throws IllegalArgumentException when {@code rate} is not between 0 and 1
     */
    public Builder failureRate(double rate, FakeReply failure) {
      fraction(rate, "rate");
      this.failure = Objects.requireNonNull(failure, "failure");
      this.failureRate = rate;
      return this;
    }

    /**
     * The seed of the random that decides failures and latency variance; 0 by default, so a fake
     * behaves the same in every run. Calls made from one thread in the same order draw the same
     * outcomes.
     *
     * @param seed the seed of the random numbers
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The number of dimensions of embedding vectors when the request does not ask for a number;
     * 8 by default.
     *
     * @param dimensions the number of dimensions
     * @return this builder
     * @throws IllegalArgumentException when {@code dimensions} is not positive
     */
    public Builder embeddingDimensions(int dimensions) {
      if (dimensions <= 0) {
        throw new IllegalArgumentException("dimensions must be positive, was " + dimensions);
      }
      this.embeddingDimensions = dimensions;
      return this;
    }

    /**
     * Makes the fake wait on timers of {@code timeSource} instead of real time. With a {@link
     * ManualClock}, a waiting call ends only when the test advances the clock (or the call is
     * cancelled), so make such calls from another thread. By default waits use real time.
     *
     * @param timeSource the clock to wait on
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * Builds a fake with this builder's settings.
     *
     * @return the new {@code FakeChatProvider}
     */
    public FakeChatProvider build() {
      return new FakeChatProvider(this);
    }

    private static List<FakeReply> script(FakeReply[] replies) {
      Objects.requireNonNull(replies, "replies");
      if (replies.length == 0) {
        throw new IllegalArgumentException("replies must hold at least one reply");
      }
      for (int i = 0; i < replies.length; i++) {
        Objects.requireNonNull(replies[i], "replies[" + i + "]");
      }
      return List.of(replies);
    }

    private static Duration nonNegative(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + value);
      }
      return value;
    }

    private static double fraction(double value, String name) {
      if (Double.isNaN(value) || value < 0 || value > 1) {
        throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
      }
      return value;
    }
  }
}
