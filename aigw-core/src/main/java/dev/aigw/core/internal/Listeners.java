package dev.aigw.core.internal;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.BudgetAction;
import dev.aigw.api.BudgetUsage;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.GuardrailFinding;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.ModelResponse;
import dev.aigw.api.StoreUnavailableException;
import dev.aigw.api.Target;
import dev.aigw.api.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Creates each call's listener: nothing when none is registered, otherwise one that dispatches
 * to every registered listener in order and isolates each from the others' failures.
 */
public final class Listeners {
  private static final System.Logger LOG = System.getLogger(Listeners.class.getName());
  private static final GatewayListener NONE = new GatewayListener() {};

  private final List<GatewayListener.Factory> factories;

  /** @param factories per-call factories, in registration order (shared listeners as {@code call -> listener}) */
  public Listeners(List<GatewayListener.Factory> factories) {
    this.factories = List.copyOf(factories);
  }

  /** Whether {@code listener} is the one given to calls when no listener is registered. */
  static boolean isNone(GatewayListener listener) {
    return listener == NONE;
  }

  GatewayListener forCall(CallInfo call) {
    if (factories.isEmpty()) {
      return NONE;
    }
    GatewayListener[] listeners = new GatewayListener[factories.size()];
    for (int i = 0; i < listeners.length; i++) {
      GatewayListener.Factory factory = factories.get(i);
      try {
        listeners[i] = factory.create(call);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "listener factory " + factory.getClass().getName() + " failed; it gets no events for call " + call.id(), e);
      }
      if (listeners[i] == null) {
        listeners[i] = NONE;
      }
    }
    return new Isolating(listeners);
  }

  /** Dispatches to each listener in order; a listener that throws is logged and skipped. */
  private static final class Isolating implements GatewayListener {
    private final GatewayListener[] listeners;

    Isolating(GatewayListener[] listeners) {
      this.listeners = listeners;
    }

    private interface Event {
      void deliver(GatewayListener listener);
    }

    private void each(String event, Event e) {
      for (GatewayListener listener : listeners) {
        try {
          e.deliver(listener);
        } catch (RuntimeException failure) {
          LOG.log(System.Logger.Level.WARNING,
              "listener " + listener.getClass().getName() + " threw from " + event + "; the call goes on", failure);
        }
      }
    }

    @Override
    public void callStart(CallInfo call) {
      each("callStart", l -> l.callStart(call));
    }

    @Override
    public void route(CallInfo call, String model, java.util.List<Target> candidates) {
      each("route", l -> l.route(call, model, candidates));
    }

    @Override
    public void retry(CallInfo call, Target target, int attempt, Duration delay, AiGatewayException cause) {
      each("retry", l -> l.retry(call, target, attempt, delay, cause));
    }

    @Override
    public void cacheHit(CallInfo call, dev.aigw.api.CacheStatus status, Duration age) {
      each("cacheHit", l -> l.cacheHit(call, status, age));
    }

    @Override
    public void cacheMiss(CallInfo call) {
      each("cacheMiss", l -> l.cacheMiss(call));
    }

    @Override
    public void cacheStore(CallInfo call, long bytes) {
      each("cacheStore", l -> l.cacheStore(call, bytes));
    }

    @Override
    public void guardrail(CallInfo call, String guardrail, boolean input, GuardrailAction action, java.util.List<GuardrailFinding> findings) {
      each("guardrail", l -> l.guardrail(call, guardrail, input, action, findings));
    }

    @Override
    public void budgetReserved(CallInfo call, BudgetUsage usage, BigDecimal reserved) {
      each("budgetReserved", l -> l.budgetReserved(call, usage, reserved));
    }

    @Override
    public void budgetExceeded(CallInfo call, BudgetUsage usage, BigDecimal requested, BudgetAction action) {
      each("budgetExceeded", l -> l.budgetExceeded(call, usage, requested, action));
    }

    @Override
    public void budgetThreshold(CallInfo call, BudgetUsage usage, double threshold) {
      each("budgetThreshold", l -> l.budgetThreshold(call, usage, threshold));
    }

    @Override
    public void budgetReconciled(CallInfo call, BudgetUsage usage, BigDecimal reserved, BigDecimal actual) {
      each("budgetReconciled", l -> l.budgetReconciled(call, usage, reserved, actual));
    }

    @Override
    public void storeUnavailable(CallInfo call, StoreUnavailableException error) {
      each("storeUnavailable", l -> l.storeUnavailable(call, error));
    }

    @Override
    public void hedge(CallInfo call, Target from, Target to) {
      each("hedge", l -> l.hedge(call, from, to));
    }

    @Override
    public void attemptStart(CallInfo call, Target target, int attempt) {
      each("attemptStart", l -> l.attemptStart(call, target, attempt));
    }

    @Override
    public void attemptEnd(CallInfo call, Target target, int attempt, Duration latency) {
      each("attemptEnd", l -> l.attemptEnd(call, target, attempt, latency));
    }

    @Override
    public void attemptFailed(CallInfo call, Target target, int attempt, Duration latency, AiGatewayException error) {
      each("attemptFailed", l -> l.attemptFailed(call, target, attempt, latency, error));
    }

    @Override
    public void fallback(CallInfo call, Target from, Target to, AiGatewayException cause) {
      each("fallback", l -> l.fallback(call, from, to, cause));
    }

    @Override
    public void firstChunk(CallInfo call, Duration timeToFirstChunk) {
      each("firstChunk", l -> l.firstChunk(call, timeToFirstChunk));
    }

    @Override
    public void usage(CallInfo call, Usage usage) {
      each("usage", l -> l.usage(call, usage));
    }

    @Override
    public void content(CallInfo call, ChatRequest request, Optional<ChatResponse> response) {
      each("content", l -> l.content(call, request, response));
    }

    @Override
    public Scope attemptScope(CallInfo call, Target target, int attempt) {
      Scope[] scopes = null;
      for (int i = 0; i < listeners.length; i++) {
        Scope scope;
        try {
          scope = listeners[i].attemptScope(call, target, attempt);
        } catch (RuntimeException failure) {
          LOG.log(System.Logger.Level.WARNING,
              "listener " + listeners[i].getClass().getName() + " threw from attemptScope; the call goes on", failure);
          continue;
        }
        if (scope != null && scope != Scope.NONE) {
          if (scopes == null) {
            scopes = new Scope[listeners.length];
          }
          scopes[i] = scope;
        }
      }
      if (scopes == null) {
        return Scope.NONE;
      }
      Scope[] opened = scopes;
      return () -> {
        for (int i = opened.length - 1; i >= 0; i--) {
          if (opened[i] != null) {
            try {
              opened[i].close();
            } catch (RuntimeException failure) {
              LOG.log(System.Logger.Level.WARNING,
                  "listener " + listeners[i].getClass().getName() + " threw closing its attempt scope", failure);
            }
          }
        }
      };
    }

    @Override
    public void callEnd(CallInfo call, ModelResponse response) {
      each("callEnd", l -> l.callEnd(call, response));
    }

    @Override
    public void callFailed(CallInfo call, AiGatewayException error) {
      each("callFailed", l -> l.callFailed(call, error));
    }
  }
}
