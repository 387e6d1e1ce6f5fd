package dev.aigw.core;

import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Interceptor;
import java.util.List;

/** Appends "name>" on the way in and "<name" on the way out (blocking and streaming) to a shared trace. */
final class TracingInterceptor implements Interceptor {
  private final String name;
  private final List<String> trace;

  TracingInterceptor(String name, List<String> trace) {
    this.name = name;
    this.trace = trace;
  }

  private String where(Chain chain) {
    return name + chain.target().map(t -> "@" + t).orElse("");
  }

  @Override
  public ChatResponse intercept(Chain chain) {
    trace.add(where(chain) + ">");
    try {
      return chain.proceed(chain.request());
    } finally {
      trace.add("<" + where(chain));
    }
  }

  @Override
  public ChatStream interceptStream(Chain chain) {
    trace.add(where(chain) + ">");
    try {
      return chain.proceedStream(chain.request());
    } finally {
      trace.add("<" + where(chain));
    }
  }
}
