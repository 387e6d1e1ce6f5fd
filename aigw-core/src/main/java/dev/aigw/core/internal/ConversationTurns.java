package dev.aigw.core.internal;

import dev.aigw.api.Message;
import dev.aigw.api.Role;
import dev.aigw.api.ToolCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A conversation split into the units that may be dropped, oldest first: its leading system
 * messages (the head, never dropped), then groups of whole turns. A turn is a user message and
 * the messages after it up to the next user message; non-system messages before the first user
 * message form a turn of their own. Turns are joined into one group wherever a tool result
 * answers (by call id) an assistant message of an earlier turn, so a tool call and its results
 * are always dropped or kept together. System messages after the head stay where they are,
 * whatever is dropped. The last group holds the last user message.
 */
public final class ConversationTurns {
  private final List<Message> messages;
  private final int head;
  /** Per message: its group, or -1 for a system message (never dropped). */
  private final int[] groupOf;
  private final int groups;
  /** Per k: how many messages the first k groups hold. */
  private final int[] droppedCounts;

  private ConversationTurns(List<Message> messages, int head, int[] groupOf, int groups) {
    this.messages = messages;
    this.head = head;
    this.groupOf = groupOf;
    this.groups = groups;
    this.droppedCounts = new int[groups + 1];
    for (int i = head; i < messages.size(); i++) {
      if (groupOf[i] >= 0) {
        droppedCounts[groupOf[i] + 1]++;
      }
    }
    for (int k = 1; k <= groups; k++) {
      droppedCounts[k] += droppedCounts[k - 1];
    }
  }

  /** Splits {@code messages}. */
  public static ConversationTurns of(List<Message> messages) {
    int n = messages.size();
    int head = 0;
    while (head < n && messages.get(head).role() == Role.SYSTEM) {
      head++;
    }
    int[] turnOf = new int[n];
    int turn = -1;
    Map<String, Integer> callTurn = new HashMap<>();
    for (int i = head; i < n; i++) {
      Message m = messages.get(i);
      if (m.role() == Role.SYSTEM) {
        turnOf[i] = -1;
        continue;
      }
      if (m.role() == Role.USER || turn < 0) {
        turn++;
      }
      turnOf[i] = turn;
      for (ToolCall call : m.toolCalls()) {
        callTurn.putIfAbsent(call.id(), turn);
      }
    }
    int turns = turn + 1;
    // joined[b] > 0: the boundary before turn b lies between a tool call and one of its results.
    int[] joined = new int[turns + 1];
    for (int i = head; i < n; i++) {
      Message m = messages.get(i);
      if (m.role() != Role.TOOL || m.toolCallId().isEmpty()) {
        continue;
      }
      Integer called = callTurn.get(m.toolCallId().get());
      if (called != null && called < turnOf[i]) {
        joined[called + 1]++;
        joined[turnOf[i] + 1]--;
      }
    }
    int[] groupOfTurn = new int[turns];
    int group = -1;
    int open = 0;
    for (int t = 0; t < turns; t++) {
      open += joined[t];
      if (t == 0 || open == 0) {
        group++;
      }
      groupOfTurn[t] = group;
    }
    int[] groupOf = new int[n];
    for (int i = 0; i < n; i++) {
      groupOf[i] = i < head || turnOf[i] < 0 ? -1 : groupOfTurn[turnOf[i]];
    }
    return new ConversationTurns(List.copyOf(messages), head, groupOf, group + 1);
  }

  /** The number of groups; all but the last may be dropped. */
  public int groups() {
    return groups;
  }

  /** How many groups may be dropped: all but the last. */
  public int droppable() {
    return Math.max(0, groups - 1);
  }

  /** How many messages the oldest {@code k} groups hold. */
  public int droppedCount(int k) {
    return droppedCounts[k];
  }

  /** The messages of the oldest {@code k} groups, in order (system messages among them excluded). */
  public List<Message> dropped(int k) {
    List<Message> out = new ArrayList<>(droppedCounts[k]);
    for (int i = head; i < messages.size(); i++) {
      if (groupOf[i] >= 0 && groupOf[i] < k) {
        out.add(messages.get(i));
      }
    }
    return out;
  }

  /**
   * The conversation without its oldest {@code k} groups, with {@code summary}, when given, right
   * after the head.
   */
  public List<Message> without(int k, @Nullable Message summary) {
    List<Message> out = new ArrayList<>(messages.size() - droppedCounts[k] + 1);
    out.addAll(messages.subList(0, head));
    if (summary != null) {
      out.add(summary);
    }
    for (int i = head; i < messages.size(); i++) {
      if (groupOf[i] < 0 || groupOf[i] >= k) {
        out.add(messages.get(i));
      }
    }
    return out;
  }
}
