package dev.aigw.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.AiGatewayException;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.Message;
import dev.aigw.api.Target;
import dev.aigw.api.ToolCall;
import dev.aigw.core.AiGateway;
import dev.aigw.core.catalog.ModelCatalog;
import dev.aigw.core.catalog.ModelInfo;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.tokens.TokenCounter;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Shared by the context tests: a catalog of small windows whose model names map to {@code
 * o200k_base} (names starting with {@code gpt-4o}), so that every count below is exact and can be
 * added up by hand: a request costs 3 tokens, each message 4 more plus its content, a tool call 6
 * plus its name and arguments; each of the words used here is one token, alone or repeated with
 * spaces ({@link #say}).
 */
final class Fixtures {
  static final String BIG = "gpt-4o-big";
  static final String MEDIUM = "gpt-4o-medium";
  static final String SMALL = "gpt-4o-small";
  static final String SUM = "gpt-4o-sum";

  static final ModelCatalog CATALOG = ModelCatalog.builder()
      .model(ModelInfo.builder("p", BIG).contextWindow(1_000).build())
      .model(ModelInfo.builder("p", MEDIUM).contextWindow(70).build())
      .model(ModelInfo.builder("p", SMALL).contextWindow(60).build())
      .model(ModelInfo.builder("p", SUM).contextWindow(100_000).build())
      .build();

  static final Resilience NO_RETRY = Resilience.custom().maxAttempts(1).build();

  /** The counter the router uses for every target of {@link #CATALOG}. */
  static final TokenCounter COUNTER = TokenCounter.forModel(SMALL);

  // The conversation most tests use: 76 tokens = 3 + S 8 + U1 14 + A1 14 + U2 14 + A2 14 + U3 9.
  static final Message S = Message.system(say("rule", 4));
  static final Message U1 = Message.user(say("red", 10));
  static final Message A1 = Message.assistant(say("blue", 10));
  static final Message U2 = Message.user(say("green", 10));
  static final Message A2 = Message.assistant(say("gold", 10));
  static final Message U3 = Message.user(say("pink", 5));
  static final List<Message> CONVERSATION = List.of(S, U1, A1, U2, A2, U3);

  private Fixtures() {}

  /** {@code word} {@code n} times, separated by spaces: {@code n} tokens. */
  static String say(String word, int n) {
    return String.join(" ", Collections.nCopies(n, word));
  }

  /** An assistant message that calls {@code weather} with {@code {}}: 4 + 6 + 1 + 1 = 12 tokens. */
  static Message weatherCall(String id) {
    return Message.assistantToolCalls(List.of(new ToolCall(id, "weather", "{}")));
  }

  static ChatRequest request(String model, List<Message> messages) {
    return ChatRequest.builder().model(model).messages(messages).build();
  }

  /** The exact count of {@code messages} as a request, by the targets' counter. */
  static int tokens(List<Message> messages) {
    return COUNTER.count(request("any", messages));
  }

  /** A gateway over {@code provider} with the small-window catalog and no retries. */
  static AiGateway.Builder gateway(FakeChatProvider provider) {
    return AiGateway.builder().provider(provider).catalog(CATALOG).resilience(NO_RETRY);
  }

  /** The chat requests {@code provider} received for {@code model}, in order. */
  static List<ChatRequest> received(FakeChatProvider provider, String model) {
    List<ChatRequest> out = new ArrayList<>();
    for (RecordedRequest r : provider.requests()) {
      if (r.request() instanceof ChatRequest chat && chat.model().equals(model)) {
        out.add(chat);
      }
    }
    return out;
  }

  /** Checks the assumption every count rests on: each word is one token, also repeated. */
  static void checkWords(String... words) {
    for (String word : words) {
      assertThat(COUNTER.count(say(word, 7))).as("'%s' x7", word).isEqualTo(7);
    }
  }

  /** Records attempts and fallbacks as short strings. */
  static final class Events implements GatewayListener {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void attemptFailed(CallInfo call, Target target, int attempt, Duration latency, AiGatewayException error) {
      seen.add("attemptFailed " + target + " " + error.getClass().getSimpleName());
    }

    @Override
    public void attemptEnd(CallInfo call, Target target, int attempt, Duration latency) {
      seen.add("attemptEnd " + target);
    }

    @Override
    public void fallback(CallInfo call, Target from, Target to, AiGatewayException cause) {
      seen.add("fallback " + from + " -> " + to);
    }
  }
}
