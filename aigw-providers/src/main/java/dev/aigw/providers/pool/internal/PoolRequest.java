package dev.aigw.providers.pool.internal;

import dev.aigw.api.ChatRequest;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.Message;
import dev.aigw.api.ModelRequest;
import dev.aigw.providers.pool.PickRequest;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** A request as pickers see it; the prompt text is rendered on first use and kept. */
public final class PoolRequest implements PickRequest {
  private final ModelRequest request;
  private final String cacheSalt;
  private @Nullable String prompt;

  /** @param request the request being routed */
  public PoolRequest(ModelRequest request) {
    this.request = request;
    Object salt = request instanceof ChatRequest chat ? chat.extra().get("cache_salt") : null;
    this.cacheSalt = salt instanceof String s ? s : "";
  }

  @Override
  public String model() {
    return request.model();
  }

  @Override
  public CharSequence promptText() {
    String p = prompt;
    if (p == null) {
      p = render();
      prompt = p;
    }
    return p;
  }

  @Override
  public String cacheSalt() {
    return cacheSalt;
  }

  private String render() {
    StringBuilder out = new StringBuilder(256);
    if (request instanceof ChatRequest chat) {
      for (Message m : chat.messages()) {
        out.append(m.role().name().toLowerCase(Locale.ROOT)).append('\n').append(m.text()).append('\n');
      }
    } else if (request instanceof EmbeddingRequest embeddings) {
      for (String input : embeddings.inputs()) {
        out.append(input).append('\n');
      }
    }
    return out.toString();
  }
}
