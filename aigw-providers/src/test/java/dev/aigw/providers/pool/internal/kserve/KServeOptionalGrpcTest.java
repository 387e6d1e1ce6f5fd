package dev.aigw.providers.pool.internal.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigw.api.CallContext;
import dev.aigw.providers.internal.HttpSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * grpc-java is an optional dependency: with io.grpc and protobuf off the classpath (hidden by a
 * class loader that refuses them and loads aigw-providers' own classes itself), the HTTP client and
 * the LLM mapping work without touching a gRPC class, and asking for gRPC fails with a message
 * naming the artifacts to add.
 */
class KServeOptionalGrpcTest {

  /** Loads aigw-providers' main classes itself and refuses io.grpc and com.google.protobuf. */
  static final class WithoutGrpc extends URLClassLoader {
    final List<String> refused = new CopyOnWriteArrayList<>();

    WithoutGrpc() {
      super(new URL[] {KServeGrpc.class.getProtectionDomain().getCodeSource().getLocation()},
          KServeOptionalGrpcTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("io.grpc.") || name.startsWith("com.google.protobuf.")) {
        refused.add(name);
        throw new ClassNotFoundException(name + " (hidden by the test)");
      }
      if (name.startsWith("dev.aigw.providers.")) {
        synchronized (getClassLoadingLock(name)) {
          Class<?> loaded = findLoadedClass(name);
          if (loaded == null) {
            loaded = findClass(name);
          }
          if (resolve) {
            resolveClass(loaded);
          }
          return loaded;
        }
      }
      return super.loadClass(name, resolve);
    }
  }

  @Test
  void theHttpPathNeverTouchesGrpc() throws Exception {
    try (WithoutGrpc loader = new WithoutGrpc(); SimulatedKServeHttpServer server = new SimulatedKServeHttpServer()) {
      Class<?> clientType = loader.loadClass(KServeHttpClient.class.getName());
      Class<?> settingsType = loader.loadClass(HttpSettings.class.getName());
      assertThat(clientType.getClassLoader()).isSameAs(loader);
      Object settings = settingsType.getConstructors()[0].newInstance(
          java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(5), java.time.Duration.ZERO, Map.of());
      Object client = clientType.getConstructor(String.class, URI.class, settingsType, Supplier.class)
          .newInstance("pool", server.baseUrl(), settings, null);

      Object ready = clientType.getMethod("serverReady", CallContext.class).invoke(client, CallContext.empty());
      Object prompt = loader.loadClass(KServeLlm.class.getName()).getMethod("renderPrompt", List.class)
          .invoke(null, List.of(dev.aigw.api.Message.user("hi")));
      Object llm = loader.loadClass(KServeLlm.class.getName()).getMethod("vllm").invoke(null);
      Object chat = llm.getClass().getMethod("chat", loader.loadClass(KServeClient.class.getName()),
              dev.aigw.api.ChatRequest.class, CallContext.class)
          .invoke(llm, client, dev.aigw.api.ChatRequest.of("vllm_model", "hi"), CallContext.empty());

      assertThat(ready).isEqualTo(true);
      assertThat(prompt).isEqualTo("user: hi\nassistant:");
      assertThat(((dev.aigw.api.ChatResponse) chat).text()).isEqualTo("You said: hi");
      assertThat(loader.refused).as("no gRPC or protobuf class was even asked for").isEmpty();
    }
  }

  @Test
  void askingForGrpcWithoutItFailsNamingTheArtifacts() throws Exception {
    try (WithoutGrpc loader = new WithoutGrpc()) {
      Class<?> grpc = loader.loadClass(KServeGrpc.class.getName());
      Class<?> options = loader.loadClass(KServeGrpc.Options.class.getName());
      Object plaintext = options.getField("PLAINTEXT").get(null);
      Method connect = grpc.getMethod("connect", String.class, String.class, int.class, options);

      assertThat(grpc.getMethod("isAvailable").invoke(null)).isEqualTo(false);
      assertThatThrownBy(() -> {
        try {
          connect.invoke(null, "pool", "127.0.0.1", 8001, plaintext);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("'pool' is configured to speak gRPC")
          .hasMessageContaining("io.grpc:grpc-api is not on the classpath")
          .hasMessageContaining("io.grpc:grpc-protobuf, io.grpc:grpc-stub")
          .hasMessageContaining("grpc-netty-shaded");
    }
  }

  @Test
  void withGrpcPresentItIsAvailable() {
    assertThat(KServeGrpc.isAvailable()).isTrue();
  }
}
