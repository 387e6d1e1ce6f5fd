package dev.aigw.api;

import dev.aigw.api.internal.Require;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who a call is for and how it should be handled: tenant, user and tags (for budgets, access
 * and telemetry), a deadline, the cache policy, route hints, a cancellation token and typed
 * attributes for interceptors. Immutable.
 *
 * <pre>{@code
 * CallContext context = CallContext.builder()
 *     .tenant("acme")
 *     .user("u-42")
 *     .timeout(Duration.ofSeconds(20))
 *     .cachePolicy(CachePolicy.BYPASS)
 *     .build();
 * }</pre>
 *
 * <p>{@link #toString()} names the tenant but never the user or attribute values.
 */
public final class CallContext {
  private static final CallContext EMPTY = new Builder().build();

  private final @Nullable String tenant;
  private final @Nullable String user;
  private final @Nullable String conversation;
  private final Set<String> tags;
  private final @Nullable Instant deadline;
  private final @Nullable Duration timeout;
  private final CachePolicy cachePolicy;
  private final RouteHints routeHints;
  private final @Nullable CancellationToken cancellation;
  private final Attributes attributes;

  private CallContext(Builder b) {
    this.tenant = b.tenant;
    this.user = b.user;
    this.conversation = b.conversation;
    this.tags = b.tags.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.tags));
    this.deadline = b.deadline;
    this.timeout = b.timeout;
    this.cachePolicy = b.cachePolicy;
    this.routeHints = b.routeHints;
    this.cancellation = b.cancellation;
    this.attributes = b.attributes;
  }

  /** {@return a context with nothing set} */
  public static CallContext empty() {
    return EMPTY;
  }

  /**
   * {@return a context for {@code tenant}}
   *
   * @param tenant the tenant id
   */
  public static CallContext tenant(String tenant) {
    return builder().tenant(tenant).build();
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this context's values} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** {@return the tenant the call is made for} */
  public Optional<String> tenant() {
    return Optional.ofNullable(tenant);
  }

  /** {@return the conversation the call belongs to, when set} */
  public Optional<String> conversation() {
    return Optional.ofNullable(conversation);
  }

  /** {@return the end user the call is made for} */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** {@return free-form tags, for budgets by tag and for telemetry} */
  public Set<String> tags() {
    return tags;
  }

  /** {@return the instant by which the call must end} */
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  /**
   * {@return the time the call may take from its start} With a deadline too, whichever ends first
   * applies.
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** {@return how the call uses the response cache; {@link CachePolicy#USE} by default} */
  public CachePolicy cachePolicy() {
    return cachePolicy;
  }

  /** {@return per-call routing adjustments} */
  public RouteHints routeHints() {
    return routeHints;
  }

  /** {@return the token that cancels the call} Inside the gateway every call has one. */
  public Optional<CancellationToken> cancellation() {
    return Optional.ofNullable(cancellation);
  }

  /**
   * {@return the value of a typed attribute}
   *
   * @param <T> the type of the key's values
   * @param key the attribute's key
   */
  public <T> Optional<T> attribute(AttributeKey<T> key) {
    return attributes.get(key);
  }

  /** {@return all typed attributes} */
  public Attributes attributes() {
    return attributes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallContext c
        && Objects.equals(tenant, c.tenant)
        && Objects.equals(user, c.user)
        && Objects.equals(conversation, c.conversation)
        && tags.equals(c.tags)
        && Objects.equals(deadline, c.deadline)
        && Objects.equals(timeout, c.timeout)
        && cachePolicy == c.cachePolicy
        && routeHints.equals(c.routeHints)
        && cancellation == c.cancellation
        && attributes.equals(c.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenant, user, conversation, tags, deadline, timeout, cachePolicy, routeHints, attributes);
  }

  @Override
  public String toString() {
    return "CallContext[tenant=" + tenant + (user == null ? "" : ", user=<set>")
        + (conversation == null ? "" : ", conversation=" + conversation) + ", tags=" + tags
        + (deadline == null ? "" : ", deadline=" + deadline) + (timeout == null ? "" : ", timeout=" + timeout)
        + ", cache=" + cachePolicy + (attributes.isEmpty() ? "" : ", attributes=" + attributes) + "]";
  }

  /** Builds a {@link CallContext}; each setter checks its argument at once. */
  public static final class Builder {
    private @Nullable String tenant;
    private @Nullable String user;
    private @Nullable String conversation;
    private final Set<String> tags = new LinkedHashSet<>();
    private @Nullable Instant deadline;
    private @Nullable Duration timeout;
    private CachePolicy cachePolicy = CachePolicy.USE;
    private RouteHints routeHints = RouteHints.none();
    private @Nullable CancellationToken cancellation;
    private Attributes attributes = Attributes.empty();

    private Builder() {}

    private Builder(CallContext c) {
      tenant = c.tenant;
      user = c.user;
      conversation = c.conversation;
      tags.addAll(c.tags);
      deadline = c.deadline;
      timeout = c.timeout;
      cachePolicy = c.cachePolicy;
      routeHints = c.routeHints;
      cancellation = c.cancellation;
      attributes = c.attributes;
    }

    /**
     * The tenant; non-blank.
     *
     * @param tenant the tenant id
     * @return this builder
     */
    public Builder tenant(String tenant) {
      this.tenant = Require.nonBlank(tenant, "tenant");
      return this;
    }

    /**
     * The end user; non-blank.
     *
     * @param user the end user; non-blank
     * @return this builder
     */
    public Builder user(String user) {
      this.user = Require.nonBlank(user, "user");
      return this;
    }

    /**
     * The conversation this call belongs to; non-blank. With conversation memory the gateway adds
     * the conversation's earlier turns to the request; summaries of dropped turns are cached per
     * conversation; telemetry records it as {@code gen_ai.conversation.id}.
     *
     * @param conversation the conversation this call belongs to; non-blank
     * @return this builder
     */
    public Builder conversation(String conversation) {
      this.conversation = Require.nonBlank(conversation, "conversation");
      return this;
    }

    /**
     * Adds a tag; non-blank.
     *
     * @param tag a tag; non-blank
     * @return this builder
     */
    public Builder tag(String tag) {
      tags.add(Require.nonBlank(tag, "tags[]"));
      return this;
    }

    /**
     * The instant by which the call must end.
     *
     * @param deadline the instant by which the call must end
     * @return this builder
     */
    public Builder deadline(Instant deadline) {
      this.deadline = Require.nonNull(deadline, "deadline");
      return this;
    }

    /**
     * The time the call may take from its start; positive.
     *
     * @param timeout the time the call may take from its start; positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      Require.nonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new InvalidRequestException("timeout", "must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * How the call uses the response cache.
     *
     * @param cachePolicy how the call uses the response cache
     * @return this builder
     */
    public Builder cachePolicy(CachePolicy cachePolicy) {
      this.cachePolicy = Require.nonNull(cachePolicy, "cachePolicy");
      return this;
    }

    /**
     * Per-call routing adjustments.
     *
     * @param routeHints per-call routing adjustments
     * @return this builder
     */
    public Builder routeHints(RouteHints routeHints) {
      this.routeHints = Require.nonNull(routeHints, "routeHints");
      return this;
    }

    /**
     * A token the caller can fire to cancel the call.
     *
     * @param cancellation a token the caller can fire to cancel the call
     * @return this builder
     */
    public Builder cancellation(CancellationToken cancellation) {
      this.cancellation = Require.nonNull(cancellation, "cancellation");
      return this;
    }

    /**
     * Sets a typed attribute.
     *
     * @param <T> the type of the key's values
     * @param key the attribute's key
     * @param value its value
     * @return this builder
     */
    public <T> Builder attribute(AttributeKey<T> key, T value) {
      this.attributes = attributes.with(key, value);
      return this;
    }

    /**
     * Builds the context.
     *
     * @return the new {@code CallContext}
     */
    public CallContext build() {
      return new CallContext(this);
    }
  }
}
