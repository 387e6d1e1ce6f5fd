package dev.aigw.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CancellationToken;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ContentPart;
import dev.aigw.api.Message;
import dev.aigw.api.Role;
import dev.aigw.api.ToolCall;
import dev.aigw.core.context.ContextPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The summaries of dropped conversation segments: asks the summariser through the gateway, once
 * per segment, and caches the answer (bounded). Concurrent calls for the same segment wait for
 * the one summariser call in flight (and summarise themselves when the call making it is
 * cancelled); a failed summariser call is not cached.
 */
final class Summaries {
  /** Sends a request through the gateway (its {@code chat}). */
  interface Gateway {
    ChatResponse chat(ChatRequest request, CallContext context);
  }

  /**
   * One cached summary: a policy's summary of one segment (by digest) of one conversation of one
   * tenant. A call without a conversation has a null one, so such calls share summaries of equal
   * segments within their tenant.
   */
  private record Key(ContextPolicy policy, @Nullable String tenant, @Nullable String conversation, String segment) {}

  private final Cache<Key, CompletableFuture<String>> cache;
  private volatile @Nullable Gateway gateway;

  Summaries(int maxEntries) {
    this.cache = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
  }

  /** Connects the gateway that summariser calls go through (it is built after the router). */
  void connect(Gateway gateway) {
    this.gateway = gateway;
  }

  /**
   * The summary of {@code segment} by {@code policy}'s summariser, cached.
   *
   * @param context the attempt's context: tenant, user, tags, deadline and cancellation carry over
   * @throws RuntimeException what the summariser call threw, or the reason the call was cancelled while waiting
   */
  String summary(ContextPolicy policy, List<Message> segment, CallContext context) {
    Key key = new Key(policy, context.tenant().orElse(null), context.conversation().orElse(null), digest(segment));
    ConcurrentMap<Key, CompletableFuture<String>> map = cache.asMap();
    while (true) {
      CompletableFuture<String> mine = new CompletableFuture<>();
      CompletableFuture<String> shared = map.putIfAbsent(key, mine);
      if (shared == null) {
        try {
          String summary = ask(policy, segment, context);
          mine.complete(summary);
          return summary;
        } catch (RuntimeException | Error e) {
          map.remove(key, mine);
          mine.completeExceptionally(isCancelled(context) ? new Abandoned(e) : e);
          throw e;
        }
      }
      try {
        return await(shared, context);
      } catch (Abandoned e) {
        // the call that was summarising was cancelled (not the summariser's fault): summarise here instead
      }
    }
  }

  private static boolean isCancelled(CallContext context) {
    return context.cancellation().map(CancellationToken::isCancelled).orElse(false);
  }

  /** What waiting calls see when the call summarising for them was cancelled: they try again. */
  private static final class Abandoned extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abandoned(Throwable cause) {
      super("the call summarising this segment was cancelled", cause, false, false);
    }
  }

  /** Waits for another call's summary, or until this call is cancelled. */
  private static String await(CompletableFuture<String> shared, CallContext context) {
    CompletableFuture<String> waiting = shared.copy();
    CancellationToken token = context.cancellation().orElse(null);
    try (CancellationToken.Registration ignored = token == null ? null
        : token.onCancel(() -> waiting.completeExceptionally(token.reason().orElseThrow()))) {
      return waiting.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private String ask(ContextPolicy policy, List<Message> segment, CallContext context) {
    Gateway g = gateway;
    if (g == null) {
      throw new IllegalStateException("the summariser's gateway is not connected");
    }
    ChatRequest request = ChatRequest.builder()
        .model(policy.summariser().orElseThrow())
        .system(policy.instructions())
        .user(transcript(segment))
        .maxOutputTokens(policy.maxSummaryTokens())
        .build();
    String summary = g.chat(request, summariserContext(context)).text().strip();
    if (summary.isEmpty()) {
      throw new AiGatewayException("the summariser '" + policy.summariser().orElseThrow() + "' answered with no text");
    }
    return summary;
  }

  /**
   * The context of a summariser call: the attempt's tenant, user, tags, deadline and cancellation,
   * and the marker that keeps the summariser's own request from being summarised; no conversation
   * (conversation memory must not record it), no route hints (they were for the caller's route).
   */
  static CallContext summariserContext(CallContext context) {
    CallContext.Builder b = CallContext.builder().attribute(ContextFitter.SUMMARISER_CALL, Boolean.TRUE);
    context.tenant().ifPresent(b::tenant);
    context.user().ifPresent(b::user);
    context.tags().forEach(b::tag);
    context.deadline().ifPresent(b::deadline);
    context.cancellation().ifPresent(b::cancellation);
    return b.build();
  }

  /**
   * The transcript the summariser reads: one block per message, separated by blank lines. Text is
   * given as it is; images as {@code [image]}.
   */
  static String transcript(List<Message> segment) {
    StringBuilder sb = new StringBuilder();
    for (Message m : segment) {
      if (sb.length() > 0) {
        sb.append("\n\n");
      }
      boolean labelled = m.role() != Role.ASSISTANT || !m.content().isEmpty();
      if (m.role() == Role.TOOL) {
        sb.append("tool result for ").append(m.toolCallId().orElse("?")).append(": ");
      } else if (labelled) {
        sb.append(m.role().name().toLowerCase(Locale.ROOT)).append(": ");
      }
      appendContent(sb, m.content());
      List<ToolCall> calls = m.toolCalls();
      for (int i = 0; i < calls.size(); i++) {
        ToolCall call = calls.get(i);
        sb.append(i > 0 || labelled ? "\n" : "").append("assistant called tool ").append(call.name())
            .append(" (").append(call.id()).append(") with ").append(call.arguments());
      }
    }
    return sb.toString();
  }

  private static void appendContent(StringBuilder sb, List<ContentPart> parts) {
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text t) {
        sb.append(t.text());
      } else {
        sb.append("[image]");
      }
    }
  }

  /** A SHA-256 digest of the exact messages: roles, content parts, tool calls and tool call ids. */
  static String digest(List<Message> segment) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    for (Message m : segment) {
      field(sha, "m" + m.role().ordinal());
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Text t) {
          field(sha, "t");
          field(sha, t.text());
        } else {
          field(sha, "i");
          field(sha, ((ContentPart.Image) part).toUrl());
        }
      }
      for (ToolCall call : m.toolCalls()) {
        field(sha, "c");
        field(sha, call.id());
        field(sha, call.name());
        field(sha, call.arguments());
      }
      field(sha, m.toolCallId().map(id -> "r" + id).orElse("-"));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Adds a length-prefixed field, so that no two different segments hash the same bytes. */
  private static void field(MessageDigest sha, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) (bytes.length >>> 24));
    sha.update((byte) (bytes.length >>> 16));
    sha.update((byte) (bytes.length >>> 8));
    sha.update((byte) bytes.length);
    sha.update(bytes);
  }
}
