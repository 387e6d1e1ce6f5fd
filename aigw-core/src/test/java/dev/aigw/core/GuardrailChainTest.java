package dev.aigw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatChunk;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ChatStream;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.GuardrailAction;
import dev.aigw.api.GuardrailFinding;
import dev.aigw.api.GuardrailViolationException;
import dev.aigw.api.ResponseFormat;
import dev.aigw.api.Role;
import dev.aigw.api.ToolCall;
import dev.aigw.api.Usage;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.guardrail.Guardrail;
import dev.aigw.core.guardrail.StructuredOutput;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * How the gateway applies guardrail findings, with small rule-based guardrails: masking with
 * restore (blocking, streamed, split placeholders, tool arguments), blocking before the provider,
 * output blocking and masking through the stream hold-back buffer, whole-answer verdicts, events,
 * metadata, and structured-output validation with re-asks.
 */
class GuardrailChainTest {
  /** Finds a regex, acting on each match; input, output or both. */
  private record RegexGuardrail(String name, String type, Pattern pattern, GuardrailAction action, boolean in, boolean out)
      implements Guardrail {
    @Override
    public boolean scansInput() {
      return in;
    }

    @Override
    public boolean scansOutput() {
      return out;
    }

    @Override
    public List<Match> scan(String text, Site site) {
      List<Match> matches = new ArrayList<>();
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        matches.add(Match.of(type, m.start(), m.end(), action));
      }
      return matches;
    }

