package dev.aigw.providers.pool;

import dev.aigw.api.TimeSource;
import dev.aigw.providers.ResponseObserver;
import dev.aigw.providers.internal.HttpSettings;
import dev.aigw.providers.openai.OpenAiProvider;
import dev.aigw.providers.pool.internal.KServeReplicaClient;
import dev.aigw.providers.pool.internal.OpenAiReplicaClient;
import dev.aigw.providers.pool.internal.OrcaLoad;
import dev.aigw.providers.pool.internal.PoolHttp;
import dev.aigw.providers.pool.internal.PoolReplica;
import dev.aigw.providers.pool.internal.ReplicaClient;
import dev.aigw.providers.pool.internal.kserve.KServeClient;
import dev.aigw.providers.pool.internal.kserve.KServeGrpc;
import dev.aigw.providers.pool.internal.kserve.KServeHttpClient;
import dev.aigw.providers.pool.internal.kserve.KServeLlm;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Builds each replica's client for the pool's protocol, with ORCA load reports wired to the replica. */
final class ReplicaClients {
  private ReplicaClients() {}

  /** The pool's settings that clients need. */
  record Settings(
      Duration connectTimeout, Duration readTimeout, Duration checkTimeout, @Nullable Supplier<String> apiKey, boolean orca,
      String healthPath, int defaultMaxTokens) {}

  /** The client of {@code replica} for {@code protocol}. */
  static ReplicaClient create(
      PoolProtocol protocol, PoolReplica replica, String id, String providerName, PoolHttp http, TimeSource clock, Settings settings) {
    ResponseObserver orcaReports = (status, header) -> {
      String value = header.apply(OrcaLoad.RESPONSE_HEADER);
      if (value != null) {
        ReplicaLoad load = OrcaLoad.parse(value, clock.now());
        if (load != null) {
          replica.reported(load);
        }
      }
    };
    if (protocol.isOpenAi()) {
      OpenAiProvider.Builder b = OpenAiProvider.compatible(replica.baseUrl() + "/v1")
          .id(id).providerName(providerName)
          .connectTimeout(settings.connectTimeout()).readTimeout(settings.readTimeout());
      if (settings.apiKey() != null) {
        b.apiKey(settings.apiKey());
      }
      if (settings.orca()) {
        b.header(OrcaLoad.REQUEST_HEADER, OrcaLoad.FORMAT_TEXT).observeResponses(orcaReports);
      }
      return new OpenAiReplicaClient(b.build(), http, replica.baseUrl(), settings.healthPath());
    }
    KServeLlm llm = new KServeLlm(
        protocol.backend == PoolProtocol.Backend.VLLM ? KServeLlm.Convention.VLLM : KServeLlm.Convention.TENSORRT_LLM,
        protocol.kind == PoolProtocol.Kind.TRITON_HTTP || protocol.kind == PoolProtocol.Kind.TRITON_GRPC
            ? KServeLlm.Route.TRITON : KServeLlm.Route.V2_INFER,
        settings.defaultMaxTokens(), false);
    KServeClient client;
    if (protocol.isGrpc()) {
      URI url = replica.baseUrl();
      client = KServeGrpc.connect(id, url.getHost(), url.getPort() >= 0 ? url.getPort() : 8001,
          "https".equals(url.getScheme()) ? KServeGrpc.Options.withTls() : KServeGrpc.Options.PLAINTEXT);
    } else {
      Map<String, String> headers = settings.orca() ? Map.of(OrcaLoad.REQUEST_HEADER, OrcaLoad.FORMAT_TEXT) : Map.of();
      client = new KServeHttpClient(id, replica.baseUrl(), new HttpSettings(settings.connectTimeout(), settings.readTimeout(),
          Duration.ZERO, headers, settings.orca() ? orcaReports : null), settings.apiKey());
    }
    return new KServeReplicaClient(client, llm, settings.checkTimeout());
  }
}
