package dev.aigw.api;

/** The caller (tenant, user) is not allowed to use the requested model or provider. */
public final class AccessDeniedException extends AiGatewayException {
  private static final long serialVersionUID = 1L;

  /** @param message who was denied what, without secrets */
  public AccessDeniedException(String message) {
    super(message);
  }
}
