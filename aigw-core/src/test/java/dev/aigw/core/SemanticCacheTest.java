package dev.aigw.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aigw.api.CacheStatus;
import dev.aigw.api.CallContext;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.ChatResponse;
import dev.aigw.api.ToolSpec;
import dev.aigw.core.cache.ResponseCache;
import dev.aigw.core.cache.SemanticCache;
import dev.aigw.core.cache.semantic.InMemoryVectorIndex;
import dev.aigw.core.cache.semantic.MiniLmEmbeddings;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import dev.aigw.testkit.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The semantic cache through the whole gateway, with the in-process MiniLM model. */
class SemanticCacheTest {
  private static MiniLmEmbeddings embeddings;

  @BeforeAll
  static void loadModel() {
    embeddings = MiniLmEmbeddings.create();
  }

  @AfterAll
  static void closeModel() {
    embeddings.close();
  }

  private final ManualClock clock = new ManualClock();

  private AiGateway gateway(FakeChatProvider provider) {
    SemanticCache semantic = SemanticCache.of(embeddings, MiniLmEmbeddings.MODEL,
        InMemoryVectorIndex.builder().timeSource(clock).build());
    return AiGateway.builder().provider(provider).clock(clock)
        .cache(ResponseCache.builder().semantic(semantic).build()).build();
  }

  private static ChatRequest ask(String system, String question) {
    return ChatRequest.builder().model("p/m").system(system).user(question).build();
  }

  @Test
  void aParaphraseIsAnsweredFromTheCacheWithItsSimilarity() {
    FakeChatProvider p = FakeChatProvider.builder().id("p").reply(FakeReply.text("Use the reset link.")).build();
    try (AiGateway gateway = gateway(p)) {
      gateway.chat(ask("You are a support agent.", "How do I reset my password?"));
      ChatResponse paraphrase = gateway.chat(ask("You are a support agent.", "How can I reset my password?"));

      assertThat(p.requestCount()).isEqualTo(1);
      assertThat(paraphrase.text()).isEqualTo("Use the reset link.");
      assertThat(paraphrase.metadata().cacheStatus()).isEqualTo(CacheStatus.SEMANTIC_HIT);
      assertThat(paraphrase.metadata().cacheSimilarity().orElseThrow()).isBetween(0.85, 1.0);
    }
  }

  @Test
  void aDifferentQuestionOnTheSameTopicMisses() {
    FakeChatProvider p = FakeChatProvider.builder().id("p").reply(FakeReply.text("a"), FakeReply.text("b"), FakeReply.text("c")).build();
    try (AiGateway gateway = gateway(p)) {
      gateway.chat(ask("You are a travel guide.", "What is the capital of France?"));
      ChatResponse germany = gateway.chat(ask("You are a travel guide.", "What is the capital of Germany?"));
      ChatResponse reversed = gateway.chat(ask("You are a travel guide.", "What is France the capital of?"));

      assertThat(germany.metadata().cacheStatus()).isEqualTo(CacheStatus.MISS);
      assertThat(reversed.metadata().cacheStatus()).isEqualTo(CacheStatus.MISS);
      assertThat(p.requestCount()).isEqualTo(3);
    }
  }

  @Test
  void theSystemPromptTenantAndToolsMustMatchForASemanticHit() {
    FakeChatProvider p = FakeChatProvider.builder().id("p").build();
    try (AiGateway gateway = gateway(p)) {
      gateway.chat(ask("You are a support agent.", "How do I reset my password?"), CallContext.tenant("acme"));

      assertThat(gateway.chat(ask("You are a pirate.", "How can I reset my password?"), CallContext.tenant("acme"))
          .metadata().cacheStatus()).isEqualTo(CacheStatus.MISS);
      assertThat(gateway.chat(ask("You are a support agent.", "How can I reset my password?"), CallContext.tenant("globex"))
          .metadata().cacheStatus()).isEqualTo(CacheStatus.MISS);
      ChatRequest withTools = ask("You are a support agent.", "How can I reset my password?").toBuilder()
          .tool(new ToolSpec("reset", "resets a password", "{\"type\":\"object\"}")).build();
      assertThat(gateway.chat(withTools, CallContext.tenant("acme")).metadata().cacheStatus()).isEqualTo(CacheStatus.MISS);
      assertThat(gateway.chat(ask("You are a support agent.", "How can I reset my password?"), CallContext.tenant("acme"))
          .metadata().cacheStatus()).isEqualTo(CacheStatus.SEMANTIC_HIT);
      assertThat(p.requestCount()).isEqualTo(4);
    }
  }
}
