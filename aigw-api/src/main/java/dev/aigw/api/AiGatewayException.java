package dev.aigw.api;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception aigw throws for a failed call. Catch this to handle all gateway
 * failures in one place; catch a subclass to handle one kind.
 *
 * <p>Messages never contain credentials or the content of prompts and answers.
 */
public class AiGatewayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong
   */
  public AiGatewayException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the cause it wraps.
   *
   * @param message what went wrong
   * @param cause the exception it wraps, or {@code null}
   */
  public AiGatewayException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
