package dev.aigw.core.internal;

import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.Interceptor;

/**
 * The access policy, checked first in the application chain: a call its tenant may not make
 * fails before guardrails, cache or budgets do anything for it. The router applies the same
 * policy to each candidate target.
 */
public final class AccessCheck implements Interceptor {
  private final Router router;

  /** @param router the router holding the access policy */
  public AccessCheck(Router router) {
    this.router = router;
  }

  @Override
  public ChatResponse intercept(Chain chain) {
    router.checkAccess(chain.request().model(), chain.context());
    return chain.proceed(chain.request());
  }

  @Override
  public ChatStream interceptStream(Chain chain) {
    router.checkAccess(chain.request().model(), chain.context());
    return chain.proceedStream(chain.request());
  }
}
