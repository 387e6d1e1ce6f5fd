package dev.aigw.api;

import java.time.Instant;

/**
 * One logical call through the gateway, as listeners and interceptors see it.
 *
 * @param id a number unique within the gateway, in call order
 * @param operation chat or embeddings
 * @param streaming whether the caller asked for a stream
 * @param request the request as the caller made it
 * @param context the call's context, with the effective deadline and the call's cancellation token
 * @param startedAt when the call started, by the gateway's clock
 */
public record CallInfo(
    long id, Operation operation, boolean streaming, ModelRequest request, CallContext context, Instant startedAt) {

  /** What kind of call this is, named as in the OpenTelemetry GenAI conventions. */
  public enum Operation {
    /** A chat completion, blocking, async or streaming. */
    CHAT,
    /** An embeddings request. */
    EMBEDDINGS
  }
}
