package dev.aigw.core.prompt.internal;

import dev.aigw.api.PromptRef;
import dev.aigw.api.Role;
import dev.aigw.core.prompt.MessageTemplate;
import dev.aigw.core.prompt.PromptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses the text form of a message list (see {@link dev.aigw.core.prompt.PromptTemplate#parse}):
 * lines {@code @system}, {@code @user} and {@code @assistant} alone on a line start a message;
 * without any marker the whole text is one user message.
 */
public final class MessageListFormat {
  private static final Pattern MARKER = Pattern.compile("@[A-Za-z]+");
  private static final Pattern ESCAPED = Pattern.compile("@@[A-Za-z]+");

  private MessageListFormat() {}

  /**
   * The messages of {@code text}.
   *
   * @throws PromptException when there is text before the first marker, a marker is unknown, or a
   *     message (or the whole text) is empty
   */
  public static List<MessageTemplate> parse(String text, PromptRef ref) {
    String[] lines = text.split("\r\n|\r|\n", -1);
    List<MessageTemplate> messages = new ArrayList<>();
    List<String> body = new ArrayList<>();
    @Nullable Role role = null;
    int markerLine = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String stripped = line.strip();
      if (MARKER.matcher(stripped).matches()) {
        Role next = switch (stripped) {
          case "@system" -> Role.SYSTEM;
          case "@user" -> Role.USER;
          case "@assistant" -> Role.ASSISTANT;
          default -> throw fail(ref, "line " + (i + 1) + ": unknown marker '" + stripped
              + "'; the markers are @system, @user and @assistant (write @" + stripped + " for a line of text that starts with @)");
        };
        if (role == null) {
          for (int j = 0; j < body.size(); j++) {
            if (!body.get(j).isBlank()) {
              throw fail(ref, "line " + (j + 1) + ": text before the first marker; start the file with @system, "
                  + "@user or @assistant (or use no marker at all for a single user message)");
            }
          }
        } else {
          messages.add(message(role, body, markerLine, ref));
        }
        role = next;
        markerLine = i + 1;
        body.clear();
      } else {
        body.add(ESCAPED.matcher(stripped).matches() ? line.replaceFirst("@@", "@") : line);
      }
    }
    if (role == null) {
      String whole = trim(body);
      if (whole.isBlank()) {
        throw fail(ref, "the template is empty");
      }
      return List.of(MessageTemplate.user(whole));
    }
    messages.add(message(role, body, markerLine, ref));
    return List.copyOf(messages);
  }

  private static MessageTemplate message(Role role, List<String> body, int markerLine, PromptRef ref) {
    String text = trim(body);
    if (text.isBlank()) {
      throw fail(ref, "line " + markerLine + ": the @" + role.name().toLowerCase(Locale.ROOT) + " message is empty");
    }
    return new MessageTemplate(role, text);
  }

  /** The lines without leading and trailing blank lines, joined with {@code \n}. */
  private static String trim(List<String> lines) {
    int from = 0;
    int to = lines.size();
    while (from < to && lines.get(from).isBlank()) {
      from++;
    }
    while (to > from && lines.get(to - 1).isBlank()) {
      to--;
    }
    return String.join("\n", lines.subList(from, to));
  }

  private static PromptException fail(PromptRef ref, String detail) {
    return new PromptException("prompt " + ref + ": " + detail, ref, null, null);
  }
}