    @Override
    public int maxMatchLength() {
      return 40;
    }
  }

  private static final Guardrail EMAILS = new RegexGuardrail("emails", "EMAIL",
      Pattern.compile("[a-z.]+@[a-z]+\\.[a-z]{2,}"), GuardrailAction.MASK, true, false);
  private static final Guardrail BANNED_OUT = new RegexGuardrail("banned", "BANNED",
      Pattern.compile("\\bforbidden fruit\\b"), GuardrailAction.BLOCK, false, true);
  private static final Guardrail SECRET_OUT = new RegexGuardrail("codes", "CODE",
      Pattern.compile("\\bX-[0-9]{6}\\b"), GuardrailAction.MASK, false, true);
  private static final Guardrail NO_DROP_TABLE = new RegexGuardrail("sql", "SQL",
      Pattern.compile("(?i)drop table"), GuardrailAction.BLOCK, true, false);

  private final Events events = new Events();

  static final class Events implements GatewayListener {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void guardrail(CallInfo call, String guardrail, boolean input, GuardrailAction action, List<GuardrailFinding> findings) {
      seen.add(guardrail + " " + (input ? "input" : "output") + " " + action + " " + findings.size());
    }
  }

  private AiGateway.Builder gateway(FakeChatProvider provider, Guardrail... guardrails) {
    AiGateway.Builder b = AiGateway.builder().provider(provider).listener(events);
    for (Guardrail g : guardrails) {
      b.guardrail(g);
    }
    return b;
  }

  private static String sent(FakeChatProvider provider, int i) {
    return provider.requests().get(i).chat().messages().get(0).text();
  }

  // ---------------------------------------------------------------------------------------------
  // Input

  @Test
  void maskedValuesNeverReachTheProviderAndComeBackInTheAnswer() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p")
        .reply(FakeReply.text("I will write to <EMAIL_1> and copy <EMAIL_2>; again <EMAIL_1>. Unknown <EMAIL_9> stays."))
        .build();
    try (AiGateway gateway = gateway(provider, EMAILS).build()) {
      ChatResponse answer = gateway.chat(ChatRequest.of("p/m", "Mail ann@example.com and bob@example.org, then ann@example.com."));

      assertThat(sent(provider, 0)).isEqualTo("Mail <EMAIL_1> and <EMAIL_2>, then <EMAIL_1>.");
      assertThat(answer.text()).isEqualTo("I will write to ann@example.com and copy bob@example.org; again ann@example.com. Unknown <EMAIL_9> stays.");
      assertThat(answer.metadata().guardrailFindings()).extracting(GuardrailFinding::toString)
          .containsExactly("emails:EMAIL MASK in input message 0 at 5..20", "emails:EMAIL MASK in input message 0 at 25..40",
              "emails:EMAIL MASK in input message 0 at 47..62");
      assertThat(events.seen).containsExactly("emails input MASK 3");
    }
  }

  @Test
  void aStreamGetsItsValuesBackEvenWhenAPlaceholderIsSplitAcrossChunks() {
    ToolCall call = new ToolCall("c1", "send_mail", "{\"to\":\"<EMAIL_1>\"}");
    FakeChatProvider provider = FakeChatProvider.builder().id("p").chunkSize(3)
        .reply(FakeReply.text("Sending to <EMAIL_1> now <").withReasoning("the user is <EMAIL_1>"))
        .replyWhen(r -> r.lastUserText().contains("tool"), FakeReply.toolCalls(call))
        .build();
    try (AiGateway gateway = gateway(provider, EMAILS).build()) {
      List<String> pieces = new ArrayList<>();
      try (ChatStream stream = gateway.stream(ChatRequest.of("p/m", "Send it to ann@example.com"))) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        for (ChatChunk chunk : stream) {
          pieces.add(chunk.text());
          text.append(chunk.text());
          reasoning.append(chunk.reasoning());
        }
        assertThat(text.toString()).isEqualTo("Sending to ann@example.com now <");
        assertThat(reasoning.toString()).isEqualTo("the user is ann@example.com");
        assertThat(stream.metadata().guardrailFindings()).hasSize(1);
      }
      assertThat(pieces).noneMatch(p -> p.contains("EMAIL"));

      ChatResponse collected;
      try (ChatStream stream = gateway.stream(ChatRequest.of("p/m", "tool: mail ann@example.com"))) {
        collected = stream.collect();
      }
      assertThat(collected.toolCalls()).containsExactly(new ToolCall("c1", "send_mail", "{\"to\":\"ann@example.com\"}"));
      assertThat(gateway.chat(ChatRequest.of("p/m", "tool: mail ann@example.com")).toolCalls())
          .containsExactly(new ToolCall("c1", "send_mail", "{\"to\":\"ann@example.com\"}"));
    }
  }

  @Test
  void valuesInTheToolCallsOfTheHistoryAreMaskedTooSoTheNextTurnDoesNotLeakThem() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").reply(FakeReply.text("Done, mailed <EMAIL_1>.")).build();
    ToolCall earlier = new ToolCall("c1", "send_mail", "{\"to\":\"ann@example.com\"}");
    ChatRequest nextTurn = ChatRequest.builder().model("p/m")
        .message(dev.aigw.api.Message.user("mail ann@example.com"))
        .message(dev.aigw.api.Message.assistantToolCalls(List.of(earlier)))
        .message(dev.aigw.api.Message.tool("c1", "sent"))
        .build();
    try (AiGateway gateway = gateway(provider, EMAILS).build()) {
      ChatResponse answer = gateway.chat(nextTurn);

      ChatRequest sent = provider.requests().get(0).chat();
      assertThat(sent.messages().get(1).toolCalls()).containsExactly(new ToolCall("c1", "send_mail", "{\"to\":\"<EMAIL_1>\"}"));
      assertThat(sent.messages().get(0).text()).isEqualTo("mail <EMAIL_1>");
      assertThat(answer.text()).isEqualTo("Done, mailed ann@example.com.");
    }
  }

  @Test
  void aBlockedRequestCallsNoProviderSpendsNoBudgetAndCachesNothing() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").reply(FakeReply.text("ok").withUsage(Usage.of(1, 1))).build();
    try (AiGateway gateway = gateway(provider, EMAILS, NO_DROP_TABLE)
        .budget(Budget.global().requestsPerDay(10))
        .cache(ResponseCache.builder().build()).build()) {
      ChatRequest bad = ChatRequest.builder().model("p/m").system("be careful").user("please DROP TABLE users, mail me at a@b.cd").build();
      assertThatThrownBy(() -> gateway.chat(bad)).isInstanceOfSatisfying(GuardrailViolationException.class, e -> {
        assertThat(e.guardrail()).isEqualTo("sql");
        assertThat(e.getMessage()).contains("SQL in message 1").doesNotContain("DROP", "a@b.cd");
        assertThat(e.findings()).extracting(GuardrailFinding::toString).containsExactly("sql:SQL BLOCK in input message 1 at 7..17");
      });
      assertThatThrownBy(() -> gateway.stream(bad)).isInstanceOf(GuardrailViolationException.class);
      assertThat(events.seen).containsExactly("emails input MASK 1", "sql input BLOCK 1", "emails input MASK 1", "sql input BLOCK 1");
      assertThat(provider.requestCount()).isZero();
      assertThat(gateway.budgetUsage("global").get(0).used()).isZero();
    }
  }

  @Test
  void theCacheKeysOnTheMaskedRequestSoEachCallerGetsItsOwnValuesBack() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").reply(FakeReply.text("Hello <EMAIL_1>!")).build();
    try (AiGateway gateway = gateway(provider, EMAILS).cache(ResponseCache.builder().build()).build()) {
      ChatResponse ann = gateway.chat(ChatRequest.of("p/m", "Greet ann@example.com"));
      ChatResponse bob = gateway.chat(ChatRequest.of("p/m", "Greet bob@example.com"));

      assertThat(ann.text()).isEqualTo("Hello ann@example.com!");
      assertThat(bob.text()).isEqualTo("Hello bob@example.com!");
      assertThat(bob.metadata().cacheStatus()).isEqualTo(CacheStatus.HIT);
      assertThat(provider.requestCount()).isEqualTo(1);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Output

  @Test
  void aBlockedAnswerFailsAndIsNotCached() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").reply(FakeReply.text("Eat the forbidden fruit.")).build();
    try (AiGateway gateway = gateway(provider, BANNED_OUT).cache(ResponseCache.builder().build()).build()) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> gateway.chat(ChatRequest.of("p/m", "what to eat?")))
            .isInstanceOfSatisfying(GuardrailViolationException.class, e -> {
              assertThat(e.guardrail()).isEqualTo("banned");
              assertThat(e.findings()).extracting(GuardrailFinding::toString).containsExactly("banned:BANNED BLOCK in output at 8..23");
            });
      }
      assertThat(provider.requestCount()).as("nothing was cached").isEqualTo(2);
    }
  }

  @Test
  void aStreamIsBlockedBeforeTheBlockedTextIsReleasedAndTheUpstreamIsCancelled() {
    String text = "Here is some harmless text before it, and then the forbidden fruit appears, and much more text follows after it.";
    FakeChatProvider provider = FakeChatProvider.builder().id("p").chunkSize(5).reply(FakeReply.text(text)).build();
    try (AiGateway gateway = gateway(provider, BANNED_OUT).build()) {
      StringBuilder received = new StringBuilder();
      assertThatThrownBy(() -> {
        try (ChatStream stream = gateway.stream(ChatRequest.of("p/m", "story"))) {
          stream.forEach(c -> received.append(c.text()));
        }
      }).isInstanceOf(GuardrailViolationException.class);

      assertThat(received.toString()).doesNotContain("forbidden").isNotEmpty();
      assertThat(text).startsWith(received.toString());
      assertThat(provider.cancellations()).as("the upstream stream was closed early").isEqualTo(1);
      assertThat(events.seen).containsExactly("banned output BLOCK 1");
    }
  }

  @Test
  void streamedOutputIsMaskedEvenWhenTheMatchSpansChunks() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").chunkSize(4)
        .reply(FakeReply.text("Codes: X-123456 and X-654321; not X-12345.")).build();
    try (AiGateway gateway = gateway(provider, SECRET_OUT).build()) {
      ChatResponse streamed;
      try (ChatStream stream = gateway.stream(ChatRequest.of("p/m", "codes"))) {
        streamed = stream.collect();
      }
      ChatResponse blocking = gateway.chat(ChatRequest.of("p/m", "codes"));

      assertThat(streamed.text()).isEqualTo("Codes: <CODE> and <CODE>; not X-12345.");
      assertThat(blocking.text()).isEqualTo(streamed.text());
      assertThat(streamed.metadata().guardrailFindings()).extracting(GuardrailFinding::toString)
          .containsExactly("codes:CODE MASK in output at 7..15", "codes:CODE MASK in output at 20..28");
      assertThat(blocking.metadata().guardrailFindings()).isEqualTo(streamed.metadata().guardrailFindings());
    }
  }

  @Test
  void toolCallArgumentsTheModelWritesAreScannedTooBlockingAndStreamed() {
    ToolCall leaking = new ToolCall("c1", "post", "{\"body\":\"code X-123456 inside\"}");
    ToolCall banned = new ToolCall("c2", "buy", "{\"item\":\"forbidden fruit\"}");
    FakeChatProvider provider = FakeChatProvider.builder().id("p").chunkSize(4)
        .replyWhen(r -> r.lastUserText().contains("buy"), FakeReply.toolCalls(banned))
        .reply(FakeReply.toolCalls(leaking))
        .build();
    try (AiGateway gateway = gateway(provider, SECRET_OUT, BANNED_OUT).build()) {
      ChatResponse blocking = gateway.chat(ChatRequest.of("p/m", "post it"));
      ChatResponse streamed;
      try (ChatStream stream = gateway.stream(ChatRequest.of("p/m", "post it"))) {
        streamed = stream.collect();
      }
      ToolCall masked = new ToolCall("c1", "post", "{\"body\":\"code <CODE> inside\"}");
      assertThat(blocking.toolCalls()).containsExactly(masked);
      assertThat(streamed.toolCalls()).containsExactly(masked);
      assertThat(blocking.metadata().guardrailFindings()).extracting(GuardrailFinding::toString)
          .containsExactly("codes:CODE MASK in output");

      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("p/m", "buy it"))).isInstanceOf(GuardrailViolationException.class);
      assertThatThrownBy(() -> {
        try (ChatStream stream = gateway.stream(ChatRequest.of("p/m", "buy it"))) {
          stream.collect();
        }
      }).isInstanceOf(GuardrailViolationException.class);
    }
  }

  @Test
  void aWholeAnswerVerdictHoldsTheStreamUntilItEnds() {
    Guardrail judge = new Guardrail() {
      @Override
      public String name() {
        return "judge";
      }

      @Override
      public boolean scansInput() {
        return false;
      }

      @Override
      public boolean scansOutput() {
        return true;
      }

      @Override
      public List<Match> scan(String text, Site site) {
        return List.of();
      }

      @Override
      public List<Match> checkResponse(ChatRequest request, String answer, CallContext context) {
        return answer.contains("unsafe") ? List.of(Match.whole("UNSAFE", GuardrailAction.BLOCK, 0.9)) : List.of();
      }

      @Override
      public int maxMatchLength() {
        return Integer.MAX_VALUE;
      }
    };
    FakeChatProvider provider = FakeChatProvider.builder().id("p").chunkSize(4)
        .reply(FakeReply.text("this is fine until the very end: unsafe")).build();
    try (AiGateway gateway = gateway(provider, judge).build()) {
      List<String> received = new ArrayList<>();
      assertThatThrownBy(() -> {
        try (ChatStream stream = gateway.stream(ChatRequest.of("p/m", "q"))) {
          stream.forEach(c -> received.add(c.text()));
        }
      }).isInstanceOfSatisfying(GuardrailViolationException.class, e -> assertThat(e.guardrail()).isEqualTo("judge"));
      assertThat(String.join("", received)).as("nothing was released before the verdict").isEmpty();
    }
  }

  @Test
  void theBuiltInGuardrailsWorkOnStreamsTooEvenAcrossChunksAndSpellingTricks() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").chunkSize(3)
        .replyWhen(r -> r.lastUserText().contains("mail"), FakeReply.text("Write to ops@example.com or call us."))
        .reply(FakeReply.text("Try our rival's Acme Rоcket Skates today!")) // a Cyrillic 'о'
        .build();
    try (AiGateway gateway = gateway(provider,
        dev.aigw.core.guardrail.PiiGuardrail.builder().scanInput(false).scanOutput(true).build(),
        dev.aigw.core.guardrail.DenyListGuardrail.builder().outputPhrases("acme rocket skates").build()).build()) {
      try (ChatStream stream = gateway.stream(ChatRequest.of("p/m", "who do I mail?"))) {
        assertThat(stream.collect().text()).isEqualTo("Write to <EMAIL> or call us.");
      }
      StringBuilder received = new StringBuilder();
      assertThatThrownBy(() -> {
        try (ChatStream stream = gateway.stream(ChatRequest.of("p/m", "what should I buy?"))) {
          stream.forEach(c -> received.append(c.text()));
        }
      }).isInstanceOfSatisfying(GuardrailViolationException.class, e -> assertThat(e.guardrail()).isEqualTo("deny_list"));
      assertThat(received.toString()).doesNotContainIgnoringCase("acme");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Structured output

  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
      + "\"population\":{\"type\":\"integer\"}},\"required\":[\"city\",\"population\"],\"additionalProperties\":false}";

  private static ChatRequest jsonRequest() {
    return ChatRequest.builder().model("p/m").user("Largest city of France as JSON")
        .responseFormat(ResponseFormat.jsonSchema("city", SCHEMA, true)).build();
  }

  @Test
  void anAnswerThatMissesTheSchemaIsReaskedWithTheErrorsAndTheFinalAnswerCarriesAllUsage() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p")
        .reply(FakeReply.text("{\"city\":\"Paris\",\"population\":\"2.1 million\"}").withUsage(Usage.of(20, 10)),
            FakeReply.text("```json\n{\"city\":\"Paris\",\"population\":2102650}\n```").withUsage(Usage.of(60, 12)))
        .build();
    try (AiGateway gateway = gateway(provider).build()) {
      ChatResponse answer = gateway.chat(jsonRequest());

      assertThat(answer.text()).contains("2102650");
      assertThat(provider.requestCount()).isEqualTo(2);
      ChatRequest reask = provider.requests().get(1).chat();
      assertThat(reask.messages()).hasSize(3);
      assertThat(reask.messages().get(1).role()).isEqualTo(Role.ASSISTANT);
      assertThat(reask.messages().get(2).text()).contains("does not match", "population", "integer");
      assertThat(answer.usage()).contains(Usage.of(80, 22));
      assertThat(answer.metadata().attempts()).hasSize(2);
      assertThat(events.seen).containsExactly("json_schema output FLAG 1");
    }
  }

  @Test
  void anAnswerThatNeverMatchesFailsAfterTheReasksAndAStreamFailsAtItsEnd() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").reply(FakeReply.text("{\"city\":\"Paris\"}")).build();
    try (AiGateway gateway = gateway(provider).build()) {
      assertThatThrownBy(() -> gateway.chat(jsonRequest()))
          .isInstanceOfSatisfying(GuardrailViolationException.class, e -> {
            assertThat(e.guardrail()).isEqualTo(StructuredOutput.NAME);
            assertThat(e.getMessage()).contains("after 2 re-asks", "(required)").doesNotContain("Paris");
          });
      assertThat(provider.requestCount()).isEqualTo(3);

      assertThatThrownBy(() -> {
        try (ChatStream stream = gateway.stream(jsonRequest())) {
          stream.collect();
        }
      }).isInstanceOf(GuardrailViolationException.class);
      assertThat(provider.requestCount()).isEqualTo(4);
    }
    try (AiGateway gateway = gateway(provider).structuredOutput(StructuredOutput.off()).build()) {
      assertThat(gateway.chat(jsonRequest()).text()).isEqualTo("{\"city\":\"Paris\"}");
    }
  }

  @Test
  void notJsonIsReportedWithoutQuotingTheAnswer() {
    FakeChatProvider provider = FakeChatProvider.builder().id("p").reply(FakeReply.text("Paris, with 2 million people")).build();
    try (AiGateway gateway = gateway(provider).structuredOutput(StructuredOutput.validate(0)).build()) {
      assertThatThrownBy(() -> gateway.chat(jsonRequest()))
          .isInstanceOf(GuardrailViolationException.class)
          .hasMessageContaining("not valid JSON").hasMessageNotContaining("Paris");
      assertThat(provider.requestCount()).isEqualTo(1);
    }
  }
}
