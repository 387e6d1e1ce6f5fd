package dev.aigw.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One logical call through the gateway, as listeners and interceptors see it.
 *
 * @param id a number unique within the gateway, in call order
 * @param operation chat or embeddings
 * @param streaming whether the caller asked for a stream
 * @param request the request as the caller made it
 * @param context the call's context, with the effective deadline and the call's cancellation token
 * @param startedAt when the call started, by the gateway's clock
 * @param topology the providers and routes of the gateway that runs the call
 */
public record CallInfo(
    long id, Operation operation, boolean streaming, ModelRequest request, CallContext context, Instant startedAt,
    Topology topology) {

  /**
   * What a gateway can send calls to, for listeners that name where a call may go (telemetry
   * reports the provider's conventional name and its server address).
   */
  public interface Topology {
    /**
     * {@return the provider registered under {@code id}}
     *
     * @param id a provider id, such as {@code "openai"}
     */
    Optional<Provider> provider(String id);

    /**
     * {@return the targets a call to {@code model} (a route alias or {@code "provider/model"}) may
     * try, in the route's configured order; empty when the gateway has no route for it}
     *
     * @param model a route alias or {@code "provider/model"}
     */
    List<Target> targets(String model);
  }

  /** What kind of call this is, named as in the OpenTelemetry GenAI conventions. */
  public enum Operation {
    /** A chat completion, blocking, async or streaming. */
    CHAT,
    /** An embeddings request. */
    EMBEDDINGS
  }
}
