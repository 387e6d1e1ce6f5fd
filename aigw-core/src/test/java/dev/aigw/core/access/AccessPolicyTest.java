package dev.aigw.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.AccessDeniedException;
import dev.aigw.api.CallContext;
import dev.aigw.api.CallInfo;
import dev.aigw.api.ChatRequest;
import dev.aigw.api.EmbeddingRequest;
import dev.aigw.api.GatewayListener;
import dev.aigw.api.ProviderException;
import dev.aigw.api.Target;
import dev.aigw.core.AiGateway;
import dev.aigw.core.budget.Budget;
import dev.aigw.core.routing.Resilience;
import dev.aigw.core.routing.Route;
import dev.aigw.testkit.FakeChatProvider;
import dev.aigw.testkit.FakeReply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tenants kept to models, providers, targets and regions, fallbacks included. */
class AccessPolicyTest {
  private final FakeChatProvider us = FakeChatProvider.builder().id("us").reply(FakeReply.text("from us")).build();
  private final FakeChatProvider eu = FakeChatProvider.builder().id("eu").reply(FakeReply.serverError(503)).build();
  private final FakeChatProvider local = FakeChatProvider.builder().id("local").reply(FakeReply.text("from local")).build();
  private final List<String> routes = new ArrayList<>();

  private AiGateway gateway(AccessPolicy policy) {
    return AiGateway.builder().provider(us).provider(eu).provider(local)
        .resilience(Resilience.custom().maxAttempts(1).build())
        .route("chat", Route.fallback("us/m", "eu/m"))
        .route("us-only", Route.target("us/m"))
        .route("anywhere", Route.fallback("local/m", "eu/m"))
        .budget(Budget.perTenant().requestsPerDay(100))
        .accessPolicy(policy)
        .listener(new GatewayListener() {
          @Override
          public void route(CallInfo call, String model, List<Target> candidates) {
            routes.add(model + " " + candidates);
          }
        })
        .build();
  }

  private static final AccessPolicy POLICY = AccessPolicy.builder()
      .providerRegion("us", "us")
      .providerRegion("eu", "eu")
      .tenant("acme-eu", TenantAccess.builder().regions("eu").build())
      .tenant("limited", TenantAccess.builder().models("chat").providers("us").build())
      .tenant("pinned", TenantAccess.builder().targets("eu/m").build())
      .defaultAccess(TenantAccess.denyAll())
      .build();

  @Test
  void aFallbackNeverLeavesTheTenantsRegion() {
    try (AiGateway gateway = gateway(POLICY)) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chat", "hi"), CallContext.tenant("acme-eu")))
          .as("eu fails and us is outside the region, so there is no fallback").isInstanceOf(ProviderException.class);
      assertThat(routes).containsExactly("chat [eu/m]");
      assertThat(us.requestCount()).isZero();
      assertThat(eu.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void aRouteWithNoAllowedTargetIsDeniedBeforeAnythingElseHappens() {
    try (AiGateway gateway = gateway(POLICY)) {
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("us-only", "hi"), CallContext.tenant("acme-eu")))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("tenant 'acme-eu' is kept to regions [eu] and provider 'us' is in region 'us'");
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("anywhere", "hi"), CallContext.tenant("acme-eu")))
          .as("an untagged provider is outside every region; eu is allowed, so the route is not denied outright")
          .isInstanceOf(ProviderException.class);
      assertThat(routes).containsExactly("anywhere [eu/m]");
      assertThat(gateway.budgetUsage("tenant", "acme-eu").get(0).used()).as("no budget touched by the denial").isEqualByComparingTo("0");
      assertThat(local.requestCount() + us.requestCount()).isZero();
    }
  }

  @Test
  void modelsProvidersAndTargetsAreEnforcedAndUnknownTenantsGetTheDefault() {
    try (AiGateway gateway = gateway(POLICY)) {
      assertThat(gateway.chat(ChatRequest.of("chat", "hi"), CallContext.tenant("limited")).text()).isEqualTo("from us");
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("us/m", "hi"), CallContext.tenant("limited")))
          .isInstanceOf(AccessDeniedException.class).hasMessage("tenant 'limited' may not use model 'us/m'");
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("anywhere", "hi"), CallContext.tenant("pinned")))
          .isInstanceOf(ProviderException.class);
      assertThat(local.requestCount()).as("pinned to eu/m").isZero();
      assertThatThrownBy(() -> gateway.chat(ChatRequest.of("chat", "hi")))
          .isInstanceOf(AccessDeniedException.class).hasMessage("a call without a tenant may not use any model");
      assertThatThrownBy(() -> gateway.stream(ChatRequest.of("chat", "hi"), CallContext.tenant("stranger")))
          .isInstanceOf(AccessDeniedException.class).hasMessage("tenant 'stranger' may not use any model");
      assertThatThrownBy(() -> gateway.embed(EmbeddingRequest.of("us/e", "x"), CallContext.tenant("acme-eu")))
          .as("embeddings are routed under the same policy").isInstanceOf(AccessDeniedException.class);
    }
  }

  @Test
  void badPoliciesAreRejectedWhenBuilt() {
    assertThatThrownBy(() -> AiGateway.builder().provider(us).accessPolicy(AccessPolicy.builder().providerRegion("nope", "eu").build()).build())
        .hasMessageContaining("tags provider 'nope'");
    assertThatThrownBy(() -> AccessPolicy.builder().providerRegion("us", "us").providerRegion("us", "eu")).hasMessageContaining("tagged twice");
    assertThatThrownBy(() -> TenantAccess.builder().targets("no-slash")).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> AccessPolicy.builder().tenant("a", TenantAccess.allowAll()).tenant("a", TenantAccess.allowAll()))
        .hasMessageContaining("set twice");
  }
}
