package dev.aigw.core.context;

import static dev.aigw.core.context.Fixtures.SUM;
import static dev.aigw.core.context.Fixtures.gateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.core.AiGateway;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import org.junit.jupiter.api.Test;

/** The policies, the fitting configuration and the gateway's checks of both. */
class ContextConfigTest {
  @Test
  void policiesSayWhatTheyAre() {
    assertThat(ContextPolicy.fail().kind()).isEqualTo(ContextPolicy.Kind.FAIL);
    assertThat(ContextPolicy.fail().shrinks()).isFalse();
    assertThat(ContextPolicy.dropOldest().shrinks()).isTrue();
    assertThat(ContextPolicy.dropOldest().summariser()).isEmpty();
    ContextPolicy summarize = ContextPolicy.summarize("s");
    assertThat(summarize.summariser()).contains("s");
    assertThat(summarize.maxSummaryTokens()).isEqualTo(ContextPolicy.DEFAULT_MAX_SUMMARY_TOKENS);
    assertThat(summarize.instructions()).isEqualTo(ContextPolicy.DEFAULT_INSTRUCTIONS);
    ContextPolicy custom = summarize.maxSummaryTokens(200).instructions("Summarise.");
    assertThat(custom.maxSummaryTokens()).isEqualTo(200);
    assertThat(custom.instructions()).isEqualTo("Summarise.");
    assertThat(summarize.maxSummaryTokens()).as("immutable").isEqualTo(500);
    assertThat(custom).isEqualTo(ContextPolicy.summarize("s").instructions("Summarise.").maxSummaryTokens(200))
        .hasSameHashCodeAs(ContextPolicy.summarize("s").instructions("Summarise.").maxSummaryTokens(200))
        .isNotEqualTo(summarize);
    assertThat(custom).hasToString("ContextPolicy[SUMMARIZE with s, maxSummaryTokens=200]");
    assertThat(ContextPolicy.dropOldest()).hasToString("ContextPolicy[DROP_OLDEST]");
  }

  @Test
  void policiesRejectBadArguments() {
    assertThatThrownBy(() -> ContextPolicy.summarize(null)).isInstanceOf(NullPointerException.class).hasMessage("summariser");
    assertThatThrownBy(() -> ContextPolicy.summarize(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("summariser must not be blank");
    assertThatThrownBy(() -> ContextPolicy.summarize("s").maxSummaryTokens(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSummaryTokens must be positive, was 0");
    assertThatThrownBy(() -> ContextPolicy.summarize("s").instructions("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instructions must not be blank");
    assertThatThrownBy(() -> ContextPolicy.dropOldest().maxSummaryTokens(10)).isInstanceOf(IllegalStateException.class)
        .hasMessage("maxSummaryTokens applies to summarize(...) policies only, this one is DROP_OLDEST");
  }

  @Test
  void theFittingBuilderChecksEachArgument() {
    ContextFitting.Builder b = ContextFitting.builder().route("chat", ContextPolicy.dropOldest());
    assertThatThrownBy(() -> b.margin(-1)).isInstanceOf(IllegalArgumentException.class).hasMessage("margin must not be negative, was -1");
    assertThatThrownBy(() -> b.route(" ", ContextPolicy.fail())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model must not be blank");
    assertThatThrownBy(() -> b.route("chat", ContextPolicy.fail())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model 'chat' has a context policy already");
    assertThatThrownBy(() -> b.route("x", null)).isInstanceOf(NullPointerException.class).hasMessage("policy");
    assertThatThrownBy(() -> b.defaultPolicy(null)).isInstanceOf(NullPointerException.class).hasMessage("defaultPolicy");
    assertThatThrownBy(() -> b.summaryCacheSize(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("summaryCacheSize must be positive, was 0");

    ContextFitting fitting = b.margin(64).build();
    assertThat(fitting.policyFor("chat")).isEqualTo(ContextPolicy.dropOldest());
    assertThat(fitting.policyFor("other")).isEqualTo(ContextPolicy.fail());
    assertThat(fitting.margin()).isEqualTo(64);
    assertThat(fitting.summaryCacheSize()).isEqualTo(ContextFitting.DEFAULT_SUMMARY_CACHE_SIZE);
    assertThatThrownBy(() -> fitting.routes().put("x", ContextPolicy.fail())).isInstanceOf(UnsupportedOperationException.class);
  }

  private static AiGateway.Builder withRoutes() {
    return gateway(FakeChatProvider.builder().id("p").build())
        .route("chat", Route.target("p/m"))
        .route("summariser", Route.target("p/" + SUM));
  }

  @Test
  void theGatewayChecksTheModelsAndSummarisersItIsGiven() {
    assertThatThrownBy(() -> withRoutes().contextFitting(ContextFitting.builder().route("chta", ContextPolicy.dropOldest()).build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policy for 'chta', which is neither a route alias");
    assertThatThrownBy(() -> withRoutes().contextFitting(ContextFitting.builder().route("q/m", ContextPolicy.dropOldest()).build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'q/m'");
    assertThatThrownBy(() -> withRoutes().contextFitting(ContextFitting.builder()
        .route("chat", ContextPolicy.summarize("nope")).build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'chat' summarises with 'nope', which is neither");
    assertThatThrownBy(() -> withRoutes().contextFitting(ContextFitting.builder()
        .defaultPolicy(ContextPolicy.summarize("summariser")).build()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the default summarises with 'summariser', whose own policy also summarises");

    withRoutes().contextFitting(ContextFitting.builder()
        .defaultPolicy(ContextPolicy.summarize("summariser"))
        .route("summariser", ContextPolicy.fail())
        .route("p/m", ContextPolicy.dropOldest())
        .build()).build().close();
  }

  @Test
  void eachSettingIsTakenOnce() {
    AiGateway.Builder b = withRoutes().contextFitting(ContextFitting.builder().build())
        .conversationMemory(InMemoryConversationMemory.create());
    assertThatThrownBy(() -> b.contextFitting(ContextFitting.builder().build())).isInstanceOf(IllegalStateException.class)
        .hasMessage("contextFitting was already set");
    assertThatThrownBy(() -> b.conversationMemory(InMemoryConversationMemory.create())).isInstanceOf(IllegalStateException.class)
        .hasMessage("conversationMemory was already set");
    assertThatThrownBy(() -> withRoutes().contextFitting(null)).isInstanceOf(NullPointerException.class).hasMessage("contextFitting");
    assertThatThrownBy(() -> withRoutes().conversationMemory(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("conversationMemory");
  }
}
