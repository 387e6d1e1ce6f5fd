package dev.aigw.api;

/**
 * A request, context or value was built with an invalid field. Thrown by builders as soon as
 * the bad value is set (or, for rules that span fields, by {@code build()}), so nothing is sent
 * and nothing is spent.
 */
public final class InvalidRequestException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  /** The path of the offending field. */
  private final String field;

  /**
   * @param field the path of the offending field, for example {@code "messages[2].toolCallId"}
   * @param message what is wrong with it
   */
  public InvalidRequestException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /**
   * {@return the path of the offending field, for example {@code "temperature"} or {@code
   * "tools[1].name"}}
   */
  public String field() {
    return field;
  }
}
