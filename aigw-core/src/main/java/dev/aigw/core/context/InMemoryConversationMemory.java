package dev.aigw.core.context;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.aigw.api.Message;
import dev.aigw.api.TimeSource;
import dev.aigw.core.internal.ConversationTurns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ConversationMemory} in the JVM's heap, backed by Caffeine: at most {@link
 * Builder#maxConversations} conversations (the least likely to be used again are evicted first),
 * each of at most {@link Builder#maxMessages} messages, optionally forgotten after a time without
 * use measured on a {@link TimeSource} (the testkit's {@code ManualClock} in tests).
 *
 * <pre>{@code
 * ConversationMemory memory = InMemoryConversationMemory.builder()
 *     .maxConversations(50_000).maxMessages(100).expireAfterIdle(Duration.ofHours(2)).build();
 * }</pre>
 *
 * <p>A conversation over its message bound loses its oldest turns, whole: a turn is a user
 * message and what follows it up to the next user message, and an assistant message that called
 * tools stays with the results that answer it. So the conversation still starts with a user
 * message and holds no tool result without its call. The latest turn is kept whole even when it
 * alone is over the bound.
 *
 * <p>Thread-safe: each {@link #append} is atomic. Maintenance runs on the calling thread; the
 * memory starts no thread.
 */
public final class InMemoryConversationMemory implements ConversationMemory {
  /** The most conversations kept unless set: 10,000. */
  public static final long DEFAULT_MAX_CONVERSATIONS = 10_000;

  /** The most messages kept per conversation unless set: 200. */
  public static final int DEFAULT_MAX_MESSAGES = 200;

  private final Cache<String, List<Message>> conversations;
  private final int maxMessages;

  private InMemoryConversationMemory(Builder b) {
    this.maxMessages = b.maxMessages;
    Caffeine<Object, Object> caffeine = Caffeine.newBuilder()
        .maximumSize(b.maxConversations)
        .executor(Runnable::run);
    if (b.expireAfterIdle != null) {
      TimeSource time = b.timeSource;
      caffeine.expireAfterAccess(b.expireAfterIdle).ticker(time::nanoTime);
    }
    this.conversations = caffeine.build();
  }

  /**
   * {@return a memory with the defaults: 10,000 conversations of 200 messages, kept until evicted}
   */
  public static InMemoryConversationMemory create() {
    return builder().build();
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<Message> load(String conversation) {
    Objects.requireNonNull(conversation, "conversation");
    List<Message> messages = conversations.getIfPresent(conversation);
    return messages == null ? List.of() : messages;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Then drops the oldest turns while the conversation is over its message bound.
   */
  @Override
  public void append(String conversation, List<Message> exchange) {
    Objects.requireNonNull(conversation, "conversation");
    List<Message> added = List.copyOf(Objects.requireNonNull(exchange, "exchange"));
    conversations.asMap().compute(conversation, (id, before) -> {
      List<Message> all = new ArrayList<>((before == null ? 0 : before.size()) + added.size());
      if (before != null) {
        all.addAll(before);
      }
      all.addAll(added);
      return bounded(all);
    });
  }

  @Override
  public void clear(String conversation) {
    conversations.invalidate(Objects.requireNonNull(conversation, "conversation"));
  }

  /**
   * {@return the number of conversations kept now (after pending evictions and expiries are
   * applied)}
   */
  public long conversationCount() {
    conversations.cleanUp();
    return conversations.estimatedSize();
  }

  private List<Message> bounded(List<Message> all) {
    if (all.size() <= maxMessages) {
      return List.copyOf(all);
    }
    ConversationTurns turns = ConversationTurns.of(all);
    int drop = 0;
    while (drop < turns.groups() - 1 && all.size() - turns.droppedCount(drop) > maxMessages) {
      drop++;
    }
    return List.copyOf(turns.without(drop, null));
  }

  @Override
  public String toString() {
    return "InMemoryConversationMemory[conversations=" + conversations.estimatedSize() + ", maxMessages=" + maxMessages + "]";
  }

  /**
   * Builds an {@link InMemoryConversationMemory}. Each setter checks its argument at once: {@code
   * null} gives a {@link NullPointerException} naming the argument, any other bad value an {@link
   * IllegalArgumentException} that says what is wrong.
   */
  public static final class Builder {
    private long maxConversations = DEFAULT_MAX_CONVERSATIONS;
    private int maxMessages = DEFAULT_MAX_MESSAGES;
    private @Nullable Duration expireAfterIdle;
    private TimeSource timeSource = TimeSource.system();

    private Builder() {}

    /**
     * The most conversations kept; {@value InMemoryConversationMemory#DEFAULT_MAX_CONVERSATIONS}
     * by default.
     *
     * @param conversations the most conversations
     * @return this builder
     * @throws IllegalArgumentException when {@code conversations} is not positive
     */
    public Builder maxConversations(long conversations) {
      if (conversations <= 0) {
        throw new IllegalArgumentException("maxConversations must be positive, was " + conversations);
      }
      this.maxConversations = conversations;
      return this;
    }

    /**
     * The most messages kept per conversation; {@value
     * InMemoryConversationMemory#DEFAULT_MAX_MESSAGES} by default.
     *
     * @param messages the most messages per conversation
     * @return this builder
     * @throws IllegalArgumentException when {@code messages} is not positive
     */
    public Builder maxMessages(int messages) {
      if (messages <= 0) {
        throw new IllegalArgumentException("maxMessages must be positive, was " + messages);
      }
      this.maxMessages = messages;
      return this;
    }

    /**
     * Forgets a conversation not loaded or appended to for {@code idle}; never by default.
     *
     * @param idle how long an unused conversation is kept
     * @return this builder
     * @throws IllegalArgumentException when {@code idle} is not positive
     */
    public Builder expireAfterIdle(Duration idle) {
      Objects.requireNonNull(idle, "expireAfterIdle");
      if (idle.isZero() || idle.isNegative()) {
        throw new IllegalArgumentException("expireAfterIdle must be positive, was " + idle);
      }
      this.expireAfterIdle = idle;
      return this;
    }

    /**
     * The clock that measures idleness: pass the gateway's clock; {@link TimeSource#system()} by
     * default.
     *
     * @param timeSource the clock
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * Builds the memory.
     *
     * @return the new {@code InMemoryConversationMemory}
     */
    public InMemoryConversationMemory build() {
      return new InMemoryConversationMemory(this);
    }
  }
}
