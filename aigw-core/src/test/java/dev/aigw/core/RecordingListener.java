package dev.aigw.core;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallInfo;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.ModelResponse;
import dev.aigw.api.Target;
import dev.aigw.api.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records listener events as short strings, in order. */
final class RecordingListener implements GatewayListener {
  private final List<String> events = new ArrayList<>();

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  private synchronized void add(String event) {
    events.add(event);
  }

  @Override
  public void callStart(CallInfo call) {
    add("callStart");
  }

  @Override
  public void attemptStart(CallInfo call, Target target, int attempt) {
    add("attemptStart " + target + " #" + attempt);
  }

  @Override
  public void attemptEnd(CallInfo call, Target target, int attempt, Duration latency) {
    add("attemptEnd " + target + " #" + attempt);
  }

  @Override
  public void attemptFailed(CallInfo call, Target target, int attempt, Duration latency, AiGatewayException error) {
    add("attemptFailed " + target + " #" + attempt + " " + error.getClass().getSimpleName());
  }

  @Override
  public void fallback(CallInfo call, Target from, Target to, AiGatewayException cause) {
    add("fallback " + from + " -> " + to);
  }

  @Override
  public void firstChunk(CallInfo call, Duration timeToFirstChunk) {
    add("firstChunk");
  }

  @Override
  public void usage(CallInfo call, Usage usage) {
    add("usage " + usage.totalTokens());
  }

  @Override
  public void callEnd(CallInfo call, ModelResponse response) {
    add("callEnd");
  }

  @Override
  public void callFailed(CallInfo call, AiGatewayException error) {
    add("callFailed " + error.getClass().getSimpleName());
  }
}
