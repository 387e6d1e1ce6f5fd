package dev.aigw.core.cache;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentPart;
import dev.aigw.api.Cost;
import dev.aigw.api.ResponseMetadata;
import dev.aigw.api.Target;
import dev.aigw.api.ToolCall;
import dev.aigw.api.ToolCallDelta;
import dev.aigw.api.internal.StreamAccumulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the cache stores: one complete answer, as the chunks a stream delivered or as a blocking
 * response; either form converts to the other. Immutable and thread-safe.
 *
 * <p>Only the answer is kept, not the {@link ResponseMetadata} of the call that produced it
 * (attempts, latency, attributes describe that call, not a later cache hit): {@link
 * #toResponse()} carries {@link ResponseMetadata#empty()}. What a hit reports about its origin is
 * kept separately: {@link #storedAt()}, {@link #target()} and {@link #cost()}.
 *
 * <p>{@link #toString()} shows sizes only, never content.
 */
public final class CachedResponse {
  // Rough HotSpot sizes (64-bit, compressed oops), for the weigher.
  private static final long BASE_OVERHEAD = 128; // this object, its Instant and Optionals
  private static final long STRING_OVERHEAD = 40; // String object and its array header
  private static final long RESPONSE_OVERHEAD = 160; // ChatResponse, Message, lists, one part
  private static final long CHUNK_OVERHEAD = 64; // ChatChunk and its list slot
  private static final long TOOL_CALL_OVERHEAD = 64; // ToolCall or ToolCallDelta with Optionals
  private static final long USAGE_OVERHEAD = 64;
  private static final long TARGET_OVERHEAD = 24;
  private static final long COST_OVERHEAD = 96; // Cost, BigDecimal, BigInteger when large

  private final @Nullable ChatResponse response;
  private final @Nullable List<ChatChunk> chunks;
  private final Instant storedAt;
  private final @Nullable Target target;
  private final @Nullable Cost cost;
  private final long weightBytes;

  private CachedResponse(
      @Nullable ChatResponse response,
      @Nullable List<ChatChunk> chunks,
      Instant storedAt,
      @Nullable Target target,
      @Nullable Cost cost) {
    this.response = response;
    this.chunks = chunks;
    this.storedAt = storedAt;
    this.target = target;
    this.cost = cost;
    this.weightBytes = weigh();
  }

  /**
   * {@return a blocking response, as the cache stores it} Its metadata is dropped.
   *
   * @param response the answer
   * @param storedAt when it was stored (the gateway's clock)
   * @param target the target that produced it, when known
   * @param cost what the original call cost, when it was priced (reported as saved on a hit)
   * @throws NullPointerException when {@code response} or {@code storedAt} is null
   */
  public static CachedResponse ofResponse(
      ChatResponse response, Instant storedAt, @Nullable Target target, @Nullable Cost cost) {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(storedAt, "storedAt");
    ChatResponse stripped = response.metadata().equals(ResponseMetadata.empty())
        ? response
        : response.toBuilder().metadata(ResponseMetadata.empty()).build();
    return new CachedResponse(stripped, null, storedAt, target, cost);
  }

  /**
   * {@return a streamed answer, as the chunks the stream delivered, in order} The list is copied.
   *
   * @param chunks every chunk of the stream, in order
   * @param storedAt when it was stored (the gateway's clock)
   * @param target the target that produced it, when known
   * @param cost what the original call cost, when it was priced (reported as saved on a hit)
   * @throws NullPointerException when {@code chunks}, one of its elements or {@code storedAt} is
   *     null
   * @throws IllegalArgumentException when the chunks do not assemble into a response (a tool
   *     call never received its name)
   */
  public static CachedResponse ofChunks(
      List<ChatChunk> chunks, Instant storedAt, @Nullable Target target, @Nullable Cost cost) {
    List<ChatChunk> copy = List.copyOf(Objects.requireNonNull(chunks, "chunks"));
    Objects.requireNonNull(storedAt, "storedAt");
    try {
      accumulate(copy);
    } catch (AiGatewayException e) {
      throw new IllegalArgumentException("the chunks do not make a complete response: " + e.getMessage(), e);
    }
    return new CachedResponse(null, copy, storedAt, target, cost);
  }

  /**
   * {@return the answer as a blocking response, with {@link ResponseMetadata#empty()}} From chunks,
   * they are assembled as {@link dev.aigw.api.ChatStream#collect()} does: text and reasoning
   * concatenated, tool calls assembled from their fragments, the first id and model, the last
   * finish reason and usage reported (when no finish reason was reported: {@code TOOL_CALLS} if
   * there are tool calls, else {@code STOP}; when no id or model, {@code "unknown"}).
   */
  public ChatResponse toResponse() {
    if (response != null) {
      return response;
    }
    return accumulate(Objects.requireNonNull(chunks));
  }

  /**
   * {@return the answer as a stream's chunks} From chunks, the stored chunks as they were. From a
   * response, a faithful sequence: a reasoning chunk (when there is reasoning), a text chunk
   * (when there is text), one chunk per tool call holding its start fragment with the full
   * arguments, and a final chunk with the finish reason and usage; the first chunk carries the
   * id and model. Assembling them gives back the response's text, reasoning, tool calls, finish
   * reason, usage, id and model.
   */
  public List<ChatChunk> toChunks() {
    if (chunks != null) {
      return chunks;
    }
    ChatResponse r = Objects.requireNonNull(response);
    List<ChatChunk.Builder> builders = new ArrayList<>();
    if (!r.reasoning().isEmpty()) {
      builders.add(ChatChunk.builder().reasoning(r.reasoning()));
    }
    String text = r.text();
    if (!text.isEmpty()) {
      builders.add(ChatChunk.builder().text(text));
    }
    List<ToolCall> calls = r.toolCalls();
    for (int i = 0; i < calls.size(); i++) {
      ToolCall call = calls.get(i);
      builders.add(ChatChunk.builder().toolCalls(List.of(ToolCallDelta.start(i, call.id(), call.name(), call.arguments()))));
    }
    ChatChunk.Builder last = ChatChunk.builder().finishReason(r.finishReason());
    r.usage().ifPresent(last::usage);
    builders.add(last);
    builders.get(0).id(r.id()).model(r.model());
    List<ChatChunk> out = new ArrayList<>(builders.size());
    for (ChatChunk.Builder b : builders) {
      out.add(b.build());
    }
    return List.copyOf(out);
  }

  /** {@return when the answer was stored, on the gateway's clock} */
  public Instant storedAt() {
    return storedAt;
  }

  /** {@return the target that produced the answer, when known} */
  public Optional<Target> target() {
    return Optional.ofNullable(target);
  }

  /** {@return what the original call cost, when it was priced: what a hit saves} */
  public Optional<Cost> cost() {
    return Optional.ofNullable(cost);
  }

  /**
   * {@return an estimate of the heap this entry holds, in bytes: two bytes per char of every string
   * (text, reasoning, tool calls, ids) plus fixed overheads per object} Computed once; the
   * in-memory store weighs entries by it.
   */
  public long weightBytes() {
    return weightBytes;
  }

  private static ChatResponse accumulate(List<ChatChunk> chunks) {
    StreamAccumulator accumulator = new StreamAccumulator();
    for (ChatChunk chunk : chunks) {
      accumulator.add(chunk);
    }
    return accumulator.toResponse(ResponseMetadata.empty());
  }

  private long weigh() {
    long w = BASE_OVERHEAD;
    if (target != null) {
      w += TARGET_OVERHEAD + string(target.provider()) + string(target.model());
    }
    if (cost != null) {
      w += COST_OVERHEAD;
    }
    if (response != null) {
      w += RESPONSE_OVERHEAD + string(response.id()) + string(response.model()) + string(response.reasoning());
      for (ContentPart part : response.message().content()) {
        w += 16 + (part instanceof ContentPart.Text t ? string(t.text()) : 0);
      }
      for (ToolCall call : response.toolCalls()) {
        w += TOOL_CALL_OVERHEAD + string(call.id()) + string(call.name()) + string(call.arguments());
      }
      if (response.usage().isPresent()) {
        w += USAGE_OVERHEAD;
      }
    } else {
      List<ChatChunk> list = Objects.requireNonNull(chunks);
      w += 16 + 4L * list.size();
      for (ChatChunk c : list) {
        w += CHUNK_OVERHEAD + string(c.text()) + string(c.reasoning());
        w += c.id().map(CachedResponse::string).orElse(0L) + c.model().map(CachedResponse::string).orElse(0L);
        for (ToolCallDelta d : c.toolCalls()) {
          w += TOOL_CALL_OVERHEAD + string(d.arguments());
          w += d.id().map(CachedResponse::string).orElse(0L) + d.name().map(CachedResponse::string).orElse(0L);
        }
        if (c.usage().isPresent()) {
          w += USAGE_OVERHEAD;
        }
      }
    }
    return w;
  }

  private static long string(String s) {
    return s.isEmpty() ? 0 : STRING_OVERHEAD + 2L * s.length();
  }

  /** Equal when both hold the same form (response or chunks) with equal content, time, target and cost. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CachedResponse other
        && Objects.equals(response, other.response)
        && Objects.equals(chunks, other.chunks)
        && storedAt.equals(other.storedAt)
        && Objects.equals(target, other.target)
        && Objects.equals(cost, other.cost);
  }

  @Override
  public int hashCode() {
    return Objects.hash(response, chunks, storedAt, target, cost);
  }

  /** The form, sizes, time, target and cost; never content. */
  @Override
  public String toString() {
    return "CachedResponse[" + (response != null ? "response" : chunks.size() + " chunks")
        + ", storedAt=" + storedAt + ", target=" + target + ", cost=" + cost + ", weight=" + weightBytes + "]";
  }
}
