package dev.aigw.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.Message;
import dev.aigw.api.PromptRef;
import dev.aigw.core.AiGateway;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A rendered prompt through the whole gateway: the provider, the response metadata and listeners see it. */
class PromptGatewayTest {
  private static final PromptRef V2 = new PromptRef("support-reply", "v2");

  /** Records the prompt of each call's request as listeners see it. */
  private static final class PromptListener implements GatewayListener {
    final List<Optional<PromptRef>> seen = new CopyOnWriteArrayList<>();

    @Override
    public void callStart(CallInfo call) {
      seen.add(call.request() instanceof ChatRequest chat ? chat.prompt() : Optional.empty());
    }
  }

  private static PromptRegistry registry() {
    return PromptRegistry.builder().index("prompts/index.properties").build();
  }

  private static Map<String, Object> values() {
    return Map.of("product", "Acme", "question", "Can I get a refund?",
        "examples", List.of(Map.of("q", "Opening hours?", "a", "9 to 5.")));
  }

  @Test
  void theProviderGetsTheRenderedMessagesAndTheResponseNamesThePrompt() {
    FakeChatProvider fake = FakeChatProvider.builder().id("p").reply(FakeReply.text("Yes, within 30 days.")).build();
    PromptListener listener = new PromptListener();
    try (AiGateway gateway = AiGateway.builder().provider(fake).listener(listener).build()) {
      ChatRequest request = registry().template("support-reply", "v2").render(values()).toRequest("p/m");

      ChatResponse response = gateway.chat(request);

      assertThat(response.text()).isEqualTo("Yes, within 30 days.");
      assertThat(response.metadata().prompt()).contains(V2);
      assertThat(listener.seen).containsExactly(Optional.of(V2));
      ChatRequest received = fake.requests().get(0).chat();
      assertThat(received.messages()).containsExactly(
          Message.system("You answer customers of Acme. Be brief and kind.\nQ: Opening hours?\nA: 9 to 5.\n"),
          Message.user("Can I get a refund?"));
      assertThat(received.prompt()).contains(V2);
    }
  }

  @Test
  void aStickyRequestFromTheRegistryAndAStreamCarryThePromptToo() {
    FakeChatProvider fake = FakeChatProvider.builder().id("p").reply(FakeReply.text("streamed answer")).build();
    PromptListener listener = new PromptListener();
    PromptRegistry prompts = registry();
    CallContext context = CallContext.builder().conversation("conv-7").build();
    PromptRef expected = prompts.template("support-reply", context).ref();
    try (AiGateway gateway = AiGateway.builder().provider(fake).listener(listener).build()) {
      ChatRequest request = prompts.request("support-reply", expectedValues(expected), "p/m", context);

      ChatResponse blocking = gateway.chat(request, context);
      ChatResponse streamed;
      try (ChatStream stream = gateway.stream(request, context)) {
        streamed = stream.collect();
      }

      assertThat(blocking.metadata().prompt()).contains(expected);
      assertThat(streamed.text()).isEqualTo("streamed answer");
      assertThat(streamed.metadata().prompt()).contains(expected);
      assertThat(listener.seen).containsExactly(Optional.of(expected), Optional.of(expected));
    }
  }

  @Test
  void aSystemTemplateFramesTheCallersConversation() {
    FakeChatProvider fake = FakeChatProvider.builder().id("p").build();
    PromptRegistry prompts = registry();
    try (AiGateway gateway = AiGateway.builder().provider(fake).build()) {
      ChatRequest own = ChatRequest.builder().model("p/m").user("Hi").message(Message.assistant("Hello!")).user("Order 42?").build();

      ChatResponse response = gateway.chat(prompts.template("persona").render(Map.of("agent", "Ada")).prependTo(own));

      assertThat(response.metadata().prompt()).contains(new PromptRef("persona", "v1"));
      assertThat(fake.requests().get(0).chat().messages()).containsExactly(
          Message.system("You are Ada, a support agent."), Message.user("Hi"), Message.assistant("Hello!"), Message.user("Order 42?"));
    }
  }

  /** v1 takes no examples; v2 does. */
  private static Map<String, Object> expectedValues(PromptRef ref) {
    return ref.version().equals("v1") ? Map.of("product", "Acme", "question", "Can I get a refund?") : values();
  }
}
