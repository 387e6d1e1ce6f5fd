package dev.aigw.bench;

import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Interceptor;

/** An application interceptor that only proceeds: the cost of one link of the chain. */
final class NoopInterceptor implements Interceptor {
  @Override
  public ChatResponse intercept(Chain chain) {
    return chain.proceed(chain.request());
  }

  @Override
  public ChatStream interceptStream(Chain chain) {
    return chain.proceedStream(chain.request());
  }
}
